package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Issue;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.core.internal.tools.ParsedArguments;
import dev.orchestrator.core.internal.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tools through which the model gives the built-in agents their structured answers, and the parsing that turns
 * those answers into values, with corrections phrased for the model. The answers' JSON is defined here only: the
 * encoders below write what the parsers read, for scripted models ({@code ScriptedReplies}).
 */
public final class Answers {

    /** The name of the Planner's answer tool. */
    public static final String SUBMIT_PLAN_TOOL = "submit_plan";
    /** The name of the Commander's answer tool after a review. */
    public static final String PLAN_FIXES_TOOL = "plan_fixes";
    /** The name of the Commander's answer tool at triage. */
    public static final String WRITE_BRIEF_TOOL = "write_brief";
    /** The name of the Reviewer's answer tool. */
    public static final String REPORT_ISSUES_TOOL = "report_issues";
    /** The name of the tool through which every built-in agent adds a note to the project memory. */
    public static final String REMEMBER_TOOL = "remember";

    private static final String TODOS_SCHEMA = """
            {"type":"object","properties":{"todos":{"type":"array","items":{"type":"object","properties":{
              "id":{"type":"string","description":"short unique id such as todo-1"},
              "description":{"type":"string","description":"what to do, self-contained"},
              "files":{"type":"array","items":{"type":"string"},"description":"files it creates or changes"},
              "depends_on":{"type":"array","items":{"type":"string"},"description":"ids that must be done first"}},
              "required":["id","description"]}}},"required":["todos"]}""";

    static final ToolSpec SUBMIT_PLAN = new ToolSpec(SUBMIT_PLAN_TOOL, "Submit the plan: the todos, in order.",
            TODOS_SCHEMA);
    static final ToolSpec PLAN_FIXES = new ToolSpec(PLAN_FIXES_TOOL,
            "Submit the todos that fix the review's findings; an empty list when nothing needs doing.", TODOS_SCHEMA);
    static final ToolSpec WRITE_BRIEF = new ToolSpec(WRITE_BRIEF_TOOL, "Submit the brief for the Planner.", """
            {"type":"object","properties":{"brief":{"type":"string"}},"required":["brief"]}""");
    static final ToolSpec REPORT_ISSUES = new ToolSpec(REPORT_ISSUES_TOOL,
            "Report the issues still open; an empty list when the goal is met.", """
            {"type":"object","properties":{"issues":{"type":"array","items":{"type":"object","properties":{
              "description":{"type":"string","description":"what is wrong, where, and what is expected"},
              "files":{"type":"array","items":{"type":"string"}}},"required":["description"]}}},
             "required":["issues"]}""");

    static final ToolSpec REMEMBER = new ToolSpec(REMEMBER_TOOL, "Note one fact that later missions on this project"
            + " should know: how to build or test it, a convention, a pitfall, where something is. Notes are kept"
            + " across missions; one already made is not repeated. Do not note what only this mission needs.", """
            {"type":"object","properties":{"note":{"type":"string","description":"one fact, at most 500 characters"}},
             "required":["note"]}""");

    /** The tools agents may use to look before they answer: none of them changes anything. */
    static final Set<String> READ_ONLY_TOOLS = Set.of("read_file", "list_files", "search");

    private Answers() {
    }

    /** The arguments of a submit_plan or plan_fixes call that answers {@code todos}. */
    public static String todosArguments(List<Todo> todos) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (Todo todo : todos) {
            ObjectNode item = items.addObject().put("id", todo.id()).put("description", todo.description());
            todo.files().forEach(item.putArray("files")::add);
            if (!todo.dependsOn().isEmpty()) {
                todo.dependsOn().forEach(item.putArray("depends_on")::add);
            }
        }
        ObjectNode arguments = Json.MAPPER.createObjectNode();
        arguments.set("todos", items);
        return Json.MAPPER.writeValueAsString(arguments);
    }

    /** The arguments of a write_brief call that answers {@code brief}. */
    public static String briefArguments(String brief) {
        return Json.MAPPER.writeValueAsString(Json.MAPPER.createObjectNode().put("brief", brief));
    }

    /** The arguments of a remember call that notes {@code note}. */
    public static String rememberArguments(String note) {
        return Json.MAPPER.writeValueAsString(Json.MAPPER.createObjectNode().put("note", note));
    }

    /** The arguments of a report_issues call that answers {@code issues}. */
    public static String issuesArguments(List<Issue> issues) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (Issue issue : issues) {
            ObjectNode item = items.addObject().put("description", issue.description());
            issue.files().forEach(item.putArray("files")::add);
        }
        ObjectNode arguments = Json.MAPPER.createObjectNode();
        arguments.set("issues", items);
        return Json.MAPPER.writeValueAsString(arguments);
    }

    /** The brief in a write_brief call. */
    static String brief(String json) {
        String brief = ParsedArguments.parse(json).string("brief").strip();
        if (brief.isEmpty()) {
            throw new ToolException("the brief is empty: write what the Planner needs to know");
        }
        return brief;
    }

    /** The note in a remember call. */
    static String note(String json) {
        return ParsedArguments.parse(json).string("note");
    }

    /**
     * The todos in a submit_plan or plan_fixes call, checked against {@link PlanCheck}.
     *
     * @param existingIds ids the mission already uses
     * @param allowEmpty whether an empty list is a valid answer
     */
    static List<Todo> todos(String json, Set<String> existingIds, boolean allowEmpty) {
        JsonNode items = array(json, "todos");
        List<Todo> todos = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            try {
                todos.add(Todo.of(text(item, "id"), text(item, "description"), strings(item, "files"),
                        strings(item, "depends_on")));
            } catch (IllegalArgumentException e) {
                problems.add("todos[" + i + "]: " + e.getMessage());
            }
        }
        if (todos.isEmpty() && problems.isEmpty() && !allowEmpty) {
            problems.add("the plan has no todos: give at least one");
        }
        if (problems.isEmpty()) {
            problems.addAll(PlanCheck.problems(todos, existingIds, Set.of(Agent.WORKER)));
        }
        if (!problems.isEmpty()) {
            throw new ToolException("the plan was not accepted: " + String.join("; ", problems)
                    + ". Correct it and call the tool again.");
        }
        return todos;
    }

    /** The issues in a report_issues call. */
    static List<Issue> issues(String json) {
        JsonNode items = array(json, "issues");
        List<Issue> issues = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String description = text(items.get(i), "description");
            if (description.isBlank()) {
                throw new ToolException("issues[" + i + "].description is empty: say what is wrong");
            }
            issues.add(new Issue(description, strings(items.get(i), "files")));
        }
        return issues;
    }

    private static JsonNode array(String json, String name) {
        ParsedArguments arguments = ParsedArguments.parse(json);
        JsonNode node = Json.MAPPER.readTree(arguments.json()).get(name);
        if (node == null || !node.isArray()) {
            throw new ToolException("'" + name + "' must be an array");
        }
        return node;
    }

    private static String text(JsonNode item, String field) {
        JsonNode node = item.get(field);
        if (node == null || !node.isString()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return node.asString();
    }

    private static List<String> strings(JsonNode item, String field) {
        JsonNode node = item.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("'" + field + "' must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        node.forEach(element -> values.add(element.asString()));
        return values;
    }
}
