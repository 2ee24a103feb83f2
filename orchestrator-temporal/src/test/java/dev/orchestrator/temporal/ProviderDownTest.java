package dev.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.Mission;
import dev.orchestrator.core.llm.ScriptedProvider;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task whose model calls keep failing for a passing reason gives up once its failures in a row would span more
 * than the call patience, as the embedded engine's does: the mission ends instead of retrying until its deadline, or
 * for ever without one. The waits are workflow timers: on the test service, they pass by time skipping.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProviderDownTest {

    /** 0.25 + 0.5 + 1 + 2 + 4 + 8 s of waits; a seventh of 16 s would end past it. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void aTaskWhoseCallsKeepFailingEndsTheMissionAfterThePatienceWithTheLastFailure() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        ScriptedProvider provider = FourTodos.script(request -> {
            failures.incrementAndGet();
            throw new LlmException.Transient("HTTP 502: <html>Bad Gateway</html>", 502, null);
        }, FourTodos.saysBIsWritten());

        List<MissionEvent.CallRetried> retried = new CopyOnWriteArrayList<>();
        // the deadline only ends the test if the task never gives up
        MissionResult result = run(provider, FourTodos.mission("m1", client(), provider).deadline(Duration.ofHours(1))
                .listener((event, progress) -> {
                    if (event instanceof MissionEvent.CallRetried r) {
                        retried.add(r);
                    }
                }));

        assertEquals(Outcome.FAILED, result.outcome(), result.reason());
        assertTrue(result.reason().matches("agent 'worker' on t2#1 gave up: its calls failed 7 times in a row over "
                + "\\d+ s, and a try 16 s later would go past the call patience of 30 s; the last failure: HTTP 502: "
                + "<html>Bad Gateway</html>; check that the provider is up and its URL and model are right, then "
                + "start the mission again, which on Temporal begins it anew \\(or raise Mission\\.Builder\\."
                + "callPatience\\(\\.\\.\\.\\)\\)"), result.reason());
        assertEquals(7, failures.get());
        // the client that follows the mission saw each wait, as the embedded engine's listeners see its retries
        assertEquals(List.of(250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L),
                retried.stream().map(r -> r.delay().toMillis()).toList(), retried.toString());
        retried.forEach(r -> {
            assertEquals("t2#1", r.taskId());
            assertEquals("Transient: HTTP 502: <html>Bad Gateway</html>", r.error());
        });
    }

    @Test
    void tasksWhoseCallsFailAFewTimesInARowStillComplete() throws Exception {
        // every task's first three calls fail: 21 failures in the mission, but never seven in a row of one task
        FailingFirst provider = new FailingFirst(FourTodos.script(), 3);

        MissionResult result = run(provider, FourTodos.mission("m2", client(), provider.script()).provider(provider));

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(7, provider.failures.size(), "triage, plan, four todos and the review: " + provider.failures);
        provider.failures.forEach((task, failed) -> assertEquals(3, failed.get(), task));
    }

    private Path client() throws Exception {
        return Files.createDirectories(temp.resolve("client"));
    }

    private MissionResult run(LlmProvider provider, Mission.Builder mission) throws Exception {
        Path shared = Files.createDirectories(temp.resolve("shared"));
        // time skipping: the service moves its clock to the next timer whenever the client waits for a result
        try (TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance();
                MissionWorker worker = TemporalMissions.worker(temporal.getWorkflowClient(),
                        MissionWorkerOptions.builder().missions(builder -> builder.provider(provider))
                                .workspaces(WorkspaceSource.sharedDirectory(shared)).build())) {
            MissionResult result = TemporalMissions.start(temporal.getWorkflowClient(),
                    mission.callPatience(PATIENCE).build(), StartOptions.builder()
                            .heartbeatTimeout(Duration.ofSeconds(2)).followEvery(Duration.ofMillis(100)).build())
                    .await();
            String keep = System.getProperty("orchestrator.keepHistory");
            if (keep != null) { // how HistoryReplayTest's history of a task that gave up was made
                Files.writeString(Path.of(keep), temporal.getWorkflowClient()
                        .fetchHistory(TemporalMissions.workflowId(result.missionId())).toJson(true));
            }
            return result;
        }
    }

    /** A provider whose first {@code failing} calls of each task fail for a passing reason, then answer. */
    private record FailingFirst(ScriptedProvider script, int failing, Map<String, AtomicInteger> failures)
            implements LlmProvider {

        FailingFirst(ScriptedProvider script, int failing) {
            this(script, failing, new ConcurrentHashMap<>());
        }

        @Override
        public String name() {
            return script.name();
        }

        @Override
        public String defaultModel() {
            return script.defaultModel();
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            AtomicInteger failed = failures.computeIfAbsent(request.metadata(ChatRequest.TASK).orElse("?"),
                    task -> new AtomicInteger());
            if (failed.get() < failing) {
                failed.incrementAndGet();
                throw new LlmException.Transient("HTTP 503: the model is overloaded", 503, null);
            }
            return script.chat(request);
        }
    }
}
