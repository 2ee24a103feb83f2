package dev.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.internal.limit.QuotaShares;
import dev.orchestrator.core.llm.OpenAiCompatible;
import dev.orchestrator.core.llm.PlayedModel;
import dev.orchestrator.temporal.internal.QuotaLeases;
import dev.orchestrator.temporal.internal.QuotaWorkflow;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three workers, each with its own API key of one quota (an organisation's), on one loopback model server that
 * enforces that quota for all of them: 429 with a retry-after above it, the quota and what is left of it in the
 * headers of every answer. Run once with each worker pacing for the whole quota, once with leases of it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SharedQuotaTest {

    private static final int WORKERS = 3;
    private static final int TODOS = 20;
    /** The quota: ten requests a second, a second's worth at once; the headers say it per minute. */
    private static final double PER_SECOND = 10;
    private static final int PER_MINUTE = 600;
    private static final long LATENCY_MILLIS = 50;
    private static final StartOptions START = StartOptions.builder().heartbeatTimeout(Duration.ofSeconds(5))
            .followEvery(Duration.ofMillis(200)).build();

    @TempDir
    Path temp;

    @RegisterExtension
    final InProcessTemporal temporal = new InProcessTemporal();

    @Test
    void leasesOfTheQuotaCutThe429sOfWorkersThatShareItAndEachHoldsAShare() throws Exception {
        Run alone = run("alone", Optional.empty());
        Run leased = run("leased", Optional.of(SharedQuota.named("team").every(Duration.ofSeconds(1))));
        System.out.printf("429s: %d of %d requests pacing alone, %d of %d with leases%n", alone.refused,
                alone.requests, leased.refused, leased.requests);

        assertTrue(alone.refused >= 10, "the workers pacing alone met only " + alone.refused
                + " refusals: the quota was not contended, and the test would prove nothing");
        assertTrue(leased.refused * 2 < alone.refused, leased.refused + " refusals with leases, " + alone.refused
                + " without");
        // each worker held a share of the quota, and together they held no more than it
        assertEquals(WORKERS, leased.leases.size(), "leases: " + leased.leases);
        double held = 0;
        for (QuotaShares.Lease lease : leased.leases) {
            assertTrue(lease.share().requestsPerMinute() > 0 && lease.share().requestsPerMinute() < PER_MINUTE,
                    "a share of the quota, not all of it: " + lease);
            held += lease.share().requestsPerMinute();
        }
        assertTrue(held <= PER_MINUTE * 1.01, "the leases hold " + held + " of " + PER_MINUTE + " a minute");
    }

    @Test
    void twoWorkersOfOneJvmWithOneKeyLeaseTheirOneLimiterOnce() throws Exception {
        Quota quota = new Quota();
        try (MockLlmServer server = new MockLlmServer().respondWith(quota::answer);
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1"))
                        .apiKey("sk-" + UUID.randomUUID()).model("loopback-model").build()) {
            SharedQuota sharing = SharedQuota.named("one-jvm").every(Duration.ofMillis(100));
            List<MissionHandle> missions = new ArrayList<>();
            List<MissionWorker> workers = new ArrayList<>();
            try {
                for (int w = 0; w < 2; w++) {
                    String queue = "one-jvm-" + w;
                    workers.add(TemporalMissions.worker(temporal.client(), MissionWorkerOptions.builder()
                            .taskQueue(queue).missions(builder -> builder.provider(provider)).sharedQuota(sharing)
                            .workspaces(WorkspaceSource.sharedDirectory(Files.createDirectories(temp.resolve(queue))))
                            .build()));
                    missions.add(TemporalMissions.start(temporal.client(), Mission.builder().missionId(queue)
                            .goal("many small things").workspace(Files.createDirectories(temp.resolve("c-" + queue)))
                            .provider(provider).verifyWith("true").maxParallelWorkers(TODOS).build(),
                            START.toBuilder().taskQueue(queue).build()));
                }
                for (MissionHandle mission : missions) {
                    MissionResult result = mission.await();
                    assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
                }
                // one limiter in this JVM for the key: one lease, not two that would cap it at half each
                List<QuotaShares.Lease> leases = temporal.client().newWorkflowStub(QuotaWorkflow.class,
                        QuotaLeases.quotaWorkflowId(provider.name(), "loopback-model", "one-jvm")).leases();
                assertEquals(1, leases.size(), "leases: " + leases);
            } finally {
                workers.forEach(MissionWorker::close);
            }
        }
    }

    private record Run(int requests, int refused, List<QuotaShares.Lease> leases) {
    }

    /** One mission per worker (each on a queue of its own, so that each worker calls), all at once. */
    private Run run(String name, Optional<SharedQuota> sharing) throws Exception {
        Quota quota = new Quota();
        List<MissionWorker> workers = new ArrayList<>();
        List<OpenAiCompatible> providers = new ArrayList<>();
        try (MockLlmServer server = new MockLlmServer().respondWith(quota::answer)) {
            List<MissionHandle> missions = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                // a key of its own: its own limiter in this JVM, as on a machine of its own
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1"))
                        .apiKey("sk-" + UUID.randomUUID()).model("loopback-model").build();
                providers.add(provider);
                String queue = name + "-" + w;
                MissionWorkerOptions.Builder options = MissionWorkerOptions.builder().taskQueue(queue)
                        .missions(builder -> builder.provider(provider))
                        .workspaces(WorkspaceSource.sharedDirectory(Files.createDirectories(temp.resolve(queue))));
                sharing.ifPresent(options::sharedQuota);
                workers.add(TemporalMissions.worker(temporal.client(), options.build()));
                Path workspace = Files.createDirectories(temp.resolve("client-" + queue));
                missions.add(TemporalMissions.start(temporal.client(), Mission.builder().missionId(queue)
                        .goal("many small things").workspace(workspace).provider(provider).verifyWith("true")
                        .maxParallelWorkers(TODOS).build(), START.toBuilder().taskQueue(queue).build()));
            }
            for (MissionHandle mission : missions) {
                MissionResult result = mission.await();
                assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
                assertEquals(TODOS, result.todos().size());
            }
            List<QuotaShares.Lease> leases = sharing.isEmpty() ? List.of() : temporal.client()
                    .newWorkflowStub(QuotaWorkflow.class, QuotaLeases.quotaWorkflowId(providers.getFirst().name(),
                            "loopback-model", "team")).leases();
            return new Run(server.receivedRequests().size(), quota.refused(), leases);
        } finally {
            workers.forEach(MissionWorker::close);
            providers.forEach(OpenAiCompatible::close);
        }
    }

    /**
     * The provider's quota for every key at once: a bucket of a second's worth that refills ten a second; an
     * answer says the quota per minute and what is left, a refusal says when one more request fits.
     */
    private static final class Quota {
        private double level = PER_SECOND;
        private long at = System.nanoTime();
        private int refused;

        MockReply answer(dev.orchestrator.test.RecordedRequest request) {
            long waitMillis;
            long left;
            synchronized (this) {
                long now = System.nanoTime();
                level = Math.min(PER_SECOND, level + (now - at) / 1e9 * PER_SECOND);
                at = now;
                if (level >= 1) {
                    level--;
                    waitMillis = 0;
                } else {
                    refused++;
                    waitMillis = (long) Math.ceil((1 - level) / PER_SECOND * 1000);
                }
                left = (long) level;
            }
            if (waitMillis > 0) {
                return MockReply.json(429, "{\"error\":{\"message\":\"Rate limit reached for requests\","
                        + "\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}", "retry-after-ms",
                        Long.toString(waitMillis), "x-ratelimit-limit-requests", Integer.toString(PER_MINUTE),
                        "x-ratelimit-remaining-requests", "0");
            }
            try {
                Thread.sleep(LATENCY_MILLIS); // the model's time to answer, after the request was counted
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return MockReply.json(200, PlayedModel.answer(request, TODOS), "x-ratelimit-limit-requests",
                    Integer.toString(PER_MINUTE), "x-ratelimit-remaining-requests", Long.toString(left));
        }

        synchronized int refused() {
            return refused;
        }
    }
}
