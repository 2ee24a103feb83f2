package dev.orchestrator.core.internal.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Todo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanCheckTest {

    private static Todo todo(String id, String... dependsOn) {
        return Todo.of(id, "do " + id, List.of(), List.of(dependsOn));
    }

    @Test
    void aSoundPlanHasNoProblems() {
        assertEquals(List.of(), PlanCheck.problems(List.of(todo("a"), todo("b", "a"), todo("c", "a", "b", "old")),
                Set.of("old"), Set.of("worker")));
    }

    @Test
    void dependenciesMayPointForward() {
        assertEquals(List.of(), PlanCheck.problems(List.of(todo("b", "a"), todo("a")), Set.of(), Set.of("worker")));
    }

    @Test
    void everyProblemIsNamed() {
        List<String> problems = PlanCheck.problems(
                List.of(todo("a"), todo("a"), todo("old"), todo("b", "ghost"),
                        new Todo("c", "x", List.of(), List.of(), "poet")),
                Set.of("old"), Set.of("worker"));

        assertEquals(4, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("'a' appears twice"));
        assertTrue(problems.get(1).contains("'old' is already used"));
        assertTrue(problems.get(2).contains("depends on 'ghost', which does not exist"));
        assertTrue(problems.get(3).contains("role 'poet'"));
    }

    @Test
    void cyclesAreFoundAndShown() {
        List<String> problems = PlanCheck.problems(List.of(todo("a", "c"), todo("b", "a"), todo("c", "b"), todo("d")),
                Set.of(), Set.of("worker"));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.getFirst().matches(".*cycle: (a -> c -> b -> a|b -> a -> c -> b|c -> b -> a -> c)"),
                problems.getFirst());
    }
}
