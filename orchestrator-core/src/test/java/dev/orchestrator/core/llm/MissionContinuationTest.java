package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Budget;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.Usage;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.RecordedRequest;
import dev.orchestrator.test.MockReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mission that ended without completing goes on when it is run again on its journal, with the new run's settings,
 * and pays for nothing twice: what the journal answered stays answered, and the call that failed goes out again.
 */
class MissionContinuationTest {

    private static final String UNAUTHORIZED = """
            {"error":{"message":"Incorrect API key provided: sk-old. You can find your API key at \
            https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,\
            "code":"invalid_api_key"}}""";

    @TempDir
    Path workspace;

    @Test
    void aMissionThatFailedOnARevokedKeyGoesOnWithTheNewKeyWithoutRepeatingAnsweredCalls() throws IOException {
        AtomicReference<String> acceptedKey = new AtomicReference<>("sk-old");
        AtomicInteger answered = new AtomicInteger();
        try (MockLlmServer server = new MockLlmServer()) {
            server.respondWith(request -> {
                if (!request.header("authorization").orElse("").equals("Bearer " + acceptedKey.get())) {
                    return MockReply.json(401, UNAUTHORIZED);
                }
                // the key is revoked once the brief and the plan are written: the Worker's first call fails
                if (answered.incrementAndGet() == 2) {
                    acceptedKey.set("sk-new");
                }
                return OpenAiMissionEndToEndTest.answer(request, "call_" + answered.get());
            });

            MissionResult failed = run(provider(server, "sk-old"), Budget.UNLIMITED, new ArrayList<>());
            assertEquals(Outcome.FAILED, failed.outcome(), failed.reason());
            assertTrue(failed.reason().contains("refused the credentials"), failed.reason());
            int firstRun = drain(server).size();

            List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());
            MissionResult continued = run(provider(server, "sk-new"), Budget.UNLIMITED, events);

            assertEquals(Outcome.COMPLETED, continued.outcome(), continued.reason());
            assertEquals("hello\n", Files.readString(workspace.resolve("hello.txt")));
            List<RecordedRequest> secondRun = drain(server);
            assertTrue(secondRun.stream().noneMatch(r -> OpenAiMissionEndToEndTest.offers(r.json(), "write_brief")
                    || OpenAiMissionEndToEndTest.offers(r.json(), "submit_plan")), "brief and plan came from the journal");
            assertTrue(secondRun.stream().allMatch(r -> r.header("authorization").orElseThrow().equals("Bearer sk-new")));
            assertEquals(3, firstRun, "brief, plan and the Worker's refused call");
            assertEquals(answered.get(), 2 + secondRun.size(), "every call of the second run went live once");
            assertEquals(times(OpenAiMissionEndToEndTest.PER_CALL, answered.get()), continued.usage(),
                    "each answered call counted once");
            // the listener of the rerun hears first that the mission is reopened, then resumed, as after a crash
            MissionEvent.MissionReopened reopened = only(events, MissionEvent.MissionReopened.class);
            assertEquals(reopened, events.getFirst());
            assertTrue(events.get(1) instanceof MissionEvent.MissionResumed, events.get(1).toString());
            assertEquals(Outcome.FAILED, reopened.previousOutcome());
            assertEquals(failed.reason(), reopened.previousReason());
        }
    }

    @Test
    void aMissionStoppedByALongRetryAfterGoesOnAgainstAWorkingServer() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        CountDownLatch refused = new CountDownLatch(1);
        MissionResult stopped;
        try (MockLlmServer limited = new MockLlmServer(); OpenAiCompatible provider = provider(limited, "sk-test")) {
            limited.respondWith(request -> {
                if (answered.get() < 2) {
                    return OpenAiMissionEndToEndTest.answer(request, "call_" + answered.incrementAndGet());
                }
                refused.countDown();
                return MockReply.json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                        + "\"code\":\"rate_limit_exceeded\"}}", "retry-after", "3600");
            });
            MissionHandle handle = mission(provider, Budget.UNLIMITED, new ArrayList<>()).start();
            // the SDK gives up on the call or waits the hour out; either way the user stops and comes back later
            refused.await();
            handle.cancel();
            stopped = handle.await();
        }
        assertNotEquals(Outcome.COMPLETED, stopped.outcome(), stopped.reason());

        try (MockLlmServer working = new MockLlmServer()) {
            working.respondWith(request -> OpenAiMissionEndToEndTest.answer(request,
                    "call_" + answered.incrementAndGet()));
            List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());
            MissionResult continued = run(provider(working, "sk-test"), Budget.UNLIMITED, events);

            assertEquals(Outcome.COMPLETED, continued.outcome(), continued.reason());
            assertEquals(stopped.outcome(), only(events, MissionEvent.MissionReopened.class).previousOutcome());
            assertTrue(drain(working).stream().noneMatch(r -> OpenAiMissionEndToEndTest.offers(r.json(),
                    "write_brief") || OpenAiMissionEndToEndTest.offers(r.json(), "submit_plan")),
                    "brief and plan came from the journal");
            assertEquals(times(OpenAiMissionEndToEndTest.PER_CALL, answered.get()), continued.usage());
        }
    }

    @Test
    void aMissionOutOfBudgetGoesOnWithALargerBudgetAndACompletedOneOnlyReturnsItsResult() throws IOException {
        AtomicInteger answered = new AtomicInteger();
        try (MockLlmServer server = new MockLlmServer()) {
            server.respondWith(request -> OpenAiMissionEndToEndTest.answer(request, "call_" + answered.incrementAndGet()));
            long perCall = OpenAiMissionEndToEndTest.PER_CALL.totalTokens();

            // the budget runs out after the brief and the plan
            MissionResult exhausted = run(provider(server, "sk-test"), Budget.ofTokens(2 * perCall), new ArrayList<>());
            assertEquals(Outcome.BUDGET_EXHAUSTED, exhausted.outcome(), exhausted.reason());
            assertEquals(2, answered.get());

            MissionResult sameBudget = run(provider(server, "sk-test"), Budget.ofTokens(2 * perCall),
                    new ArrayList<>());
            assertEquals(Outcome.BUDGET_EXHAUSTED, sameBudget.outcome(), "the same budget is still spent");
            assertEquals(2, answered.get(), "and no call went out");

            MissionResult continued = run(provider(server, "sk-test"), Budget.ofTokens(100 * perCall),
                    new ArrayList<>());
            assertEquals(Outcome.COMPLETED, continued.outcome(), continued.reason());
            assertEquals(times(OpenAiMissionEndToEndTest.PER_CALL, answered.get()), continued.usage());

            int calls = answered.get();
            List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());
            MissionResult again = run(provider(server, "sk-test"), Budget.ofTokens(100 * perCall), events);
            assertEquals(continued.outcome(), again.outcome());
            assertEquals(continued.reason(), again.reason());
            assertEquals(calls, answered.get(), "a completed mission is not run again");
            assertFalse(events.stream().anyMatch(MissionEvent.MissionReopened.class::isInstance));
        }
    }

    @Test
    void aMissionAtItsIterationLimitGoesOnWithAHigherLimitWithoutAskingTheReviewAgain() {
        ScriptedProvider script = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", ScriptedReplies.brief("One file."))
                .onTask(Agent.PLANNER, "plan", ScriptedReplies.plan(ScriptedReplies.todo("t1", "Write a.txt")
                        .writes("a.txt")))
                .onTask(Agent.WORKER, "t1#1", ScriptedReplies.writeFile("a.txt", "a?"), ScriptedReplies.text("ok"))
                .onTask(Agent.REVIEWER, "review-1", ScriptedReplies.issues(ScriptedReplies.issue("a.txt asks",
                        "a.txt")))
                .onTask(Agent.COMMANDER, "fix-1", ScriptedReplies.fixes(ScriptedReplies.todo("f1", "Answer")
                        .writes("a.txt")))
                .onTask(Agent.WORKER, "f1#1", ScriptedReplies.writeFile("a.txt", "a!"), ScriptedReplies.text("ok"))
                .onTask(Agent.REVIEWER, "review-2", ScriptedReplies.issues())
                .build();

        MissionResult limited = scripted(script, 1);
        assertEquals(Outcome.ITERATION_LIMIT, limited.outcome(), limited.reason());
        long callsBefore = script.callCount();
        assertEquals(Outcome.ITERATION_LIMIT, scripted(script, 1).outcome(), "the same limit is still reached");
        assertEquals(callsBefore, script.callCount(), "and nothing is asked again");

        MissionResult continued = scripted(script, 3);

        assertEquals(Outcome.COMPLETED, continued.outcome(), continued.reason());
        assertEquals(2, continued.iterations());
        // triage, plan, the Worker's two turns and review 1 before; the fix, its Worker's two turns, review 2 after
        assertEquals(callsBefore + 4, script.callCount());
    }

    private MissionResult scripted(ScriptedProvider provider, int maxIterations) {
        return Mission.builder()
                .goal("Write a.txt")
                .workspace(workspace)
                .provider(provider)
                .verifyWith("test -f a.txt")
                .maxIterations(maxIterations)
                .journal(workspace.resolve(".orchestrator"))
                .build()
                .run();
    }

    private MissionResult run(OpenAiCompatible provider, Budget budget, List<MissionEvent> events) {
        try (provider) {
            return mission(provider, budget, events).run();
        }
    }

    private Mission mission(LlmProvider provider, Budget budget, List<MissionEvent> events) {
        return Mission.builder()
                .goal("Create hello.txt that says hello")
                .workspace(workspace)
                .provider(provider)
                .verifyWith("test -f hello.txt")
                .budget(budget)
                .journal(workspace.resolve(".orchestrator"))
                .listener((event, progress) -> events.add(event))
                .build();
    }

    private static OpenAiCompatible provider(MockLlmServer server, String key) {
        return OpenAiCompatible.builder().baseUrl(server.url("/v1")).apiKey(key).model("gpt-4o-mini").build();
    }

    private static List<RecordedRequest> drain(MockLlmServer server) {
        List<RecordedRequest> requests = new ArrayList<>();
        for (int i = server.requestCount(); i > 0; i--) {
            requests.add(server.takeRequest());
        }
        return requests;
    }

    private static <E extends MissionEvent> E only(List<MissionEvent> events, Class<E> type) {
        List<E> matching = events.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, matching.size(), matching.toString());
        return matching.getFirst();
    }

    private static Usage times(Usage usage, int times) {
        Usage total = Usage.ZERO;
        for (int i = 0; i < times; i++) {
            total = total.plus(usage);
        }
        return total;
    }
}
