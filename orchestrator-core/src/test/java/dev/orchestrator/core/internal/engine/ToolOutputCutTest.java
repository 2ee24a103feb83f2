package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cut tool output says how much was cut and how to read the rest. */
class ToolOutputCutTest {

    /** A hundred lines of ten characters and a newline each. */
    private static final String HUNDRED_LINES = IntStream.rangeClosed(1, 100)
            .mapToObj(i -> "line %5d".formatted(i)).collect(Collectors.joining("\n", "", "\n"));

    private static ToolCall read(String arguments) {
        return new ToolCall("c", "read_file", arguments);
    }

    @Test
    void anOutputWithinTheLimitIsLeftAsItIs() {
        ToolResult result = ToolResult.ok(HUNDRED_LINES);

        assertSame(result, new ToolOutputCut(HUNDRED_LINES.length()).apply(read("{\"path\":\"a\"}"), result));
    }

    @Test
    void aFileReadIsCutAtALineEndAndSaysWhichReadFileCallShowsTheRest() {
        ToolResult cut = new ToolOutputCut(445).apply(read("{\"path\":\"src/A.java\"}"), ToolResult.ok(HUNDRED_LINES));

        assertEquals(HUNDRED_LINES.substring(0, 440), cut.content().substring(0, 440));
        assertEquals("… [cut: 660 more characters not shown, line 41 to line 100; read the rest with read_file "
                + "{\"path\": \"src/A.java\", \"start_line\": 41, \"end_line\": 1040} and so on]",
                cut.content().substring(440));
    }

    @Test
    void aReadOfALineRangeCountsTheRestFromWhereItStarted() {
        ToolResult cut = new ToolOutputCut(445).apply(read("{\"path\":\"a\",\"start_line\":201}"),
                ToolResult.ok(HUNDRED_LINES));

        assertTrue(cut.content().contains("\"start_line\": 241"), cut.content());
    }

    @Test
    void oneHugeLineIsCutInTheMiddleAndOtherToolsAreToldToAskForLess() {
        String huge = "x".repeat(5_000);

        ToolResult cut = new ToolOutputCut(1_000).apply(new ToolCall("c", "run_command", "{}"), ToolResult.error(huge));

        assertTrue(cut.isError());
        assertEquals("x".repeat(1_000) + "\n… [cut: 4000 more characters not shown, the rest of line 1 to line 1; ask"
                + " for less: a line range of read_file, a narrower search, or a command with less output]",
                cut.content());
    }

    @Test
    void theLimitIsAMissionSetting(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("long.txt"), HUNDRED_LINES.repeat(10));
        List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan",
                        "{\"todos\":[{\"id\":\"t\",\"description\":\"read long.txt\"}]}"))
                .onTask(Agent.WORKER, "t#1", toolCall("read_file", "{\"path\":\"long.txt\"}"), text("read it"))
                .onRole(Agent.REVIEWER, noIssues())
                .build();

        MissionResult result = Mission.builder().goal("read").workspace(root).provider(provider).verifyWith("true")
                .maxToolOutputChars(1_100).listener((event, progress) -> events.add(event)).build().run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        String read = events.stream().filter(MissionEvent.ToolCallCompleted.class::isInstance)
                .map(e -> ((MissionEvent.ToolCallCompleted) e).result().content()).findFirst().orElseThrow();
        assertEquals(HUNDRED_LINES.substring(0, 1_100), read.substring(0, 1_100));
        assertTrue(read.substring(1_100).startsWith("… [cut: 9900 more characters not shown, line 101 to line 1000;"),
                read.substring(1_100));
    }
}
