package dev.orchestrator.core.llm;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Issue;
import dev.orchestrator.api.Todo;
import dev.orchestrator.core.internal.agents.Answers;
import dev.orchestrator.core.internal.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Typed replies for a {@link ScriptedProvider}: the answers of the built-in agents and calls of tools, without
 * hand-written JSON. The JSON they produce is the one the built-in agents read, so a script cannot drift from it.
 *
 * <pre>{@code
 * import static dev.orchestrator.core.llm.ScriptedReplies.*;
 *
 * ScriptedProvider.builder()
 *     .onTask(Agent.COMMANDER, "triage", brief("One file, hello.txt."))
 *     .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Write hello.txt").writes("hello.txt")))
 *     .onTask(Agent.WORKER, "t1#1", writeFile("hello.txt", "hello\n"), text("Wrote hello.txt."))
 *     .onTask(Agent.REVIEWER, "review-1", issues())
 *     .build();
 * }</pre>
 *
 * <p>A Worker's task id is its todo's id and attempt ({@code t1#1}); the Commander's are {@code triage} and
 * {@code fix-N}, the Planner's {@code plan}, the Reviewer's {@code review-N}, for review N from 1.
 */
public final class ScriptedReplies {

    private ScriptedReplies() {
    }

    /**
     * A todo for {@link #plan} or {@link #fixes}, done by a Worker.
     *
     * @param id its id, unique in the mission
     * @param description what to do
     * @return the todo, with no files and no dependencies yet
     */
    public static PlannedTodo todo(String id, String description) {
        return new PlannedTodo(id, description, List.of(), List.of());
    }

    /**
     * A todo to plan: {@link #writes} and {@link #dependsOn} add what a model would say about it.
     *
     * @param id its id
     * @param description what to do
     * @param files the files it creates or changes
     * @param dependsOn the ids of the todos that must be done first
     */
    public record PlannedTodo(String id, String description, List<String> files, List<String> dependsOn) {

        /** Copies the lists. */
        public PlannedTodo {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(description, "description");
            files = List.copyOf(files);
            dependsOn = List.copyOf(dependsOn);
        }

        /**
         * {@return this todo, also creating or changing {@code more}}
         *
         * @param more paths relative to the workspace
         */
        public PlannedTodo writes(String... more) {
            return new PlannedTodo(id, description, concat(files, more), dependsOn);
        }

        /**
         * {@return this todo, also waiting for {@code ids}}
         *
         * @param ids ids of other todos
         */
        public PlannedTodo dependsOn(String... ids) {
            return new PlannedTodo(id, description, files, concat(dependsOn, ids));
        }

        Todo toTodo() {
            return Todo.of(id, description, files, dependsOn);
        }

        private static List<String> concat(List<String> first, String... more) {
            List<String> all = new ArrayList<>(first);
            all.addAll(Arrays.asList(more));
            return all;
        }
    }

    /**
     * The Commander's brief for the Planner (its answer to the {@code triage} task).
     *
     * @param brief what the Planner needs to know
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> brief(String brief) {
        return toolCall(Answers.WRITE_BRIEF_TOOL, () -> Answers.briefArguments(brief));
    }

    /**
     * The Planner's plan (its answer to the {@code plan} task).
     *
     * @param todos the todos, in order
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> plan(PlannedTodo... todos) {
        return toolCall(Answers.SUBMIT_PLAN_TOOL, () -> todosArguments(todos));
    }

    /**
     * The Commander's fixes after a review (its answer to a {@code fix-N} task); none when nothing needs doing.
     *
     * @param todos the fix todos, in order
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> fixes(PlannedTodo... todos) {
        return toolCall(Answers.PLAN_FIXES_TOOL, () -> todosArguments(todos));
    }

    /**
     * The Reviewer's findings (its answer to a {@code review-N} task); none when the goal is met.
     *
     * @param issues the issues still open
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> issues(Issue... issues) {
        List<Issue> list = List.of(issues);
        return toolCall(Answers.REPORT_ISSUES_TOOL, () -> Answers.issuesArguments(list));
    }

    /**
     * An issue for {@link #issues}.
     *
     * @param description what is wrong, where, and what is expected
     * @param files the files concerned
     * @return the issue
     */
    public static Issue issue(String description, String... files) {
        return new Issue(description, List.of(files));
    }

    /**
     * A call of {@code remember}, which every built-in agent has: a note for later missions on the project.
     *
     * @param note the note
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> remember(String note) {
        return toolCall(Answers.REMEMBER_TOOL, () -> Answers.rememberArguments(note));
    }

    /**
     * A call of any tool, with arguments given as a map (written as a JSON object).
     *
     * @param tool the tool's name
     * @param arguments the arguments by name; values are strings, numbers, booleans, lists or maps
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> call(String tool, Map<String, ?> arguments) {
        Map<String, ?> copy = new LinkedHashMap<>(arguments);
        return toolCall(tool, () -> Json.MAPPER.writeValueAsString(copy));
    }

    /**
     * A call of any tool, with arguments given as a record (written as a JSON object of its components), such as
     * the record a custom tool reads its arguments into.
     *
     * @param tool the tool's name
     * @param arguments the arguments
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> call(String tool, Record arguments) {
        return toolCall(tool, () -> Json.MAPPER.writeValueAsString(arguments));
    }

    /**
     * A call of the built-in {@code write_file}.
     *
     * @param path the file, relative to the workspace
     * @param content its whole new content
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> writeFile(String path, String content) {
        return call("write_file", ordered("path", path, "content", content));
    }

    /**
     * A call of the built-in {@code edit_file}: {@code oldText} must occur exactly once in the file.
     *
     * @param path the file, relative to the workspace
     * @param oldText the text to replace
     * @param newText what replaces it
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> editFile(String path, String oldText, String newText) {
        return call("edit_file", ordered("path", path, "old_text", oldText, "new_text", newText));
    }

    /**
     * A call of the built-in {@code read_file}.
     *
     * @param path the file, relative to the workspace
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> readFile(String path) {
        return call("read_file", ordered("path", path));
    }

    /**
     * A call of the built-in {@code run_command}.
     *
     * @param command the shell command, run in the workspace
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> runCommand(String command) {
        return call("run_command", ordered("command", command));
    }

    /**
     * A reply of plain text that ends the agent's turn, as {@link ScriptedProvider#text}.
     *
     * @param text the text
     * @return the reply
     */
    public static Function<ChatRequest, ChatResponse> text(String text) {
        return ScriptedProvider.text(text);
    }

    /**
     * The work of a mission that writes one file, scripted up to its review: the brief, a plan of one todo
     * {@code t1} that writes {@code path}, and a Worker that writes it and says so. Add the Reviewer's answers
     * (and whatever follows) to the builder.
     *
     * @param path the file, relative to the workspace
     * @param content what it should hold
     * @return the script so far
     */
    public static ScriptedProvider.Builder oneFileWork(String path, String content) {
        return ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Write " + path + "."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Write " + path).writes(path)))
                .onTask(Agent.WORKER, "t1#1", writeFile(path, content), text(path + " is written."));
    }

    /**
     * A tool call whose arguments are written when the reply is given, not when the script is built: JSON is the
     * mission's business, so a script is built without touching Jackson (and its class path check comes first).
     */
    private static Function<ChatRequest, ChatResponse> toolCall(String tool, Supplier<String> arguments) {
        return request -> ScriptedProvider.toolCall(tool, arguments.get()).apply(request);
    }

    private static String todosArguments(PlannedTodo... todos) {
        return Answers.todosArguments(Arrays.stream(todos).map(PlannedTodo::toTodo).toList());
    }

    /** Arguments in the order given, as a model writes them, so scripted requests read naturally. */
    private static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> arguments = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            arguments.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return arguments;
    }
}
