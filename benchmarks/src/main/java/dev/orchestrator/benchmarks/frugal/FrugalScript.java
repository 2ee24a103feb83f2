package dev.orchestrator.benchmarks.frugal;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Message;
import dev.orchestrator.core.llm.ScriptedReplies;
import dev.orchestrator.core.llm.ScriptedReplies.PlannedTodo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The simulated mission's workspace and its agents' script. Each todo N reads a shared 3 KB file and two of five
 * 3 KB modules, writes {@code src/TodoN.java}, and reads all three again, the shared one twice: 9 tool calls. Todo 1
 * also runs the build, which prints a line a second. Polling reads by lines ({@code start_line} 1), which always
 * answers with the text, as the seed's read did; ours reads whole files and gets "unchanged" the second time.
 * Ours starts the build in the background and waits for its exit with one {@code read_output} once the rest is
 * done (starting it again when a resume finds it gone or its start cut off); polling runs it in the foreground, one call that blocks.
 */
final class FrugalScript {

    static final String SHARED = "src/Shared.java";
    static final int MODULES = 5;
    private static final Pattern TODO = Pattern.compile("todo-(\\d+)#");
    private static final Pattern STARTED = Pattern.compile("started in the background as (\\S+):");

    private FrugalScript() {
    }

    /** Writes the sources every todo reads. */
    static void createWorkspace(Path workspace) {
        try {
            Files.createDirectories(workspace.resolve("src"));
            Files.writeString(workspace.resolve(SHARED), source("Shared"));
            for (int m = 0; m < MODULES; m++) {
                Files.writeString(workspace.resolve(module(m)), source("Module" + m));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plan: {@code todos} todos, each writing its own file. */
    static PlannedTodo[] plan(int todos) {
        return IntStream.rangeClosed(1, todos).mapToObj(n -> ScriptedReplies.todo("todo-" + n, (n == 1
                ? "Run the build and add " : "Add ") + "src/Todo" + n + ".java, reading the modules it uses first.")
                .writes("src/Todo" + n + ".java")).toArray(PlannedTodo[]::new);
    }

    /** The Worker's next reply, from the conversation so far. */
    static Function<ChatRequest, ChatResponse> worker(boolean ours, int buildSeconds) {
        return request -> {
            int n = todo(request);
            List<Function<ChatRequest, ChatResponse>> steps = steps(n, ours, buildSeconds);
            long turns = request.messages().stream().filter(Message.Assistant.class::isInstance).count();
            if (turns < steps.size()) {
                return steps.get((int) turns).apply(request);
            }
            if (n == 1 && ours) {
                Optional<Function<ChatRequest, ChatResponse>> waiting = awaitBuild(request.messages(), buildSeconds);
                if (waiting.isPresent()) {
                    return waiting.get().apply(request);
                }
            }
            return ScriptedReplies.text("todo-" + n + " is done: src/Todo" + n + ".java is written.").apply(request);
        };
    }

    private static List<Function<ChatRequest, ChatResponse>> steps(int n, boolean ours, int buildSeconds) {
        String a = module(n % MODULES);
        String b = module((n + 1) % MODULES);
        List<Function<ChatRequest, ChatResponse>> steps = new ArrayList<>(List.of(read(SHARED, ours), read(a, ours)));
        if (n == 1) {
            steps.add(ours ? build(buildSeconds) : ScriptedReplies.call("run_command", Map.of("command",
                    buildCommand(buildSeconds), "timeout_seconds", 1800)));
        }
        steps.addAll(List.of(read(b, ours), ScriptedReplies.writeFile("src/Todo" + n + ".java", source("Todo" + n)),
                read(SHARED, ours), read(a, ours), read(b, ours), read(SHARED, ours)));
        return steps;
    }

    /** Ours, after its steps: wait for the build, or start it again if a resume found it gone; empty once built. */
    private static Optional<Function<ChatRequest, ChatResponse>> awaitBuild(List<Message> messages,
            int buildSeconds) {
        int started = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof Message.ToolResult r && r.toolName().equals("run_command")) {
                started = i;
            }
        }
        Matcher id = STARTED.matcher(((Message.ToolResult) messages.get(started)).content());
        if (!id.find()) {
            // the crash cut the start itself off, and the resume said so: start it again
            return Optional.of(build(buildSeconds));
        }
        Optional<Message.ToolResult> waited = messages.subList(started, messages.size()).stream()
                .flatMap(m -> m instanceof Message.ToolResult r && r.toolName().equals("read_output")
                        ? Stream.of(r) : Stream.empty()).reduce((first, second) -> second);
        if (waited.isPresent() && waited.get().content().startsWith("exited")) {
            return Optional.empty();
        }
        if (waited.isPresent() && waited.get().isError()) {
            return Optional.of(build(buildSeconds));
        }
        return Optional.of(ScriptedReplies.call("read_output", Map.of("id", id.group(1), "wait_ms", 300_000,
                "until_exit", true)));
    }

    private static Function<ChatRequest, ChatResponse> build(int buildSeconds) {
        return ScriptedReplies.call("run_command", Map.of("command", buildCommand(buildSeconds), "background", true));
    }

    /** A build that prints a line a second for {@code seconds} and leaves {@code out.txt}. */
    static String buildCommand(int seconds) {
        return "for i in $(seq 1 " + seconds + "); do echo \"[INFO] building step $i of " + seconds + ": compiling "
                + "module $i, 42 source files\"; sleep 1; done; echo built > out.txt; echo BUILD SUCCESS";
    }

    private static Function<ChatRequest, ChatResponse> read(String path, boolean whole) {
        return whole ? ScriptedReplies.readFile(path) : ScriptedReplies.call("read_file", Map.of("path", path,
                "start_line", 1));
    }

    static String module(int m) {
        return "src/Module" + m + ".java";
    }

    /** About 3 KB of Java. */
    private static String source(String name) {
        StringBuilder text = new StringBuilder("final class " + name + " {\n");
        for (int i = 0; i < 50; i++) {
            text.append("    int step").append(i).append("(int x) { return x * ").append(i).append(" + ")
                    .append(name.length()).append("; } // ").append(name).append('\n');
        }
        return text.append("}\n").toString();
    }

    static int todo(ChatRequest request) {
        Matcher m = TODO.matcher(request.metadata(ChatRequest.TASK).orElseThrow());
        if (!m.find()) {
            throw new IllegalStateException("not a todo's task: " + request.metadata(ChatRequest.TASK));
        }
        return Integer.parseInt(m.group(1));
    }

    /** A digest of every file under {@code workspace}, paths and contents, to compare two ways' results. */
    static String digest(Path workspace) {
        try (Stream<Path> files = Files.walk(workspace)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                digest.update(workspace.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
