package dev.orchestrator.core.internal.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Ends a command's whole process tree. An unsandboxed command starts as the leader of a new session
 * ({@code setsid}), so every process it spawns (even one that forked twice and left its parent) keeps the session
 * id, which is the leader's pid: on Linux, ending the session finds them all through {@code /proc}. The leader's
 * start time guards against a reused pid when a resumed mission ends the leftovers of a crashed one.
 */
public final class ProcessTree {

    private static final Path PROC = Path.of("/proc");
    /** Rounds of listing and killing: each takes a generation of forks, so only a fork bomb needs more. */
    private static final int MAX_ROUNDS = 1000;

    private ProcessTree() {
    }

    /** The start time of process {@code pid}, if it is alive and the system says. */
    public static Optional<Instant> startOf(long pid) {
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().startInstant());
    }

    /**
     * Ends (SIGKILL) every process of the session {@code leader} started, if it is still that command: when the
     * leader is alive it must have started at {@code startedAt}; when it is gone, only members that started after
     * it are ended. Returns how many were ended.
     */
    public static int endSession(long leader, Instant startedAt) {
        Optional<Instant> leaderStart = startOf(leader);
        if (leaderStart.isPresent() && !leaderStart.get().equals(startedAt)) {
            return 0; // the pid now belongs to another process
        }
        // a member may fork between one listing and its kill, and its child is in no listing yet: list and kill
        // again until a listing shows no member that was not killed. That ends, and ends them all: Linux lets no
        // process with a SIGKILL pending finish a fork, so every child of a killed member is in the next listing
        Set<Long> seen = new HashSet<>();
        int ended = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Long> fresh = sessionMembers(leader).stream().filter(seen::add).toList();
            if (fresh.isEmpty()) {
                break;
            }
            for (long member : fresh) {
                Optional<ProcessHandle> handle = ProcessHandle.of(member);
                if (handle.isPresent()
                        && handle.get().info().startInstant().map(s -> !s.isBefore(startedAt)).orElse(true)
                        && handle.get().destroyForcibly()) {
                    ended++;
                }
            }
        }
        return ended;
    }

    /** Ends {@code process}, its session and its descendants. */
    static void end(Process process) {
        // listed before anything ends: a sandbox's init is found as bwrap's child, and is not once bwrap has ended
        List<ProcessHandle> descendants = process.descendants().toList();
        process.info().startInstant().ifPresent(start -> endSession(process.pid(), start));
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * The pids of the live processes whose session id is {@code session}, from {@code /proc} (none where there is
     * no /proc). Not zombies: they can do nothing, and no one may reap them (the killed orphans of a container whose
     * init does not).
     */
    static List<Long> sessionMembers(long session) {
        List<Long> members = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return members;
        }
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && liveSessionOf(entry) == session) {
                    members.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            // /proc cannot be listed: the descendants are still ended by the caller
        }
        return members;
    }

    /**
     * Field 6 of /proc/<pid>/stat, after the command name in parentheses (which may itself hold spaces), or -1 for
     * a zombie or a dead process (field 3, its state, Z or X).
     */
    private static long liveSessionOf(Path processDirectory) {
        try {
            String stat = Files.readString(processDirectory.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields[0].equals("Z") || fields[0].equals("X") ? -1 : Long.parseLong(fields[3]);
        } catch (IOException | RuntimeException e) {
            return -1; // it ended while being read
        }
    }
}
