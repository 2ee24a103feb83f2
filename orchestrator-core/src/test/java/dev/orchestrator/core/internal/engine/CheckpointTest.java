package dev.orchestrator.core.internal.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Issue;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.CallsPaused;
import dev.orchestrator.api.MissionEvent.CommandStarted;
import dev.orchestrator.api.MissionEvent.ConcurrencyChanged;
import dev.orchestrator.api.MissionEvent.LlmCallCompleted;
import dev.orchestrator.api.MissionEvent.ToolCallCompleted;
import dev.orchestrator.api.MissionEvent.ToolCallStarted;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.RoleUsage;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.api.Usage;
import dev.orchestrator.api.VerifyResult;
import dev.orchestrator.core.internal.journal.EventCodec;
import dev.orchestrator.core.internal.journal.EventReader;
import dev.orchestrator.core.internal.json.Json;
import dev.orchestrator.core.llm.ModelPrices;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.node.ObjectNode;

/** A resume from a snapshot sees what a resume from the whole history sees. */
class CheckpointTest {

    private final CheckpointCodec codec = new CheckpointCodec(new EventCodec());

    @Test
    void resumingFromASnapshotGivesTheSameCheckpointAsReplayingEverything() {
        qt().withExamples(400).withFixedSeed(11)
                .forAll(longs().all(), integers().between(1, 400), integers().between(0, 100))
                .checkAssert((seed, length, percent) -> {
                    List<MissionEvent> history = randomMission(new SplittableRandom(seed), length);
                    int at = history.size() * percent / 100;
                    Checkpoint full = Checkpoint.EMPTY.applyAll(history);
                    Checkpoint snapshot = codec.decode(codec.encode(Checkpoint.EMPTY.applyAll(history.subList(0, at))));
                    Checkpoint resumed = snapshot.applyAll(history.subList(at, history.size()));
                    assertEquals(full, resumed, "seed " + seed + ", snapshot after " + at + " of " + history.size());
                    assertEquals(history.size(), resumed.events());
                    // the calls of tasks under way (since each last began) are answered from the carried events as
                    // from the whole history
                    List<MissionEvent> asked = full.carried().stream().filter(e -> taskOf(e).isPresent()).toList();
                    assertEquals(answers(new RecordedCalls(history), asked),
                            answers(new RecordedCalls(resumed.carried()), asked), "seed " + seed);
                });
    }

    @Test
    void everyEventOfRandomMissionsReadsBackWithTheStreamingReader() {
        EventCodec events = new EventCodec();
        qt().withExamples(100).withFixedSeed(17).forAll(longs().all()).checkAssert(seed -> {
            for (MissionEvent event : randomMission(new SplittableRandom(seed), 200)) {
                byte[] json = events.encode(event);
                try (JsonParser p = EventReader.parser(json, 0, json.length)) {
                    p.nextToken();
                    assertEquals(event, EventReader.event(p), "seed " + seed);
                }
            }
        });
    }

    @Test
    void aSnapshotWrittenInLayoutOneBeforeTheStreamingReaderStillLoadsWhole() throws IOException {
        // written by the version that decoded with databind and kept usage by model only: decoding and encoding it
        // again gives the same JSON (objects compared without regard to order), so nothing was lost or misread,
        // but for the usage, which is now written per role (the old snapshot's under the unknown role), the
        // listeners' context, which it did not have, and the pacer's rates of its limit changes (0, not known)
        byte[] old;
        try (InputStream in = getClass().getResourceAsStream("/snapshots/layout-1.json")) {
            old = in.readAllBytes();
        }
        Checkpoint decoded = codec.decode(old);
        assertEquals(40, decoded.events());
        ObjectNode before = (ObjectNode) Json.MAPPER.readTree(old);
        ObjectNode after = (ObjectNode) Json.MAPPER.readTree(codec.encode(decoded));
        assertEquals(before.remove("usageByModel").get("gpt"), after.remove("usageByRole").get(0).get("usage"));
        assertEquals(Json.MAPPER.createObjectNode(), after.remove("context"));
        for (var carried : after.get("carried")) {
            if (carried.get("type").asString().equals("concurrency-changed")) {
                assertEquals(0, ((ObjectNode) carried).remove("requestsPerMinute").asDouble());
                assertEquals(0, ((ObjectNode) carried).remove("tokensPerMinute").asDouble());
            }
        }
        // and the counts of no todo, which are no longer written
        ObjectNode counts = (ObjectNode) before.get("counts");
        List.copyOf(counts.propertyNames()).stream().filter(state -> counts.get(state).asInt() == 0)
                .forEach(counts::remove);
        assertEquals(before, after);
    }

    @Test
    void aSnapshotOfAnotherLayoutIsRefusedWithWhatToDo() {
        String json = new String(codec.encode(Checkpoint.EMPTY.applyAll(randomMission(new SplittableRandom(1), 20))),
                UTF_8);
        for (String other : List.of(json.replace("{\"format\":1,", "{\"format\":2,"),
                json.replace("{\"format\":1,", "{"))) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> codec.decode(other.getBytes(UTF_8)));
            assertTrue(refused.getMessage().contains("which this version cannot read (it reads 1): resume the "
                    + "mission with the version of Orchestrator that wrote it"), refused.getMessage());
        }
    }

    @Test
    void aTaskThatEndedForGoodLeavesNoCallsBehind() {
        Instant at = Instant.EPOCH;
        List<MissionEvent> history = List.of(
                new MissionEvent.MissionStarted("m", "g", "/w", "true", "", at),
                call("triage"), new MissionEvent.BriefWritten("b", at),
                call("plan"), new MissionEvent.TodosPlanned(0, List.of(todo("a")), List.of(), at),
                new MissionEvent.TaskDispatched("a", 1, "worker", at), call("a#1"),
                new MissionEvent.ToolCallStarted("a#1/t", "a#1", "write_file", "{}", at),
                new MissionEvent.TaskFinished("a", 1, true, "done", at),
                call("review-1"), new MissionEvent.ReviewCompleted(1, List.of(), at),
                call("fix-1"), new MissionEvent.TodosPlanned(1, List.of(), List.of(), at),
                call("review-2"));
        Checkpoint checkpoint = Checkpoint.EMPTY.applyAll(history);
        assertEquals(List.of("review-2"), checkpoint.openCalls().keySet().toJavaList(),
                "only the review still under way keeps its calls");
        assertEquals(new Usage(12, 12, 0, 0), checkpoint.usage().byModel().get("m").get());
    }

    @Test
    void aSnapshotWrittenBeforeUsageByRoleKeepsItsUsageByModelUnderAnUnknownRole() {
        EventCodec events = new EventCodec();
        Checkpoint before = Checkpoint.EMPTY.applyAll(List.of(
                new MissionEvent.MissionStarted("m", "g", "/w", "true", "", Instant.EPOCH), call("triage")));
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(codec.encode(before));
        json.remove("usageByRole");
        String usage = "{\"inputTokens\":2,\"outputTokens\":2,\"cacheReadTokens\":0,\"cacheWriteTokens\":0}";
        json.putObject("usageByModel").set("m", Json.MAPPER.readTree(usage.getBytes(UTF_8)));

        UsageLedger ledger = codec.decode(events.write(json)).usage();

        assertEquals(new Usage(2, 2, 0, 0), ledger.byModel().get("m").get());
        assertEquals(List.of(CheckpointCodec.UNKNOWN_ROLE), ledger.byRole(ModelPrices.empty()).stream()
                .map(RoleUsage::role).toList());
    }

    @Test
    void theCommandsKeptAreBoundedAndClearedByAResume() {
        Checkpoint checkpoint = Checkpoint.EMPTY;
        for (int i = 0; i < Checkpoint.COMMANDS_KEPT + 10; i++) {
            checkpoint = checkpoint.apply(new CommandStarted(i, Instant.EPOCH, Instant.EPOCH));
        }
        assertEquals(Checkpoint.COMMANDS_KEPT, checkpoint.commands().size());
        assertEquals(10, checkpoint.commands().head().pid());
        checkpoint = checkpoint.apply(new MissionEvent.MissionResumed(0, List.of(), Instant.EPOCH));
        assertTrue(checkpoint.commands().isEmpty());
    }

    private static Optional<String> taskOf(MissionEvent event) {
        return switch (event) {
            case LlmCallCompleted e -> Optional.of(e.taskId());
            case ToolCallStarted e -> Optional.of(e.taskId());
            case ToolCallCompleted e -> Optional.of(e.taskId());
            default -> Optional.empty();
        };
    }

    /** What {@code calls} answers for the calls {@code asked} records. */
    private static List<Object> answers(RecordedCalls calls, List<MissionEvent> asked) {
        List<Object> answers = new ArrayList<>();
        for (MissionEvent event : asked) {
            switch (event) {
                case LlmCallCompleted e -> answers.add(calls.call(e.taskId(), e.callId()));
                case ToolCallStarted e -> answers.add(calls.wasCutOff(e.taskId(), e.callId()));
                case ToolCallCompleted e -> answers.add(calls.toolResult(e.taskId(), e.callId()));
                default -> {
                }
            }
        }
        return answers;
    }

    private static LlmCallCompleted call(String taskId) {
        return new LlmCallCompleted("m/" + taskId + "/1", taskId, "role",
                ChatResponse.ofText("x", new Usage(2, 2, 0, 0), "m"), Instant.EPOCH);
    }

    private static Todo todo(String id) {
        return new Todo(id, "do " + id, List.of(), List.of(), "worker");
    }

    /** A mission's worth of events that a real mission could have recorded, in a random order. */
    static List<MissionEvent> randomMission(SplittableRandom random, int length) {
        List<MissionEvent> events = new ArrayList<>();
        List<String> todos = new ArrayList<>();
        List<String> tasks = new ArrayList<>(List.of("triage", "plan", "review-1", "review-2", "fix-1", "fix-2",
                "compact"));
        int calls = 0;
        Checkpoint sofar = Checkpoint.EMPTY;
        events.add(new MissionEvent.MissionStarted("m-" + random.nextInt(100), "goal", "/w", "true", "memory",
                random.nextBoolean() ? Map.of() : Map.of("traceparent", "00-" + random.nextInt() + "-01"),
                instant(random)));
        while (events.size() < length) {
            Instant at = instant(random);
            String todo = todos.isEmpty() ? null : todos.get(random.nextInt(todos.size()));
            String task = tasks.get(random.nextInt(tasks.size()));
            String limiter = random.nextBoolean() ? "openai/gpt/k1" : "anthropic/claude/k2";
            String callId = "m/" + task + "/" + ++calls;
            int kind = random.nextInt(todos.isEmpty() ? 3 : 21);
            MissionEvent event = switch (kind) {
                case 0 -> {
                    List<Todo> planned = new ArrayList<>();
                    for (int i = random.nextInt(8) == 0 ? -1 : random.nextInt(3); i >= 0; i--) {
                        String id = "t" + todos.size();
                        todos.add(id);
                        planned.add(new Todo(id, "do " + id, List.of("f" + id), List.of(), "worker"));
                    }
                    List<String> replaces = todo != null && random.nextInt(4) == 0 ? List.of(todo) : List.of();
                    yield new MissionEvent.TodosPlanned(random.nextInt(3), planned, replaces, at);
                }
                case 1 -> new MissionEvent.BriefWritten("brief " + random.nextInt(), at);
                case 2 -> new LlmCallCompleted(callId, task, random.nextBoolean() ? "commander" : "docs",
                        ChatResponse.ofText("answer", new Usage(random.nextInt(100), random.nextInt(100),
                                random.nextInt(5), 0), random.nextBoolean() ? "gpt" : "claude"), at);
                case 3 -> {
                    int attempt = 1 + random.nextInt(2);
                    tasks.add(todo + "#" + attempt);
                    yield new MissionEvent.TaskDispatched(todo, attempt, "worker", at);
                }
                case 4 -> new MissionEvent.TaskFinished(todo, 1 + random.nextInt(2), random.nextBoolean(),
                        "summary", at);
                case 5 -> new MissionEvent.TaskDeferred(task, random.nextBoolean() ? Optional.of(todo)
                        : Optional.empty(), "worker", "busy", at, at);
                case 6 -> new ToolCallStarted(callId, task, "run_command", "{\"command\":\"ls\"}", at);
                case 7 -> new ToolCallCompleted(callId, task, "run_command", new ToolResult("out", false), at);
                case 8 -> new ConcurrencyChanged(limiter, 1 + random.nextInt(16) / 3.0,
                        random.nextBoolean() ? Optional.of(at) : Optional.empty(), "429", at);
                case 9 -> new CallsPaused(limiter, "429", at.plusSeconds(30), random.nextInt(4), at);
                case 10 -> new CommandStarted(random.nextInt(1 << 20), at, at);
                case 11 -> new MissionEvent.MissionResumed(events.size(), List.of(), at);
                case 12 -> new MissionEvent.VerifyCompleted(1 + random.nextInt(3),
                        new VerifyResult("make test", random.nextInt(2), "output", false), at);
                case 13 -> new MissionEvent.ReviewCompleted(1 + random.nextInt(3), random.nextBoolean() ? List.of()
                        : List.of(new Issue("broken", List.of("a.txt"))), at);
                case 14 -> new MissionEvent.MemoryNoted("note " + random.nextInt(), at);
                case 15 -> new MissionEvent.MissionFinished(Outcome.values()[random.nextInt(Outcome.values().length)],
                        "why", at);
                case 16 -> new MissionEvent.MissionReopened(Outcome.FAILED, "why", at);
                case 17 -> new MissionEvent.CallRetried(task, 1, Duration.ofMillis(random.nextInt(1000)), "503", at);
                case 18 -> new LlmCallCompleted(callId, task, "worker", ChatResponse.ofText("answer",
                        new Usage(random.nextInt(100), random.nextInt(100), 0, 0), "gpt"),
                        Optional.of("hash" + random.nextInt(3)), at);
                // a divergence at one of the task's model calls still open, as only a task running again can have
                case 19 -> {
                    List<String> open = sofar.openCalls().get(task).getOrElse(io.vavr.collection.Vector.empty())
                            .filter(LlmCallCompleted.class::isInstance)
                            .map(e -> ((LlmCallCompleted) e).callId()).toJavaList();
                    yield open.isEmpty() ? new MissionEvent.AgentNote(task, "worker", "note", at)
                            : new MissionEvent.ReplayDiverged(open.get(random.nextInt(open.size())), task, at);
                }
                default -> new MissionEvent.AgentNote(task, "worker", "note", at);
            };
            events.add(event);
            sofar = sofar.apply(event);
        }
        return events;
    }

    private static Instant instant(SplittableRandom random) {
        return Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1_000_000), random.nextInt(1_000_000_000));
    }
}
