package dev.orchestrator.benchmarks.frugal;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The seed's Commander, rebuilt beside this engine: a model conversation that launches the plan's todos with
 * {@code launch_task} and then checks on them at a fixed interval, a {@code list_tasks} turn each time and a
 * {@code get_task_result} turn for the tasks it finds finished, until every todo is done. Its tools answer from the
 * mission's own events (the engine runs the tasks); its calls go to the model like any other, as role
 * {@code commander}, and nothing of it is journaled: a resumed seed starts this conversation again.
 */
final class SeedCommander implements MissionListener {

    static final String TASK = "seed-commander";
    private static final Pattern TODO_ID = Pattern.compile("\"todo_id\":\"([^\"]+)\"");
    private static final Pattern FINISHED = Pattern.compile("^(todo-\\d+) \\[(done|failed)]", Pattern.MULTILINE);
    private static final List<ToolSpec> TOOLS = List.of(
            new ToolSpec("launch_task", "Start a task: an agent of the given role works on one todo in the "
                    + "background. Returns at once; check on it with list_tasks.", """
                    {"type":"object","properties":{"todo_id":{"type":"string"},"agent":{"type":"string"},\
                    "description":{"type":"string"}},"required":["todo_id","agent","description"]}"""),
            new ToolSpec("list_tasks", "List every task with its state: pending, running, done or failed.",
                    "{\"type\":\"object\",\"properties\":{}}"),
            new ToolSpec("get_task_result", "The result of a finished task: its summary, or why it failed.",
                    "{\"type\":\"object\",\"properties\":{\"todo_id\":{\"type\":\"string\"}},"
                            + "\"required\":[\"todo_id\"]}"));

    private final LlmProvider model;
    private final Duration interval;
    private final String goal;
    private final Map<String, String> states = new LinkedHashMap<>();
    private final Map<String, String> summaries = new LinkedHashMap<>();
    private final List<Todo> plan = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Thread loop;

    SeedCommander(LlmProvider model, Duration interval, String goal) {
        this.model = model;
        this.interval = interval;
        this.goal = goal;
    }

    @Override
    public synchronized void onEvent(MissionEvent event, MissionProgress progress) {
        switch (event) {
            case MissionEvent.TodosPlanned planned when loop == null -> {
                plan.addAll(planned.todos());
                planned.todos().forEach(todo -> states.put(todo.id(), "pending"));
                loop = Thread.ofPlatform().name("seed-commander").start(this::run);
            }
            case MissionEvent.TaskDispatched dispatched -> states.put(dispatched.todoId(), "running");
            case MissionEvent.TaskFinished finished -> {
                states.put(finished.todoId(), finished.succeeded() ? "done" : "failed");
                summaries.put(finished.todoId(), finished.summary());
            }
            case MissionEvent.MissionFinished end -> stopped.countDown();
            default -> {
            }
        }
    }

    /** The conversation: a model turn, its tools, and a wait of the interval unless a result is to be fetched. */
    private void run() {
        List<Message> messages = new ArrayList<>(List.of(Message.user(start())));
        try {
            for (int turn = 0; stopped.getCount() > 0; turn++) {
                ChatResponse response = model.chat(ChatRequest.builder().system(SYSTEM).messages(messages)
                        .tools(TOOLS).model(model.defaultModel()).metadata(ChatRequest.ROLE, Agent.COMMANDER)
                        .metadata(ChatRequest.TASK, TASK).metadata(ChatRequest.TURN, Integer.toString(turn))
                        .build());
                messages.add(response.toMessage());
                for (ToolCall call : response.toolCalls()) {
                    messages.add(new Message.ToolResult(call.id(), call.name(), answer(call), false));
                }
                if (allFetched(messages)) {
                    return;
                }
                if (response.toolCalls().stream().noneMatch(c -> c.name().equals("list_tasks"))
                        || unfetched(messages).isEmpty()) {
                    stopped.await(interval.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the crash stops the model too; the resumed seed starts a new conversation
            if (stopped.getCount() > 0) {
                throw e;
            }
        }
    }

    private synchronized String start() {
        return "# Goal\n\n" + goal + "\n\n# Plan\n\n" + plan.stream().map(t -> "- " + t.id() + ": " + t.description())
                .collect(Collectors.joining("\n")) + "\n\nLaunch the tasks, follow them and collect their results.";
    }

    private synchronized String answer(ToolCall call) {
        return switch (call.name()) {
            case "launch_task" -> "launched";
            case "list_tasks" -> plan.stream().map(t -> t.id() + " [" + states.get(t.id()) + "] " + t.description())
                    .collect(Collectors.joining("\n"));
            case "get_task_result" -> {
                String id = todoId(call);
                yield states.get(id) + ": " + summaries.getOrDefault(id, "(no result yet)");
            }
            default -> throw new IllegalArgumentException(call.name());
        };
    }

    private synchronized boolean allFetched(List<Message> messages) {
        return fetched(messages).containsAll(plan.stream().map(Todo::id).toList());
    }

    /** The seed Commander's model: launch everything, then list, and fetch what the last list shows finished. */
    static ChatResponse reply(ChatRequest request) {
        List<Message> messages = request.messages();
        if (messages.getLast() instanceof Message.User user) {
            List<ToolCall> launches = new ArrayList<>();
            user.text().lines().filter(line -> line.startsWith("- todo-")).forEach(line -> {
                String id = line.substring(2, line.indexOf(':'));
                launches.add(new ToolCall("", "launch_task", "{\"todo_id\":\"" + id + "\",\"agent\":\"worker\","
                        + "\"description\":\"" + line.substring(line.indexOf(':') + 2) + "\"}"));
            });
            return ScriptedProvider.toolCalls(launches.toArray(ToolCall[]::new)).apply(request);
        }
        List<String> toFetch = unfetched(messages);
        if (toFetch.isEmpty()) {
            return ScriptedProvider.toolCall("list_tasks", "{}").apply(request);
        }
        return ScriptedProvider.toolCalls(toFetch.stream().map(id -> new ToolCall("", "get_task_result",
                "{\"todo_id\":\"" + id + "\"}")).toArray(ToolCall[]::new)).apply(request);
    }

    /** The finished tasks the last {@code list_tasks} showed whose results were not fetched yet. */
    private static List<String> unfetched(List<Message> messages) {
        if (!(messages.getLast() instanceof Message.ToolResult last) || !last.toolName().equals("list_tasks")) {
            return List.of();
        }
        Set<String> fetched = fetched(messages);
        return FINISHED.matcher(last.content()).results().map(m -> m.group(1)).filter(id -> !fetched.contains(id))
                .toList();
    }

    private static Set<String> fetched(List<Message> messages) {
        return messages.stream().flatMap(m -> m instanceof Message.Assistant a ? a.toolCalls().stream()
                        : Stream.empty())
                .filter(call -> call.name().equals("get_task_result")).map(SeedCommander::todoId)
                .collect(Collectors.toSet());
    }

    private static String todoId(ToolCall call) {
        Matcher id = TODO_ID.matcher(call.arguments());
        if (!id.find()) {
            throw new IllegalArgumentException("no todo_id in " + call.arguments());
        }
        return id.group(1);
    }

    /** Stops the conversation and waits for it. */
    void stop() throws InterruptedException {
        stopped.countDown();
        Thread running;
        synchronized (this) {
            running = loop;
        }
        if (running != null) {
            running.join();
        }
    }

    private static final String SYSTEM = systemPrompt();

    /** The engine's own Commander prompt: the seed's would be as long. */
    private static String systemPrompt() {
        try (InputStream in = SeedCommander.class.getResourceAsStream("/prompts/commander-system.md")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
