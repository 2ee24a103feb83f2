package dev.orchestrator.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SDK's messages name the builder setting to change ("give the mission more time with
 * Mission.Builder.deadline(...)"); a CLI user changes it with an option instead. The one table of which option sets
 * which setting, applied to every message the CLI shows: results, the board's lines, status, errors.
 */
final class CliWording {

    /** How the SDK names a setting: {@code Type.Builder.method(...)}. */
    private static final Pattern SETTING = Pattern.compile("\\b(\\w+)\\.Builder\\.(\\w+)\\(\\.\\.\\.\\)");

    private static final Map<String, String> OPTIONS = Map.of(
            "Mission.deadline", "--deadline",
            "Mission.callPatience", "--call-patience",
            "Mission.maxIterations", "--max-iterations",
            "Mission.budget", "--budget-tokens or --budget-usd",
            "Mission.maxParallelWorkers", "--max-workers",
            "Mission.verifyWith", "--verify",
            "OpenAiCompatible.baseUrl", "--base-url",
            "Anthropic.baseUrl", "--base-url",
            "OpenAiCompatible.requestTimeout", "--request-timeout",
            "Anthropic.requestTimeout", "--request-timeout");

    private CliWording() {
    }

    /** {@code message} with each setting the CLI has an option for named by that option. */
    static String of(String message) {
        return SETTING.matcher(message).replaceAll(setting -> Matcher.quoteReplacement(
                OPTIONS.getOrDefault(setting.group(1) + "." + setting.group(2), setting.group())));
    }
}
