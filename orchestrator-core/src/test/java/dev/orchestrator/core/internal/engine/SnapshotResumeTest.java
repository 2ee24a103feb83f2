package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.core.internal.engine.MissionResumeTest.CrashingJournal;
import dev.orchestrator.core.internal.journal.EventCodec;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.api.Agent;
import dev.orchestrator.core.journal.SyncPolicy;
import dev.orchestrator.core.llm.ScriptedReplies;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missions resumed from engine snapshots: the state, the recorded calls and the journal's size. */
class SnapshotResumeTest {

    private static final CheckpointCodec CODEC = new CheckpointCodec(new EventCodec());

    @TempDir
    Path root;

    private MissionResult run(Path workspace, ScriptedProvider provider, Journal journal) {
        return Mission.builder().goal("three files").workspace(workspace).provider(provider)
                .verifyWith("grep -q B b.txt && test -f c.txt").journal(journal).build().run();
    }

    @Test
    void aMissionCutOffAnywhereResumesFromASnapshotAndRepeatsNoRecordedCall() throws IOException {
        Path reference = Files.createDirectory(root.resolve("reference"));
        ScriptedProvider crashFreeProvider = MissionResumeTest.provider();
        CrashingJournal crashFree = new CrashingJournal(Long.MAX_VALUE, List.of());
        assertEquals(Outcome.COMPLETED, run(reference, crashFreeProvider, crashFree).outcome());
        long crashFreeCalls = crashFreeProvider.callCount();

        for (int cut = 2; cut < crashFree.events.size(); cut++) {
            Path workspace = Files.createDirectory(root.resolve("cut-" + cut));
            CrashingJournal first = new CrashingJournal(cut, List.of());
            assertEquals(Outcome.FAILED, run(workspace, MissionResumeTest.provider(), first).outcome());

            // the crashed run's journal, with a snapshot where the engine could have taken one
            int at = cut % 2 == 0 ? cut : cut / 2;
            Path dir = root.resolve("journal-" + cut);
            ScriptedProvider secondProvider = MissionResumeTest.provider();
            MissionResult resumed;
            try (FileJournal journal = FileJournal.open(dir)) {
                for (MissionEvent event : first.events) {
                    journal.append(event).join();
                }
                journal.snapshot(at, CODEC.encode(Checkpoint.EMPTY.applyAll(first.events.subList(0, at))));
                resumed = run(workspace, secondProvider, journal);
            }
            assertEquals(Outcome.COMPLETED, resumed.outcome(), "cut " + cut + ": " + resumed.reason());
            assertEquals(CrashHarness.files(reference), CrashHarness.files(workspace), "cut " + cut);
            long recordedBeforeCrash = first.events.stream().filter(MissionEvent.LlmCallCompleted.class::isInstance)
                    .count();
            assertEquals(crashFreeCalls - recordedBeforeCrash, secondProvider.callCount(),
                    "cut " + cut + ", snapshot at " + at + ": the resumed run makes exactly the calls the journal "
                    + "lacks");
        }
    }

    @Test
    void theEngineSnapshotsAsItGoesAndAResumeStartsFromTheNewestSnapshot() throws IOException {
        Path workspace = Files.createDirectory(root.resolve("w"));
        Path dir = root.resolve("journal");
        MissionResult done;
        long snapshotSeq;
        try (FileJournal journal = FileJournal.builder(dir).snapshotEvery(5, Long.MAX_VALUE).open()) {
            done = run(workspace, MissionResumeTest.provider(), journal);
            snapshotSeq = journal.latestSnapshot().orElseThrow().seq();
            List<MissionEvent> after = new ArrayList<>();
            journal.replay(after::add);
            assertTrue(after.size() < 5 + 10, after.size() + " events after the newest snapshot");
            assertEquals(snapshotSeq,
                    CODEC.decode(journal.latestSnapshot().orElseThrow().state()).events());
        }
        assertEquals(Outcome.COMPLETED, done.outcome(), done.reason());
        assertTrue(snapshotSeq >= 20, "snapshots were taken along the way, the newest at " + snapshotSeq);

        ScriptedProvider again = MissionResumeTest.provider();
        try (FileJournal journal = FileJournal.open(dir)) {
            MissionResult resumed = run(workspace, again, journal);
            assertEquals(done.todos(), resumed.todos());
            assertEquals(done.usage(), resumed.usage());
            assertEquals(done.iterations(), resumed.iterations());
        }
        assertEquals(0, again.callCount());
    }

    @Test
    void theInMemoryJournalKeepsOnlyTheEventsAfterItsNewestSnapshot() {
        InMemoryJournal journal = new InMemoryJournal(10);
        EventRecorder recorder = new EventRecorder(journal, List.of(), InstantSource.system(), Checkpoint.EMPTY, "m");
        recorder.record(new MissionEvent.MissionStarted("m", "g", "/w", "true", "", Instant.EPOCH));
        for (int i = 0; i < 95; i++) {
            recorder.record(new MissionEvent.MemoryNoted("note " + i, Instant.EPOCH));
        }
        List<MissionEvent> kept = new ArrayList<>();
        journal.replay(kept::add);
        assertTrue(kept.size() < 10, kept.size() + " events kept");
        SnapshotStore.Stored newest = journal.newest().orElseThrow();
        assertEquals(96 - kept.size(), newest.seq());
        Checkpoint resumed = newest.checkpoint().applyAll(kept);
        assertEquals(recorder.checkpoint(), resumed);
        recorder.close();
    }

    @Test
    void aLongMissionsJournalStaysWithinTheSnapshotIntervalOnDisk() throws IOException {
        long segmentSize = 64 * 1024;
        long intervalBytes = 16 * 1024;
        List<ScriptedReplies.PlannedTodo> todos = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            todos.add(ScriptedReplies.todo("t" + i, "read a.txt"));
        }
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", ScriptedReplies.brief("Many small todos."))
                .onTask(Agent.PLANNER, "plan", ScriptedReplies.plan(todos.toArray(ScriptedReplies.PlannedTodo[]::new)))
                .onRole(Agent.WORKER, request -> (ScriptedProvider.turnOf(request) == 0
                        ? ScriptedReplies.readFile("a.txt") : ScriptedReplies.text("read it")).apply(request))
                .onRole(Agent.REVIEWER, Scripts.noIssues())
                .build();
        Path workspace = Files.createDirectory(root.resolve("w"));
        Files.writeString(workspace.resolve("a.txt"), "a\n".repeat(100));
        Path dir = root.resolve("journal");
        long[] most = new long[2]; // bytes of segments and snapshots, the largest snapshot
        Set<String> segmentsSeen = ConcurrentHashMap.newKeySet();
        MissionResult done;
        try (FileJournal journal = FileJournal.builder(dir).segmentSize(segmentSize).maxRecordSize(32 * 1024)
                .syncPolicy(SyncPolicy.none())
                .snapshotEvery(Long.MAX_VALUE, intervalBytes).open()) {
            done = Mission.builder().goal("many reads").workspace(workspace).provider(provider).verifyWith("true")
                    .maxParallelWorkers(4).journal(journal).listener((event, progress) -> {
                        synchronized (most) {
                            long total = 0;
                            for (File file : dir.toFile().listFiles()) {
                                if (file.getName().endsWith(".wal")) {
                                    segmentsSeen.add(file.getName());
                                    total += file.length();
                                } else if (file.getName().endsWith(".snap")) {
                                    total += file.length();
                                    most[1] = Math.max(most[1], file.length());
                                }
                            }
                            most[0] = Math.max(most[0], total);
                        }
                    }).build().run();
        }
        assertEquals(Outcome.COMPLETED, done.outcome(), done.reason());
        assertTrue(segmentsSeen.size() >= 8, segmentsSeen.size() + " segments written over the mission");
        // What the design guarantees, however slowly a loaded machine writes snapshots: the journal holds the
        // events after its newest durable snapshot, and whoever records an event an interval past the snapshot being
        // written waits for it (EventRecorder), so those are at most two intervals and one event per recording
        // thread (4 Workers and the Commander here, a few hundred bytes each): less than a segment, so they lie in
        // at most two segments, the one holding the snapshot's next record and the one being written. And a new
        // snapshot is written before the old one goes. Before that wait, the Workers outran the snapshots at a load
        // average of 20 and a third segment appeared (292,966 bytes).
        long bound = 2 * segmentSize + intervalBytes + 2 * most[1] + 4 * 1024;
        assertTrue(most[0] <= bound, "at most " + most[0] + " bytes on disk, bound " + bound);
    }
}
