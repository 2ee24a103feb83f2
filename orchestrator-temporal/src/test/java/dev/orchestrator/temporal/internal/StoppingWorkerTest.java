package dev.orchestrator.temporal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.temporal.MissionWorkerOptions;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that stops may still be handed a task (a poll under way returns one after the stop): the task must
 * leave before it opens the workspace or makes a call, since a call answered then could be lost with the worker and
 * paid again elsewhere.
 */
class StoppingWorkerTest {

    @TempDir
    Path workspace;

    private final TestActivityEnvironment temporal = TestActivityEnvironment.newInstance();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() {
        temporal.close();
        heartbeats.shutdownNow();
    }

    @Test
    void aTaskTakenAsItsWorkerStopsLeavesBeforeAnyWorkWithAFailureWorthARetryElsewhere() {
        AtomicInteger opened = new AtomicInteger();
        ScriptedProvider provider = ScriptedProvider.builder().build();
        MissionWorkerOptions options = MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(provider))
                .workspaces((missionId, at) -> {
                    opened.incrementAndGet();
                    return workspace;
                }).build();
        temporal.registerActivitiesImplementations(new TaskActivitiesImpl(options, heartbeats, () -> true,
                taskProvider -> { }));
        TaskActivities tasks = temporal.newActivityStub(TaskActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
        MissionSpec mission = new MissionSpec("m", "a goal", "true", 60_000, 4, 3, 10, 3, 0, List.of("worker"),
                MissionWorkerOptions.DEFAULT_TASK_QUEUE, 2_000, 2_000, MissionSpec.Terms.NONE, null);

        ActivityFailure failure = assertThrows(ActivityFailure.class,
                () -> tasks.verify(TaskOrder.of(mission, "reviewer", null, 0, null, List.of())));

        ApplicationFailure cause = (ApplicationFailure) failure.getCause();
        assertEquals("WorkerStopped", cause.getType(), cause.getOriginalMessage());
        assertFalse(cause.isNonRetryable(), "another worker takes the task up");
        assertEquals(0, opened.get(), "the workspace was not opened");
        assertEquals(0, provider.callCount(), "no call was made");
    }
}
