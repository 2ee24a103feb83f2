package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentSession;
import dev.orchestrator.api.CommandSandbox;
import dev.orchestrator.api.LlmGateway;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.ProjectMemory;
import dev.orchestrator.api.ToolBox;
import dev.orchestrator.api.Workspace;
import dev.orchestrator.api.spi.MissionEngine;
import dev.orchestrator.api.spi.MissionSettings;
import dev.orchestrator.core.internal.json.JacksonAnnotationsCheck;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/** The engine {@code orchestrator-core} provides to {@link dev.orchestrator.api.Mission}, via the ServiceLoader. */
public final class DefaultMissionEngine implements MissionEngine {

    /** Used by the ServiceLoader. */
    public DefaultMissionEngine() {
    }

    @Override
    public MissionHandle start(MissionSettings settings) {
        JacksonAnnotationsCheck.require();
        // before anything is journaled: a mission that cannot verify its work would only spend calls
        VerifyProgram.require(settings.verifyCommand(), settings.workspace(), CommandSandbox.childEnvironment(
                System.getenv(), settings.sandbox().environment()).getOrDefault("PATH", ""));
        CompletableFuture<MissionResult> result = new CompletableFuture<>();
        AtomicReference<Thread> commander = new AtomicReference<>();
        StopSignal stop = new StopSignal(() -> {
            Thread thread = commander.get();
            if (thread != null && thread != Thread.currentThread()) {
                thread.interrupt();
            }
        });
        MissionServices services = new MissionServices(settings, stop);
        if (MissionRun.completed(services.recorder().state())) {
            // its result is all a completed mission's run gives: no thread for that (in a fresh JVM, the first
            // virtual thread costs several milliseconds)
            runAndClose(settings, services, result);
        } else {
            Thread thread = settings.threadFactory().newThread(() -> runAndClose(settings, services, result));
            commander.set(thread);
            thread.start();
        }
        return new FutureMissionHandle(services.missionId(), result,
                () -> stop.trigger(Outcome.CANCELLED, "cancelled by the caller"));
    }

    /** Runs the mission, closes its services, then completes {@code result}. */
    private static void runAndClose(MissionSettings settings, MissionServices services,
            CompletableFuture<MissionResult> result) {
        MissionResult outcome = null;
        Throwable failure = null;
        try {
            outcome = new MissionRun(settings, services).run();
        } catch (Throwable t) {
            failure = t;
        }
        // close before completing: whoever awaits the result may open the same journal at once
        try {
            services.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure == null) {
            result.complete(outcome);
        } else {
            result.completeExceptionally(failure);
        }
    }

    @Override
    public AgentSession openContext(MissionSettings settings, String role, String taskId) {
        JacksonAnnotationsCheck.require();
        // no loop to wake: a stop (budget, deadline) is seen by the session's next call
        MissionServices services = new MissionServices(settings, new StopSignal(() -> { }));
        return new Session(services.contextFor(role, taskId), services);
    }

    /** One task's context and the services it runs on, which closing it closes. */
    private record Session(AgentContext context, MissionServices services) implements AgentSession {

        @Override
        public String missionId() {
            return context.missionId();
        }

        @Override
        public LlmGateway llm() {
            return context.llm();
        }

        @Override
        public ToolBox tools() {
            return context.tools();
        }

        @Override
        public Workspace workspace() {
            return context.workspace();
        }

        @Override
        public ProjectMemory memory() {
            return context.memory();
        }

        @Override
        public void emit(String note) {
            context.emit(note);
        }

        @Override
        public void close() {
            services.close();
        }
    }
}
