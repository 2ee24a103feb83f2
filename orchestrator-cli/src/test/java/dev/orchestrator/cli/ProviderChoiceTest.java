package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderChoiceTest {

    @Test
    void withoutProviderVariablesTheScriptedProviderIsChosenAndSaysSo() {
        ProviderChoice choice = ProviderChoice.fromEnvironment(Map.of(),
                () -> QuickStartScript.provider(Duration.ZERO));

        assertTrue(choice.isScripted());
        assertTrue(choice.description().contains("scripted"));
    }

    @Test
    void providerVariablesChooseARealProviderAndSayWhich() {
        try (ProviderChoice ollama = ProviderChoice.fromEnvironment(Map.of("OPENAI_BASE_URL",
                "http://127.0.0.1:11434/v1", "OPENAI_MODEL", "llama3.2"), () -> {
                    throw new AssertionError("not scripted");
                })) {
            assertFalse(ollama.isScripted());
            assertEquals("OpenAI-compatible (openai-compatible:127.0.0.1:11434), model llama3.2",
                    ollama.description());
        }
        try (ProviderChoice anthropic = ProviderChoice.fromEnvironment(Map.of("ANTHROPIC_API_KEY", "sk-ant-test"),
                () -> {
                    throw new AssertionError("not scripted");
                })) {
            assertFalse(anthropic.isScripted());
            assertTrue(anthropic.description().startsWith("Anthropic, model "), anthropic.description());
            assertFalse(anthropic.description().contains("sk-ant-test"));
        }
    }

    @Test
    void aProviderNamedWithoutItsVariablesSaysWhatToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderChoice.named(ProviderChoice.ANTHROPIC, Map.of(), () -> null));

        assertTrue(e.getMessage().contains("ANTHROPIC_API_KEY"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProviderChoice.named("gemini", Map.of(), () -> null));
    }
}
