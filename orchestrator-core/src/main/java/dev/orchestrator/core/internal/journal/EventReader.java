package dev.orchestrator.core.internal.journal;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Issue;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.api.StopReason;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.api.Usage;
import dev.orchestrator.api.VerifyResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads the journal's events, and the values they are made of, as {@link EventCodec} writes them, with Jackson's
 * streaming parser and code written for each type. A fresh JVM that resumes a mission reads events before it
 * writes one, and building databind's (de)serializers for the events took most of such a resume (about 1,200
 * classes loaded, reflection over every record); this reader loads a few dozen classes of jackson-core.
 *
 * <p>It reads the layout the codec writes: an event's {@code "type"} first, properties in any order, unknown ones
 * skipped, optional ones possibly absent. Whatever else it meets (the type later in the object, a value of another
 * JSON type, a name it does not know) it refuses with {@link Unreadable}, and {@link EventCodec} then decides with
 * databind, which reads all JSON the format allows, so the two never disagree on what a record holds.
 */
public final class EventReader {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private EventReader() {
    }

    /** What this reader does not read; databind decides about it. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** An event that goes through the parser, the todos and the instants, as a resume's first reads do. */
    private static final byte[] SAMPLE = ("{\"type\":\"todos-planned\",\"iteration\":0,\"todos\":[{\"id\":\"t1\","
            + "\"description\":\"a\",\"files\":[\"a.txt\"],\"dependsOn\":[],\"role\":\"worker\"}],\"replaces\":[],"
            + "\"at\":\"2026-01-01T00:00:00.123Z\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * Reads one sample event, so that the parser's and this reader's classes are loaded and initialised: a journal
     * does it on another thread while it recovers (see {@code FileJournal.Builder.open()}), and a resume in a fresh
     * JVM then finds them ready instead of loading them (some 100 classes of jackson-core) before its first read.
     */
    public static void warmUp() {
        event(SAMPLE, 0, SAMPLE.length);
    }

    /** A parser over UTF-8 {@code json}; the caller closes it. */
    public static JsonParser parser(byte[] json, int offset, int length) {
        return FACTORY.createParser(ObjectReadContext.empty(), json, offset, length);
    }

    /** The event in {@code json}, which holds nothing else. */
    static MissionEvent event(byte[] json, int offset, int length) {
        try (JsonParser p = parser(json, offset, length)) {
            p.nextToken();
            MissionEvent event = event(p);
            if (p.nextToken() != null) {
                throw new Unreadable("more than one value");
            }
            return event;
        }
    }

    /** The event whose {@code START_OBJECT} is the parser's current token; it is left at the event's end. */
    public static MissionEvent event(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        if (p.nextToken() != JsonToken.PROPERTY_NAME || !"type".equals(p.currentName())
                || p.nextToken() != JsonToken.VALUE_STRING) {
            throw new Unreadable("an event whose type is not its first property");
        }
        return switch (p.getString()) {
            case "mission-started" -> missionStarted(p);
            case "mission-resumed" -> missionResumed(p);
            case "mission-reopened" -> missionReopened(p);
            case "brief-written" -> briefWritten(p);
            case "todos-planned" -> todosPlanned(p);
            case "task-dispatched" -> taskDispatched(p);
            case "tasks-dispatched" -> tasksDispatched(p);
            case "llm-call-completed" -> llmCallCompleted(p);
            case "llm-call-failed" -> llmCallFailed(p);
            case "call-retried" -> callRetried(p);
            case "call-waited" -> callWaited(p);
            case "concurrency-changed" -> concurrencyChanged(p);
            case "calls-paused" -> callsPaused(p);
            case "tool-call-started" -> toolCallStarted(p);
            case "tool-call-completed" -> toolCallCompleted(p);
            case "command-started" -> commandStarted(p);
            case "task-finished" -> taskFinished(p);
            case "task-deferred" -> taskDeferred(p);
            case "verify-completed" -> verifyCompleted(p);
            case "review-completed" -> reviewCompleted(p);
            case "replay-diverged" -> replayDiverged(p);
            case "agent-note" -> agentNote(p);
            case "memory-noted" -> memoryNoted(p);
            case "mission-finished" -> missionFinished(p);
            default -> throw new Unreadable("an event of type " + p.getString());
        };
    }

    private static MissionEvent missionStarted(JsonParser p) {
        String missionId = null, goal = null, workspace = null, verify = null, memory = null;
        Map<String, String> context = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "missionId" -> missionId = string(p);
                case "goal" -> goal = string(p);
                case "workspace" -> workspace = string(p);
                case "verifyCommand" -> verify = string(p);
                case "memory" -> memory = string(p);
                case "context" -> context = p.currentToken() == JsonToken.VALUE_NULL ? null : stringMap(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.MissionStarted(missionId, goal, workspace, verify, memory, context, at);
    }

    private static MissionEvent missionResumed(JsonParser p) {
        long replayed = 0;
        List<String> tasks = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "eventsReplayed" -> replayed = longValue(p);
                case "tasksResumed" -> tasks = strings(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.MissionResumed(replayed, tasks, at);
    }

    private static MissionEvent missionReopened(JsonParser p) {
        MissionResult.Outcome outcome = null;
        String reason = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "previousOutcome" -> outcome = MissionResult.Outcome.valueOf(string(p));
                case "previousReason" -> reason = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.MissionReopened(outcome, reason, at);
    }

    private static MissionEvent briefWritten(JsonParser p) {
        String brief = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "brief" -> brief = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.BriefWritten(brief, at);
    }

    private static MissionEvent todosPlanned(JsonParser p) {
        int iteration = 0;
        List<Todo> todos = null;
        List<String> replaces = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "iteration" -> iteration = intValue(p);
                case "todos" -> todos = list(p, EventReader::todo);
                case "replaces" -> replaces = strings(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.TodosPlanned(iteration, todos, replaces, at);
    }

    private static MissionEvent taskDispatched(JsonParser p) {
        String todoId = null, role = null;
        int attempt = 0;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "todoId" -> todoId = string(p);
                case "attempt" -> attempt = intValue(p);
                case "role" -> role = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.TaskDispatched(todoId, attempt, role, at);
    }

    private static MissionEvent tasksDispatched(JsonParser p) {
        List<MissionEvent.TasksDispatched.Dispatch> tasks = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "tasks" -> tasks = list(p, EventReader::dispatch);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.TasksDispatched(tasks, at);
    }

    private static MissionEvent.TasksDispatched.Dispatch dispatch(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        String todoId = null, role = null;
        int attempt = 0;
        while (next(p)) {
            switch (p.currentName()) {
                case "todoId" -> todoId = string(p);
                case "attempt" -> attempt = intValue(p);
                case "role" -> role = string(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.TasksDispatched.Dispatch(todoId, attempt, role);
    }

    private static MissionEvent llmCallCompleted(JsonParser p) {
        String callId = null, taskId = null, role = null;
        ChatResponse response = null;
        Optional<String> requestHash = Optional.empty();
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "callId" -> callId = string(p);
                case "taskId" -> taskId = string(p);
                case "role" -> role = string(p);
                case "response" -> response = chatResponse(p);
                case "requestHash" -> requestHash = Optional.ofNullable(string(p));
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.LlmCallCompleted(callId, taskId, role, response, requestHash, at);
    }

    private static MissionEvent llmCallFailed(JsonParser p) {
        String callId = null, taskId = null, role = "", error = null; // journals before the role have none
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "callId" -> callId = string(p);
                case "taskId" -> taskId = string(p);
                case "role" -> role = string(p);
                case "error" -> error = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.LlmCallFailed(callId, taskId, role, error, at);
    }

    private static MissionEvent callRetried(JsonParser p) {
        String taskId = null, error = null;
        int attempt = 0;
        Duration delay = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "taskId" -> taskId = string(p);
                case "attempt" -> attempt = intValue(p);
                case "delay" -> delay = duration(p);
                case "error" -> error = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.CallRetried(taskId, attempt, delay, error, at);
    }

    private static MissionEvent callWaited(JsonParser p) {
        String limiter = null;
        Duration waited = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "limiter" -> limiter = string(p);
                case "waited" -> waited = duration(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.CallWaited(limiter, waited, at);
    }

    private static MissionEvent concurrencyChanged(JsonParser p) {
        String limiter = null, cause = null;
        double limit = 0, requestsPerMinute = 0, tokensPerMinute = 0;
        Optional<Instant> pausedUntil = Optional.empty();
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "limiter" -> limiter = string(p);
                case "limit" -> limit = doubleValue(p);
                case "pausedUntil" -> pausedUntil = Optional.ofNullable(instant(p));
                case "cause" -> cause = string(p);
                // absent from journals written before the pacer's rates were: not known, 0
                case "requestsPerMinute" -> requestsPerMinute = doubleValue(p);
                case "tokensPerMinute" -> tokensPerMinute = doubleValue(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.ConcurrencyChanged(limiter, limit, pausedUntil, cause, requestsPerMinute,
                tokensPerMinute, at);
    }

    private static MissionEvent callsPaused(JsonParser p) {
        String limiter = null, cause = null;
        Instant until = null, at = null;
        int queued = 0;
        while (next(p)) {
            switch (p.currentName()) {
                case "limiter" -> limiter = string(p);
                case "cause" -> cause = string(p);
                case "until" -> until = instant(p);
                case "queued" -> queued = intValue(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.CallsPaused(limiter, cause, until, queued, at);
    }

    private static MissionEvent toolCallStarted(JsonParser p) {
        String callId = null, taskId = null, tool = null, arguments = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "callId" -> callId = string(p);
                case "taskId" -> taskId = string(p);
                case "tool" -> tool = string(p);
                case "arguments" -> arguments = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.ToolCallStarted(callId, taskId, tool, arguments, at);
    }

    private static MissionEvent toolCallCompleted(JsonParser p) {
        String callId = null, taskId = null, tool = null;
        ToolResult result = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "callId" -> callId = string(p);
                case "taskId" -> taskId = string(p);
                case "tool" -> tool = string(p);
                case "result" -> result = toolResult(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.ToolCallCompleted(callId, taskId, tool, result, at);
    }

    private static MissionEvent commandStarted(JsonParser p) {
        long pid = 0;
        Instant processStart = null, at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "pid" -> pid = longValue(p);
                case "processStart" -> processStart = instant(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.CommandStarted(pid, processStart, at);
    }

    private static MissionEvent taskFinished(JsonParser p) {
        String todoId = null, summary = null;
        int attempt = 0;
        boolean succeeded = false;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "todoId" -> todoId = string(p);
                case "attempt" -> attempt = intValue(p);
                case "succeeded" -> succeeded = bool(p);
                case "summary" -> summary = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.TaskFinished(todoId, attempt, succeeded, summary, at);
    }

    private static MissionEvent taskDeferred(JsonParser p) {
        String taskId = null, role = null, reason = null;
        Optional<String> todoId = Optional.empty();
        Instant retryAt = null, at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "taskId" -> taskId = string(p);
                case "todoId" -> todoId = Optional.ofNullable(string(p));
                case "role" -> role = string(p);
                case "reason" -> reason = string(p);
                case "retryAt" -> retryAt = instant(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.TaskDeferred(taskId, todoId, role, reason, retryAt, at);
    }

    private static MissionEvent verifyCompleted(JsonParser p) {
        int iteration = 0;
        VerifyResult result = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "iteration" -> iteration = intValue(p);
                case "result" -> result = verifyResult(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.VerifyCompleted(iteration, result, at);
    }

    private static MissionEvent reviewCompleted(JsonParser p) {
        int iteration = 0;
        List<Issue> issues = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "iteration" -> iteration = intValue(p);
                case "issues" -> issues = list(p, EventReader::issue);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.ReviewCompleted(iteration, issues, at);
    }

    private static MissionEvent replayDiverged(JsonParser p) {
        String callId = null, taskId = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "callId" -> callId = string(p);
                case "taskId" -> taskId = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.ReplayDiverged(callId, taskId, at);
    }

    private static MissionEvent agentNote(JsonParser p) {
        String taskId = null, role = null, text = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "taskId" -> taskId = string(p);
                case "role" -> role = string(p);
                case "text" -> text = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.AgentNote(taskId, role, text, at);
    }

    private static MissionEvent memoryNoted(JsonParser p) {
        String note = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "note" -> note = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.MemoryNoted(note, at);
    }

    private static MissionEvent missionFinished(JsonParser p) {
        MissionResult.Outcome outcome = null;
        String reason = null;
        Instant at = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "outcome" -> outcome = MissionResult.Outcome.valueOf(string(p));
                case "reason" -> reason = string(p);
                case "at" -> at = instant(p);
                default -> p.skipChildren();
            }
        }
        return new MissionEvent.MissionFinished(outcome, reason, at);
    }

    /** The todo whose {@code START_OBJECT} is the current token. */
    public static Todo todo(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        String id = null, description = null, role = null;
        List<String> files = null, dependsOn = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "id" -> id = string(p);
                case "description" -> description = string(p);
                case "files" -> files = strings(p);
                case "dependsOn" -> dependsOn = strings(p);
                case "role" -> role = string(p);
                default -> p.skipChildren();
            }
        }
        return new Todo(id, description, files, dependsOn, role);
    }

    /** The todo's status whose {@code START_OBJECT} is the current token. */
    public static TodoStatus todoStatus(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        Todo todo = null;
        TodoStatus.State state = null;
        int attempts = 0;
        String summary = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "todo" -> todo = todo(p);
                case "state" -> state = TodoStatus.State.valueOf(string(p));
                case "attempts" -> attempts = intValue(p);
                case "summary" -> summary = string(p);
                default -> p.skipChildren();
            }
        }
        return new TodoStatus(todo, state, attempts, summary);
    }

    /** The issue whose {@code START_OBJECT} is the current token. */
    public static Issue issue(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        String description = null;
        List<String> files = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "description" -> description = string(p);
                case "files" -> files = strings(p);
                default -> p.skipChildren();
            }
        }
        return new Issue(description, files);
    }

    /** The verify result whose {@code START_OBJECT} is the current token. */
    public static VerifyResult verifyResult(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        String command = null, output = null;
        int exitCode = 0;
        boolean timedOut = false;
        while (next(p)) {
            switch (p.currentName()) {
                case "command" -> command = string(p);
                case "exitCode" -> exitCode = intValue(p);
                case "output" -> output = string(p);
                case "timedOut" -> timedOut = bool(p);
                default -> p.skipChildren();
            }
        }
        return new VerifyResult(command, exitCode, output, timedOut);
    }

    /** The usage whose {@code START_OBJECT} is the current token. */
    public static Usage usage(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        long input = 0, output = 0, cacheRead = 0, cacheWrite = 0, reasoning = 0;
        while (next(p)) {
            switch (p.currentName()) {
                case "inputTokens" -> input = longValue(p);
                case "outputTokens" -> output = longValue(p);
                case "cacheReadTokens" -> cacheRead = longValue(p);
                case "cacheWriteTokens" -> cacheWrite = longValue(p);
                case "reasoningTokens" -> reasoning = longValue(p);
                default -> p.skipChildren();
            }
        }
        return new Usage(input, output, cacheRead, cacheWrite, reasoning);
    }

    private static ChatResponse chatResponse(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        String text = null, model = null, reasoning = null;
        List<ToolCall> toolCalls = null;
        StopReason stopReason = null;
        Usage usage = null;
        RateLimits rateLimits = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "text" -> text = string(p);
                case "toolCalls" -> toolCalls = list(p, EventReader::toolCall);
                case "stopReason" -> stopReason = StopReason.valueOf(string(p));
                case "usage" -> usage = usage(p);
                case "model" -> model = string(p);
                case "rateLimits" -> rateLimits = rateLimits(p);
                case "reasoning" -> reasoning = string(p);
                default -> p.skipChildren();
            }
        }
        return new ChatResponse(text, toolCalls, stopReason, usage, model, rateLimits, reasoning);
    }

    private static ToolCall toolCall(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        String id = null, name = null, arguments = null;
        while (next(p)) {
            switch (p.currentName()) {
                case "id" -> id = string(p);
                case "name" -> name = string(p);
                case "arguments" -> arguments = string(p);
                default -> p.skipChildren();
            }
        }
        return new ToolCall(id, name, arguments);
    }

    private static RateLimits rateLimits(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        OptionalLong remainingRequests = OptionalLong.empty(), remainingTokens = OptionalLong.empty();
        OptionalLong requestLimit = OptionalLong.empty(), tokenLimit = OptionalLong.empty();
        Optional<Duration> requestsReset = Optional.empty(), tokensReset = Optional.empty();
        while (next(p)) {
            switch (p.currentName()) {
                case "remainingRequests" -> remainingRequests = optionalLong(p);
                case "remainingTokens" -> remainingTokens = optionalLong(p);
                case "requestsReset" -> requestsReset = Optional.ofNullable(duration(p));
                case "tokensReset" -> tokensReset = Optional.ofNullable(duration(p));
                case "requestLimit" -> requestLimit = optionalLong(p);
                case "tokenLimit" -> tokenLimit = optionalLong(p);
                default -> p.skipChildren();
            }
        }
        return new RateLimits(remainingRequests, remainingTokens, requestsReset, tokensReset, requestLimit,
                tokenLimit);
    }

    private static ToolResult toolResult(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        String content = null;
        boolean isError = false;
        while (next(p)) {
            switch (p.currentName()) {
                case "content" -> content = string(p);
                case "isError" -> isError = bool(p);
                default -> p.skipChildren();
            }
        }
        return new ToolResult(content, isError);
    }

    /**
     * Moves to the next property's value, its name in {@link JsonParser#currentName()}; false at the end of the
     * object.
     */
    public static boolean next(JsonParser p) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.END_OBJECT) {
            return false;
        }
        if (token != JsonToken.PROPERTY_NAME) {
            throw new Unreadable("a " + token + " where a property belongs");
        }
        p.nextToken();
        return true;
    }

    /** The array of values at the current token, each read by {@code item} from its first token. */
    public static <T> List<T> list(JsonParser p, Function<JsonParser, T> item) {
        expect(p, JsonToken.START_ARRAY);
        List<T> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(item.apply(p));
        }
        return list;
    }

    /** The object of string values at the current token, in its order. */
    public static Map<String, String> stringMap(JsonParser p) {
        expect(p, JsonToken.START_OBJECT);
        Map<String, String> map = new LinkedHashMap<>();
        while (next(p)) {
            map.put(p.currentName(), string(p));
        }
        return map;
    }

    /** The array of strings at the current token. */
    public static List<String> strings(JsonParser p) {
        return list(p, EventReader::string);
    }

    /** The string at the current token; null for a JSON null. */
    public static String string(JsonParser p) {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getString();
            case VALUE_NULL -> null;
            default -> throw new Unreadable("a " + p.currentToken() + " where a string belongs");
        };
    }

    /** The instant at the current token, in ISO-8601; null for a JSON null. */
    public static Instant instant(JsonParser p) {
        String text = string(p);
        return text == null ? null : IsoInstants.parse(text);
    }

    private static Duration duration(JsonParser p) {
        String text = string(p);
        return text == null ? null : Duration.parse(text);
    }

    /** The integer at the current token. */
    public static int intValue(JsonParser p) {
        expect(p, JsonToken.VALUE_NUMBER_INT);
        return p.getIntValue();
    }

    /** The integer at the current token, as a long. */
    public static long longValue(JsonParser p) {
        expect(p, JsonToken.VALUE_NUMBER_INT);
        return p.getLongValue();
    }

    private static OptionalLong optionalLong(JsonParser p) {
        return p.currentToken() == JsonToken.VALUE_NULL ? OptionalLong.empty() : OptionalLong.of(longValue(p));
    }

    private static double doubleValue(JsonParser p) {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_FLOAT && p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new Unreadable("a " + p.currentToken() + " where a number belongs");
        }
        return p.getDoubleValue();
    }

    private static boolean bool(JsonParser p) {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> throw new Unreadable("a " + p.currentToken() + " where a boolean belongs");
        };
    }

    /** Refuses anything but {@code token} at the parser's position. */
    public static void expect(JsonParser p, JsonToken token) {
        if (p.currentToken() != token) {
            throw new Unreadable("a " + p.currentToken() + " where a " + token + " belongs");
        }
    }
}
