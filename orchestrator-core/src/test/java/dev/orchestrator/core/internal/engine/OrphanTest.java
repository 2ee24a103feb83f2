package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.core.internal.tools.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM whose command spawned grandchildren (one of them double-forked away from its parent) is killed with
 * {@code kill -9}: with the sandbox the whole tree dies with it; without, it survives the JVM but the resumed
 * mission ends it before going on. Processes are found through {@code /proc} by a marker in their command line.
 */
class OrphanTest {

    @TempDir
    Path base;

    @Test
    void withTheSandboxTheCommandsTreeDiesWithTheJvm() throws Exception {
        assumeTrue(Sandbox.detect(false, List.of(), List.of()).sandbox().isPresent(), "bwrap is not usable here");
        String marker = marker();
        Path workspace = Files.createDirectory(base.resolve("ws"));

        killWhileTheCommandRuns(workspace, marker, "");

        for (ProcessHandle survivor : withMarker(marker)) {
            // the kernel ends the namespace as its init dies: wait for that exit, generously
            survivor.onExit().get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), withMarker(marker), "processes of the command outlived the JVM");
    }

    @Test
    void withoutTheSandboxTheResumedMissionEndsTheLeftoversBeforeGoingOn() throws Exception {
        String marker = marker();
        Path workspace = Files.createDirectory(base.resolve("ws"));

        killWhileTheCommandRuns(workspace, marker, "-D" + Sandbox.BWRAP_PROPERTY + "=none");
        List<ProcessHandle> orphans = withMarker(marker);
        try {
            assertFalse(orphans.isEmpty(), "the unsandboxed command's processes should have outlived the JVM");

            Process resumed = child(workspace, marker, "-D" + Sandbox.BWRAP_PROPERTY + "=none");
            String output = new String(resumed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(resumed.waitFor(120, TimeUnit.SECONDS), output);

            assertEquals(0, resumed.exitValue(), output);
            assertTrue(output.contains("processes left running by commands of the crashed run"), output);
            assertEquals(List.of(), withMarker(marker), "an orphan of the crashed run survived the resume");
        } finally {
            orphans.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Runs the mission in a child JVM and kills it with SIGKILL once its command has spawned its processes. */
    private void killWhileTheCommandRuns(Path workspace, String marker, String property) throws Exception {
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            workspace.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            Process child = child(workspace, marker, property);
            try {
                while (!Files.exists(workspace.resolve("ready"))) {
                    assertTrue(child.isAlive(), () -> "the child ended early: " + output(child));
                    watch.poll(30, TimeUnit.SECONDS);
                }
                assertFalse(withMarker(marker).isEmpty(), "the command's processes are running");
            } catch (ClosedWatchServiceException e) {
                throw new IllegalStateException(e);
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
        }
    }

    private Process child(Path workspace, String marker, String property) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // two sleeps in the background, one of them detached by a double fork, and a wait; the marker is a
        // duration no other process here uses
        String command = "sleep " + marker + " & (sleep " + marker + " &) ; sleep " + marker
                + " & echo > ready; wait";
        List<String> line = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path")));
        if (!property.isEmpty()) {
            line.add(property);
        }
        line.addAll(List.of(CommandChild.class.getName(), workspace.toString(), base.resolve("journal").toString(),
                command));
        return new ProcessBuilder(line).redirectErrorStream(true).start();
    }

    private static String output(Process child) {
        try {
            return new String(child.getInputStream().readNBytes(child.getInputStream().available()),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    /** A sleep duration in seconds that no other process on this machine is using. */
    private static String marker() {
        return Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 900_000));
    }

    /**
     * The live processes of the command, found through /proc: every one whose command line holds the marker (the
     * shells, the sleeps, bwrap), but for the child JVMs, which have it as an argument.
     */
    private static List<ProcessHandle> withMarker(String marker) throws IOException {
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String commandLine = Files.readString(entry.resolve("cmdline")).replace('\0', ' ').strip();
                    if (commandLine.contains(marker) && !commandLine.contains(CommandChild.class.getName())) {
                        Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(name));
                        handle.filter(ProcessHandle::isAlive).ifPresent(found::add);
                    }
                } catch (IOException gone) {
                    // it ended while being read
                }
            }
        }
        return found;
    }
}
