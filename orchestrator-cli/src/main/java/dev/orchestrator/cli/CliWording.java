package dev.orchestrator.cli;

import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

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

    /** {@code message} with each setting the CLI has an option for named by that option (of {@code run}). */
    static String of(String message) {
        return reworded(message, option -> option);
    }

    /**
     * {@code message} as {@code command} says it: an option {@code command} lacks (resume keeps the journal's verify
     * command) is named as run's.
     */
    static String of(String message, CommandSpec command) {
        return reworded(message, option -> Arrays.stream(option.split(" or "))
                .allMatch(name -> command.findOption(name) != null) ? option
                : option + " of orchestrator run, for a new mission: " + command.qualifiedName()
                        + " keeps what the journal holds");
    }

    /** {@code message} with each setting the CLI has an option for in {@code wording} of that option. */
    private static String reworded(String message, UnaryOperator<String> wording) {
        return SETTING.matcher(message).replaceAll(setting -> {
            String option = OPTIONS.get(setting.group(1) + "." + setting.group(2));
            return Matcher.quoteReplacement(option == null ? setting.group() : wording.apply(option));
        });
    }
}
