package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.Todo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules every plan must keep, whoever wrote it: new, unique ids; dependencies that exist; no cycles; roles that
 * some agent fills. The built-in agents send the problems back to the model; the engine refuses a plan that still
 * breaks them.
 */
public final class PlanCheck {

    /**
     * More todos than this in one plan is a runaway model, not a plan: as many as {@code maxParallelWorkers} can run
     * at once at most.
     */
    public static final int MAX_TODOS = 100_000;

    private PlanCheck() {
    }

    /**
     * The problems of {@code todos}, none when the plan is sound.
     *
     * @param existingIds ids of todos the mission already has, which new ones may depend on but not reuse
     * @param roles the roles some agent fills
     */
    public static List<String> problems(List<Todo> todos, Set<String> existingIds, Set<String> roles) {
        List<String> problems = new ArrayList<>();
        if (todos.size() > MAX_TODOS) {
            problems.add("the plan has " + todos.size() + " todos; at most " + MAX_TODOS + " are allowed");
        }
        Map<String, Todo> byId = new HashMap<>();
        for (Todo todo : todos) {
            if (existingIds.contains(todo.id())) {
                problems.add("todo id '" + todo.id() + "' is already used in this mission: choose a new id");
            } else if (byId.putIfAbsent(todo.id(), todo) != null) {
                problems.add("todo id '" + todo.id() + "' appears twice: ids must be unique");
            }
            if (!roles.contains(todo.role())) {
                problems.add("todo '" + todo.id() + "' names role '" + todo.role() + "', which no agent fills: use "
                        + "one of " + roles.stream().sorted().toList());
            }
            for (String dependency : todo.dependsOn()) {
                if (!byId.containsKey(dependency) && !existingIds.contains(dependency)
                        && todos.stream().noneMatch(t -> t.id().equals(dependency))) {
                    problems.add("todo '" + todo.id() + "' depends on '" + dependency + "', which does not exist");
                }
            }
        }
        findCycle(byId).ifPresent(cycle -> problems.add("the dependencies form a cycle: " + String.join(" -> ", cycle)));
        return problems;
    }

    private static Optional<List<String>> findCycle(Map<String, Todo> byId) {
        Set<String> done = new HashSet<>();
        for (String start : byId.keySet()) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> cycle = visit(start, byId, done, path, new HashSet<>());
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> visit(String id, Map<String, Todo> byId, Set<String> done,
            List<String> path, Set<String> onPath) {
        if (done.contains(id) || !byId.containsKey(id)) {
            return Optional.empty();
        }
        if (onPath.contains(id)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            cycle.add(id);
            return Optional.of(cycle);
        }
        onPath.add(id);
        path.add(id);
        for (String dependency : byId.get(id).dependsOn()) {
            Optional<List<String>> cycle = visit(dependency, byId, done, path, onPath);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        path.removeLast();
        onPath.remove(id);
        done.add(id);
        return Optional.empty();
    }
}
