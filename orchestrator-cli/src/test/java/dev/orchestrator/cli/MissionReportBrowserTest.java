package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of an end-to-end mission, rendered by a real browser: headless Chromium lays the page out, takes
 * a screenshot and dumps the DOM it built, and its console must stay silent. Skipped when Chromium is not installed
 * ({@code .ci/run} installs Debian's {@code chromium}).
 */
class MissionReportBrowserTest {

    private static Path chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium() {
        chromium = Stream.of("chromium", "chromium-browser", "google-chrome")
                .flatMap(name -> Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                        .map(p -> Path.of(p, name)))
                .filter(Files::isExecutable).findFirst().orElse(null);
    }

    @BeforeEach
    void needsChromium() {
        // per test, not per class: a class-level skip leaves no trace in the test report
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium; .ci/run "
                + "does it): the report is not rendered in a browser");
    }

    /** What the browser did with a page: the DOM it built, and the console messages it logged. */
    private record Rendered(String dom, List<String> console) {
    }

    private Rendered render(Path page, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        Path log = dir.resolve("chromium-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0", "--hide-scrollbars", "--window-size=1100,2400"));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Process browser = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String dom = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!browser.waitFor(2, TimeUnit.MINUTES)) {
            browser.destroyForcibly();
            throw new AssertionError("chromium did not finish in 2 minutes");
        }
        // Chromium logs every console message (errors included) as an INFO line tagged CONSOLE
        List<String> console = Files.readAllLines(log).stream().filter(l -> l.contains(":CONSOLE")).toList();
        return new Rendered(dom, console);
    }


    @Test
    void theReportOfAMissionRendersEveryTaskTodoIssueAndVerifyRunWithASilentConsole() throws Exception {
        Path workspace = dir.resolve("greet");
        assertEquals(0, OrchestratorCliTest.runScripted(workspace).exitCode());
        List<MissionEvent> events = new ArrayList<>();
        FileJournal.read(workspace.resolve(".orchestrator"), 0, (seq, event) -> events.add(event));
        Path page = dir.resolve("report.html");
        Files.writeString(page, MissionReport.html(workspace));
        String html = Files.readString(page);
        assertFalse(html.contains("<script") || html.contains(" src=") || html.contains(" href="),
                "the page loads and runs nothing");

        Path screenshot = dir.resolve("report.png");
        Rendered shot = render(page, "--screenshot=" + screenshot);
        Rendered rendered = render(page, "--dump-dom");

        byte[] png = Files.readAllBytes(screenshot);
        assertTrue(png.length > 10_000, "a screenshot of a laid-out page, " + png.length + " bytes");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertEquals(List.of(), shot.console(), "console messages while rendering");
        assertEquals(List.of(), rendered.console(), "console messages while rendering");

        String dom = rendered.dom();
        long dispatched = OrchestratorCliTest.dispatches(events);
        long todos = events.stream().filter(MissionEvent.TodosPlanned.class::isInstance)
                .mapToLong(e -> ((MissionEvent.TodosPlanned) e).todos().size()).sum();
        long issues = events.stream().filter(MissionEvent.ReviewCompleted.class::isInstance)
                .mapToLong(e -> ((MissionEvent.ReviewCompleted) e).issues().size()).sum();
        long verifies = events.stream().filter(MissionEvent.VerifyCompleted.class::isInstance).count();
        long reviews = events.stream().filter(MissionEvent.ReviewCompleted.class::isInstance).count();
        Optional<String> roles = events.stream().filter(MissionEvent.LlmCallCompleted.class::isInstance)
                .map(e -> ((MissionEvent.LlmCallCompleted) e).role()).distinct().reduce((a, b) -> a + "," + b);
        assertEquals(dispatched, OrchestratorCliTest.count(dom, "<rect class=\"bar [^\"]*\" data-task="),
                "timeline bars");
        assertEquals(todos, OrchestratorCliTest.count(dom, "<tr class=\"todo "), "todo rows");
        assertEquals(issues, OrchestratorCliTest.count(dom, "<li class=\"issue\""), "review issues");
        assertEquals(reviews, OrchestratorCliTest.count(dom, "<div class=\"review\""), "reviews");
        assertEquals(verifies, OrchestratorCliTest.count(dom, "<details class=\"verify "), "verify runs");
        assertEquals(roles.orElseThrow().split(",").length, OrchestratorCliTest.count(dom, "<path class=\"series "),
                "a line per role");
        assertTrue(dom.contains("id=\"outcome\">COMPLETED<"), "the outcome is shown");
        assertTrue(dispatched >= 7 && issues >= 1 && verifies == 2, "the mission had something to show");
    }

    @Test
    void aConsoleErrorWouldBeSeen() throws Exception {
        // the check above could fail: a page whose script errs is caught by the same reading of the browser's log
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><p>x</p><script>console.error('from the page');"
                + "undefinedFunction();</script></body></html>");

        Rendered rendered = render(page, "--dump-dom");

        assertEquals(2, rendered.console().size(), String.join("\n", rendered.console()));
        assertTrue(rendered.console().get(1).contains("undefinedFunction is not defined"), rendered.console().get(1));
    }
}
