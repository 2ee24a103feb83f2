package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileToolsTest {

    /** Where the tools' results are cut in these tests, as a mission's tool box would cut them. */
    static final int SHOWN_WHOLE_MAX_CHARS = 50_000;

    @TempDir
    Path root;
    Map<String, Tool> tools;
    FileVersions versions;

    @BeforeEach
    void setUp() {
        versions = new FileVersions();
        tools = builtins(versions, root).stream()
                .collect(Collectors.toMap(Tool::name, Function.identity()));
    }

    private ToolResult call(String tool, String taskId, String json) {
        return tools.get(tool).execute(ParsedArguments.parse(json),
                new TaskToolContext(new ConfinedWorkspace(root), taskId));
    }

    @Test
    void writeThenReadReturnsTheContentAndWritingTwiceIsIdempotent() throws IOException {
        call("write_file", "t1", "{\"path\":\"a/b.txt\",\"content\":\"one\\ntwo\\nthree\\n\"}");
        call("write_file", "t1", "{\"path\":\"a/b.txt\",\"content\":\"one\\ntwo\\nthree\\n\"}");

        assertEquals("one\ntwo\nthree\n", Files.readString(root.resolve("a/b.txt")));
        assertEquals("one\ntwo\nthree\n", call("read_file", "t1", "{\"path\":\"a/b.txt\"}").content());
        assertEquals("two\nthree\n", call("read_file", "t1", "{\"path\":\"a/b.txt\",\"start_line\":2}").content());
    }

    @Test
    void textWithTheRedactionMarkReplacesABinaryFileAsAnyTextDoes() throws IOException {
        Files.write(root.resolve("blob.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});

        call("write_file", "t1", "{\"path\":\"blob.bin\",\"content\":\"log(\\\"[redacted]\\\")\\n\"}");

        assertEquals("log(\"[redacted]\")\n", Files.readString(root.resolve("blob.bin")));
    }

    @Test
    void editReplacesOneUniqueMatchAndRefusesAmbiguousOrMissingText() throws IOException {
        Files.writeString(root.resolve("f.txt"), "alpha beta alpha gamma");

        ToolException ambiguous = assertThrows(ToolException.class,
                () -> call("edit_file", "t", "{\"path\":\"f.txt\",\"old_text\":\"alpha\",\"new_text\":\"x\"}"));
        assertTrue(ambiguous.getMessage().contains("more than once"), ambiguous.getMessage());
        ToolException missing = assertThrows(ToolException.class,
                () -> call("edit_file", "t", "{\"path\":\"f.txt\",\"old_text\":\"delta\",\"new_text\":\"x\"}"));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());

        call("edit_file", "t", "{\"path\":\"f.txt\",\"old_text\":\"beta\",\"new_text\":\"BETA\"}");
        assertEquals("alpha BETA alpha gamma", Files.readString(root.resolve("f.txt")));
        // the same edit again finds its result in place: a re-run after a crash changes nothing
        ToolResult again = call("edit_file", "t", "{\"path\":\"f.txt\",\"old_text\":\"beta\",\"new_text\":\"BETA\"}");
        assertFalse(again.isError());
        assertTrue(again.content().contains("no change"), again.content());
        assertEquals("alpha BETA alpha gamma", Files.readString(root.resolve("f.txt")));
    }

    @Test
    void aWriteToAFileThatChangedSinceTheTaskReadItIsRefusedUntilItReadsAgain() throws IOException {
        Files.writeString(root.resolve("shared.txt"), "one\ntwo\n");
        call("read_file", "todo-1#1", "{\"path\":\"shared.txt\"}");
        call("read_file", "todo-2#1", "{\"path\":\"shared.txt\"}");
        call("edit_file", "todo-1#1", "{\"path\":\"shared.txt\",\"old_text\":\"one\",\"new_text\":\"ONE\"}");

        ToolException stale = assertThrows(ToolException.class, () -> call("edit_file", "todo-2#1",
                "{\"path\":\"shared.txt\",\"old_text\":\"two\",\"new_text\":\"TWO\"}"));
        assertTrue(stale.getMessage().contains("changed since you last read it"), stale.getMessage());
        assertThrows(ToolException.class, () -> call("write_file", "todo-2#1",
                "{\"path\":\"shared.txt\",\"content\":\"theirs\"}"));
        assertEquals("ONE\ntwo\n", Files.readString(root.resolve("shared.txt")));

        call("read_file", "todo-2#1", "{\"path\":\"shared.txt\"}");
        call("edit_file", "todo-2#1", "{\"path\":\"shared.txt\",\"old_text\":\"two\",\"new_text\":\"TWO\"}");
        assertEquals("ONE\nTWO\n", Files.readString(root.resolve("shared.txt")));
    }

    @Test
    void aFileReachedThroughALinkInsideIsTheSameFileForTheStaleCheck() throws IOException {
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("src/f.txt"), "one");
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("src"));
        call("read_file", "todo-1#1", "{\"path\":\"src/f.txt\"}");
        call("read_file", "todo-2#1", "{\"path\":\"alias/f.txt\"}");
        call("write_file", "todo-1#1", "{\"path\":\"src/f.txt\",\"content\":\"two\"}");

        assertThrows(ToolException.class, () -> call("write_file", "todo-2#1",
                "{\"path\":\"alias/f.txt\",\"content\":\"three\"}"));
        assertEquals("two", Files.readString(root.resolve("src/f.txt")));
    }

    @Test
    void aCommandsChangeAlsoMakesTheWriteStale() throws IOException {
        Files.writeString(root.resolve("f.txt"), "a");
        call("read_file", "t", "{\"path\":\"f.txt\"}");
        call("run_command", "t", "{\"command\":\"echo b > f.txt\"}");

        assertThrows(ToolException.class, () -> call("write_file", "t", "{\"path\":\"f.txt\",\"content\":\"c\"}"));
        assertEquals("b\n", Files.readString(root.resolve("f.txt")));
    }

    @Test
    void twoWorkersEditingOneFileConcurrentlyKeepBothChanges() throws Exception {
        Files.writeString(root.resolve("both.txt"), "left\nright\n");
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var barrier = new java.util.concurrent.CyclicBarrier(2);
            var results = java.util.List.of("left", "right").stream().map(word -> pool.submit(() -> {
                String task = "todo-" + word;
                call("read_file", task, "{\"path\":\"both.txt\"}");
                barrier.await();
                String edit = "{\"path\":\"both.txt\",\"old_text\":\"" + word + "\",\"new_text\":\""
                        + word.toUpperCase() + "\"}";
                try {
                    call("edit_file", task, edit);
                    return "first";
                } catch (ToolException stale) {
                    assertTrue(stale.getMessage().contains("changed since you last read it"), stale.getMessage());
                    call("read_file", task, "{\"path\":\"both.txt\"}");
                    call("edit_file", task, edit);
                    return "refused, then succeeded";
                }
            })).toList();
            var outcomes = new java.util.ArrayList<String>();
            for (var result : results) {
                outcomes.add(result.get());
            }
            java.util.Collections.sort(outcomes);
            assertEquals(java.util.List.of("first", "refused, then succeeded"), outcomes);
        }
        assertEquals("LEFT\nRIGHT\n", Files.readString(root.resolve("both.txt")));
    }

    @Test
    void aWriteKeepsTheFilesPermissionsAndLeavesNoTemporaryFile() throws IOException {
        Path script = Files.writeString(root.resolve("run.sh"), "echo one\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));

        call("write_file", "t", "{\"path\":\"run.sh\",\"content\":\"echo two\\n\"}");

        assertEquals("echo two\n", Files.readString(script));
        assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(script)));
        try (var files = Files.list(root)) {
            assertEquals(java.util.List.of("run.sh"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void linksLeadingOutAreListedAsLinksAndNeverReadOrSearched() throws IOException {
        Path outside = Files.createTempDirectory("outside");
        Files.writeString(outside.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.createSymbolicLink(root.resolve("pw"), outside.resolve("passwd"));
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.writeString(root.resolve("in.txt"), "root: inside\n");

        assertEquals("in.txt\nout (symbolic link)\npw (symbolic link)", call("list_files", "t", "{}").content());
        assertEquals("in.txt:1: root: inside", call("search", "t", "{\"query\":\"root:\"}").content());
        ToolException refused = assertThrows(ToolException.class, () -> call("search", "t",
                "{\"query\":\"root:\",\"path\":\"out\"}"));
        assertFalse(refused.getMessage().contains(outside.toString()), refused.getMessage());
        assertFalse(refused.getMessage().contains(root.toString()), refused.getMessage());
    }

    @Test
    void theJournalDirectoryIsOffLimitsEvenInsideTheWorkspace() throws IOException {
        Files.createDirectories(root.resolve("journal"));
        Files.writeString(root.resolve("journal/000.wal"), "events");
        Files.writeString(root.resolve("a.txt"), "events too");
        var workspace = new ConfinedWorkspace(root, java.util.List.of(root.resolve("journal")));

        for (String json : new String[] {"{\"path\":\"journal/000.wal\"}", "{\"path\":\"journal/x\",\"content\":\"\"}"}) {
            String tool = json.contains("content") ? "write_file" : "read_file";
            ToolException refused = assertThrows(ToolException.class, () -> tools.get(tool)
                    .execute(ParsedArguments.parse(json), new TaskToolContext(workspace, "t")));
            assertTrue(refused.getMessage().contains("journal"), refused.getMessage());
        }
        ToolResult found = tools.get("search").execute(ParsedArguments.parse("{\"query\":\"events\"}"),
                new TaskToolContext(workspace, "t"));
        assertEquals("a.txt:1: events too", found.content());
    }

    @Test
    void listAndSearchSkipBuildOutputAndFindLines() throws IOException {
        Files.createDirectories(root.resolve("src"));
        Files.createDirectories(root.resolve("target"));
        Files.writeString(root.resolve("src/A.java"), "class A {\n  int answer = 42;\n}\n");
        Files.writeString(root.resolve("target/A.class"), "answer = 42");

        assertEquals("src/A.java", call("list_files", "t", "{}").content());
        assertEquals("src/A.java:2: int answer = 42;", call("search", "t", "{\"query\":\"answer = 42\"}").content());
        assertEquals("src/A.java:2: int answer = 42;",
                call("search", "t", "{\"query\":\"answer\\\\s*=\\\\s*\\\\d+\",\"regex\":true}").content());
        assertEquals("no matches", call("search", "t", "{\"query\":\"nothing like this\"}").content());
    }

    @Test
    void runCommandReportsFailureAsAnErrorResultAndIsNotIdempotent() {
        ToolResult result = call("run_command", "t", "{\"command\":\"echo out; exit 4\"}");

        assertTrue(result.isError());
        assertTrue(result.content().startsWith("exit code 4"), result.content());
        assertTrue(result.content().contains("out"), result.content());
        assertFalse(tools.get("run_command").isIdempotent());
        assertTrue(tools.get("write_file").isIdempotent());
    }

    @Test
    void argumentsWithTheWrongShapeAreRefusedByName() {
        assertTrue(assertThrows(ToolException.class, () -> call("read_file", "t", "{}")).getMessage()
                .contains("missing required argument 'path'"));
        assertTrue(assertThrows(ToolException.class, () -> call("read_file", "t", "{\"path\":3}")).getMessage()
                .contains("'path' must be a string"));
        assertTrue(assertThrows(ToolException.class, () -> ParsedArguments.parse("[1]")).getMessage()
                .contains("must be a JSON object"));
        assertTrue(assertThrows(ToolException.class, () -> ParsedArguments.parse("{\"a\":")).getMessage()
                .contains("not valid JSON"));
        assertEquals("{}", ParsedArguments.parse("").json());
    }

    /** The built-in tools on {@code root}. */
    static java.util.List<Tool> builtins(FileVersions versions, Path root) {
        CommandRunner runner = new CommandRunner(root, 4096);
        return BuiltinTools.create(versions, runner, new BackgroundProcesses(runner, 4096), SHOWN_WHOLE_MAX_CHARS,
                Redactor.NONE);
    }

    /** {@code file}'s text, for lambdas that cannot throw. */
    static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code content} to {@code file}, for lambdas that cannot throw. */
    static void writeText(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
