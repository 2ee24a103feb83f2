package dev.orchestrator.core.internal.agents;

/** Texts from the model that the mission keeps (summaries) are bounded, so one verbose answer cannot bloat it. */
final class Bounded {

    private Bounded() {
    }

    /** {@code text}, or its first {@code maxChars} characters and a marker that says how much was cut. */
    static String text(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, maxChars) + "\n… [" + (text.length() - maxChars) + " more characters cut]";
    }
}
