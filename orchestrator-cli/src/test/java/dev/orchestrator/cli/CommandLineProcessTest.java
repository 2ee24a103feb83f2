package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a child JVM: the exit codes a script sees, and a {@code kill -9} in the middle of a run. */
class CommandLineProcessTest {

    @TempDir
    Path dir;

    /** A child JVM running the command line on this test's class path, without any provider's variables. */
    static ProcessBuilder cli(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), OrchestratorCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_") || name.startsWith("ANTHROPIC_"));
        builder.environment().putAll(environment);
        return builder;
    }

    /** Runs to the end; returns the exit code and the output. */
    static OrchestratorCliTest.Run run(Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        Process process = cli(environment, args).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the command line ended");
        return new OrchestratorCliTest.Run(process.exitValue(), output, "");
    }

    @Test
    void exitCodesSayCompletedUsageAndJournalRefused() throws Exception {
        Path workspace = dir.resolve("greet");
        OrchestratorCliTest.Run completed = run(Map.of(), "run", "--workspace", workspace.toString(),
                "--scripted-latency", "0ms");
        OrchestratorCliTest.Run usage = run(Map.of(), "run", "--max-workers", "many");
        Path segment = workspace.resolve(".orchestrator").resolve("00000000000000000001.wal");
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(segment, bytes);
        OrchestratorCliTest.Run refused = run(Map.of(), "verify-journal", workspace.toString());

        assertEquals(OrchestratorCli.COMPLETED, completed.exitCode(), completed.out());
        // the sandbox's line, logged at the first command, is one line, not the JDK's date and method line above it
        assertTrue(completed.out().lines().anyMatch(line -> line.matches("(INFO|WARNING): commands run .*")),
                completed.out());
        assertFalse(completed.out().contains("lambda$"), completed.out());
        assertEquals(OrchestratorCli.CONFIGURATION, usage.exitCode(), usage.out());
        assertEquals(OrchestratorCli.JOURNAL_REFUSED, refused.exitCode(), refused.out());
    }

    @Test
    void aServerThatRefusesTheKeyFailsTheMissionWithExitCode1AndSaysSoWithoutTheKey() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = ("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":"
                    + "\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Path workspace = Files.createDirectories(dir.resolve("service"));
            OrchestratorCliTest.Run refused = run(Map.of("OPENAI_API_KEY", "sk-secret-test-key"), "run",
                    "Add a health endpoint", "--workspace", workspace.toString(), "--provider", "openai",
                    "--base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "--model", "gpt-4o",
                    "--verify", "true", "--plain");

            assertEquals(OrchestratorCli.MISSION_FAILED, refused.exitCode(), refused.out());
            assertTrue(refused.out().contains("Outcome: FAILED"), refused.out());
            assertTrue(refused.out().contains("401"), refused.out());
            assertFalse(refused.out().contains("sk-secret-test-key"), refused.out());
            assertTrue(requests.get() >= 1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerThatNeverAnswersFailsTheMissionOnceTheRequestTimeoutAndThePatienceRunOut() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        CountDownLatch testOver = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try {
                testOver.await(); // takes the call, never answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        try {
            Path workspace = Files.createDirectories(dir.resolve("service"));
            OrchestratorCliTest.Run failed = run(Map.of(), "run", "Add a health endpoint", "--workspace",
                    workspace.toString(), "--base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                    "--model", "m", "--verify", "true", "--plain", "--request-timeout", "1s", "--call-patience", "3s");

            assertEquals(OrchestratorCli.MISSION_FAILED, failed.exitCode(), failed.out());
            assertTrue(failed.out().contains("Outcome: FAILED"), failed.out());
            assertTrue(failed.out().contains("within the request timeout of 1 s"), failed.out());
            // the SDK's name of the setting, OpenAiCompatible.Builder.requestTimeout(...), as the option that sets it
            assertTrue(failed.out().contains("raise the request timeout (--request-timeout)"), failed.out());
            assertTrue(requests.get() >= 2, "tried again: " + requests.get());
        } finally {
            testOver.countDown();
            server.stop(0);
        }
    }

    @Test
    void aRunStoppedLikeCtrlCSaysHowToGoOn() throws Exception {
        Path workspace = dir.resolve("greet");
        Process process = cli(Map.of(), "run", "--workspace", workspace.toString(), "--scripted-latency", "300ms",
                "--plain").start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            do {
                line = lines.readLine();
                output.append(line).append('\n');
            } while (line != null && !line.contains("done     todo-1"));
            assertTrue(line != null, "the run got as far as todo-1: " + output);
            // SIGTERM, which ends the JVM as Ctrl-C's SIGINT does (shutdown hooks run); through the handle, as
            // Process.destroy() would close the output this test still reads
            process.toHandle().destroy();
            for (line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
            }
            assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        }

        // it used to end on a board line, with nothing to say that the run can go on
        assertTrue(output.toString().contains("Stopped before the mission ended; its journal keeps what was done: "
                + "go on with: orchestrator resume " + workspace.toAbsolutePath()), output.toString());
        assertTrue(OrchestratorCliTest.execute("status", workspace.toString()).out().contains("not finished"));
    }

    @Test
    void aRunKilledMidwayResumesToTheSameFiles() throws Exception {
        Path workspace = dir.resolve("greet");
        Process process = cli(Map.of(), "run", "--workspace", workspace.toString(), "--scripted-latency", "300ms",
                "--plain").start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.contains("done     todo-1"));
            assertTrue(line != null, "the run got as far as todo-1");
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        }

        OrchestratorCliTest.Run status = OrchestratorCliTest.execute("status", workspace.toString());
        assertTrue(status.out().contains("outcome: not finished"), status.out());
        OrchestratorCliTest.Run resumed = OrchestratorCliTest.execute("resume", workspace.toString(),
                "--scripted-latency", "0ms", "--plain");

        assertEquals(OrchestratorCli.COMPLETED, resumed.exitCode(), resumed.out() + resumed.err());
        for (Map.Entry<String, String> file : QuickStartScript.FILES.entrySet()) {
            assertEquals(file.getValue(), Files.readString(workspace.resolve(file.getKey())), file.getKey());
        }
        List<MissionEvent> events = new ArrayList<>();
        FileJournal.read(workspace.resolve(".orchestrator"), 0, (seq, event) -> events.add(event));
        assertEquals(1, events.stream().filter(MissionEvent.MissionResumed.class::isInstance).count());
        assertEquals(0, OrchestratorCliTest.execute("verify-journal", workspace.toString()).exitCode());
        assertEquals(1, MissionReport.html(workspace).split("<g class=\"mark restart\">", -1).length - 1,
                "the report marks where the mission was resumed");
    }
}
