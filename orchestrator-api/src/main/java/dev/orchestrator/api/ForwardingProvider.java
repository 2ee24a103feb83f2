package dev.orchestrator.api;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A provider that wraps another and changes how calls are made (logging, metrics, retries, a cache), not what the
 * provider is: its name, default model, quota and credentials are the wrapped provider's, so that whatever keys
 * limiters or redacts secrets by them sees the same provider through any number of wrappers. A subclass overrides
 * {@link #chat} and calls {@code delegate.chat(request)}.
 */
public abstract class ForwardingProvider implements LlmProvider {

    /** The wrapped provider. */
    protected final LlmProvider delegate;

    /**
     * Wraps a provider.
     *
     * @param delegate the provider whose identity this one keeps and whose calls it forwards
     */
    protected ForwardingProvider(LlmProvider delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public final String name() {
        return delegate.name();
    }

    @Override
    public final String defaultModel() {
        return delegate.defaultModel();
    }

    @Override
    public final Optional<String> quotaId() {
        return delegate.quotaId();
    }

    @Override
    public final Set<String> credentials() {
        return delegate.credentials();
    }
}
