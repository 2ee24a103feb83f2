package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.Usage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void everyKindOfEventRoundTrips() {
        for (MissionEvent event : Events.everyKind()) {
            assertEquals(event, codec.decode(ByteBuffer.wrap(codec.encode(event))), event.getClass().getSimpleName());
        }
    }

    @Test
    void theStreamingReaderReadsEveryKindOfEventWithoutDatabind() {
        for (MissionEvent event : Events.everyKind()) {
            byte[] json = codec.encode(event);
            assertEquals(event, EventReader.event(json, 0, json.length), event.getClass().getSimpleName());
        }
    }

    @Test
    void whatTheStreamingReaderLeavesToDatabindStillDecodes() {
        // the type after the other properties, as a hand-edited record or another writer may put it
        String json = "{\"todoId\":\"t1\",\"attempt\":2,\"succeeded\":true,\"summary\":\"done\","
                + "\"at\":\"2026-01-02T03:04:05Z\",\"type\":\"task-finished\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThrows(EventReader.Unreadable.class, () -> EventReader.event(bytes, 0, bytes.length));
        assertEquals(new MissionEvent.TaskFinished("t1", 2, true, "done", Instant.parse("2026-01-02T03:04:05Z")),
                codec.decode(ByteBuffer.wrap(bytes)));
    }

    @Test
    void aDispatchWaveIsOneRecordThatBothReadersRead() {
        MissionEvent wave = new MissionEvent.TasksDispatched(List.of(
                new MissionEvent.TasksDispatched.Dispatch("a", 1, "worker"),
                new MissionEvent.TasksDispatched.Dispatch("b", 2, "tester")), Instant.parse("2026-01-02T03:04:05Z"));
        String tasks = "\"tasks\":[{\"todoId\":\"a\",\"attempt\":1,\"role\":\"worker\"},"
                + "{\"todoId\":\"b\",\"attempt\":2,\"role\":\"tester\"}],\"at\":\"2026-01-02T03:04:05Z\"";
        byte[] written = ("{\"type\":\"tasks-dispatched\"," + tasks + "}").getBytes(StandardCharsets.UTF_8);
        assertEquals(wave, EventReader.event(written, 0, written.length));
        assertEquals(wave, codec.decode(ByteBuffer.wrap(codec.encode(wave))));
        // the type last: left to databind, which reads it too
        byte[] typeLast = ("{" + tasks + ",\"type\":\"tasks-dispatched\"}").getBytes(StandardCharsets.UTF_8);
        assertThrows(EventReader.Unreadable.class, () -> EventReader.event(typeLast, 0, typeLast.length));
        assertEquals(wave, codec.decode(ByteBuffer.wrap(typeLast)));
    }

    @Test
    void everyKindOfEventHasAStableNameAndIsInTheSample() {
        Set<Class<?>> permitted = Arrays.stream(MissionEvent.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertEquals(permitted, EventCodec.TYPE_NAMES.keySet());
        assertEquals(permitted, Events.everyKind().stream().map(Object::getClass).collect(Collectors.toSet()));
        assertEquals(permitted.size(), new HashSet<>(EventCodec.TYPE_NAMES.values()).size(), "names are distinct");
    }

    @Test
    void theJsonIsTheDocumentedFormat() {
        // This text is the journal format: changing it breaks every journal on disk. See docs/wal-format.md.
        String json = new String(codec.encode(new MissionEvent.TaskFinished("todo-1", 2, true, "done",
                Instant.parse("2026-01-02T03:04:05.000000006Z"))), StandardCharsets.UTF_8);
        assertEquals("{\"type\":\"task-finished\",\"todoId\":\"todo-1\",\"attempt\":2,\"succeeded\":true,"
                + "\"summary\":\"done\",\"at\":\"2026-01-02T03:04:05.000000006Z\"}", json);
    }

    @Test
    void emptyOptionalsRoundTrip() {
        MissionEvent event = new MissionEvent.LlmCallCompleted("c", "t", "r",
                dev.orchestrator.api.ChatResponse.ofText("hi", dev.orchestrator.api.Usage.ZERO, "m"),
                Instant.EPOCH);
        assertEquals(event, codec.decode(ByteBuffer.wrap(codec.encode(event))));
    }

    @Test
    void aCallJournalledBeforeReasoningExistedReadsWithNone() {
        MissionEvent event = new MissionEvent.LlmCallCompleted("c", "t", "r",
                ChatResponse.ofText("hi", Usage.of(3, 4), "m"), Instant.EPOCH);
        ObjectNode tree = (ObjectNode) codec.toTree(event);
        ObjectNode response = (ObjectNode) tree.get("response");
        // the two fields a journal of an earlier version does not have
        assertEquals("", response.remove("reasoning").stringValue());
        assertEquals(0, ((ObjectNode) response.get("usage")).remove("reasoningTokens").longValue());

        MissionEvent read = codec.decode(ByteBuffer.wrap(codec.write(tree)));

        assertEquals(event, read);
        ChatResponse readResponse = ((MissionEvent.LlmCallCompleted) read).response();
        assertEquals("", readResponse.reasoning());
        assertEquals(0, readResponse.usage().reasoningTokens());
    }

    @Test
    void aModelCallRecordedBeforeRequestsWereHashedReadsAsUnknown() {
        // the shape journals had before the request hash: it must still replay, trusting the response
        ObjectNode old = (ObjectNode) codec.toTree(new MissionEvent.LlmCallCompleted("c", "t", "r",
                ChatResponse.ofText("hi", Usage.ZERO, "m"), Optional.of("abc"), Instant.EPOCH));
        old.remove("requestHash");
        MissionEvent.LlmCallCompleted decoded = (MissionEvent.LlmCallCompleted) codec.decode(
                ByteBuffer.wrap(codec.write(old)));
        assertEquals(Optional.empty(), decoded.requestHash());
        assertEquals("hi", decoded.response().text());
    }

    @Test
    void aFailedCallJournalledBeforeItsRoleWasReadsWithAnEmptyOne() {
        ObjectNode old = (ObjectNode) codec.toTree(new MissionEvent.LlmCallFailed("c", "t", "worker", "boom",
                Instant.EPOCH));
        assertEquals("worker", old.remove("role").stringValue());

        MissionEvent read = codec.decode(ByteBuffer.wrap(codec.write(old)));

        assertEquals(new MissionEvent.LlmCallFailed("c", "t", "", "boom", Instant.EPOCH), read);
    }

    @Test
    void aMissionStartedJournalledBeforeItsContextExistedReadsWithAnEmptyOne() {
        MissionEvent.MissionStarted started = new MissionEvent.MissionStarted("m", "g", "/w", "true", "",
                Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), Instant.EPOCH);
        ObjectNode old = (ObjectNode) codec.toTree(started);
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                ((ObjectNode) old.remove("context")).get("traceparent").asString());

        MissionEvent.MissionStarted decoded = (MissionEvent.MissionStarted) codec.decode(
                ByteBuffer.wrap(codec.write(old)));

        assertEquals(new MissionEvent.MissionStarted("m", "g", "/w", "true", "", Instant.EPOCH), decoded);
        assertEquals(Map.of(), decoded.context());
        assertEquals(started, codec.decode(ByteBuffer.wrap(codec.encode(started))), "the context reads back");
    }

    @Test
    void aLimitChangeJournalledBeforeThePacersRatesWereReadsWithNoneKnown() {
        MissionEvent.ConcurrencyChanged changed = new MissionEvent.ConcurrencyChanged("openai/gpt/key", 2.5,
                Optional.empty(), "PACED", 53.1, 40_000, Instant.EPOCH);
        ObjectNode old = (ObjectNode) codec.toTree(changed);
        assertEquals(53.1, old.remove("requestsPerMinute").asDouble());
        old.remove("tokensPerMinute");

        MissionEvent.ConcurrencyChanged decoded = (MissionEvent.ConcurrencyChanged) codec.decode(
                ByteBuffer.wrap(codec.write(old)));

        assertEquals(new MissionEvent.ConcurrencyChanged("openai/gpt/key", 2.5, Optional.empty(), "PACED",
                Instant.EPOCH), decoded);
        assertEquals(0, decoded.requestsPerMinute());
        assertEquals(0, decoded.tokensPerMinute());
    }

    @Test
    void anUnknownKindOfEventIsRefused() {
        byte[] json = "{\"type\":\"from-the-future\",\"at\":\"2026-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
        assertThrows(JacksonException.class, () -> codec.decode(ByteBuffer.wrap(json)));
    }
}
