package dev.orchestrator.core.internal.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendering a prompt: every placeholder replaced by its value, taken literally, and a missing value named. */
class PromptsTest {

    @Test
    void everyPlaceholderTakesItsValueLiterallyAndTheRestStaysAsItIs() {
        // values that a regex replacement would read as group references or placeholders stay as they are
        String rendered = Prompts.render("worker-task", Map.of("goal", "pay $1 and \\\\ {{id}}", "id", "t-1",
                "attempt", "2", "description", "$0", "files", "(not given)"));
        // the goal last: its value holds a placeholder that must not be filled in
        String expected = Prompts.get("worker-task").replace("{{id}}", "t-1").replace("{{attempt}}", "2")
                .replace("{{description}}", "$0").replace("{{files}}", "(not given)")
                .replace("{{goal}}", "pay $1 and \\\\ {{id}}");
        assertEquals(expected, rendered);
        assertTrue(rendered.contains("pay $1 and \\\\ {{id}}"), rendered);
    }

    @Test
    void aMissingValueIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Prompts.render("worker-task", Map.of("goal", "g")));
        assertTrue(e.getMessage().contains("needs a value for {{"), e.getMessage());
    }
}
