package dev.orchestrator.temporal;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.journal.postgres.MissionPool;
import dev.orchestrator.temporal.internal.HeartbeatJournal;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one record of an activity's journal costs, in its heartbeat details and in the PostgreSQL journal, in one
 * run on the SDK's in-process service: an activity appends {@code records} events of about 1 KB to one or the other
 * and reports the mean time per append. The database is embedded PostgreSQL made durable ({@code fsync},
 * {@code synchronous_commit} and {@code full_page_writes} on), so that an append's future completes after its
 * commit. Not a test (nothing is asserted): run
 * {@code java -cp <test classpath> dev.orchestrator.temporal.HeartbeatJournalCost 100 1000}.
 */
public final class HeartbeatJournalCost {

    /** The activity that appends. */
    @ActivityInterface
    public interface Appender {
        /** {@return mean nanoseconds per append of {@code records} records to the heartbeat or postgres journal} */
        long append(int records, boolean postgres);
    }

    /** Runs the activity once. */
    @WorkflowInterface
    public interface Run {
        /** {@return what the activity measured} */
        @WorkflowMethod
        long run(int records, boolean postgres);
    }

    /** The workflow. */
    public static final class RunImpl implements Run {
        @Override
        public long run(int records, boolean postgres) {
            return Workflow.newActivityStub(Appender.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(10)).setHeartbeatTimeout(Duration.ofSeconds(30))
                    .build()).append(records, postgres);
        }
    }

    /** The activity's body: each run on a journal of its own (a task of its own). */
    public static final class AppenderImpl implements Appender {

        private final MissionPool pool;
        private final AtomicInteger runs = new AtomicInteger();

        AppenderImpl(MissionPool pool) {
            this.pool = pool;
        }

        @Override
        public long append(int records, boolean postgres) {
            var context = Activity.getExecutionContext();
            try (Journal journal = postgres ? pool.open("cost-" + runs.incrementAndGet())
                    : new HeartbeatJournal(List.of(), context::heartbeat)) {
                String text = "x".repeat(1_000);
                long start = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    journal.append(new MissionEvent.AgentNote("worker", "t1#1", text + i, Instant.EPOCH)).join();
                }
                return (System.nanoTime() - start) / records;
            }
        }
    }

    private HeartbeatJournalCost() {
    }

    /** @param args the record counts to measure */
    public static void main(String[] args) throws IOException {
        // the embedded database turns synchronous_commit off by default: on, a commit is durable when it returns
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on").setServerConfig("full_page_writes", "on").start();
                MissionPool pool = MissionPool.builder(postgres.getPostgresDatabase()).owner("cost").build();
                TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance(
                        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
            Worker worker = temporal.newWorker("cost");
            worker.registerWorkflowImplementationTypes(RunImpl.class);
            worker.registerActivitiesImplementations(new AppenderImpl(pool));
            temporal.start();
            for (String arg : args) {
                int records = Integer.parseInt(arg);
                for (int repeat = 0; repeat < 3; repeat++) {
                    for (boolean inPostgres : new boolean[] {false, true}) {
                        long nanos = temporal.getWorkflowClient().newWorkflowStub(Run.class,
                                WorkflowOptions.newBuilder().setTaskQueue("cost").build()).run(records, inPostgres);
                        System.out.printf("%d records of ~1 KB, %s: %.1f us per append%n", records,
                                inPostgres ? "PostgreSQL journal" : "heartbeat details", nanos / 1_000.0);
                    }
                }
            }
        }
    }
}
