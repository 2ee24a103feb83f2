package dev.orchestrator.benchmarks.frugal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the input OpenAI bills goes: for each role, the tokens sent in each part of the request (the tool schemas,
 * the system prompt, the task's first message, the assistant's turns, the tool results) and, for each turn of a
 * conversation, the tokens sent and billed (uncached ones at 1, cached ones at the cached price's share). Not
 * thread-safe: {@link PromptCacheMeter} serialises its calls.
 */
final class InputBreakdown {

    /** The parts of a Chat Completions request, in the order OpenAI reads it. */
    enum Part { TOOLS, SYSTEM, TASK, ASSISTANT, TOOL_RESULTS }

    private final double cachedWeight;
    private final Map<String, long[]> sentByPart = new TreeMap<>();
    private final Map<String, Map<Integer, double[]>> byTurn = new TreeMap<>();

    /** @param cachedWeight what a cached input token costs against an uncached one */
    InputBreakdown(double cachedWeight) {
        this.cachedWeight = cachedWeight;
    }

    /** Adds one call of {@code role}: its Chat Completions {@code body} and what the cache made of it. */
    void add(String role, ObjectNode body, PromptCaches.Input input) {
        long[] parts = sentByPart.computeIfAbsent(role, r -> new long[Part.values().length]);
        parts[Part.TOOLS.ordinal()] += tokens(body.path("tools").toString());
        int turn = 0;
        boolean taskSeen = false;
        for (JsonNode message : body.path("messages")) {
            String kind = message.path("role").asString();
            Part part = switch (kind) {
                case "system" -> Part.SYSTEM;
                case "assistant" -> Part.ASSISTANT;
                case "tool" -> Part.TOOL_RESULTS;
                default -> taskSeen ? Part.TOOL_RESULTS : Part.TASK;
            };
            taskSeen |= kind.equals("user");
            turn += kind.equals("assistant") ? 1 : 0;
            parts[part.ordinal()] += tokens(message.toString());
        }
        double[] figures = byTurn.computeIfAbsent(role, r -> new TreeMap<>()).computeIfAbsent(turn,
                t -> new double[3]);
        figures[0]++;
        figures[1] += input.sent();
        figures[2] += input.uncached() + input.read() * cachedWeight;
    }

    private static long tokens(String json) {
        return json.length() / 4;
    }

    /** The breakdown as Markdown: one table by part, one by turn. */
    String markdown() {
        StringBuilder out = new StringBuilder("| role | tools | system | task | assistant | tool results "
                + "| billed units |\n|---|---|---|---|---|---|---|\n");
        sentByPart.forEach((role, parts) -> {
            double billed = byTurn.get(role).values().stream().mapToDouble(f -> f[2]).sum();
            out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d | %,.0f |%n", role,
                    parts[0], parts[1], parts[2], parts[3], parts[4], billed));
        });
        out.append("\n| role | turn | calls | tokens sent per call | billed units per call |\n|---|---|---|---|---|\n");
        byTurn.forEach((role, turns) -> turns.forEach((turn, f) -> out.append(String.format(Locale.ROOT,
                "| %s | %d | %.0f | %,.0f | %,.0f |%n", role, turn, f[0], f[1] / f[0], f[2] / f[0]))));
        return out.toString();
    }
}
