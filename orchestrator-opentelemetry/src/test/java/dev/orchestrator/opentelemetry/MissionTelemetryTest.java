package dev.orchestrator.opentelemetry;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.fixes;
import static dev.orchestrator.core.llm.ScriptedReplies.issue;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.oneFileWork;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.JournalCodec;
import dev.orchestrator.core.llm.ModelPrices;
import dev.orchestrator.core.llm.OpenAiCompatible;
import dev.orchestrator.core.llm.ScriptedProvider;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spans and metrics of whole missions on the scripted model and on a loopback OpenAI-compatible server. */
class MissionTelemetryTest {

    @TempDir
    Path workspace;
    @TempDir
    Path journal;

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();

    @AfterEach
    void close() {
        otel.close();
    }

    @Test
    void aMissionIsOneTreeOfAgentChatAndToolSpansWithTheirUsageAndMetrics() throws Exception {
        MissionTelemetry telemetry = MissionTelemetry.builder(otel)
                .prices(ModelPrices.empty().with("scripted", new ModelPrice(new BigDecimal("2.00"),
                        new BigDecimal("10.00"), BigDecimal.ZERO, BigDecimal.ZERO)))
                .build();
        ScriptedProvider provider = oneFileWork("A.txt", "a\n").onTask(Agent.REVIEWER, "review-1", issues()).build();

        MissionResult result = mission(telemetry.provider(provider), telemetry, 10).run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        List<SpanData> all = spans.getFinishedSpanItems();
        SpanData mission = one(all, s -> s.getName().equals("mission"));
        assertEquals(result.missionId(), mission.getAttributes().get(GenAi.MISSION_ID));
        assertEquals("COMPLETED", mission.getAttributes().get(GenAi.MISSION_OUTCOME));
        assertFalse(mission.getParentSpanContext().isValid(), "started outside any span: the root");
        assertTrue(all.stream().allMatch(s -> s.getTraceId().equals(mission.getTraceId())), "one trace");

        SpanData worker = one(all, s -> "t1#1".equals(s.getAttributes().get(GenAi.TASK_ID)));
        assertEquals("invoke_agent worker", worker.getName());
        assertEquals(mission.getSpanId(), worker.getParentSpanId());
        assertEquals("t1", worker.getAttributes().get(GenAi.TODO_ID));
        assertEquals("worker", worker.getAttributes().get(GenAi.AGENT_NAME));
        for (String leader : List.of("triage", "plan", "review-1")) {
            SpanData task = one(all, s -> leader.equals(s.getAttributes().get(GenAi.TASK_ID)));
            assertEquals(mission.getSpanId(), task.getParentSpanId(), leader);
            assertEquals(1, children(all, task).size(), leader + " made one model call");
        }

        List<SpanData> workerChildren = children(all, worker);
        assertEquals(List.of("chat scripted", "execute_tool write_file", "chat scripted"),
                workerChildren.stream().map(SpanData::getName).toList(), "in time order");
        SpanData chat = workerChildren.getFirst();
        assertEquals(SpanKind.CLIENT, chat.getKind());
        assertEquals("chat", chat.getAttributes().get(GenAi.OPERATION));
        assertEquals("scripted", chat.getAttributes().get(GenAi.PROVIDER));
        assertEquals("scripted", chat.getAttributes().get(GenAi.REQUEST_MODEL));
        assertEquals("scripted", chat.getAttributes().get(GenAi.RESPONSE_MODEL));
        assertEquals(100L, chat.getAttributes().get(GenAi.INPUT_TOKENS));
        assertEquals(20L, chat.getAttributes().get(GenAi.OUTPUT_TOKENS));
        assertEquals(List.of("tool_call"), chat.getAttributes().get(GenAi.FINISH_REASONS));
        assertEquals(List.of("stop"), workerChildren.getLast().getAttributes().get(GenAi.FINISH_REASONS));
        assertNull(chat.getAttributes().get(GenAi.INPUT_MESSAGES), "no contents without opting in");
        SpanData tool = workerChildren.get(1);
        assertEquals("write_file", tool.getAttributes().get(GenAi.TOOL_NAME));
        assertEquals(result.missionId() + "/t1#1/0/0", tool.getAttributes().get(GenAi.TOOL_CALL_ID));
        assertNull(tool.getAttributes().get(GenAi.TOOL_ARGUMENTS));
        assertEquals(StatusCode.UNSET, tool.getStatus().getStatusCode());
        assertTrue(all.stream().allMatch(s -> !(s.getEndEpochNanos() == 0L)
                && s.getEndEpochNanos() >= s.getStartEpochNanos()), "every span ended, none before it began");

        Collection<MetricData> points = metrics.collectAllMetrics();
        HistogramPointData inputTokens = histogram(points, "gen_ai.client.token.usage", "input");
        assertEquals(5, inputTokens.getCount(), "triage, plan, two Worker turns, review");
        assertEquals(500.0, inputTokens.getSum());
        assertEquals(100.0, histogram(points, "gen_ai.client.token.usage", "output").getSum());
        assertEquals(5, metric(points, "gen_ai.client.operation.duration").getHistogramData().getPoints().stream()
                .mapToLong(HistogramPointData::getCount).sum());
        assertEquals(1, sum(points, "orchestrator.missions", GenAi.MISSION_OUTCOME, "COMPLETED"));
        // 500 input tokens at $2 and 100 output tokens at $10 a million
        double cost = metric(points, "orchestrator.cost").getDoubleSumData().getPoints().iterator().next().getValue();
        assertEquals(0.002, cost, 1e-12);
        assertEquals(0, metric(points, "orchestrator.llm.calls.in_flight").getLongSumData().getPoints().stream()
                .mapToLong(LongPointData::getValue).sum(), "every call that went out came back");
    }

    @Test
    void everyAppendToTheJournalIsTimedAndItsBytesCounted() {
        MissionTelemetry telemetry = MissionTelemetry.builder(otel).build();
        ScriptedProvider provider = oneFileWork("A.txt", "a\n").onTask(Agent.REVIEWER, "review-1", issues()).build();

        MissionResult result = mission(telemetry.provider(provider), telemetry, 10).run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        long[] journaled = new long[2]; // events, and their encoded bytes
        JournalCodec codec = new JournalCodec();
        FileJournal.read(journal, 0, (seq, event) -> {
            journaled[0]++;
            journaled[1] += codec.encode(event).length;
        });
        Collection<MetricData> points = metrics.collectAllMetrics();
        assertEquals(journaled[1], metric(points, "orchestrator.journal.appended").getLongSumData().getPoints()
                .stream().mapToLong(LongPointData::getValue).sum(), "the encoded size of every event in the journal");
        HistogramPointData appends = metric(points, "orchestrator.journal.append.duration").getHistogramData()
                .getPoints().iterator().next();
        assertTrue(appends.getCount() > 0 && appends.getCount() <= journaled[0],
                appends.getCount() + " waits for " + journaled[0] + " events: each waited for alone or with others");
        assertTrue(appends.getSum() > 0 && appends.getMin() > 0, "a file journal takes time to make an event durable");
    }

    @Test
    void contentsAreExportedOnlyOnOptInAndWithTheMissionsSecretsRedacted() {
        MissionTelemetry telemetry = MissionTelemetry.builder(otel).captureContents(true).build();
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Write A.txt with the token hunter2-secret."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Write A.txt").writes("A.txt")))
                .onTask(Agent.WORKER, "t1#1", writeFile("A.txt", "hunter2-secret\n"), text("Done."))
                .onTask(Agent.REVIEWER, "review-1", issues())
                .build();

        MissionResult result = Mission.builder().goal("Write A.txt with hunter2-secret").workspace(workspace)
                .provider(telemetry.provider(provider)).listener(telemetry).verifyWith("true")
                .secret("hunter2-secret").build().run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        List<SpanData> all = spans.getFinishedSpanItems();
        SpanData triage = one(all, s -> s.getName().startsWith("chat")
                && s.getAttributes().get(GenAi.INPUT_MESSAGES) != null
                && s.getAttributes().get(GenAi.OUTPUT_MESSAGES).contains("write_brief"));
        assertTrue(triage.getAttributes().get(GenAi.INPUT_MESSAGES).contains("\"role\":\"user\""));
        SpanData tool = one(all, s -> s.getName().equals("execute_tool write_file"));
        assertTrue(tool.getAttributes().get(GenAi.TOOL_ARGUMENTS).contains("A.txt"));
        assertTrue(one(all, s -> s.getName().equals("mission")).getAttributes().get(GenAi.MISSION_GOAL)
                .contains("[redacted]"));
        for (SpanData span : all) {
            span.getAttributes().forEach((key, value) -> assertFalse(String.valueOf(value).contains("hunter2-secret"),
                    span.getName() + " " + key));
        }
    }

    @Test
    void aMissionRunAgainOnItsJournalContinuesItsTrace() {
        MissionTelemetry first = MissionTelemetry.builder(otel).build();
        MissionResult stopped = mission(first.provider(reviewFindsAnIssue()), first, 1).run();
        assertEquals(Outcome.ITERATION_LIMIT, stopped.outcome(), stopped.reason());
        int firstRun = spans.getFinishedSpanItems().size();

        MissionTelemetry second = MissionTelemetry.builder(otel).build();
        MissionResult completed = mission(second.provider(fixesTheIssue()), second, 2).run();

        assertEquals(Outcome.COMPLETED, completed.outcome(), completed.reason());
        List<SpanData> all = spans.getFinishedSpanItems();
        List<SpanData> runs = all.stream().filter(s -> s.getName().equals("mission")).toList();
        assertEquals(2, runs.size());
        assertEquals(runs.get(0).getTraceId(), runs.get(1).getTraceId(), "one mission, one trace");
        assertFalse(runs.get(0).getParentSpanContext().isValid(), "started outside any span: the root");
        assertEquals(runs.get(0).getSpanId(), runs.get(1).getParentSpanId(), "a later run under the first");
        assertEquals("reopened", runs.get(1).getAttributes().get(GenAi.RUN));
        assertEquals(stopped.missionId(), runs.get(1).getAttributes().get(GenAi.MISSION_ID));
        assertTrue(runs.get(1).getEvents().stream().anyMatch(e -> e.getName().equals("mission_reopened")));
        assertTrue(all.stream().allMatch(s -> s.getTraceId().equals(runs.get(0).getTraceId())));
        List<SpanData> secondRun = all.subList(firstRun, all.size());
        assertTrue(secondRun.stream().noneMatch(s -> "triage".equals(s.getAttributes().get(GenAi.TASK_ID))),
                "the journal answered the triage: no span for a call not made again");
        SpanData fix = one(secondRun, s -> "fix-1".equals(s.getAttributes().get(GenAi.TASK_ID)));
        assertEquals(runs.get(1).getSpanId(), fix.getParentSpanId());
        assertEquals("invoke_agent commander", fix.getName());
    }

    @Test
    void aMissionStartedInsideASpanIsResumedByAnotherSdkUnderThatSpanInItsTrace() {
        Span deploy = otel.getTracer("app").spanBuilder("deploy").startSpan();
        MissionTelemetry first = MissionTelemetry.builder(otel).build();
        MissionResult stopped;
        try (Scope inDeploy = deploy.makeCurrent()) {
            stopped = mission(first.provider(reviewFindsAnIssue()), first, 1).run();
        }
        deploy.end();
        assertEquals(Outcome.ITERATION_LIMIT, stopped.outcome(), stopped.reason());
        SpanData firstRun = one(spans.getFinishedSpanItems(), s -> s.getName().equals("mission"));
        assertEquals(deploy.getSpanContext().getSpanId(), firstRun.getParentSpanId());

        // another SDK, as in another process: it knows the journal only, and runs the mission outside any span
        InMemorySpanExporter otherSpans = InMemorySpanExporter.create();
        List<SpanData> secondRun;
        try (OpenTelemetrySdk other = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(otherSpans)).build()).build()) {
            MissionTelemetry second = MissionTelemetry.builder(other).build();
            MissionResult completed = mission(second.provider(fixesTheIssue()), second, 2).run();
            assertEquals(Outcome.COMPLETED, completed.outcome(), completed.reason());
            secondRun = otherSpans.getFinishedSpanItems();
        }

        SpanData mission = one(secondRun, s -> s.getName().equals("mission"));
        assertEquals("reopened", mission.getAttributes().get(GenAi.RUN));
        assertEquals(deploy.getSpanContext().getSpanId(), mission.getParentSpanId(), "under the user's span");
        assertTrue(mission.getParentSpanContext().isRemote(), "a parent known from the journal");
        assertTrue(secondRun.size() > 4, secondRun.toString());
        assertTrue(secondRun.stream().allMatch(s -> s.getTraceId().equals(deploy.getSpanContext().getTraceId())),
                "in the user's trace");
        assertEquals(mission.getSpanId(), one(secondRun, s -> "fix-1".equals(s.getAttributes().get(GenAi.TASK_ID)))
                .getParentSpanId());
    }

    @Test
    void aCallRefusedWith429OnceIsOneChatSpanWithItsRetryAsAnEvent() {
        MissionTelemetry telemetry = MissionTelemetry.builder(otel).build();
        MissionResult result;
        try (OpenAiLoopback server = new OpenAiLoopback();
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
                        .model("gpt-4o-mini").build()) {
            result = mission(telemetry.provider(provider), telemetry, 10).run();
            assertEquals(6, server.requests(), "the refused triage, then triage, plan, two Worker turns, review");
        }

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        List<SpanData> all = spans.getFinishedSpanItems();
        SpanData triage = one(all, s -> "triage".equals(s.getAttributes().get(GenAi.TASK_ID)));
        List<SpanData> calls = children(all, triage);
        assertEquals(1, calls.size(), "one call, sent twice");
        SpanData chat = calls.getFirst();
        assertEquals("chat gpt-4o-mini-2024-07-18", chat.getName());
        assertEquals("openai", chat.getAttributes().get(GenAi.PROVIDER));
        assertEquals("gpt-4o-mini", chat.getAttributes().get(GenAi.REQUEST_MODEL));
        assertEquals("gpt-4o-mini-2024-07-18", chat.getAttributes().get(GenAi.RESPONSE_MODEL));
        assertEquals(120L, chat.getAttributes().get(GenAi.INPUT_TOKENS), "cached tokens are part of the input");
        assertEquals(20L, chat.getAttributes().get(GenAi.CACHE_READ_TOKENS));
        assertEquals(StatusCode.UNSET, chat.getStatus().getStatusCode(), "the call succeeded in the end");
        var retry = chat.getEvents().stream().filter(e -> e.getName().equals("retry")).toList();
        assertEquals(1, retry.size(), chat.getEvents().toString());
        assertEquals("RateLimited", retry.getFirst().getAttributes().get(GenAi.ERROR_TYPE));
        assertTrue(chat.getEvents().stream().allMatch(e -> e.getEpochNanos() >= chat.getStartEpochNanos()
                && e.getEpochNanos() <= chat.getEndEpochNanos()), "the retry happened inside the call");

        Collection<MetricData> points = metrics.collectAllMetrics();
        assertEquals(1, sum(points, "orchestrator.llm.rate_limited", GenAi.ERROR_TYPE, "RateLimited"));
        assertEquals(1, sum(points, "orchestrator.llm.retries", GenAi.ERROR_TYPE, "RateLimited"));
    }

    @Test
    void aCallThatFailsForGoodIsAnErrorChatSpanUnderItsAgentNamedByItsRole() {
        MissionTelemetry telemetry = MissionTelemetry.builder(otel).build();
        MissionResult result;
        try (OpenAiLoopback server = OpenAiLoopback.refusingEveryKey();
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
                        .model("gpt-4o-mini").build()) {
            result = mission(telemetry.provider(provider), telemetry, 10).run();
            assertEquals(1, server.requests(), "a refused key is not sent again");
        }

        assertEquals(Outcome.FAILED, result.outcome(), result.reason());
        List<SpanData> all = spans.getFinishedSpanItems();
        // the failed call is the triage task's first event: the span must take the role from it
        SpanData triage = one(all, s -> "triage".equals(s.getAttributes().get(GenAi.TASK_ID)));
        assertEquals("invoke_agent commander", triage.getName());
        assertEquals("commander", triage.getAttributes().get(GenAi.AGENT_NAME));
        SpanData chat = children(all, triage).getFirst();
        assertEquals(StatusCode.ERROR, chat.getStatus().getStatusCode());
        assertTrue(chat.getStatus().getDescription().contains("401"), chat.getStatus().getDescription());
    }

    private Mission mission(LlmProvider provider, MissionTelemetry telemetry, int maxIterations) {
        try {
            Files.createDirectories(workspace);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Mission.builder().goal("Write A.txt").workspace(workspace).provider(provider).listener(telemetry)
                .verifyWith("true").maxIterations(maxIterations).journal(journal).missionId("m-1").build();
    }

    /** A mission whose first review finds an issue: with one iteration it stops there. */
    private static ScriptedProvider reviewFindsAnIssue() {
        return oneFileWork("A.txt", "a\n")
                .onTask(Agent.REVIEWER, "review-1", issues(issue("A.txt should say b", "A.txt"))).build();
    }

    /** The same mission run again: the Commander plans the fix, a Worker makes it, the second review passes. */
    private static ScriptedProvider fixesTheIssue() {
        return ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "fix-1", fixes(todo("t2", "Make A.txt say b").writes("A.txt")))
                .onTask(Agent.WORKER, "t2#1", writeFile("A.txt", "b\n"), text("A.txt says b."))
                .onTask(Agent.REVIEWER, "review-2", issues())
                .build();
    }

    static SpanData one(List<SpanData> spans, Predicate<SpanData> which) {
        List<SpanData> found = spans.stream().filter(which).toList();
        assertEquals(1, found.size(), () -> "expected one span, found " + found.stream().map(SpanData::getName)
                .toList() + " among " + spans.stream().map(s -> s.getName() + s.getAttributes().asMap()).toList());
        return found.getFirst();
    }

    static List<SpanData> children(List<SpanData> spans, SpanData parent) {
        return spans.stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    }

    static MetricData metric(Collection<MetricData> metrics, String name) {
        return metrics.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " among "
                        + metrics.stream().map(MetricData::getName).toList()));
    }

    static HistogramPointData histogram(Collection<MetricData> metrics, String name, String tokenType) {
        return metric(metrics, name).getHistogramData().getPoints().stream()
                .filter(p -> tokenType.equals(p.getAttributes().get(GenAi.TOKEN_TYPE))).findFirst().orElseThrow();
    }

    static long sum(Collection<MetricData> metrics, String name, AttributeKey<String> key, String value) {
        return metric(metrics, name).getLongSumData().getPoints().stream()
                .filter(p -> value.equals(p.getAttributes().get(key))).mapToLong(LongPointData::getValue).sum();
    }

}
