package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.internal.engine.Scripts.writeFile;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ModelPrices;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissionReplayTest {

    @TempDir
    Path workspace;

    @Test
    void foldingTheJournalRebuildsTheLiveStateEventByEvent() {
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", """
                        {"todos":[{"id":"a","description":"write a"},{"id":"b","description":"write b",
                        "depends_on":["a"]},{"id":"c","description":"write c"}]}"""))
                .onTask(Agent.WORKER, "a#1", toolCall("write_file", writeFile("a.txt", "A")), text("a"))
                .onTask(Agent.WORKER, "b#1", text("could not"))
                .onTask(Agent.WORKER, "c#1", toolCall("write_file", writeFile("c.txt", "C")), text("c"))
                .onTask(Agent.REVIEWER, "review-1", noIssues())
                .build();
        InMemoryJournal journal = new InMemoryJournal();
        List<MissionProgress> delivered = Collections.synchronizedList(new ArrayList<>());

        MissionResult result = Mission.builder().goal("three files").workspace(workspace).provider(provider)
                .verifyWith("test -f a.txt").journal(journal).listener((event, progress) -> delivered.add(progress))
                .build().run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        List<MissionProgress> replayed = new ArrayList<>();
        MissionState[] state = {MissionState.EMPTY};
        // the usage per role is the checkpoint's, folded beside the state
        Checkpoint[] checkpoint = {Checkpoint.EMPTY};
        journal.replay(event -> {
            state[0] = state[0].apply(event);
            checkpoint[0] = checkpoint[0].apply(event);
            // listeners hear a dispatch wave as one event per task, each with the progress after the wave
            int heard = event instanceof MissionEvent.TasksDispatched wave ? wave.tasks().size() : 1;
            replayed.addAll(Collections.nCopies(heard,
                    state[0].progress(checkpoint[0].usage().byRole(ModelPrices.defaults()))));
        });
        assertEquals(delivered, replayed);
        assertEquals(result.todos(), state[0].todoList());
        assertEquals(result.usage(), state[0].usage());
        assertEquals(result.openIssues(), state[0].openIssues());
        assertEquals(result.iterations(), state[0].iteration());
        assertEquals(result.outcome(), state[0].finished().orElseThrow().outcome());

        // and folding the same events twice gives equal states: the fold is pure
        MissionState[] again = {MissionState.EMPTY};
        journal.replay(event -> again[0] = again[0].apply(event));
        assertEquals(state[0], again[0]);
    }
}
