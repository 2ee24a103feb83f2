package dev.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForwardingProviderTest {

    /** A provider whose identity differs from every default, so that a forwarded value cannot pass by chance. */
    private static final LlmProvider WRAPPED = new LlmProvider() {
        @Override
        public String name() {
            return "acme";
        }

        @Override
        public String defaultModel() {
            return "acme-large";
        }

        @Override
        public Optional<String> quotaId() {
            return Optional.of("acme-key-7");
        }

        @Override
        public Set<String> credentials() {
            return Set.of("sk-acme-secret");
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            return ChatResponse.ofText("answered " + request.model().orElseThrow(), Usage.ZERO, defaultModel());
        }
    };

    /** Counts calls, as a user's metrics wrapper would. */
    private static final class Counting extends ForwardingProvider {

        private final List<String> seen = new ArrayList<>();

        Counting(LlmProvider delegate) {
            super(delegate);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            seen.add(request.model().orElseThrow());
            return delegate.chat(request);
        }
    }

    @Test
    void aWrapperIsTheWrappedProviderToLimitersAndRedactionAndChangesOnlyTheCall() {
        Counting counting = new Counting(new Counting(WRAPPED));

        assertEquals("acme", counting.name());
        assertEquals("acme-large", counting.defaultModel());
        assertEquals(Optional.of("acme-key-7"), counting.quotaId());
        assertEquals(Set.of("sk-acme-secret"), counting.credentials());
        ChatResponse response = counting.chat(ChatRequest.builder().model("m1").message(Message.user("hi")).build());
        assertEquals("answered m1", response.text());
        assertEquals(List.of("m1"), counting.seen);
    }

    @Test
    void aWrapperNeedsAProviderToWrap() {
        assertThrows(NullPointerException.class, () -> new Counting(null));
    }
}
