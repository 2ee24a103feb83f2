package dev.orchestrator.api;

import java.io.Serial;
import java.time.Duration;
import java.util.Optional;

/**
 * Why an LLM call failed. The subtypes are closed so that retry and rate-limit code can switch over them:
 * {@link RateLimited}, {@link Overloaded} and {@link Transient} are worth retrying; {@link ContextLengthExceeded}
 * is worth retrying once the conversation is shorter; {@link AuthenticationFailed}, {@link QuotaExhausted},
 * {@link InvalidRequest} and {@link Unreachable} are not, and their message says what to fix;
 * {@link PatienceExhausted} ends a call that waited as long as the mission allows.
 */
public abstract sealed class LlmException extends RuntimeException {

    /** The serialized form's version. */
    @Serial
    private static final long serialVersionUID = 1L;

    /** The HTTP status of the failed call, 0 when there was none. */
    private final int status;

    private LlmException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** {@return the HTTP status of the failed call, or 0 when there was none (a timeout, a broken connection)} */
    public int status() {
        return status;
    }

    /** {@return whether the same request may succeed if sent again later} */
    public abstract boolean isRetryable();

    /**
     * The same kind of failure, with the same details, told by another message; this one is kept as suppressed.
     *
     * @param message what went wrong and what to do
     * @return the failure with that message
     */
    public LlmException withMessage(String message) {
        LlmException explained = switch (this) {
            case RateLimited f -> new RateLimited(message, f.retryAfter(), f.rateLimits());
            case Overloaded f -> new Overloaded(message, f.status(), f.retryAfter());
            case Transient f -> new Transient(message, f.status(), f.getCause());
            case ContextLengthExceeded f -> new ContextLengthExceeded(message, f.status());
            case AuthenticationFailed f -> new AuthenticationFailed(message, f.status());
            case QuotaExhausted f -> new QuotaExhausted(message, f.status());
            case InvalidRequest f -> new InvalidRequest(message, f.status());
            case Unreachable f -> new Unreachable(message, f.getCause());
            case PatienceExhausted f -> new PatienceExhausted(message, f.status());
        };
        explained.addSuppressed(this);
        return explained;
    }

    /** The provider refused for now because a rate limit was reached (HTTP 429). */
    public static final class RateLimited extends LlmException {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient Optional<Duration> retryAfter;
        private final transient RateLimits rateLimits;

        /**
         * A 429 with the wait the provider asked for, if any.
         *
         * @param message what went wrong and what to do
         * @param retryAfter how long the provider asked to wait, if it said
         * @param rateLimits what the provider's headers said of its quota
         */
        public RateLimited(String message, Optional<Duration> retryAfter, RateLimits rateLimits) {
            super(message, 429, null);
            this.retryAfter = retryAfter;
            this.rateLimits = rateLimits;
        }

        /** {@return how long the provider asked callers to wait, if it said} */
        public Optional<Duration> retryAfter() {
            return retryAfter;
        }

        /** {@return what the response's headers said about the limits} */
        public RateLimits rateLimits() {
            return rateLimits;
        }

        @Override
        public boolean isRetryable() {
            return true;
        }
    }

    /** The provider is overloaded (HTTP 529 or 503). */
    public static final class Overloaded extends LlmException {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient Optional<Duration> retryAfter;

        /**
         * An overload answer with the wait the provider asked for, if any.
         *
         * @param message what went wrong and what to do
         * @param status the HTTP status, 0 when there was none
         * @param retryAfter how long the provider asked to wait, if it said
         */
        public Overloaded(String message, int status, Optional<Duration> retryAfter) {
            super(message, status, null);
            this.retryAfter = retryAfter;
        }

        /** {@return how long the provider asked callers to wait, if it said} */
        public Optional<Duration> retryAfter() {
            return retryAfter;
        }

        @Override
        public boolean isRetryable() {
            return true;
        }
    }

    /** A server error, a timeout or a broken connection: the next attempt may well succeed. */
    public static final class Transient extends LlmException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * A transient failure; {@code status} is 0 when no response arrived.
         *
         * @param message what went wrong and what to do
         * @param status the HTTP status, 0 when there was none
         * @param cause the underlying failure
         */
        public Transient(String message, int status, Throwable cause) {
            super(message, status, cause);
        }

        @Override
        public boolean isRetryable() {
            return true;
        }
    }

    /** The conversation is longer than the model's context window: shorten it and try again. */
    public static final class ContextLengthExceeded extends LlmException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * A context-length refusal.
         *
         * @param message what went wrong and what to do
         * @param status the HTTP status, 0 when there was none
         */
        public ContextLengthExceeded(String message, int status) {
            super(message, status, null);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /** The API key is missing, wrong or lacks permission (HTTP 401 or 403). */
    public static final class AuthenticationFailed extends LlmException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * An authentication failure; the message must say which key to check, never the key.
         *
         * @param message what went wrong and what to do
         * @param status the HTTP status, 0 when there was none
         */
        public AuthenticationFailed(String message, int status) {
            super(message, status, null);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /** The account has no credit or quota left; waiting will not help. */
    public static final class QuotaExhausted extends LlmException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * A quota refusal.
         *
         * @param message what went wrong and what to do
         * @param status the HTTP status, 0 when there was none
         */
        public QuotaExhausted(String message, int status) {
            super(message, status, null);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /** The provider rejected the request itself (a bad parameter, an unknown model, a malformed body). */
    public static final class InvalidRequest extends LlmException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * A rejected request.
         *
         * @param message what went wrong and what to do
         * @param status the HTTP status, 0 when there was none
         */
        public InvalidRequest(String message, int status) {
            super(message, status, null);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /**
     * The provider's server could not be reached and never has been: nothing listens at its loopback address, or
     * its host name does not resolve. Most likely the base URL is wrong or the local server is not started, which
     * waiting would not fix; once a server has answered, a refused connection is {@link Transient} (a restart).
     */
    public static final class Unreachable extends LlmException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * A server that was never reached.
         *
         * @param message the URL that was tried, and the setting that names it
         * @param cause the connection failure
         */
        public Unreachable(String message, Throwable cause) {
            super(message, 0, cause);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /**
     * The provider kept asking the call to wait (a 429 or 529 with a retry-after, or backoffs after failures) for
     * longer than the call's patience ({@code Mission.Builder.callPatience}). The wait is the limit the user set, so
     * the mission ends with this message rather than waiting on; raise the patience, or run the mission again later.
     */
    public static final class PatienceExhausted extends LlmException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * A call that waited as long as it may.
         *
         * @param message the wait asked for, the patience, and how to raise it
         * @param status the HTTP status of the last refusal, 0 when there was none
         */
        public PatienceExhausted(String message, int status) {
            super(message, status, null);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }
}
