package dev.orchestrator.core.internal.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Ends a command's whole process tree. An unsandboxed command starts as the leader of a new session
 * ({@code setsid}), so every process it spawns (even one that forked twice and left its parent) keeps the session
 * id, which is the leader's pid: on Linux, ending the session finds them all through {@code /proc}, with the
 * leader's descendants and the sessions they started (a child that called setsid). The leader's start time guards
 * against a reused pid when a resumed mission ends the leftovers of a crashed one.
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
     * Ends (SIGKILL) every process of the session {@code leader} started, and its descendants, if it is still that
     * command: when the leader is alive it must have started at {@code startedAt}; when it is gone, only members
     * that started after it are ended. Returns how many were ended.
     */
    public static int endSession(long leader, Instant startedAt) {
        Optional<Instant> leaderStart = startOf(leader);
        if (leaderStart.isPresent() && !leaderStart.get().equals(startedAt)) {
            return 0; // the pid now belongs to another process
        }
        // a member may fork between one listing and its kill, and its child is in no listing yet: list and kill
        // again until a listing shows no member that was not killed. That ends, and ends them all: Linux lets no
        // process with a SIGKILL pending finish a fork, so every child of a killed member is in the next listing.
        // (Not ProcessHandle.descendants(): it lists again for as long as the count grew meanwhile, forever when a
        // command forks without pause.)
        Set<Long> sessions = new HashSet<>(Set.of(leader));
        // the descendants of the leader, and of every process found, that left the session: only a leader that is
        // known to be the command's has descendants of the command (a reused pid has others)
        Set<Long> seen = new HashSet<>();
        Set<Long> roots = new HashSet<>(leaderStart.isPresent() ? Set.of(leader) : Set.of());
        int ended = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Proc> fresh = tree(live(), roots, sessions).stream().filter(p -> seen.add(p.pid())).toList();
            if (fresh.isEmpty()) {
                break;
            }
            for (Proc member : fresh) {
                Optional<ProcessHandle> handle = ProcessHandle.of(member.pid());
                if (handle.isPresent()
                        && handle.get().info().startInstant().map(s -> !s.isBefore(startedAt)).orElse(true)) {
                    roots.add(member.pid());
                    if (member.session() == member.pid()) {
                        // a session this descendant started; not the one it was born in, which is the JVM's where
                        // the command runs without setsid, with what else the JVM started after it
                        sessions.add(member.pid());
                    }
                    if (handle.get().destroyForcibly()) {
                        ended++;
                    }
                }
            }
        }
        return ended;
    }

    /** Ends {@code process}, its session and its descendants. */
    static void end(Process process) {
        // the whole tree from one listing before anything ends: a sandbox's init is found as bwrap's child, and is
        // not once bwrap has ended
        process.info().startInstant().ifPresent(start -> endSession(process.pid(), start));
        process.destroyForcibly();
    }

    /**
     * The pids of the live processes whose session id is {@code session}, from {@code /proc} (none where there is
     * no /proc).
     */
    static List<Long> sessionMembers(long session) {
        return live().stream().filter(p -> p.session() == session).map(Proc::pid).toList();
    }

    /** A live process as {@code /proc} showed it. */
    private record Proc(long pid, long parent, long session) {
    }

    /** The members of {@code sessions} in {@code listing}, with their descendants and those of {@code roots}. */
    private static List<Proc> tree(List<Proc> listing, Set<Long> roots, Set<Long> sessions) {
        Map<Long, List<Proc>> children = new HashMap<>();
        List<Proc> found = new ArrayList<>();
        Set<Long> inTree = new HashSet<>();
        for (Proc p : listing) {
            children.computeIfAbsent(p.parent(), k -> new ArrayList<>()).add(p);
            if (sessions.contains(p.session())) {
                found.add(p);
                inTree.add(p.pid());
            }
        }
        ArrayDeque<Long> parents = new ArrayDeque<>(roots);
        found.forEach(p -> parents.push(p.pid()));
        while (!parents.isEmpty()) {
            for (Proc child : children.getOrDefault(parents.pop(), List.of())) {
                if (inTree.add(child.pid())) {
                    found.add(child);
                    parents.push(child.pid());
                }
            }
        }
        return found;
    }

    /**
     * The live processes, from {@code /proc} (none where there is none). Not zombies: they can do nothing, and no
     * one may reap them (the killed orphans of a container whose init does not).
     */
    private static List<Proc> live() {
        List<Proc> live = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return live;
        }
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    read(Long.parseLong(name), entry).ifPresent(live::add);
                }
            }
        } catch (IOException e) {
            // /proc cannot be listed: the caller still ends the process it holds
        }
        return live;
    }

    /**
     * Fields 4 and 6 of /proc/<pid>/stat, parent and session, after the command name in parentheses (which may
     * itself hold spaces); none for a zombie or a dead process (field 3, its state, Z or X).
     */
    private static Optional<Proc> read(long pid, Path processDirectory) {
        try {
            String stat = Files.readString(processDirectory.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields[0].equals("Z") || fields[0].equals("X") ? Optional.empty()
                    : Optional.of(new Proc(pid, Long.parseLong(fields[1]), Long.parseLong(fields[3])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // it ended while being read
        }
    }
}
