package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link MissionHandle} over the future of the mission's result, wherever the mission runs: on this JVM's
 * threads, or as a workflow elsewhere.
 *
 * @param missionId the mission's id
 * @param result completes with the result, or with what broke the mission
 * @param onCancel asks the mission to stop as cancelled
 */
public record FutureMissionHandle(String missionId, CompletableFuture<MissionResult> result, Runnable onCancel)
        implements MissionHandle {

    @Override
    public MissionResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("mission " + missionId + " broke: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public Optional<MissionResult> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("mission " + missionId + " broke: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void cancel() {
        onCancel.run();
    }

    @Override
    public boolean isDone() {
        return result.isDone();
    }
}
