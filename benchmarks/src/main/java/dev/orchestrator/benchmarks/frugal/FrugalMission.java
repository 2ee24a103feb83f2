package dev.orchestrator.benchmarks.frugal;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.ResponseCache;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.core.llm.ScriptedReplies;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One way of running the standard simulated mission, crash and resume included: the mission runs on a file journal
 * until the journal stops after {@link Scale#crashAfterCalls()} model calls (the crash), then a new mission runs on
 * the same journal (ours: it resumes) or on a new one (the seed: its calls start again from scratch).
 */
final class FrugalMission {

    static final String GOAL = "Add the Todo classes the plan lists and keep the build green.";

    /** The way a mission is run. */
    enum Way {
        /**
         * The seed's design on this engine: a Commander that polls with model turns, reads that always send the
         * text, no prompt-cache breakpoints, and a resume that makes every call again.
         */
        SEED,
        /** This engine as it is: the loop in code, "unchanged" reads, background waits, the layout, the journal. */
        OURS
    }

    /**
     * The mission's size.
     *
     * @param todos todos in the plan
     * @param workers Workers at once
     * @param buildSeconds how long the build prints
     * @param pollInterval the seed Commander's interval between checks
     * @param crashAfterCalls the journal stops after recording this many model calls
     */
    record Scale(int todos, int workers, int buildSeconds, Duration pollInterval, int crashAfterCalls) {
        /** The issue's mission: 20 todos, 10 Workers, a 2 s poll, the crash after 100 of about 190 calls. */
        static Scale standard(int buildSeconds) {
            return new Scale(20, 10, buildSeconds, Duration.ofSeconds(2), 100);
        }
    }

    /**
     * What one way cost.
     *
     * @param repeatedAfterResume calls the resumed run made whose answer the crashed run had journaled
     * @param workspace a digest of the final workspace
     */
    record Figures(Way way, PromptCacheMeter.Tally tally, long repeatedAfterResume, Duration wall, String workspace,
            MissionResult.Outcome outcome, String openAiBreakdown) {
    }

    private FrugalMission() {
    }

    /** Runs the mission {@code way} in {@code root}, which holds its workspace and journals. */
    static Figures run(Way way, Scale scale, Path root) throws IOException, InterruptedException {
        boolean ours = way == Way.OURS;
        Path workspace = root.resolve("workspace");
        FrugalScript.createWorkspace(workspace);
        PromptCacheMeter meter = new PromptCacheMeter(ScriptedProvider.builder()
                .on(request -> request.metadata(ChatRequest.TASK).filter(SeedCommander.TASK::equals).isPresent(),
                        SeedCommander::reply)
                .onRole(Agent.WORKER, FrugalScript.worker(ours, scale.buildSeconds()))
                .onRole(Agent.COMMANDER, ScriptedReplies.brief("Each todo adds one class; todo-1 "
                        + "also runs the build, which takes a while."))
                .onRole(Agent.PLANNER, ScriptedReplies.plan(FrugalScript.plan(scale.todos())))
                .onRole(Agent.REVIEWER, ScriptedReplies.issues())
                .build(), new PromptCaches(System::nanoTime), ours);
        long start = System.nanoTime();
        CrashingJournal crashing = new CrashingJournal(FileJournal.open(root.resolve("journal")),
                scale.crashAfterCalls());
        try (crashing) {
            run(ours, scale, workspace, meter, crashing);
        }
        int resumedAt = meter.callKeys().size();
        MissionResult result;
        try (FileJournal journal = FileJournal.open(root.resolve(ours ? "journal" : "journal-from-scratch"))) {
            result = run(ours, scale, workspace, meter, journal);
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        Set<String> recorded = crashing.recordedCalls();
        List<String> after = meter.callKeys();
        long repeated = after.subList(resumedAt, after.size()).stream().filter(recorded::contains).count();
        return new Figures(way, meter.tally(), repeated, wall, FrugalScript.digest(workspace), result.outcome(),
                meter.openAiBreakdown());
    }

    private static MissionResult run(boolean ours, Scale scale, Path workspace, PromptCacheMeter meter,
            Journal journal) throws InterruptedException {
        Optional<SeedCommander> seedCommander = ours ? Optional.empty()
                : Optional.of(new SeedCommander(meter, scale.pollInterval(), GOAL));
        Mission.Builder mission = Mission.builder().goal(GOAL).workspace(workspace).provider(meter)
                .verifyWith("test -e out.txt").maxParallelWorkers(scale.workers()).maxWorkerTurns(50)
                .journal(journal);
        seedCommander.ifPresent(mission::listener);
        if (ours) {
            mission.responseCache(ResponseCache.DEFAULT);
        }
        try {
            return mission.build().run();
        } finally {
            if (seedCommander.isPresent()) {
                seedCommander.get().stop();
            }
        }
    }
}
