package dev.orchestrator.journal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file journal's resume at the mission level, as a contract every durable journal keeps: a mission cut off
 * after any event resumes to the crash-free result and pays for no recorded call again, a finished one returns its
 * result without a call, the engine's snapshots shorten a resume, and a journal of another goal is refused. One
 * subclass per journal runs it.
 */
abstract class MissionResumeContract {

    @TempDir
    Path root;

    /** Opens the journal called {@code name}: empty the first time, the same journal on every later call. */
    abstract Journal open(String name);

    /** Opens the journal called {@code name} with an engine snapshot due every {@code events} events. */
    abstract Journal openSnapshottingEvery(String name, int events);

    /** The sequence number of the newest snapshot in {@code journal}, if it has one. */
    abstract Optional<Long> newestSnapshot(Journal journal);

    /** Passes the first {@code capacity} appends to the journal and fails the rest, as a process killed then. */
    static final class CutJournal implements Journal {
        private final Journal journal;
        private final AtomicLong left;

        CutJournal(Journal journal, long capacity) {
            this.journal = journal;
            this.left = new AtomicLong(capacity);
        }

        @Override
        public CompletableFuture<Long> append(MissionEvent event) {
            return left.getAndDecrement() > 0 ? journal.append(event)
                    : CompletableFuture.failedFuture(new IOException("simulated crash"));
        }

        @Override
        public void replay(Consumer<? super MissionEvent> sink) {
            journal.replay(sink);
        }

        @Override
        public void close() {
            journal.close();
        }
    }

    private static List<MissionEvent> events(Journal journal) {
        List<MissionEvent> events = new ArrayList<>();
        journal.replay(events::add);
        return events;
    }

    private static long calls(List<MissionEvent> events) {
        return events.stream().filter(MissionEvent.LlmCallCompleted.class::isInstance).count();
    }

    @Test
    void aMissionCutOffAfterAnyEventResumesAndRepeatsNoRecordedCall() throws IOException {
        Path reference = Files.createDirectory(root.resolve("reference"));
        ScriptedProvider crashFreeProvider = Team.threeFiles();
        int totalEvents;
        try (Journal crashFree = open("reference")) {
            assertEquals(Outcome.COMPLETED, Team.runThreeFiles(reference, crashFreeProvider, crashFree).outcome());
            totalEvents = events(crashFree).size();
        }
        long crashFreeCalls = crashFreeProvider.callCount();

        for (int cut = 1; cut < totalEvents; cut++) {
            Path workspace = Files.createDirectory(root.resolve("cut-" + cut));
            MissionResult crashed;
            long recordedBeforeCrash;
            try (Journal first = new CutJournal(open("cut-" + cut), cut)) {
                crashed = Team.runThreeFiles(workspace, Team.threeFiles(), first);
            }
            assertEquals(Outcome.FAILED, crashed.outcome(), "cut " + cut);
            assertTrue(crashed.reason().contains("simulated crash"), crashed.reason());

            ScriptedProvider secondProvider = Team.threeFiles();
            MissionResult resumed;
            List<MissionEvent> all;
            try (Journal second = open("cut-" + cut)) {
                List<MissionEvent> before = events(second);
                assertEquals(cut, before.size(), "cut " + cut + ": the journal holds what was appended");
                recordedBeforeCrash = calls(before);
                resumed = Team.runThreeFiles(workspace, secondProvider, second);
                all = events(second);
            }
            assertEquals(Outcome.COMPLETED, resumed.outcome(), "cut " + cut + ": " + resumed.reason());
            assertEquals(Team.files(reference), Team.files(workspace), "cut " + cut);
            assertEquals(crashFreeCalls - recordedBeforeCrash, secondProvider.callCount(),
                    "cut " + cut + ": the resumed run must make exactly the calls the journal lacks");
            assertTrue(all.get(cut) instanceof MissionEvent.MissionResumed, "cut " + cut);
            assertEquals(crashed.missionId(), resumed.missionId());
            assertEquals(crashFreeCalls, calls(all), "cut " + cut + ": every call is recorded exactly once");
        }
    }

    @Test
    void resumingAFinishedMissionReturnsItsResultWithoutAnyCall() throws IOException {
        Path workspace = Files.createDirectory(root.resolve("w"));
        MissionResult first;
        int events;
        try (Journal journal = open("finished")) {
            first = Team.runThreeFiles(workspace, Team.threeFiles(), journal);
            events = events(journal).size();
        }
        ScriptedProvider again = Team.threeFiles();
        try (Journal journal = open("finished")) {
            MissionResult second = Team.runThreeFiles(workspace, again, journal);
            assertEquals(first.outcome(), second.outcome());
            assertEquals(first.todos(), second.todos());
            assertEquals(first.usage(), second.usage());
            assertEquals(events, events(journal).size());
        }
        assertEquals(0, again.callCount());
    }

    @Test
    void theEngineSnapshotsAsItGoesAndAResumeStartsFromTheNewestSnapshot() throws IOException {
        Path workspace = Files.createDirectory(root.resolve("w"));
        MissionResult done;
        long snapshotSeq;
        try (Journal journal = openSnapshottingEvery("snapshots", 5)) {
            done = Team.runThreeFiles(workspace, Team.threeFiles(), journal);
            snapshotSeq = newestSnapshot(journal).orElseThrow();
            int after = events(journal).size();
            assertTrue(after < 5 + 10, after + " events after the newest snapshot");
        }
        assertEquals(Outcome.COMPLETED, done.outcome(), done.reason());
        assertTrue(snapshotSeq >= 20, "snapshots were taken along the way, the newest at " + snapshotSeq);

        ScriptedProvider again = Team.threeFiles();
        try (Journal journal = openSnapshottingEvery("snapshots", 5)) {
            MissionResult resumed = Team.runThreeFiles(workspace, again, journal);
            assertEquals(done.todos(), resumed.todos());
            assertEquals(done.usage(), resumed.usage());
            assertEquals(done.iterations(), resumed.iterations());
        }
        assertEquals(0, again.callCount());
    }

    @Test
    void aJournalOfAnotherGoalIsRefused() throws IOException {
        Path workspace = Files.createDirectory(root.resolve("w"));
        try (Journal journal = open("goal")) {
            Team.runThreeFiles(workspace, Team.threeFiles(), journal);
        }
        try (Journal journal = open("goal")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Mission.builder()
                    .goal("another goal").workspace(workspace).provider(Team.threeFiles()).verifyWith("true")
                    .journal(journal).build().run());
            assertTrue(refused.getMessage().contains("with the goal 'three files'"), refused.getMessage());
        }
    }
}
