package dev.orchestrator.cli;

import dev.orchestrator.api.Budget;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.core.llm.HttpProviderBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The settings {@code run} and {@code resume} share: which provider, the limits, the board; and running the mission
 * with them.
 */
final class MissionOptions {

    /** Where a mission's journal lives in its workspace, as in the examples. */
    static final String JOURNAL = ".orchestrator";

    /** The command these options are part of (run or resume), which says what the user can change. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--provider", paramLabel = "scripted|openai|anthropic", description = "The model provider. "
            + "Default: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else anthropic when ANTHROPIC_API_KEY "
            + "is, else scripted (the offline quick-start team, no key needed).")
    String provider;

    @Option(names = "--model", description = "The model (sets OPENAI_MODEL or ANTHROPIC_MODEL).")
    String model;

    @Option(names = "--base-url", paramLabel = "URL", description = "The provider's base URL, e.g. "
            + "http://localhost:11434/v1 for Ollama (sets OPENAI_BASE_URL, or ANTHROPIC_BASE_URL with --provider "
            + "anthropic).")
    String baseUrl;

    @Option(names = "--max-workers", paramLabel = "N", description = "Workers at once (default 50).")
    Integer maxWorkers;

    @Option(names = "--budget-tokens", paramLabel = "N", description = "Stop after this many tokens.")
    Long budgetTokens;

    @Option(names = "--budget-usd", paramLabel = "X", description = "Stop after this many US dollars.")
    BigDecimal budgetUsd;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 30m, 90s, 1h30m.")
    Duration deadline;

    @Option(names = "--call-patience", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long one model call may wait for a provider that asks it to (rate limits, "
                    + "overload), and how long a task's calls may fail in a row (a provider that is down), before "
                    + "the mission stops (default 15m). It counts the waits between tries: the tries themselves, up "
                    + "to --request-timeout each, come on top.")
    Duration callPatience;

    @Option(names = "--request-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long one try of a model call may wait for the provider's whole answer before it "
                    + "counts as failed and is tried again, within --call-patience (default 10m, as an answer that "
                    + "is not streamed begins only when it is complete). A server that takes calls and never "
                    + "answers, or stalls part-way through an answer, is noticed only after this.")
    Duration requestTimeout;

    @Option(names = "--max-iterations", paramLabel = "N", description = "Reviews before the mission stops "
            + "(default 10).")
    Integer maxIterations;

    @Option(names = "--plain", description = "Plain lines instead of the live board, even on a terminal.")
    boolean plain;

    // for tests and demonstrations: how long each answer of the scripted model takes
    @Option(names = "--scripted-latency", hidden = true, converter = DurationConverter.class)
    Duration scriptedLatency = Duration.ofMillis(150);

    /** The environment variables the provider is configured from; the process's unless a test gives others. */
    Map<String, String> environment = System.getenv();

    /** The provider these options and the environment choose. */
    ProviderChoice provider() {
        Map<String, String> env = new HashMap<>(environment);
        String name = provider == null ? null : provider.toLowerCase(Locale.ROOT);
        if (name == null && baseUrl != null) {
            name = ProviderChoice.OPENAI; // a base URL means a server, not the script
        }
        // the same order as ProviderChoice.fromEnvironment: OpenAI's variables first, then Anthropic's
        boolean anthropic = ProviderChoice.ANTHROPIC.equals(name) || (name == null
                && !isSet(env, "OPENAI_API_KEY") && !isSet(env, "OPENAI_BASE_URL") && isSet(env, "ANTHROPIC_API_KEY"));
        if (model != null) {
            env.put(anthropic ? "ANTHROPIC_MODEL" : "OPENAI_MODEL", model);
        }
        if (baseUrl != null) {
            env.put(anthropic ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL", baseUrl);
        }
        if (ProviderChoice.OPENAI.equals(name) && !isSet(env, "OPENAI_API_KEY") && !isSet(env, "OPENAI_BASE_URL")) {
            throw new IllegalArgumentException("--provider openai needs OPENAI_API_KEY, or --base-url for a local "
                    + "OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio)");
        }
        if (anthropic && !isSet(env, "ANTHROPIC_API_KEY")) {
            // Anthropic.fromEnv would name its builder, which a command-line user has no way to call
            throw new IllegalArgumentException("--provider anthropic needs ANTHROPIC_API_KEY: export it (there is no "
                    + "option for the key, which would show in the process list)");
        }
        if (requestTimeout != null && requestTimeout.isZero()) {
            throw new IllegalArgumentException("--request-timeout must be more than 0, e.g. 2m");
        }
        Supplier<LlmProvider> scripted = () -> QuickStartScript.provider(scriptedLatency);
        Consumer<HttpProviderBuilder<?>> http = builder -> {
            if (requestTimeout != null) {
                builder.requestTimeout(requestTimeout);
            }
        };
        return name == null ? ProviderChoice.fromEnvironment(env, scripted, http)
                : ProviderChoice.named(name, env, scripted, http);
    }

    private static boolean isSet(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }

    /**
     * Adds the provider, journal, limits and board to {@code builder}, whose goal, workspace and verify command are
     * set, then runs the mission and prints how it ended.
     *
     * @return the exit code
     */
    int run(Mission.Builder builder, Path workspace, ProviderChoice choice, PrintWriter out) throws IOException {
        builder.provider(choice.provider()).journal(workspace.resolve(JOURNAL));
        if (maxWorkers != null) {
            builder.maxParallelWorkers(maxWorkers);
        }
        if (budgetTokens != null || budgetUsd != null) {
            builder.budget(new Budget(budgetTokens == null ? Long.MAX_VALUE : budgetTokens,
                    Optional.ofNullable(budgetUsd)));
        }
        if (deadline != null) {
            builder.deadline(deadline);
        }
        if (callPatience != null) {
            builder.callPatience(callPatience);
        }
        if (maxIterations != null) {
            builder.maxIterations(maxIterations);
        }
        out.println("Model: " + choice.description());
        out.println("Workspace: " + workspace);
        out.println();
        MissionResult result;
        // Ctrl-C (or a kill) ends the JVM in the middle of the run, its last line a board line: say that nothing is
        // lost and how to go on, as a run that ends says it
        Thread stopped = new Thread(() -> {
            out.println();
            out.println("Stopped before the mission ended; its journal keeps what was done: " + goOn(workspace));
            out.flush();
        }, "orchestrator-stopped");
        Runtime.getRuntime().addShutdownHook(stopped);
        // closed however the run ends: while it is up, the board has the SDK's log lines, which go to stderr after
        try (ConsoleProgress board = board(out)) {
            result = builder.listener(board).build().run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopped);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran): the JVM was stopped as the run ended
            }
        }
        out.println();
        out.println("Outcome: " + result.outcome() + (result.isCompleted() ? ""
                : " (" + CliWording.of(result.reason(), command) + ")"));
        for (TodoStatus todo : result.todos()) {
            out.printf("  %-8s %-8s %s%n", todo.todo().id(), todo.state(), todo.todo().description());
        }
        out.printf("Reviews: %d, tokens: %,d, time: %s%n", result.iterations(), result.usage().totalTokens(),
                ConsoleProgress.seconds(result.duration()));
        result.usageByRole().forEach(role -> out.println(MissionView.line(role)));
        Path journal = workspace.resolve(JOURNAL);
        out.println("Journal: " + journal + " (orchestrator status|events|report " + workspace + ")"
                + (result.isCompleted() ? "" : "; " + goOn(workspace)));
        if (choice.isScripted()) {
            out.println("This ran on the scripted provider: the model's words were fixed in advance, the rest was "
                    + "real. " + ProviderChoice.HOW_TO_USE_A_REAL_MODEL);
        }
        out.flush();
        return result.isCompleted() ? OrchestratorCli.COMPLETED : OrchestratorCli.MISSION_FAILED;
    }

    private static String goOn(Path workspace) {
        return "go on with: orchestrator resume " + workspace;
    }

    private ConsoleProgress board(PrintWriter out) {
        return ConsoleProgress.of(out, !plain && ConsoleProgress.isTerminal(),
                message -> CliWording.of(message, command));
    }

    /** Durations as people write them: 30m, 90s, 1h30m, 500ms, or ISO-8601 (PT30M). */
    static final class DurationConverter implements ITypeConverter<Duration> {

        private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            if (text.startsWith("pt") || text.startsWith("p")) {
                return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            }
            Matcher part = PART.matcher(text);
            Duration total = Duration.ZERO;
            int end = 0;
            while (part.find() && part.start() == end) {
                long n = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMillis(n);
                });
                end = part.end();
            }
            if (end == 0 || end != text.length()) {
                throw new TypeConversionException("'" + value + "' is not a duration: write it like 30m, 90s, "
                        + "1h30m or 500ms");
            }
            return total;
        }
    }
}
