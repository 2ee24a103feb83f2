package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code fromEnv} and the builders: what they accept, and what their refusals tell the user to do. */
class ProviderConfigurationTest {

    @Test
    void anthropicWithoutKeySaysWhatToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Anthropic.fromEnv(Map.of()));

        assertEquals("ANTHROPIC_API_KEY is not set: export it, or pass Anthropic.builder().apiKey(...)",
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> Anthropic.fromEnv(Map.of("ANTHROPIC_API_KEY", "  ")));
    }

    @Test
    void anthropicFromEnvReadsKeyBaseUrlAndModel() {
        try (Anthropic anthropic = Anthropic.fromEnv(Map.of("ANTHROPIC_API_KEY", "sk-ant-secret",
                "ANTHROPIC_BASE_URL", "http://127.0.0.1:9/", "ANTHROPIC_MODEL", "claude-haiku-4-5"))) {
            assertEquals("anthropic", anthropic.name());
            assertEquals("claude-haiku-4-5", anthropic.defaultModel());
            assertEquals("Anthropic[http://127.0.0.1:9/v1/messages, model=claude-haiku-4-5]", anthropic.toString());
        }
        try (Anthropic defaults = Anthropic.fromEnv(Map.of("ANTHROPIC_API_KEY", "sk-ant-secret"))) {
            assertEquals(Anthropic.DEFAULT_MODEL, defaults.defaultModel());
            assertFalse(defaults.toString().contains("secret"));
        }
    }

    @Test
    void openAiWithoutKeyOrBaseUrlSaysWhatToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OpenAiCompatible.fromEnv(Map.of("OPENAI_MODEL", "gpt-4.1")));

        assertTrue(e.getMessage().startsWith("OPENAI_API_KEY is not set: export it"), e.getMessage());
        assertTrue(e.getMessage().contains("OpenAiCompatible.builder().apiKey(...)"), e.getMessage());
    }

    @Test
    void openAiKeyAloneTargetsOpenAi() {
        try (OpenAiCompatible openai = OpenAiCompatible.fromEnv(Map.of("OPENAI_API_KEY", "sk-secret"))) {
            assertEquals("openai", openai.name());
            assertEquals(OpenAiCompatible.DEFAULT_MODEL, openai.defaultModel());
            assertEquals("OpenAiCompatible[https://api.openai.com/v1/chat/completions, model=gpt-4o-mini]",
                    openai.toString());
        }
    }

    @Test
    void localServerNeedsAModelButNoKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OpenAiCompatible.fromEnv(Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1")));
        assertTrue(e.getMessage().startsWith("OPENAI_MODEL is not set"), e.getMessage());

        try (OpenAiCompatible ollama = OpenAiCompatible.fromEnv(Map.of("OPENAI_BASE_URL",
                "http://localhost:11434/v1", "OPENAI_MODEL", "qwen2.5-coder"))) {
            assertEquals("openai-compatible:localhost:11434", ollama.name());
            assertEquals("qwen2.5-coder", ollama.defaultModel());
        }
    }

    @Test
    void buildersRefuseWhatCannotWork() {
        assertThrows(IllegalStateException.class, () -> OpenAiCompatible.builder().build(),
                "OpenAI itself needs a key");
        IllegalStateException badUrl = assertThrows(IllegalStateException.class,
                () -> OpenAiCompatible.builder().baseUrl("localhost:11434").build());
        assertTrue(badUrl.getMessage().contains("http://"), badUrl.getMessage());
        assertThrows(IllegalStateException.class, () -> Anthropic.builder().build());
        IllegalStateException timeout = assertThrows(IllegalStateException.class, () -> Anthropic.builder()
                .apiKey("k").requestTimeout(Duration.ZERO).build());
        assertEquals("requestTimeout must be positive, was PT0S", timeout.getMessage());
    }

    @Test
    void aBadBaseUrlFromTheEnvironmentIsToldInTermsOfTheVariable() {
        IllegalStateException openAi = assertThrows(IllegalStateException.class, () -> OpenAiCompatible.fromEnv(
                Map.of("OPENAI_BASE_URL", "not-a-url", "OPENAI_MODEL", "m")));
        IllegalStateException anthropic = assertThrows(IllegalStateException.class, () -> Anthropic.fromEnv(
                Map.of("ANTHROPIC_API_KEY", "sk-ant-x", "ANTHROPIC_BASE_URL", "api.anthropic.com")));

        assertTrue(openAi.getMessage().startsWith("OPENAI_BASE_URL is not a usable URL"), openAi.getMessage());
        assertTrue(anthropic.getMessage().startsWith("ANTHROPIC_BASE_URL is not a usable URL"), anthropic.getMessage());
        assertFalse(openAi.getMessage().contains("builder()"), openAi.getMessage());
        assertFalse(anthropic.getMessage().contains("builder()"), anthropic.getMessage());
    }

    @Test
    void credentialsInTheBaseUrlAreRefusedWithoutBeingShown() {
        // the JDK's client never sent them, and the URL is in messages, the provider's name and the journal
        IllegalStateException fromEnv = assertThrows(IllegalStateException.class, () -> OpenAiCompatible.fromEnv(
                Map.of("OPENAI_BASE_URL", "http://alice:s3cretpass@127.0.0.1:4000/v1", "OPENAI_MODEL", "m")));
        IllegalStateException built = assertThrows(IllegalStateException.class, () -> Anthropic.builder()
                .apiKey("k").baseUrl("https://sk-gateway-token@gateway.example").build());

        assertTrue(fromEnv.getMessage().startsWith("OPENAI_BASE_URL is not a usable URL (base URL holds credentials "
                + "('http://alice:****@127.0.0.1:4000/v1'), which are never sent and would be shown in messages and "
                + "the journal: remove them, and authenticate with the API key or a header)"), fromEnv.getMessage());
        assertTrue(built.getMessage().contains("'https://****@gateway.example'"), built.getMessage());
        for (Exception e : List.of(fromEnv, built)) {
            assertFalse(e.getMessage().contains("s3cretpass") || e.getMessage().contains("sk-gateway-token"),
                    e.getMessage());
        }
    }

    @Test
    void anEmptyKeyForOpenAiItselfNamesTheVariable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpenAiCompatible.fromEnv(
                Map.of("OPENAI_API_KEY", " ", "OPENAI_BASE_URL", "https://api.openai.com/v1/")));

        assertTrue(e.getMessage().startsWith("OPENAI_API_KEY is empty"), e.getMessage());
        assertFalse(e.getMessage().contains("builder()"), e.getMessage());
    }
}
