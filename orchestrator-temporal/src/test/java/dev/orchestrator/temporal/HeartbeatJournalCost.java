package dev.orchestrator.temporal;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.temporal.internal.HeartbeatJournal;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one record of an activity's heartbeat journal costs, on the SDK's in-process service: an activity appends
 * {@code records} events of about 1 KB and reports the mean time per append. Not a test (nothing is asserted): run
 * {@code java -cp <test classpath> dev.orchestrator.temporal.HeartbeatJournalCost 100 1000}.
 */
public final class HeartbeatJournalCost {

    /** The activity that appends. */
    @ActivityInterface
    public interface Appender {
        /** {@return mean nanoseconds per append of {@code records} records} */
        long append(int records);
    }

    /** Runs the activity once. */
    @WorkflowInterface
    public interface Run {
        /** {@return what the activity measured} */
        @WorkflowMethod
        long run(int records);
    }

    /** The workflow. */
    public static final class RunImpl implements Run {
        @Override
        public long run(int records) {
            return Workflow.newActivityStub(Appender.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(10)).setHeartbeatTimeout(Duration.ofSeconds(30))
                    .build()).append(records);
        }
    }

    /** The activity's body. */
    public static final class AppenderImpl implements Appender {
        @Override
        public long append(int records) {
            var context = Activity.getExecutionContext();
            HeartbeatJournal journal = new HeartbeatJournal(List.of(), context::heartbeat);
            String text = "x".repeat(1_000);
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                journal.append(new MissionEvent.AgentNote("worker", "t1#1", text + i, Instant.EPOCH)).join();
            }
            return (System.nanoTime() - start) / records;
        }
    }

    private HeartbeatJournalCost() {
    }

    /** @param args the record counts to measure */
    public static void main(String[] args) {
        try (TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
            Worker worker = temporal.newWorker("cost");
            worker.registerWorkflowImplementationTypes(RunImpl.class);
            worker.registerActivitiesImplementations(new AppenderImpl());
            temporal.start();
            for (String arg : args) {
                int records = Integer.parseInt(arg);
                for (int repeat = 0; repeat < 3; repeat++) {
                    long nanos = temporal.getWorkflowClient().newWorkflowStub(Run.class,
                            io.temporal.client.WorkflowOptions.newBuilder().setTaskQueue("cost").build())
                            .run(records);
                    System.out.printf("%d records of ~1 KB: %.1f us per append%n", records, nanos / 1_000.0);
                }
            }
        }
    }
}
