package dev.orchestrator.core.internal.journal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.orchestrator.api.MissionEvent;
import io.vavr.Lazy;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.NamedType;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link MissionEvent}s as JSON records of the journal. Each event carries a {@code "type"} property with a name that
 * is part of the journal format and never changes, whatever the Java class is called.
 */
public final class EventCodec {

    /** The stable name of every kind of event. A test checks that none is missing. */
    static final Map<Class<? extends MissionEvent>, String> TYPE_NAMES = Map.ofEntries(
            Map.entry(MissionEvent.MissionStarted.class, "mission-started"),
            Map.entry(MissionEvent.MissionResumed.class, "mission-resumed"),
            Map.entry(MissionEvent.MissionReopened.class, "mission-reopened"),
            Map.entry(MissionEvent.BriefWritten.class, "brief-written"),
            Map.entry(MissionEvent.TodosPlanned.class, "todos-planned"),
            Map.entry(MissionEvent.TaskDispatched.class, "task-dispatched"),
            Map.entry(MissionEvent.TasksDispatched.class, "tasks-dispatched"),
            Map.entry(MissionEvent.LlmCallCompleted.class, "llm-call-completed"),
            Map.entry(MissionEvent.LlmCallFailed.class, "llm-call-failed"),
            Map.entry(MissionEvent.CallRetried.class, "call-retried"),
            Map.entry(MissionEvent.CallWaited.class, "call-waited"),
            Map.entry(MissionEvent.ConcurrencyChanged.class, "concurrency-changed"),
            Map.entry(MissionEvent.CallsPaused.class, "calls-paused"),
            Map.entry(MissionEvent.ToolCallStarted.class, "tool-call-started"),
            Map.entry(MissionEvent.ToolCallCompleted.class, "tool-call-completed"),
            Map.entry(MissionEvent.CommandStarted.class, "command-started"),
            Map.entry(MissionEvent.TaskFinished.class, "task-finished"),
            Map.entry(MissionEvent.TaskDeferred.class, "task-deferred"),
            Map.entry(MissionEvent.VerifyCompleted.class, "verify-completed"),
            Map.entry(MissionEvent.ReviewCompleted.class, "review-completed"),
            Map.entry(MissionEvent.ReplayDiverged.class, "replay-diverged"),
            Map.entry(MissionEvent.AgentNote.class, "agent-note"),
            Map.entry(MissionEvent.MemoryNoted.class, "memory-noted"),
            Map.entry(MissionEvent.MissionFinished.class, "mission-finished"));

    /**
     * Databind, for writing and for the records the {@link EventReader} leaves to it: built at its first use, as a
     * resume reads events long before it writes one, and building it is most of what a fresh JVM pays for JSON.
     */
    private final Lazy<Databind> databind = Lazy.of(Databind::new);

    /**
     * The codec the journals and the engine share: building a mapper and its (de)serializers is much of what a
     * fresh JVM pays to resume a mission, so it is paid once per JVM, not once per journal, snapshot and mission.
     */
    public static EventCodec shared() {
        return Shared.CODEC;
    }

    private static final class Shared {
        static final EventCodec CODEC = new EventCodec();
    }

    /** A codec; it is thread-safe, and one is enough (see {@link #shared()}). */
    public EventCodec() {
    }

    private static final class Databind {
        final JsonMapper mapper = JsonMapper.builder()
                .addMixIn(MissionEvent.class, TypedByName.class)
                .registerSubtypes(TYPE_NAMES.entrySet().stream()
                        .map(e -> new NamedType(e.getKey(), e.getValue()))
                        .toArray(NamedType[]::new))
                .addModule(new SimpleModule("journal-instants")
                        .addSerializer(Instant.class, new IsoInstantSerializer())
                        .addDeserializer(Instant.class, new IsoInstantDeserializer()))
                .addModule(new SimpleModule("journal-records") {
                    @Override
                    public void setupModule(SetupContext context) {
                        super.setupModule(context);
                        context.addValueInstantiators(new RecordConstructors());
                    }
                })
                .build();
        final ObjectWriter writer = mapper.writerFor(MissionEvent.class);
        final ObjectReader reader = mapper.readerFor(MissionEvent.class);
    }

    /** The event as UTF-8 JSON. */
    public byte[] encode(MissionEvent event) {
        return databind.get().writer.writeValueAsBytes(event);
    }

    /**
     * The event in {@code json}, a heap or read-only buffer from its position to its limit.
     *
     * @throws JacksonException if it is not an event this version knows
     */
    public MissionEvent decode(ByteBuffer json) {
        if (json.hasArray()) {
            return decode(json.array(), json.arrayOffset() + json.position(), json.remaining());
        }
        byte[] copy = new byte[json.remaining()];
        json.duplicate().get(copy);
        return decode(copy, 0, copy.length);
    }

    private MissionEvent decode(byte[] json, int offset, int length) {
        try {
            return EventReader.event(json, offset, length);
        } catch (RuntimeException unread) {
            // what the streaming reader does not read (an older shape, a hand-edited record, an unknown type):
            // databind reads everything the format allows, and says what is wrong with the rest
            return databind.get().reader.readValue(json, offset, length);
        }
    }

    /**
     * The event as a JSON tree, with its type name: for a larger document that holds events (an engine snapshot),
     * encoded as the journal encodes them; {@link EventReader#event(tools.jackson.core.JsonParser)} reads it back.
     */
    public JsonNode toTree(MissionEvent event) {
        return databind.get().mapper.readTree(encode(event));
    }

    /** A value the events are made of (a todo, a usage), encoded as inside an event. */
    public JsonNode valueToTree(Object value) {
        return databind.get().mapper.valueToTree(value);
    }

    /** An empty JSON object to fill. */
    public ObjectNode objectNode() {
        return databind.get().mapper.createObjectNode();
    }

    /** The tree as UTF-8 JSON. */
    public byte[] write(JsonNode tree) {
        return databind.get().mapper.writeValueAsBytes(tree);
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
    private interface TypedByName {
    }
}
