package dev.orchestrator.cli;

import dev.orchestrator.core.journal.JournalException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParseResult;

/**
 * The {@code orchestrator} command: {@code run}, {@code resume}, {@code status}, {@code events}, {@code report} and
 * {@code verify-journal}, with {@code --help} and {@code --version} on each and shell completion
 * ({@code generate-completion}).
 *
 * <p>Exit codes scripts can rely on: {@value #COMPLETED} the mission completed (or the command did its job),
 * {@value #MISSION_FAILED} the mission ended without completing, {@value #CONFIGURATION} a usage or configuration
 * mistake, {@value #JOURNAL_REFUSED} the journal is damaged. An error is one line on standard error; {@code
 * --verbose} adds its stack trace.
 */
@Command(name = "orchestrator", mixinStandardHelpOptions = true, versionProvider = OrchestratorCli.Version.class,
        description = "Runs a coding mission with a team of LLM agents, and reads its journal.",
        subcommands = {RunCommand.class, ResumeCommand.class, StatusCommand.class, EventsCommand.class,
                ReportCommand.class, VerifyJournalCommand.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:completed (or the command did its job)", "1:the mission did not complete",
                "2:usage or configuration error", "3:the journal is damaged"})
public final class OrchestratorCli {

    /** The mission completed, or a command that runs none did its job. */
    public static final int COMPLETED = 0;
    /** The mission ended without completing. */
    public static final int MISSION_FAILED = 1;
    /** A usage or configuration mistake: change the command or the environment and run it again. */
    public static final int CONFIGURATION = 2;
    /** The journal is damaged: the message says where and what to do. */
    public static final int JOURNAL_REFUSED = 3;

    private OrchestratorCli() {
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        // the SDK's log records read as one line ("INFO: commands run in a bubblewrap sandbox ..."), not as the
        // JDK's two with a date and a lambda's name between the board's lines; a format the user set wins
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line, ready to {@link CommandLine#execute execute}: what {@link #main} runs, for embedding and
     * tests.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The command line with {@code environment} in place of the process's environment variables. */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine line = new CommandLine(OrchestratorCli.class, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = defaults.create(type);
                if (made instanceof MissionOptions options) {
                    options.environment = Map.copyOf(environment);
                }
                if (made instanceof JournalCommand command) {
                    command.environment = Map.copyOf(environment);
                }
                return made;
            }
        });
        line.setExitCodeExceptionMapper(OrchestratorCli::exitCode);
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            PrintWriter err = command.getErr();
            err.println("orchestrator " + command.getCommandName() + ": " + message(e, command.getCommandSpec()));
            if (verbose(parsed)) {
                e.printStackTrace(err);
            }
            err.flush();
            return exitCode(e);
        });
        line.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("orchestrator: " + e.getMessage() + " (see " + e.getCommandLine().getCommandSpec()
                    .qualifiedName() + " --help)");
            err.flush();
            return CONFIGURATION;
        });
        return line;
    }

    private static int exitCode(Throwable e) {
        if (e instanceof JournalException) {
            return JOURNAL_REFUSED;
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UncheckedIOException || e instanceof IOException
                || e instanceof CommandLine.ParameterException) {
            return CONFIGURATION;
        }
        return MISSION_FAILED;
    }

    private static String message(Exception e, CommandLine.Model.CommandSpec command) {
        String message = e.getMessage() == null ? "" : CliWording.of(e.getMessage(), command);
        // the JDK's file exceptions carry only the path, which says nothing of what went wrong (access denied, no
        // space left), thrown as they are or inside an UncheckedIOException whose message ends with that path
        Throwable io = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
        String path = io instanceof IOException && io.getMessage() != null ? io.getMessage() : " ";
        if (!path.contains(" ") && message.endsWith(path)) {
            message = message.substring(0, message.length() - path.length()) + io.getClass().getSimpleName()
                    .replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toLowerCase(java.util.Locale.ROOT) + ": " + path;
        }
        boolean known = exitCode(e) != MISSION_FAILED;
        return (known ? message : e.getClass().getName() + ": " + message)
                + (known ? "" : " (run again with --verbose for the stack trace)");
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = OrchestratorCli.class.getPackage().getImplementationVersion();
            return new String[] {"orchestrator " + (version == null ? "0.1.0-SNAPSHOT" : version),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
        }
    }
}
