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
import dev.orchestrator.core.internal.journal.EventReader;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
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

    /** The role of the usage in a snapshot written before usage was kept by role. */
    static final String UNKNOWN_ROLE = "(before the snapshot)";

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
        ArrayNode ledger = root.putArray("usageByRole");
        checkpoint.usage().entries().forEach((key, entry) -> ledger.addObject().put("role", key.role())
                .put("model", key.model()).put("calls", entry.calls()).set("usage", codec.valueToTree(entry.usage())));
        ObjectNode context = root.putObject("context");
        checkpoint.context().forEach(context::put);
        ArrayNode carried = root.putArray("carried");
        checkpoint.carried().forEach(e -> carried.add(codec.toTree(e)));
        return codec.write(root);
    }

    /**
     * The checkpoint in {@code json}, read with the streaming parser ({@link EventReader}): decoding it through
     * Jackson's tree and databind took 150 ms for 1,000 todos and up to 385 ms for 8,000 in a fresh JVM.
     *
     * @throws IllegalStateException if it is not a snapshot this version can read
     */
    Checkpoint decode(byte[] json) {
        try (JsonParser p = EventReader.parser(json, 0, json.length)) {
            p.nextToken();
            EventReader.expect(p, JsonToken.START_OBJECT);
            // the layout first: what follows it is read as that layout says
            int format = p.nextToken() == JsonToken.PROPERTY_NAME && "format".equals(p.currentName())
                    && p.nextToken() == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
            if (format != FORMAT) {
                throw new IllegalStateException("the journal's newest snapshot has layout " + format + ", which this "
                        + "version cannot read (it reads " + FORMAT + "): resume the mission with the version of "
                        + "Orchestrator that wrote it");
            }
            return root(p);
        } catch (JacksonException | EventReader.Unreadable | NullPointerException | IllegalArgumentException e) {
            throw new IllegalStateException("the journal's newest snapshot cannot be read (" + e.getMessage()
                    + "): it was probably written by another version of Orchestrator; resume the mission with that "
                    + "version", e);
        }
    }

    /** The rest of the snapshot's object, after its format. */
    private static Checkpoint root(JsonParser p) {
        long events = 0;
        String missionId = null, goal = null, memory = null, brief = null;
        Optional<Instant> startedAt = Optional.empty();
        Map<String, TodoStatus> todos = HashMap.empty();
        List<String> order = List.of(), memoryNotes = List.of();
        EnumMap<State, Integer> counts = new EnumMap<>(State.class);
        MissionState.Reviews reviews = null;
        Usage usage = null;
        Optional<MissionFinished> finished = Optional.empty();
        UsageLedger ledger = UsageLedger.EMPTY;
        // absent from the snapshots of versions before it: a context that is empty
        java.util.Map<String, String> context = java.util.Map.of();
        List<MissionEvent> carried = List.of();
        while (EventReader.next(p)) {
            switch (p.currentName()) {
                case "events" -> events = EventReader.longValue(p);
                case "missionId" -> missionId = EventReader.string(p);
                case "goal" -> goal = EventReader.string(p);
                case "memory" -> memory = EventReader.string(p);
                case "startedAt" -> startedAt = Optional.ofNullable(EventReader.instant(p));
                case "brief" -> brief = EventReader.string(p);
                case "todos" -> {
                    for (TodoStatus status : EventReader.list(p, EventReader::todoStatus)) {
                        todos = todos.put(status.todo().id(), status);
                    }
                }
                case "order" -> order = EventReader.strings(p);
                case "counts" -> {
                    EventReader.expect(p, JsonToken.START_OBJECT);
                    while (EventReader.next(p)) {
                        counts.put(State.valueOf(p.currentName()), EventReader.intValue(p));
                    }
                }
                case "reviews" -> reviews = reviews(p);
                case "usage" -> usage = EventReader.usage(p);
                case "memoryNotes" -> memoryNotes = EventReader.strings(p);
                case "finished" -> finished = p.currentToken() == JsonToken.VALUE_NULL ? Optional.empty()
                        : Optional.of((MissionFinished) EventReader.event(p));
                case "usageByRole" -> {
                    EventReader.expect(p, JsonToken.START_ARRAY);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        ledger = withEntry(ledger, p);
                    }
                }
                case "usageByModel" -> {
                    // a snapshot written before usage was kept per role: its calls' role is not known any more
                    EventReader.expect(p, JsonToken.START_OBJECT);
                    while (EventReader.next(p)) {
                        ledger = ledger.with(new UsageLedger.Key(UNKNOWN_ROLE, p.currentName()),
                                new UsageLedger.Entry(0, EventReader.usage(p)));
                    }
                }
                case "context" -> context = EventReader.stringMap(p);
                case "carried" -> carried = EventReader.list(p, EventReader::event);
                default -> p.skipChildren();
            }
        }
        MissionState state = new MissionState(missionId, goal, memory, startedAt, brief, todos, Vector.ofAll(order),
                new MissionState.Counts(counts), reviews, usage, Vector.ofAll(memoryNotes), finished);
        Checkpoint checkpoint = new Checkpoint(state, 0, HashMap.empty(), HashMap.empty(), HashMap.empty(),
                Vector.empty(), ledger, java.util.Map.copyOf(context));
        // the carried events rebuild their part of the checkpoint as they did the first time; only the count
        // and usage (which calls also add to) are taken as written
        for (MissionEvent event : carried) {
            checkpoint = switch (event) {
                case MissionEvent.LlmCallCompleted e -> withCall(checkpoint, e.taskId(), e);
                case MissionEvent.ToolCallStarted e -> withCall(checkpoint, e.taskId(), e);
                case MissionEvent.ToolCallCompleted e -> withCall(checkpoint, e.taskId(), e);
                case ConcurrencyChanged e -> new Checkpoint(state, 0, checkpoint.openCalls(),
                        checkpoint.limits().put(e.limiter(), e), checkpoint.pauses(), checkpoint.commands(),
                        ledger, checkpoint.context());
                case CallsPaused e -> new Checkpoint(state, 0, checkpoint.openCalls(), checkpoint.limits(),
                        checkpoint.pauses().put(e.limiter(), e), checkpoint.commands(), ledger,
                        checkpoint.context());
                case CommandStarted e -> new Checkpoint(state, 0, checkpoint.openCalls(), checkpoint.limits(),
                        checkpoint.pauses(), checkpoint.commands().append(e), ledger,
                        checkpoint.context());
                default -> throw new IllegalStateException("the journal's newest snapshot carries a "
                        + event.getClass().getSimpleName() + " event, which no snapshot carries: it is damaged; "
                        + "restore the journal directory from a backup");
            };
        }
        return new Checkpoint(state, events, checkpoint.openCalls(), checkpoint.limits(), checkpoint.pauses(),
                checkpoint.commands(), ledger, checkpoint.context());
    }

    /** {@code ledger} with one entry of the snapshot's {@code usageByRole}: a role and model, their calls and usage. */
    private static UsageLedger withEntry(UsageLedger ledger, JsonParser p) {
        EventReader.expect(p, JsonToken.START_OBJECT);
        String role = null, model = null;
        long calls = 0;
        Usage usage = null;
        while (EventReader.next(p)) {
            switch (p.currentName()) {
                case "role" -> role = EventReader.string(p);
                case "model" -> model = EventReader.string(p);
                case "calls" -> calls = EventReader.longValue(p);
                case "usage" -> usage = EventReader.usage(p);
                default -> p.skipChildren();
            }
        }
        return ledger.with(new UsageLedger.Key(role, model), new UsageLedger.Entry(calls, usage));
    }

    private static MissionState.Reviews reviews(JsonParser p) {
        EventReader.expect(p, JsonToken.START_OBJECT);
        int verified = 0, reviewed = 0, fixed = 0;
        Optional<VerifyResult> lastVerify = Optional.empty();
        List<Issue> openIssues = List.of();
        while (EventReader.next(p)) {
            switch (p.currentName()) {
                case "verified" -> verified = EventReader.intValue(p);
                case "reviewed" -> reviewed = EventReader.intValue(p);
                case "fixed" -> fixed = EventReader.intValue(p);
                case "lastVerify" -> lastVerify = p.currentToken() == JsonToken.VALUE_NULL ? Optional.empty()
                        : Optional.of(EventReader.verifyResult(p));
                case "openIssues" -> openIssues = EventReader.list(p, EventReader::issue);
                default -> p.skipChildren();
            }
        }
        return new MissionState.Reviews(verified, reviewed, fixed, lastVerify, openIssues);
    }

    private static Vector<MissionEvent> calls(Checkpoint checkpoint, String taskId) {
        return checkpoint.openCalls().get(taskId).getOrElse(Vector.empty());
    }

    private static Checkpoint withCall(Checkpoint c, String taskId, MissionEvent call) {
        return new Checkpoint(c.state(), 0, c.openCalls().put(taskId, calls(c, taskId).append(call)), c.limits(),
                c.pauses(), c.commands(), c.usage(), c.context());
    }
}
