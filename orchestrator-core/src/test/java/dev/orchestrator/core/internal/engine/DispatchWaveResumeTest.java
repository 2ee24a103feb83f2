package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.MissionResumed;
import dev.orchestrator.api.MissionEvent.TasksDispatched;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.core.internal.engine.MissionResumeTest.CrashingJournal;
import dev.orchestrator.core.internal.journal.EventCodec;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dispatch wave is one journal record: a mission cut off right after one resumes with the wave's tasks in flight,
 * read back from the file journal or from a snapshot taken after it, and so does a journal an older version wrote
 * with one dispatch event per task.
 */
class DispatchWaveResumeTest {

    private static final CheckpointCodec CODEC = new CheckpointCodec(new EventCodec());

    @TempDir
    Path root;

    private Path reference;
    private long crashFreeCalls;
    /** The crashed run's journal: every event up to and with the first dispatch wave. */
    private List<MissionEvent> crashed;

    private static MissionResult run(Path workspace, ScriptedProvider provider, Journal journal) {
        return Mission.builder().goal("three files").workspace(workspace).provider(provider)
                .verifyWith("grep -q B b.txt && test -f c.txt").journal(journal).build().run();
    }

    @BeforeEach
    void crashRightAfterTheFirstWave() throws IOException {
        reference = Files.createDirectory(root.resolve("reference"));
        ScriptedProvider crashFreeProvider = MissionResumeTest.provider();
        CrashingJournal crashFree = new CrashingJournal(Long.MAX_VALUE, List.of());
        assertEquals(Outcome.COMPLETED, run(reference, crashFreeProvider, crashFree).outcome());
        crashFreeCalls = crashFreeProvider.callCount();
        int wave = 0;
        while (!(crashFree.events.get(wave) instanceof TasksDispatched)) {
            wave++;
        }
        CrashingJournal first = new CrashingJournal(wave + 1, List.of());
        assertEquals(Outcome.FAILED, run(Files.createDirectory(root.resolve("crashed")), MissionResumeTest.provider(),
                first).outcome());
        crashed = List.copyOf(first.events);
        assertEquals(new TasksDispatched(List.of(new TasksDispatched.Dispatch("a", 1, "worker"),
                new TasksDispatched.Dispatch("b", 1, "worker")), crashed.getLast().at()), crashed.getLast(),
                "the plan's two independent todos go out as one record");
    }

    @Test
    void aJournalEndingInAWaveResumesWithTheWavesTasksInFlight() throws IOException {
        assertResumesWithAAndBInFlight(crashed, false);
    }

    @Test
    void aSnapshotTakenAfterAWaveResumesWithTheWavesTasksInFlight() throws IOException {
        assertResumesWithAAndBInFlight(crashed, true);
    }

    @Test
    void aJournalWithOneDispatchEventPerTaskStillResumes() throws IOException {
        List<MissionEvent> older = crashed.stream().<MissionEvent>flatMap(e -> e instanceof TasksDispatched wave
                ? wave.each().stream() : Stream.of(e)).toList();
        assertEquals(crashed.size() + 1, older.size());
        assertResumesWithAAndBInFlight(older, false);
    }

    /**
     * Writes {@code history} to a file journal (with a snapshot of all of it, if asked), resumes the mission on it
     * and checks that it took up a and b, made only the calls the journal lacks and did the work.
     */
    private void assertResumesWithAAndBInFlight(List<MissionEvent> history, boolean snapshot) throws IOException {
        Path workspace = Files.createDirectory(root.resolve("resumed"));
        Path dir = root.resolve("journal");
        ScriptedProvider provider = MissionResumeTest.provider();
        List<MissionEvent> after = new ArrayList<>();
        MissionResult resumed;
        try (FileJournal journal = FileJournal.open(dir)) {
            for (MissionEvent event : history) {
                journal.append(event).join();
            }
            if (snapshot) {
                journal.snapshot(history.size(), CODEC.encode(Checkpoint.EMPTY.applyAll(history)));
            }
        }
        try (FileJournal journal = FileJournal.open(dir)) { // a fresh open: the events are read back from disk
            resumed = run(workspace, provider, journal);
            journal.replay(after::add);
        }
        assertEquals(Outcome.COMPLETED, resumed.outcome(), resumed.reason());
        MissionResumed resume = after.stream().filter(MissionResumed.class::isInstance).map(MissionResumed.class::cast)
                .findFirst().orElseThrow();
        assertEquals(List.of("a", "b"), resume.tasksResumed());
        assertEquals(history.size(), resume.eventsReplayed());
        assertEquals(CrashHarness.files(reference), CrashHarness.files(workspace));
        assertEquals(crashFreeCalls - 2, provider.callCount(), "triage and plan answered from the journal");
        assertTrue(after.stream().anyMatch(TasksDispatched.class::isInstance), "c goes out in a wave of its own");
    }
}
