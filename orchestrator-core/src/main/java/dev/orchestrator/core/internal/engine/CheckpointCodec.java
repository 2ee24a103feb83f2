package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Issue;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.CallsPaused;
import dev.orchestrator.api.MissionEvent.CommandStarted;
import dev.orchestrator.api.MissionEvent.ConcurrencyChanged;
import dev.orchestrator.api.MissionEvent.MissionFinished;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.api.TodoStatus.State;
import dev.orchestrator.api.Usage;
import dev.orchestrator.api.VerifyResult;
import dev.orchestrator.core.internal.journal.EventCodec;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link Checkpoint} as the JSON of an engine snapshot. The events it carries are encoded as the journal encodes
 * them (with their stable type names), and so are the values inside the state, so the snapshot format follows the
 * event format; the document has a {@code format} number of its own for changes to its layout.
 */
final class CheckpointCodec {

    /** The layout written; a snapshot of another is refused, with what to do. */
    static final int FORMAT = 1;

    private final EventCodec codec;

    CheckpointCodec(EventCodec codec) {
        this.codec = codec;
    }

    /** The checkpoint as UTF-8 JSON. */
    byte[] encode(Checkpoint checkpoint) {
        MissionState s = checkpoint.state();
        ObjectNode root = codec.objectNode();
        root.put("format", FORMAT);
        root.put("events", checkpoint.events());
        root.put("missionId", s.missionId());
        root.put("goal", s.goal());
        root.put("memory", s.memory());
        s.startedAt().ifPresent(at -> root.put("startedAt", at.toString()));
        root.put("brief", s.brief());
        ArrayNode todos = root.putArray("todos");
        s.todos().values().forEach(t -> todos.add(codec.valueToTree(t)));
        ArrayNode order = root.putArray("order");
        s.order().forEach(order::add);
        ObjectNode counts = root.putObject("counts");
        s.counts().byState().forEach((state, n) -> counts.put(state.name(), n));
        ObjectNode reviews = root.putObject("reviews");
        reviews.put("verified", s.reviews().verified());
        reviews.put("reviewed", s.reviews().reviewed());
        reviews.put("fixed", s.reviews().fixed());
        s.reviews().lastVerify().ifPresent(v -> reviews.set("lastVerify", codec.valueToTree(v)));
        ArrayNode issues = reviews.putArray("openIssues");
        s.reviews().openIssues().forEach(i -> issues.add(codec.valueToTree(i)));
        root.set("usage", codec.valueToTree(s.usage()));
        ArrayNode notes = root.putArray("memoryNotes");
        s.memoryNotes().forEach(notes::add);
        s.finished().ifPresent(f -> root.set("finished", codec.toTree(f)));
        ObjectNode byModel = root.putObject("usageByModel");
        checkpoint.usageByModel().forEach((model, usage) -> byModel.set(model, codec.valueToTree(usage)));
        ObjectNode context = root.putObject("context");
        checkpoint.context().forEach(context::put);
        ArrayNode carried = root.putArray("carried");
        checkpoint.carried().forEach(e -> carried.add(codec.toTree(e)));
        return codec.write(root);
    }

    /**
     * The checkpoint in {@code json}.
     *
     * @throws IllegalStateException if it is not a snapshot this version can read
     */
    Checkpoint decode(byte[] json) {
        try {
            JsonNode root = codec.readTree(json);
            int format = root.path("format").asInt(-1);
            if (format != FORMAT) {
                throw new IllegalStateException("the journal's newest snapshot has layout " + format + ", which this "
                        + "version cannot read (it reads " + FORMAT + "): resume the mission with the version of "
                        + "Orchestrator that wrote it");
            }
            Map<String, TodoStatus> todos = HashMap.empty();
            // as one array: a call of treeToValue per todo took 15-25 % longer in a fresh JVM (8,000 todos)
            for (TodoStatus status : codec.treeToValue(root.get("todos"), TodoStatus[].class)) {
                todos = todos.put(status.todo().id(), status);
            }
            EnumMap<State, Integer> counts = new EnumMap<>(State.class);
            root.get("counts").properties().forEach(e -> counts.put(State.valueOf(e.getKey()), e.getValue().asInt()));
            JsonNode r = root.get("reviews");
            MissionState.Reviews reviews = new MissionState.Reviews(r.get("verified").asInt(),
                    r.get("reviewed").asInt(), r.get("fixed").asInt(),
                    optional(r, "lastVerify", n -> codec.treeToValue(n, VerifyResult.class)),
                    list(r.get("openIssues"), n -> codec.treeToValue(n, Issue.class)));
            MissionState state = new MissionState(root.get("missionId").asString(), root.get("goal").asString(),
                    root.get("memory").asString(), optional(root, "startedAt", n -> Instant.parse(n.asString())),
                    root.get("brief").asString(), todos, Vector.ofAll(list(root.get("order"), JsonNode::asString)),
                    new MissionState.Counts(counts), reviews, codec.treeToValue(root.get("usage"), Usage.class),
                    Vector.ofAll(list(root.get("memoryNotes"), JsonNode::asString)),
                    optional(root, "finished", n -> (MissionFinished) codec.eventOf(n)));
            Map<String, Usage> usageByModel = HashMap.empty();
            for (var e : root.get("usageByModel").properties()) {
                usageByModel = usageByModel.put(e.getKey(), codec.treeToValue(e.getValue(), Usage.class));
            }
            java.util.Map<String, String> context = new java.util.HashMap<>();
            // absent from the snapshots of versions before it: a context that is empty
            root.path("context").properties().forEach(e -> context.put(e.getKey(), e.getValue().asString()));
            Checkpoint checkpoint = new Checkpoint(state, 0, HashMap.empty(), HashMap.empty(), HashMap.empty(),
                    Vector.empty(), usageByModel, java.util.Map.copyOf(context));
            // the carried events rebuild their part of the checkpoint as they did the first time; only the count
            // and usage (which calls also add to) are taken as written
            for (JsonNode n : root.get("carried")) {
                MissionEvent event = codec.eventOf(n);
                checkpoint = switch (event) {
                    case MissionEvent.LlmCallCompleted e -> withCall(checkpoint, e.taskId(), e);
                    case MissionEvent.ToolCallStarted e -> withCall(checkpoint, e.taskId(), e);
                    case MissionEvent.ToolCallCompleted e -> withCall(checkpoint, e.taskId(), e);
                    case ConcurrencyChanged e -> new Checkpoint(state, 0, checkpoint.openCalls(),
                            checkpoint.limits().put(e.limiter(), e), checkpoint.pauses(), checkpoint.commands(),
                            usageByModel, checkpoint.context());
                    case CallsPaused e -> new Checkpoint(state, 0, checkpoint.openCalls(), checkpoint.limits(),
                            checkpoint.pauses().put(e.limiter(), e), checkpoint.commands(), usageByModel,
                            checkpoint.context());
                    case CommandStarted e -> new Checkpoint(state, 0, checkpoint.openCalls(), checkpoint.limits(),
                            checkpoint.pauses(), checkpoint.commands().append(e), usageByModel,
                            checkpoint.context());
                    default -> throw new IllegalStateException("the journal's newest snapshot carries a "
                            + event.getClass().getSimpleName() + " event, which no snapshot carries: it is damaged; "
                            + "restore the journal directory from a backup");
                };
            }
            return new Checkpoint(state, root.get("events").asLong(), checkpoint.openCalls(), checkpoint.limits(),
                    checkpoint.pauses(), checkpoint.commands(), usageByModel, checkpoint.context());
        } catch (JacksonException | NullPointerException e) {
            throw new IllegalStateException("the journal's newest snapshot cannot be read (" + e.getMessage()
                    + "): it was probably written by another version of Orchestrator; resume the mission with that "
                    + "version", e);
        }
    }

    private static Vector<MissionEvent> calls(Checkpoint checkpoint, String taskId) {
        return checkpoint.openCalls().get(taskId).getOrElse(Vector.empty());
    }

    private static Checkpoint withCall(Checkpoint c, String taskId, MissionEvent call) {
        return new Checkpoint(c.state(), 0, c.openCalls().put(taskId, calls(c, taskId).append(call)), c.limits(),
                c.pauses(), c.commands(), c.usageByModel(), c.context());
    }

    private static <T> Optional<T> optional(JsonNode parent, String field, Function<JsonNode, T> read) {
        JsonNode node = parent.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(read.apply(node));
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> read) {
        List<T> list = new ArrayList<>();
        array.forEach(n -> list.add(read.apply(n)));
        return list;
    }
}
