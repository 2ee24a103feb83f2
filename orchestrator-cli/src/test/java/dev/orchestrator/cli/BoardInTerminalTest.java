package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live board in a real terminal: {@code orchestrator run} in a tmux pane, the pane captured while Workers are busy
 * and at the end, and read as a person would read the screen. Skipped when tmux is not installed ({@code .ci/run}
 * installs it).
 */
class BoardInTerminalTest {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @BeforeEach
    void needsTmux() {
        // per test, not per class: a class-level skip leaves no trace in the test report
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(p -> Files.isExecutable(Path.of(p, "tmux")));
        Assumptions.assumeTrue(found, "tmux is not installed (apt-get install tmux; .ci/run does it): the board is "
                + "not watched in a terminal");
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(1, TimeUnit.MINUTES), "tmux " + command);
        assertEquals(0, process.exitValue(), "tmux " + String.join(" ", args) + ": " + out);
        return out;
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static long lines(String screen, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return screen.lines().filter(line -> pattern.matcher(line).find()).count();
    }

    /** Whether the journal shows a Worker's todo that started and has not finished. */
    private static boolean aWorkerIsBusy(Path journal) {
        List<MissionEvent> events = new ArrayList<>();
        FileJournal.read(journal, 0, (seq, event) -> events.add(event));
        long started = OrchestratorCliTest.dispatches(events);
        long finished = events.stream().filter(MissionEvent.TaskFinished.class::isInstance).count();
        return started > finished;
    }

    @Test
    void theBoardRedrawsInPlaceWhileWorkersAreBusyAndShowsTheEndWhereItWas() throws Exception {
        Path workspace = dir.resolve("greet");
        Path journal = Files.createDirectories(workspace.resolve(".orchestrator"));
        String session = "orchestrator-board-" + ProcessHandle.current().pid();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = quote(java) + " -cp " + quote(System.getProperty("java.class.path")) + " "
                + OrchestratorCli.class.getName() + " run --workspace " + quote(workspace.toString())
                + " --scripted-latency 600ms; echo EXIT=$?; tmux wait-for -S " + session + "; sleep 600";
        tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "50", command);
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            journal.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            String midway = null;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            // woken by the journal's writes: look at the screen each time the mission records something
            while (midway == null && System.nanoTime() < deadline) {
                WatchKey key = watcher.poll(1, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
                if (aWorkerIsBusy(journal)) {
                    String screen = tmux("capture-pane", "-p", "-t", session);
                    if (screen.contains("[~]") && lines(screen, "^  todo-\\d#1 ") > 0) {
                        midway = screen;
                    }
                }
            }
            assertTrue(midway != null, "the board showed a busy Worker within " + PATIENCE);

            assertEquals(1, lines(midway, "^todos \\[[#-]{20}\\] \\d/\\d+ done \\| \\d running"), midway);
            assertTrue(lines(midway, "^workers busy: [1-9]") == 1, midway);
            assertTrue(lines(midway, "^  todo-\\d#1 +\\d+(\\.\\d)? s +(waiting for the model|running write_file)$")
                    >= 1, midway);
            assertEquals(1, lines(midway, "^tokens: [\\d,]+ \\(\\d+ % of input cached\\) \\| \\$0\\.0000 \\(no price "
                    + "for scripted\\)$"), midway);
            assertEquals(1, lines(midway, "^model calls in flight or queued: \\d+ \\(no limiter: the provider reported no "
                    + "quota\\)$"), midway);

            tmux("wait-for", session);
            String end = tmux("capture-pane", "-p", "-S", "-", "-t", session); // the scrollback too
            assertEquals(1, lines(end, "^todos \\["), "one board, redrawn in place, never piled up:\n" + end);
            assertEquals(1, lines(end, "^todos \\[#{20}\\] 7/7 done \\| 0 running"), end);
            assertEquals(7, lines(end, "^  \\[x\\] "), end);
            assertEquals(1, lines(end, "^workers busy: 0$"), end);
            assertEquals(1, lines(end, "^Outcome: COMPLETED$"), end);
            assertEquals(1, lines(end, "^EXIT=0$"), end);
        } finally {
            tmux("kill-session", "-t", session);
        }
    }
}
