package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileToolsTest {

    @TempDir
    Path root;
    Map<String, Tool> tools;
    FileLeases leases;

    @BeforeEach
    void setUp() {
        leases = new FileLeases();
        tools = BuiltinTools.create(leases, new CommandRunner(root, 4096)).stream()
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
    void aFileHeldByAnotherRunningTaskCannotBeWrittenUntilItsLeaseEnds() throws IOException {
        call("write_file", "todo-1#1", "{\"path\":\"shared.txt\",\"content\":\"mine\"}");

        ToolException refused = assertThrows(ToolException.class,
                () -> call("write_file", "todo-2#1", "{\"path\":\"shared.txt\",\"content\":\"theirs\"}"));
        assertTrue(refused.getMessage().contains("being changed by task todo-1#1"), refused.getMessage());
        assertEquals("mine", Files.readString(root.resolve("shared.txt")));

        leases.releaseAll("todo-1#1");
        call("write_file", "todo-2#1", "{\"path\":\"shared.txt\",\"content\":\"theirs\"}");
        assertEquals("theirs", Files.readString(root.resolve("shared.txt")));
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
}
