package dev.orchestrator.benchmarks;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The fan-out through this SDK: a mission whose plan has one todo per Worker, all of them dispatched at once, each
 * built-in Worker making one scripted call that waits in the simulated call and answers with text.
 */
final class OrchestratorFanOut implements FanOut {

    private final Path workspace;
    private final Optional<Supplier<Journal>> journals;
    private final String name;

    /** Missions run in {@code workspace}, on the default in-memory journal; the Workers write nothing there. */
    OrchestratorFanOut(Path workspace) {
        this.workspace = workspace;
        this.journals = Optional.empty();
        this.name = "Orchestrator";
    }

    /** Missions run in {@code workspace}, each on a new journal from {@code journals}, closed after the run. */
    OrchestratorFanOut(Path workspace, String name, Supplier<Journal> journals) {
        this.workspace = workspace;
        this.journals = Optional.of(journals);
        this.name = name;
    }

    @Override
    public String framework() {
        return name;
    }

    @Override
    public Run prepare(int workers, SimulatedCall call) {
        ScriptedProvider provider = ScriptedTeam.script(workers, request -> {
            call.await();
            return ScriptedProvider.text("done").apply(request);
        }).build();
        DispatchWindow window = new DispatchWindow(workers);
        Optional<Journal> journal = journals.map(Supplier::get);
        Mission.Builder mission = Mission.builder()
                .goal("Answer " + workers + " calls at once")
                .workspace(workspace)
                .provider(provider)
                .verifyWith("true")
                .maxParallelWorkers(workers)
                .listener(window);
        journal.ifPresent(mission::journal);
        Mission built = mission.build();
        return () -> {
            long start = System.nanoTime();
            MissionResult result;
            try {
                result = built.run();
            } finally {
                journal.ifPresent(Journal::close);
            }
            Duration whole = Duration.ofNanos(System.nanoTime() - start);
            if (!result.isCompleted()) {
                throw new IllegalStateException("the mission did not complete: " + result.outcome() + ", "
                        + result.reason());
            }
            long workerCalls = provider.callCount() - 3; // triage, plan, review
            if (workerCalls != workers) {
                throw new IllegalStateException("expected " + workers + " " + Agent.WORKER + " calls, saw "
                        + workerCalls);
            }
            return window.timing(whole);
        };
    }
}
