package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.orchestrator.api.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole-file read answers "unchanged" exactly when the task was shown the same content whole before, whatever
 * changed the file in between (the task itself, another task, a command) and however often it changed back.
 */
class UnchangedReadsPropertiesTest {

    /** Short contents, and one too long to have been shown whole (the tool box cuts long results). */
    private static final List<String> CONTENTS = List.of("alpha\n", "beta\n", "",
            "x".repeat(FileToolsTest.SHOWN_WHOLE_MAX_CHARS) + "\n");

    @TempDir
    Path root;

    @Test
    void unchangedIsAnsweredOnlyWhenTheContentIsReallyUnchanged() {
        // each step: 0-3 the task reads (whole, or by lines), 4-7 the task writes a content, 8-11 another task
        // writes one, 12-15 a command writes one on disk
        qt().withExamples(200).withFixedSeed(10)
                .forAll(lists().of(integers().between(0, 15)).ofSizeBetween(1, 20))
                .checkAssert(this::check);
    }

    private void check(List<Integer> steps) {
        FileVersions versions = new FileVersions();
        Map<String, Tool> tools = FileToolsTest.builtins(versions, root).stream()
                .collect(Collectors.toMap(Tool::name, Function.identity()));
        ConfinedWorkspace workspace = new ConfinedWorkspace(root);
        FileToolsTest.writeText(root.resolve("f.txt"), CONTENTS.getFirst());
        String shownWhole = null;
        for (int turn = 0; turn < steps.size(); turn++) {
            int step = steps.get(turn);
            String content = CONTENTS.get(step % 4);
            TaskToolContext task = new TaskToolContext(workspace, "task", turn);
            switch (step / 4) {
                case 0 -> {
                    boolean byLines = step % 2 == 1;
                    String answer = tools.get("read_file").execute(ParsedArguments.parse(byLines
                            ? "{\"path\":\"f.txt\",\"start_line\":1}" : "{\"path\":\"f.txt\"}"), task).content();
                    String now = FileToolsTest.readText(root.resolve("f.txt"));
                    boolean unchanged = answer.startsWith("f.txt is unchanged since your read at turn");
                    boolean fits = now.length() <= FileToolsTest.SHOWN_WHOLE_MAX_CHARS;
                    assertEquals(!byLines && fits && now.equals(shownWhole), unchanged, steps + " at turn " + turn + ": "
                            + answer);
                    if (!byLines && !unchanged) {
                        assertEquals(now, answer, "a changed file gets its new text");
                        shownWhole = fits ? now : shownWhole;
                    }
                }
                case 1 -> {
                    // the task's own write goes through the tool, after a read so it is not refused as stale
                    tools.get("read_file").execute(ParsedArguments.parse("{\"path\":\"f.txt\",\"start_line\":1}"),
                            task);
                    tools.get("write_file").execute(ParsedArguments.parse("{\"path\":\"f.txt\",\"content\":\""
                            + content.replace("\n", "\\n") + "\"}"), task);
                }
                case 2 -> tools.get("write_file").execute(ParsedArguments.parse("{\"path\":\"f.txt\",\"content\":\""
                        + content.replace("\n", "\\n") + "\"}"), new TaskToolContext(workspace, "other" + turn, turn));
                default -> FileToolsTest.writeText(root.resolve("f.txt"), content);
            }
        }
    }
}
