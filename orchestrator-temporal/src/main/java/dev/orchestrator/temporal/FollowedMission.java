package dev.orchestrator.temporal;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.internal.engine.FutureMissionHandle;
import dev.orchestrator.core.internal.engine.MissionSteps;
import dev.orchestrator.temporal.internal.MissionSpec;
import dev.orchestrator.temporal.internal.MissionWorkflow;
import dev.orchestrator.temporal.internal.MissionWorkflow.MissionEnd;
import dev.orchestrator.temporal.internal.Wire;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A mission running as a workflow, seen from the client: a thread of its own reads the workflow's new events (a
 * query, every {@code followEvery} until the workflow ends), folds them as the workflow does and hands them to the
 * listeners in order; the result is the fold's once the last event is in.
 */
final class FollowedMission {

    private static final System.Logger LOG = System.getLogger(FollowedMission.class.getName());
    private static final int REASK_EVERY = 20;

    private final String missionId;
    private final String workflowId;
    private final MissionWorkflow workflow;
    private final WorkflowClient client;
    private CompletableFuture<MissionEnd> end;
    private int waits;
    private final CompletableFuture<MissionResult> result = new CompletableFuture<>();
    private final MissionSteps steps;
    private final List<MissionListener> listeners;
    private final Duration followEvery;
    private final Map<String, String> context;
    private final Optional<Path> memoryFile;

    FollowedMission(WorkflowClient client, MissionSpec spec, List<MissionListener> listeners,
            Optional<Path> memoryFile, Duration followEvery) {
        this.missionId = spec.missionId();
        this.client = client;
        this.workflowId = TemporalMissions.workflowId(spec.missionId());
        this.context = spec.terms().context();
        this.memoryFile = memoryFile;
        this.workflow = client.newWorkflowStub(MissionWorkflow.class, workflowId);
        this.end = client.newUntypedWorkflowStub(workflowId).getResultAsync(MissionEnd.class);
        this.steps = new MissionSteps(spec.goal(), spec.verifyCommand(), spec.maxIterations(), spec.maxAttempts(),
                Set.copyOf(spec.roles()));
        this.listeners = List.copyOf(listeners);
        this.followEvery = followEvery;
        Thread.ofVirtual().name("mission-" + missionId + "-follower").start(this::follow);
    }

    private void follow() {
        try {
            MissionListener.RunStarted run = new MissionListener.RunStarted(missionId, 0, text -> text, context);
            listeners.forEach(listener -> listener.onRunStarted(run));
            int seen = 0;
            int misses = 0;
            while (true) {
                boolean ended = waitForEnd();
                try {
                    List<String> fresh = eventsFrom(seen);
                    seen += fresh.size();
                    fresh.forEach(json -> deliver(Wire.event(json)));
                    misses = 0;
                } catch (WorkflowException e) {
                    // a query goes to a worker that has the workflow; while one takes over from a lost one it
                    // may go unanswered: the events wait for the next round, the result does not need them
                    if (ended && ++misses >= 3) {
                        LOG.log(Level.WARNING, "the listeners of mission " + missionId + " saw " + seen
                                + " of its events: the workflow did not answer for the rest", e);
                        seen = end.join().events();
                    }
                }
                if (ended && seen >= end.join().events()) {
                    // the memory file is the client's, as the embedded engine's is its machine's
                    memoryFile.ifPresent(steps::saveMemory);
                    result.complete(Wire.result(end.join().result()));
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            // whatever ends the follower ends the handle's wait with it, rather than leave it waiting for ever
            result.completeExceptionally(e);
        }
    }

    /**
     * The mission's events from {@code from} on. A run that continued an earlier one holds only its own: the events
     * before it that the listeners have not seen are asked of the earlier runs, each of which a worker answers from
     * its history.
     */
    private List<String> eventsFrom(int from) {
        MissionWorkflow.EventPage page = workflow.events(from);
        return withEarlier(page, from);
    }

    private List<String> withEarlier(MissionWorkflow.EventPage page, int from) {
        if (page.first() <= from || page.previousRun() == null) {
            return page.events();
        }
        MissionWorkflow.EventPage earlier = client.newUntypedWorkflowStub(workflowId, Optional.of(page.previousRun()),
                Optional.empty()).query("events", MissionWorkflow.EventPage.class, from);
        List<String> events = new ArrayList<>(withEarlier(earlier, from));
        events.addAll(page.events());
        return events;
    }

    /**
     * Waits for the workflow's end, at most {@code followEvery}; {@return whether it has ended}. The wait for the
     * result is asked again now and then: on the in-process test service, one asked before the mission continued as
     * new runs was seen to miss the last run's end (when the module's tests ran together, never a test alone).
     */
    private boolean waitForEnd() {
        if (++waits % REASK_EVERY == 0 && !end.isDone()) {
            end.cancel(false);
            end = client.newUntypedWorkflowStub(workflowId).getResultAsync(MissionEnd.class);
        }
        try {
            end.get(followEvery.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while following mission " + missionId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the workflow of mission " + missionId + " failed: " + e.getCause(),
                    e.getCause());
        }
    }

    private void deliver(MissionEvent event) {
        steps.apply(event);
        for (MissionListener listener : listeners) {
            try {
                listener.onEvent(event, steps.progress());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "listener " + listener + " failed on " + event.getClass().getSimpleName()
                        + "; the mission goes on", e);
            }
        }
    }

    /** {@return the handle: the result once the last event is in, and cancel} */
    MissionHandle handle() {
        return new FutureMissionHandle(missionId, result, () -> workflow.cancel("cancelled by the caller"));
    }
}
