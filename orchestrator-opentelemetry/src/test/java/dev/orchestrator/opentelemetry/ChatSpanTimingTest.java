package dev.orchestrator.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ScriptedProvider;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A chat span's times come from the provider's side of the call, and a compaction shows on its task. */
class ChatSpanTimingTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void aChatSpanRunsFromTheFirstSendToTheAnswerAndACompactionIsAnEventOfItsTask() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build()) {
            // the model takes 3 s by this clock: the call reads it when it goes out and when it comes back
            Instant[] now = {T0.plusSeconds(5)};
            InstantSource clock = () -> now[0];
            MissionTelemetry telemetry = MissionTelemetry.builder(otel).clock(clock).build();
            LlmProvider model = telemetry.provider(ScriptedProvider.builder().on(request -> true, request -> {
                now[0] = now[0].plusSeconds(3);
                return ChatResponse.ofText("summary", Usage.of(50, 5), "scripted");
            }).build());

            telemetry.onRunStarted(new MissionListener.RunStarted("m-1", 0, UnaryOperator.identity(), Map.of()));
            event(telemetry, new MissionEvent.MissionStarted("m-1", "goal", "/w", "true", "", T0));
            event(telemetry, new MissionEvent.TaskDispatched("t1", 1, "worker", T0.plusSeconds(1)));
            ChatResponse summary = model.chat(ChatRequest.builder().system("summarise")
                    .message(Message.user("the transcript")).maxOutputTokens(100)
                    .metadata(ChatRequest.TASK, "t1#1").metadata(ChatRequest.TURN, "0")
                    .metadata(ChatRequest.PURPOSE, ChatRequest.COMPACTION).build());
            // the journal's event is stamped a little after the answer came back
            event(telemetry, new MissionEvent.LlmCallCompleted("m-1/t1#1/0", "t1#1", "worker", summary,
                    T0.plusSeconds(9)));
            event(telemetry, new MissionEvent.TaskFinished("t1", 1, true, "done", T0.plusSeconds(10)));
            event(telemetry, new MissionEvent.MissionFinished(Outcome.COMPLETED, "done", T0.plusSeconds(11)));

            List<SpanData> all = spans.getFinishedSpanItems();
            SpanData chat = MissionTelemetryTest.one(all, s -> s.getName().equals("chat scripted"));
            assertEquals(nanos(T0.plusSeconds(5)), chat.getStartEpochNanos());
            assertEquals(nanos(T0.plusSeconds(8)), chat.getEndEpochNanos());
            assertEquals(ChatRequest.COMPACTION, chat.getAttributes().get(GenAi.PURPOSE));
            assertEquals(100L, chat.getAttributes().get(GenAi.MAX_TOKENS));
            SpanData task = MissionTelemetryTest.one(all, s -> s.getName().equals("invoke_agent worker"));
            assertEquals(task.getSpanId(), chat.getParentSpanId());
            assertEquals(nanos(T0.plusSeconds(1)), task.getStartEpochNanos());
            assertEquals(nanos(T0.plusSeconds(10)), task.getEndEpochNanos());
            assertTrue(task.getEvents().stream().anyMatch(e -> e.getName().equals("compaction")
                    && e.getEpochNanos() == nanos(T0.plusSeconds(5))), task.getEvents().toString());
            SpanData mission = MissionTelemetryTest.one(all, s -> s.getName().equals("mission"));
            assertEquals(Duration.ofSeconds(11).toNanos(), mission.getEndEpochNanos() - mission.getStartEpochNanos());
        }
    }

    @Test
    void aTodoResumedAfterACrashOpensItsSpanWithItsFirstLiveCallInTheMissionsTrace() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build()) {
            Instant[] now = {T0.plusSeconds(2)};
            MissionTelemetry telemetry = MissionTelemetry.builder(otel).clock(() -> now[0]).build();
            LlmProvider model = telemetry.provider(ScriptedProvider.builder().on(request -> true, request -> {
                now[0] = now[0].plusSeconds(1);
                return ChatResponse.ofText("done", Usage.of(10, 1), "scripted");
            }).build());

            // the crashed run's journal held 40 events and the parent of the mission's runs; its todo t1 was
            // running and is not dispatched again
            telemetry.onRunStarted(new MissionListener.RunStarted("m-1", 40, UnaryOperator.identity(),
                    Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")));
            event(telemetry, new MissionEvent.MissionResumed(40, List.of("t1"), T0));
            ChatResponse answer = model.chat(ChatRequest.builder().system("work").message(Message.user("go"))
                    .maxOutputTokens(100).metadata(ChatRequest.TASK, "t1#1").metadata(ChatRequest.TURN, "3")
                    .build());
            event(telemetry, new MissionEvent.LlmCallCompleted("m-1/t1#1/3", "t1#1", "worker", answer,
                    T0.plusSeconds(4)));
            event(telemetry, new MissionEvent.TaskFinished("t1", 1, true, "done", T0.plusSeconds(5)));
            event(telemetry, new MissionEvent.MissionFinished(Outcome.COMPLETED, "done", T0.plusSeconds(6)));

            List<SpanData> all = spans.getFinishedSpanItems();
            SpanData mission = MissionTelemetryTest.one(all, s -> s.getName().equals("mission"));
            assertEquals("resumed", mission.getAttributes().get(GenAi.RUN));
            assertEquals(40L, mission.getAttributes().get(GenAi.EVENTS_REPLAYED));
            assertEquals("0af7651916cd43dd8448eb211c80319c", mission.getTraceId(), "the mission's trace");
            assertEquals("b7ad6b7169203331", mission.getParentSpanId(), "under the parent of the mission's runs");
            SpanData task = MissionTelemetryTest.one(all, s -> "t1#1".equals(s.getAttributes().get(GenAi.TASK_ID)));
            assertEquals(mission.getSpanId(), task.getParentSpanId());
            assertEquals(nanos(T0.plusSeconds(2)), task.getStartEpochNanos(), "opens with its first live call");
            SpanData chat = MissionTelemetryTest.one(all, s -> s.getName().equals("chat scripted"));
            assertEquals(task.getSpanId(), chat.getParentSpanId());
            assertTrue(chat.getStartEpochNanos() >= task.getStartEpochNanos());
        }
    }

    private static void event(MissionListener listener, MissionEvent event) {
        listener.onEvent(event, new MissionProgress(0, 0, 0, 0, 0, 0, 0, Usage.ZERO));
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
