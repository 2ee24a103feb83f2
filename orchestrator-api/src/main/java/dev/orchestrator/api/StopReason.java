package dev.orchestrator.api;

/** Why a model stopped generating. */
public enum StopReason {
    /** It finished its answer. */
    END_TURN,
    /** It wants tools called; the response holds the calls. */
    TOOL_USE,
    /** It reached the output token limit; the answer is cut off. */
    MAX_TOKENS,
    /** It reached one of the request's stop sequences. */
    STOP_SEQUENCE,
    /** It declined to answer, or a content filter stopped it. */
    REFUSAL,
    /** A reason this SDK does not know. */
    OTHER
}
