package dev.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TodoTest {

    @ParameterizedTest
    @ValueSource(strings = {"t1", "todo-3", "fix_b.2", "A", "-", "..."})
    void anIdOfLettersDigitsUnderscoresDotsAndDashesIsAccepted(String id) {
        assertEquals(id, Todo.of(id, "do it", List.of(), List.of()).id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "t 1", "t/1", "tödo", "t1\n", "t#1"})
    void anyOtherIdIsRefusedWithWhatIsAllowed(String id) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Todo.of(id, "do it", List.of(), List.of()));
        assertEquals("todo id must be letters, digits, '_', '.' or '-', was '" + id + "'", e.getMessage());
    }

    @Test
    void theCheckAcceptsExactlyWhatTheRegularExpressionItReplacedAccepts() {
        Pattern before = Pattern.compile("[A-Za-z0-9_.-]+");
        String alphabet = "azAZ09_.-/ #\u00e9\u0130\u212a\t:";
        SplittableRandom random = new SplittableRandom(11);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder id = new StringBuilder();
            for (int i = random.nextInt(6); i > 0; i--) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            boolean accepted;
            try {
                Todo.of(id.toString(), "do it", List.of(), List.of());
                accepted = true;
            } catch (IllegalArgumentException e) {
                accepted = false;
            }
            assertEquals(before.matcher(id).matches(), accepted, "'" + id + "'");
        }
    }
}
