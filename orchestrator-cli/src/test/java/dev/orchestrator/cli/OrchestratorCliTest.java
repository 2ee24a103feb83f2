package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** The commands run in-process, as {@code CommandLine.execute} runs them, on a scripted mission's real journal. */
class OrchestratorCliTest {

    @TempDir
    Path dir;

    /** What one command printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    static Run execute(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = OrchestratorCli.commandLine(environment);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run execute(String... args) {
        return execute(Map.of(), args);
    }

    /** Runs the offline quick start in {@code workspace}, with no key in the environment. */
    static Run runScripted(Path workspace) {
        return execute("run", "--workspace", workspace.toString(), "--scripted-latency", "0ms", "--plain");
    }

    private static List<MissionEvent> events(Path workspace) {
        List<MissionEvent> events = new ArrayList<>();
        FileJournal.read(workspace.resolve(".orchestrator"), 0, (seq, event) -> events.add(event));
        return events;
    }

    /** How many tasks {@code events} dispatch: one per {@code TaskDispatched}, the tasks of each dispatch wave. */
    static long dispatches(List<MissionEvent> events) {
        return events.stream().mapToLong(e -> switch (e) {
            case MissionEvent.TaskDispatched d -> 1;
            case MissionEvent.TasksDispatched wave -> wave.tasks().size();
            default -> 0;
        }).sum();
    }

    /** How many times {@code pattern} matches in {@code text}. */
    static int count(String text, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    @Test
    void theScriptedRunCompletesOfflineAndEveryReadingCommandSeesWhatItDid() throws IOException {
        Path workspace = dir.resolve("greet");

        Run run = runScripted(workspace);

        assertEquals(OrchestratorCli.COMPLETED, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("Model: scripted (offline, no API key needed)"), run.out());
        assertTrue(run.out().contains("Outcome: COMPLETED"), run.out());
        for (Map.Entry<String, String> file : QuickStartScript.FILES.entrySet()) {
            assertEquals(file.getValue(), Files.readString(workspace.resolve(file.getKey())), file.getKey());
        }
        List<MissionEvent> events = events(workspace);

        Run status = execute("status", workspace.toString());
        assertEquals(0, status.exitCode(), status.err());
        assertTrue(status.out().contains("outcome: COMPLETED"), status.out());
        assertTrue(status.out().contains("todos: 7, 7 done"), status.out());
        assertTrue(status.out().contains("reviews: 2, verify runs: 2 (the last passed)"), status.out());

        JsonNode json = EventText.JSON.readTree(execute("status", "--json", workspace.toString()).out());
        assertEquals("COMPLETED", json.get("outcome").asString());
        assertEquals(7, json.get("todos").size());
        assertFalse(json.get("canResume").asBoolean());
        assertEquals(events.size(), json.get("journal").get("lastSeq").asLong());
        long calls = events.stream().filter(MissionEvent.LlmCallCompleted.class::isInstance).count();
        long roleCalls = 0;
        long roleTokens = 0;
        for (JsonNode role : json.get("usageByRole")) {
            assertTrue(status.out().contains("  " + role.get("role").asString() + " "), status.out());
            roleCalls += role.get("calls").asLong();
            roleTokens += role.at("/usage/inputTokens").asLong() + role.at("/usage/outputTokens").asLong()
                    + role.at("/usage/cacheReadTokens").asLong() + role.at("/usage/cacheWriteTokens").asLong();
        }
        assertEquals(calls, roleCalls, "every call is some role's");
        assertEquals(json.at("/usage/inputTokens").asLong() + json.at("/usage/outputTokens").asLong()
                + json.at("/usage/cacheReadTokens").asLong() + json.at("/usage/cacheWriteTokens").asLong(), roleTokens);
        assertTrue(run.out().contains("  worker "), run.out());

        Run lines = execute("events", workspace.resolve(".orchestrator").toString());
        assertEquals(events.size(), lines.out().lines().count());
        Run jsonLines = execute("events", "--json", workspace.toString());
        List<String> objects = jsonLines.out().lines().toList();
        assertEquals(events.size(), objects.size());
        for (int i = 0; i < objects.size(); i++) {
            JsonNode event = EventText.JSON.readTree(objects.get(i));
            assertEquals(i + 1, event.get("seq").asLong());
            assertEquals(events.get(i).getClass().getSimpleName(), event.get("type").asString());
        }

        Run verify = execute("verify-journal", workspace.toString());
        assertEquals(0, verify.exitCode(), verify.err());
        assertTrue(verify.out().contains("is sound: " + events.size() + " events"), verify.out());

        Path report = dir.resolve("report.html");
        assertEquals(0, execute("report", workspace.toString(), "-o", report.toString()).exitCode());
        String html = Files.readString(report);
        assertEquals(dispatches(events), count(html, "<rect class=\"bar "));
        assertEquals(7, count(html, "<tr class=\"todo "));
        assertEquals(2, count(html, "<details class=\"verify "));
    }

    @Test
    void followingPrintsEveryEventOfAMissionStartedAfterItAndEndsWithIt() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("greet"));
        Run[] followed = new Run[1];
        Thread follower = Thread.ofPlatform().start(() -> followed[0] = execute("events", "--follow",
                workspace.toString()));

        assertEquals(0, runScripted(workspace).exitCode());
        follower.join(Duration.ofMinutes(1));

        assertFalse(follower.isAlive(), "--follow ends with the mission");
        List<String> lines = followed[0].out().lines().toList();
        assertEquals(events(workspace).size(), lines.size(), followed[0].err());
        assertTrue(lines.getLast().contains("MissionFinished  outcome=COMPLETED"), lines.getLast());
    }

    @Test
    void aCompletedMissionResumesToItsResultWithoutAModelCall() {
        Path workspace = dir.resolve("greet");
        assertEquals(0, runScripted(workspace).exitCode());
        long calls = events(workspace).stream().filter(MissionEvent.LlmCallCompleted.class::isInstance).count();

        Run resume = execute("resume", workspace.toString(), "--scripted-latency", "0ms", "--plain");

        assertEquals(OrchestratorCli.COMPLETED, resume.exitCode(), resume.out() + resume.err());
        assertTrue(resume.out().contains("Outcome: COMPLETED"), resume.out());
        assertEquals(calls, events(workspace).stream().filter(MissionEvent.LlmCallCompleted.class::isInstance)
                .count(), "no model call was made again");
    }

    @Test
    void aDamagedJournalIsRefusedWithExitCode3AndLeftAsItWas() throws IOException {
        Path workspace = dir.resolve("greet");
        assertEquals(0, runScripted(workspace).exitCode());
        Path segment;
        try (Stream<Path> files = Files.list(workspace.resolve(".orchestrator"))) {
            segment = files.filter(p -> p.toString().endsWith(".wal")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 3] ^= 0x10;
        Files.write(segment, bytes);

        Run verify = execute("verify-journal", workspace.toString());
        Run status = execute("status", workspace.toString());

        assertEquals(OrchestratorCli.JOURNAL_REFUSED, verify.exitCode());
        assertTrue(verify.err().contains(segment.getFileName() + " in "), verify.err());
        assertEquals(1, verify.err().strip().lines().count(), "one line: " + verify.err());
        assertEquals(OrchestratorCli.JOURNAL_REFUSED, status.exitCode());
        assertArrayEquals(bytes, Files.readAllBytes(segment), "nothing was repaired");
    }

    @Test
    void usageAndConfigurationMistakesEndWithOneLineAndExitCode2() throws IOException {
        Run unknown = execute("run", "--bogus");
        Run duration = execute("run", "--deadline", "5 parsecs");
        Run noJournal = execute("status", dir.resolve("nothing-here").toString());
        Run noKey = execute("run", "--provider", "openai", "--verify", "true", "do it");
        Run noAnthropicKey = execute("run", "--provider", "anthropic", "--verify", "true", "do it");
        Run noVerify = execute(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", "OPENAI_MODEL", "m"), "run",
                "do it");
        Run noReviews = execute("run", "--workspace", dir.resolve("none").toString(), "--max-iterations", "0",
                "--max-workers", "0");
        Run noTimeout = execute(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", "OPENAI_MODEL", "m"), "run",
                "--verify", "true", "--request-timeout", "0s", "do it");
        Run verifyTypo = execute(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", "OPENAI_MODEL", "m"), "run",
                "--workspace", Files.createDirectories(dir.resolve("typo")).toString(), "--verify", "mvnn-e2b7 -q test", "do it");

        for (Run run : List.of(unknown, duration, noJournal, noKey, noAnthropicKey, noVerify, noTimeout,
                verifyTypo)) {
            assertEquals(OrchestratorCli.CONFIGURATION, run.exitCode(), run.err());
            assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        }
        assertTrue(unknown.err().contains("Unknown option: '--bogus'"), unknown.err());
        assertTrue(duration.err().contains("write it like 30m, 90s, 1h30m or 500ms"), duration.err());
        assertTrue(noJournal.err().contains("no mission journal in"), noJournal.err());
        assertTrue(noKey.err().contains("--provider openai needs OPENAI_API_KEY"), noKey.err());
        // not the API's "pass Anthropic.builder().apiKey(...)", which a command-line user cannot do
        assertTrue(noAnthropicKey.err().contains("--provider anthropic needs ANTHROPIC_API_KEY: export it"),
                noAnthropicKey.err());
        assertTrue(noVerify.err().contains("give --verify"), noVerify.err());
        assertTrue(noTimeout.err().contains("--request-timeout must be more than 0"), noTimeout.err());
        // at once, before a call to the model (none listens at port 9): each review would find it "not found"
        assertTrue(verifyTypo.err().contains("'mvnn-e2b7', which is not a command on this machine")
                && verifyTypo.err().contains("correct the command (--verify)"), verifyTypo.err());
        // Mission.build() lists every bad setting, each as the option that sets it
        assertEquals(OrchestratorCli.CONFIGURATION, noReviews.exitCode(), noReviews.err());
        assertTrue(noReviews.err().contains("--max-iterations must be between 1 and 1000, was 0"), noReviews.err());
        assertTrue(noReviews.err().contains("--max-workers must be between 1 and 100000, was 0"), noReviews.err());
        assertFalse(noReviews.err().contains("maxIterations"), noReviews.err());
    }

    @Test
    void messagesThatNameABuilderSettingNameTheCliOptionThatSetsIt() throws IOException {
        Path late = dir.resolve("late");
        Run deadline = execute("run", "--workspace", late.toString(), "--scripted-latency", "200ms", "--plain",
                "--deadline", "100ms");
        Run reviews = execute("run", "--workspace", dir.resolve("reviewed").toString(), "--scripted-latency", "0ms",
                "--plain", "--max-iterations", "1");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Files.createDirectories(dir.resolve("nowhere"));
        Run unreachable = execute("run", "--base-url", "http://127.0.0.1:" + closedPort + "/v1", "--model", "m",
                "--workspace", dir.resolve("nowhere").toString(), "--verify", "true", "--plain", "say hello");

        assertTrue(deadline.out().contains("Outcome: DEADLINE") && deadline.out().contains("more time with "
                + "--deadline and run it again"), deadline.out());
        assertTrue(execute("status", late.toString()).out().contains("more time with --deadline"));
        assertTrue(reviews.out().contains("Outcome: ITERATION_LIMIT")
                && reviews.out().contains("allow more reviews with --max-iterations"), reviews.out());
        assertTrue(unreachable.out().contains("Outcome: FAILED") && unreachable.out().contains("connection refused")
                && unreachable.out().contains("point OPENAI_BASE_URL or --base-url at where it listens"),
                unreachable.out());
        for (Run run : List.of(deadline, reviews, unreachable)) {
            assertEquals(OrchestratorCli.MISSION_FAILED, run.exitCode(), run.err());
            assertFalse(run.out().contains(".Builder."), run.out());
        }
        // every option the wording names is one that run takes
        CommandLine.Model.CommandSpec spec = OrchestratorCli.commandLine(Map.of()).getSubcommands().get("run")
                .getCommandSpec();
        for (String setting : List.of("deadline", "callPatience", "maxIterations", "budget", "maxParallelWorkers")) {
            String options = CliWording.of("Mission.Builder." + setting + "(...)");
            for (String option : options.split(" or ")) {
                assertTrue(spec.findOption(option) != null, setting + " is said as " + options);
            }
        }
        for (String setting : List.of("OpenAiCompatible.Builder.baseUrl(...)", "Anthropic.Builder.baseUrl(...)",
                "OpenAiCompatible.Builder.requestTimeout(...)", "Anthropic.Builder.requestTimeout(...)")) {
            String option = CliWording.of(setting);
            assertTrue(spec.findOption(option) != null, setting + " is said as " + option);
        }
        // resume takes the verify command from the journal: it has no --verify to name
        CommandLine.Model.CommandSpec resume = OrchestratorCli.commandLine(Map.of()).getSubcommands().get("resume")
                .getCommandSpec();
        assertEquals("correct it (--verify of orchestrator run, for a new mission: orchestrator resume keeps what the "
                + "journal holds)", CliWording.of("correct it (Mission.Builder.verifyWith(...))", resume));
        assertEquals("(--deadline)", CliWording.of("(Mission.Builder.deadline(...))", resume));
    }

    @Test
    void runWithAnotherGoalOverAJournalSaysHowToResumeOrStartAnewBeforeAnythingRuns() {
        Path workspace = dir.resolve("greet");
        assertEquals(0, runScripted(workspace).exitCode());
        long events = events(workspace).size();

        Run other = execute(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", "OPENAI_MODEL", "m"), "run",
                "Add a README", "--workspace", workspace.toString(), "--verify", "true", "--plain");

        assertEquals(OrchestratorCli.CONFIGURATION, other.exitCode(), other.out() + other.err());
        assertEquals(1, other.err().strip().lines().count(), "one line: " + other.err());
        assertTrue(other.err().contains("holds another mission, with the goal '" + QuickStartScript.GOAL
                + "' (completed): go on with it with `orchestrator resume " + workspace.toAbsolutePath() + "`"),
                other.err());
        assertFalse(other.out().contains("goes on"), "it does not say the mission goes on: " + other.out());
        assertEquals(events, events(workspace).size(), "the journal is left as it was");
    }

    @Test
    void resumingAServersMissionWithoutItsProviderNamesTheProviderAndModelItRanOn() {
        Path workspace = dir.resolve("served");
        try (FileJournal journal = FileJournal.open(workspace.resolve(".orchestrator"))) {
            Instant at = Instant.parse("2026-12-01T03:00:00Z");
            journal.append(new MissionEvent.MissionStarted("m-1", "Write six notes", workspace.toString(), "true", "",
                    Map.of(), at)).join();
            journal.append(new MissionEvent.ConcurrencyChanged("openai-compatible:127.0.0.1:8482/m1", 5,
                    Optional.empty(), "RAISED", 0, 0, at)).join();
        }

        Run resume = execute("resume", workspace.toString(), "--plain");

        assertEquals(OrchestratorCli.CONFIGURATION, resume.exitCode(), resume.out() + resume.err());
        assertTrue(resume.err().contains("give the provider it ran with, openai-compatible:127.0.0.1:8482/m1 "
                + "(--base-url URL --model NAME"), resume.err());
    }

    @Test
    void aMissionRunningElsewhereIsNotOpenedTwiceAndTheMessageSaysToWait() {
        Path workspace = dir.resolve("greet");
        assertEquals(0, runScripted(workspace).exitCode());

        Run second;
        try (FileJournal running = FileJournal.open(workspace.resolve(".orchestrator"))) {
            second = execute("resume", workspace.toString(), "--scripted-latency", "0ms", "--plain");
        }

        assertEquals(OrchestratorCli.CONFIGURATION, second.exitCode(), second.out() + second.err());
        assertEquals(1, second.err().strip().lines().count(), "one line: " + second.err());
        assertTrue(second.err().contains("is in use by another run of its mission")
                && second.err().contains("wait for that run to end, or stop it"), second.err());
    }

    @Test
    void aReportIntoADirectoryThatDoesNotExistSaysSo() {
        Path workspace = dir.resolve("greet");
        assertEquals(0, runScripted(workspace).exitCode());
        Path missing = dir.resolve("reports");

        Run report = execute("report", workspace.toString(), "-o", missing.resolve("r.html").toString());

        assertEquals(OrchestratorCli.CONFIGURATION, report.exitCode(), report.out() + report.err());
        // it said "no such file: .../reports/r.html"
        assertTrue(report.err().contains("the directory " + missing.toAbsolutePath() + " for the report does not "
                + "exist: create it"), report.err());
    }

    @Test
    void aJournalDirectoryThatCannotBeMadeSaysWhyNotOnlyWhere() throws IOException {
        Path workspace = Files.createDirectories(dir.resolve("blocked"));
        // what a read-only workspace does to a user who is not root (these tests may run as root, whom no mode
        // stops): the JDK's exception carries the path only; here a link to nothing stands where the journal goes
        Files.createSymbolicLink(workspace.resolve(".orchestrator"), workspace.resolve("gone"));

        Run run = execute(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", "OPENAI_MODEL", "m"), "run", "do it",
                "--workspace", workspace.toString(), "--verify", "true", "--plain");

        assertEquals(OrchestratorCli.CONFIGURATION, run.exitCode(), run.out() + run.err());
        // it said "cannot create the journal directory X: X"
        assertTrue(run.err().contains("cannot create the journal directory " + workspace.resolve(".orchestrator")
                + ": file already exists: "), run.err());
    }

    @Test
    void verboseAddsTheStackTrace() {
        Run verbose = execute("status", "--verbose", dir.resolve("nothing-here").toString());

        assertEquals(OrchestratorCli.CONFIGURATION, verbose.exitCode());
        assertTrue(verbose.err().contains("\tat dev.orchestrator.cli.JournalDirectory.locate"), verbose.err());
    }

    @Test
    void everyCommandHasHelpAndVersion() {
        for (String command : List.of("run", "resume", "status", "events", "report", "verify-journal")) {
            Run help = execute(command, "--help");
            assertEquals(0, help.exitCode(), command);
            assertTrue(help.out().startsWith("Usage: orchestrator " + command), help.out());
            Run version = execute(command, "--version");
            assertTrue(version.out().startsWith("orchestrator 0.1.0"), version.out());
        }
        assertTrue(execute("--help").out().contains("3   the journal is damaged"), execute("--help").out());
    }
}
