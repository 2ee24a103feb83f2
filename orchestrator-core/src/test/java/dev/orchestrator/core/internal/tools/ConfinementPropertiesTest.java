package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For generated paths (dot segments, absolute paths, mixed separators, Unicode, very long names) over a workspace
 * holding generated chains of links pointing in and out, no built-in tool reads, lists with content or writes
 * anything outside the workspace, and every file inside stays reachable.
 */
class ConfinementPropertiesTest {

    private static final String OUTSIDE_CANARY = "CANARY-OUTSIDE-7f3a";
    private static final List<String> SEGMENTS = List.of("..", ".", "src", "a.txt", "l0", "l1", "l2", "outside",
            "secret.txt", "ünïcødé", "x".repeat(300), "new", "journal", "000.wal", "", " ");
    private static final List<String> SEPARATORS = List.of("/", "\\", "//", "/./");
    private static final List<String> LINK_TARGETS = List.of("../outside", "../outside/secret.txt", "src",
            "src/a.txt", "NEXT", "/etc", "../outside/missing", "journal", "nowhere");

    @TempDir
    Path base;

    @Test
    void noToolEverReachesOutsideAndEverythingInsideStaysReachable() {
        qt().withExamples(100).withFixedSeed(9)
                .forAll(lists().of(arbitrary().pick(SEGMENTS)).ofSizeBetween(1, 6),
                        lists().of(arbitrary().pick(SEPARATORS)).ofSize(6),
                        lists().of(arbitrary().pick(LINK_TARGETS)).ofSize(3),
                        arbitrary().pick(List.of("", "/", "./")))
                .checkAssert((segments, separators, linkTargets, prefix) -> {
                    Path example = newDirectory();
                    Path workspace = layout(example, linkTargets);
                    Path outside = example.resolve("outside");
                    Map<String, String> outsideBefore = snapshot(outside);
                    StringBuilder path = new StringBuilder(prefix);
                    for (int i = 0; i < segments.size(); i++) {
                        path.append(i == 0 ? "" : separators.get(i)).append(segments.get(i));
                    }

                    List<String> answers = callEveryTool(workspace, path.toString());

                    for (String answer : answers) {
                        assertFalse(answer.contains(OUTSIDE_CANARY), path + " reached outside: " + answer);
                        assertFalse(answer.contains("JOURNAL-CANARY"), path + " reached the journal: " + answer);
                        assertFalse(answer.contains(example.toString()), path + " showed an absolute path: " + answer);
                    }
                    assertEquals(outsideBefore, snapshot(outside), path + " changed something outside");
                    assertEquals("JOURNAL-CANARY", FileToolsTest.readText(workspace.resolve("journal/000.wal")));
                    assertEverythingInsideIsReachable(workspace);
                });
    }

    @Test
    void aLinkFlippedInALoopWhileToolsRunNeverLeadsOutside() throws Exception {
        Path workspace = layout(newDirectory(), List.of("src", "src", "src"));
        Path outside = workspace.resolveSibling("outside");
        Files.writeString(outside.resolve("a.txt"), OUTSIDE_CANARY);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread flipper = Thread.ofPlatform().start(() -> {
            boolean out = false;
            while (running.get()) {
                try {
                    Path next = workspace.resolve("flip.next");
                    Files.deleteIfExists(next);
                    Files.createSymbolicLink(next, out ? outside : workspace.resolve("src"));
                    Files.move(next, workspace.resolve("flip"), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                    out = !out;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        try {
            for (int i = 0; i < 3000; i++) {
                for (String answer : callEveryTool(workspace, "flip/a.txt")) {
                    assertFalse(answer.contains(OUTSIDE_CANARY), answer);
                }
                for (String answer : callEveryTool(workspace, "flip")) {
                    assertFalse(answer.contains(OUTSIDE_CANARY), answer);
                }
            }
        } finally {
            running.set(false);
            flipper.join();
        }
        assertEquals(OUTSIDE_CANARY, Files.readString(outside.resolve("a.txt")));
    }

    /** ws/src/a.txt, ws/journal (off limits), outside/secret.txt and links l0..l2, each to a generated target. */
    private static Path layout(Path example, List<String> linkTargets) {
        try {
            Path workspace = Files.createDirectories(example.resolve("ws"));
            Path outside = Files.createDirectories(example.resolve("outside"));
            Files.writeString(outside.resolve("secret.txt"), OUTSIDE_CANARY);
            Files.createDirectories(workspace.resolve("src"));
            Files.writeString(workspace.resolve("src/a.txt"), "inside-a");
            Files.createDirectories(workspace.resolve("journal"));
            Files.writeString(workspace.resolve("journal/000.wal"), "JOURNAL-CANARY");
            for (int i = 0; i < linkTargets.size(); i++) {
                String target = linkTargets.get(i).equals("NEXT") ? "l" + (i + 1) : linkTargets.get(i);
                Files.createSymbolicLink(workspace.resolve("l" + i), Path.of(target));
            }
            return workspace;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What every built-in tool answered (or refused) for {@code path}. */
    private static List<String> callEveryTool(Path workspace, String path) {
        ConfinedWorkspace confined = new ConfinedWorkspace(workspace, List.of(workspace.resolve("journal")));
        Map<String, Tool> tools = FileToolsTest.builtins(new FileVersions(), workspace).stream()
                .collect(Collectors.toMap(Tool::name, Function.identity()));
        String quoted = quoted(path);
        List<String> answers = new ArrayList<>();
        for (String[] call : new String[][] {
                {"read_file", "{\"path\":" + quoted + "}"},
                {"list_files", "{\"path\":" + quoted + "}"},
                {"search", "{\"query\":\"A\",\"path\":" + quoted + "}"},
                {"search", "{\"query\":\"JOURNAL\"}"},
                {"edit_file", "{\"path\":" + quoted + ",\"old_text\":\"CANARY\",\"new_text\":\"changed\"}"},
                {"write_file", "{\"path\":" + quoted + ",\"content\":\"written\"}"}}) {
            try {
                ToolResult result = tools.get(call[0]).execute(ParsedArguments.parse(call[1]),
                        new TaskToolContext(confined, "t"));
                answers.add(result.content());
            } catch (ToolException refused) {
                answers.add(refused.getMessage());
            }
        }
        return answers;
    }

    private static void assertEverythingInsideIsReachable(Path workspace) {
        ConfinedWorkspace confined = new ConfinedWorkspace(workspace, List.of(workspace.resolve("journal")));
        Tool read = new ReadFileTool(new FileVersions(), FileToolsTest.SHOWN_WHOLE_MAX_CHARS);
        String listing = new ListFilesTool().execute(ParsedArguments.parse("{}"), new TaskToolContext(confined, "t"))
                .content();
        try (Stream<Path> files = Files.walk(workspace)) {
            for (Path file : files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .filter(f -> !f.startsWith(workspace.resolve("journal"))).toList()) {
                String relative = confined.relativize(file);
                assertTrue(listing.lines().anyMatch(relative::equals), relative + " is not listed: " + listing);
                assertEquals(FileToolsTest.readText(file), read.execute(ParsedArguments.parse("{\"path\":" + quoted(relative) + "}"),
                        new TaskToolContext(confined, "t")).content());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Map<String, String> snapshot(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            Map<String, String> contents = new TreeMap<>();
            files.forEach(f -> contents.put(directory.relativize(f).toString(),
                    Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) ? FileToolsTest.readText(f) : "(dir or link)"));
            return contents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path newDirectory() {
        try {
            return Files.createTempDirectory(base, "example");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
