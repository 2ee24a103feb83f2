package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Message;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolPolicy;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.core.internal.tools.ConfinedWorkspace;
import dev.orchestrator.core.internal.tools.Redactor;
import dev.orchestrator.core.internal.tools.ToolIoFailure;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskToolBoxTest {

    @TempDir
    Path root;

    /** Fails with an I/O error on its first call, then works. */
    static class FlakyDisk implements Tool {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "save";
        }

        @Override
        public String description() {
            return "saves";
        }

        @Override
        public String inputSchema() {
            return "{\"type\":\"object\"}";
        }

        @Override
        public ToolResult execute(ToolArguments arguments, ToolContext context) {
            if (calls.incrementAndGet() == 1) {
                throw new ToolIoFailure("cannot write a.txt: No space left on device");
            }
            return ToolResult.ok("saved");
        }
    }

    private TaskToolBox box(InMemoryJournal journal, Tool tool, ToolPolicy policy, Redactor redactor) {
        List<MissionEvent> history = new ArrayList<>();
        journal.replay(history::add);
        EventRecorder recorder = new EventRecorder(journal, List.of(), InstantSource.system(), Checkpoint.EMPTY, "m");
        return new TaskToolBox(Map.of(tool.name(), tool), List.of(tool.spec()), recorder, new StopSignal(() -> { }),
                new RecordedCalls(history), new ConfinedWorkspace(root), "m",
                "worker", "t1", policy, redactor, new ToolOutputCut(60_000),
                EventRecorder.Durable.ALREADY);
    }

    private static List<MissionEvent> events(InMemoryJournal journal) {
        List<MissionEvent> events = new ArrayList<>();
        journal.replay(events::add);
        return events;
    }

    @Test
    void aCallThatFailedForAnIoReasonIsNotAnsweredFromTheJournalButTriedAgain() {
        InMemoryJournal journal = new InMemoryJournal();
        FlakyDisk disk = new FlakyDisk();

        Message.ToolResult first = box(journal, disk, ToolPolicy.ALLOW_ALL, Redactor.NONE)
                .call(new ToolCall("c1", "save", "{}"), 1, 0);
        assertTrue(first.isError());
        assertTrue(first.content().contains("No space left"), first.content());
        assertFalse(events(journal).stream().anyMatch(MissionEvent.ToolCallCompleted.class::isInstance));

        // the resumed mission's tool box runs the call again instead of replaying the failure
        Message.ToolResult again = box(journal, disk, ToolPolicy.ALLOW_ALL, Redactor.NONE)
                .call(new ToolCall("c1", "save", "{}"), 1, 0);
        assertEquals("saved", again.content());
        assertEquals(2, disk.calls.get());
    }

    @Test
    void aRefusedCallDoesNotRunAndTheRefusalIsAnEvent() {
        InMemoryJournal journal = new InMemoryJournal();
        FlakyDisk disk = new FlakyDisk();
        List<ToolPolicy.Request> seen = new ArrayList<>();
        ToolPolicy policy = call -> {
            seen.add(call);
            return ToolPolicy.Decision.refuse("saving is not allowed: report instead");
        };

        Message.ToolResult refused = box(journal, disk, policy, Redactor.NONE)
                .call(new ToolCall("c1", "save", "{\"x\":1}"), 1, 0);

        assertTrue(refused.isError());
        assertEquals("saving is not allowed: report instead", refused.content());
        assertEquals(0, disk.calls.get());
        assertEquals(List.of(new ToolPolicy.Request("worker", "t1", "save", "{\"x\":1}")), seen);
        assertTrue(events(journal).stream().anyMatch(e -> e instanceof MissionEvent.AgentNote note
                && note.role().equals("tool-policy") && note.text().contains("saving is not allowed")),
                events(journal)::toString);
    }

    @Test
    void secretsAreRedactedFromResultsAndArgumentsBeforeTheJournal() {
        InMemoryJournal journal = new InMemoryJournal();
        Tool echo = new FlakyDisk() {
            @Override
            public ToolResult execute(ToolArguments arguments, ToolContext context) {
                return ToolResult.ok("the key is sk-secret-123456");
            }
        };
        Redactor redactor = Redactor.of(Map.of(), List.of("sk-secret-123456"));

        Message.ToolResult result = box(journal, echo, ToolPolicy.ALLOW_ALL, redactor)
                .call(new ToolCall("c1", "save", "{\"k\":\"sk-secret-123456\"}"), 1, 0);

        assertEquals("the key is [redacted]", result.content());
        assertFalse(events(journal).toString().contains("sk-secret-123456"), events(journal).toString());
    }
}
