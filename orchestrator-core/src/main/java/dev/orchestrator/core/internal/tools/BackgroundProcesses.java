package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.MissionStoppedException;
import dev.orchestrator.api.ToolException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The background commands of one mission run. Each belongs to the task that started it and ends when that task
 * ends ({@link #endAll}) or the mission does ({@link #close}); only its task may read or stop it. Ids carry a tag
 * of this run, so a resumed mission recognises the id of a process its crashed run started (which died with it, or
 * was ended as a leftover) and says so, instead of answering as if the id were mistyped.
 */
public final class BackgroundProcesses implements AutoCloseable {

    /** The longest a read_output call may wait for new output. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    /** At most this many bytes per read_output answer; the next offset lets the model read on. */
    static final int MAX_READ_BYTES = 32 * 1024;
    static final int MAX_PER_TASK = 8;
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final CommandRunner runner;
    private final int ringBytes;
    private final String runTag = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Background> running = new ConcurrentHashMap<>();

    /** Starts commands through {@code runner}, keeping the last {@code ringBytes} bytes of each one's output. */
    public BackgroundProcesses(CommandRunner runner, int ringBytes) {
        this.runner = runner;
        this.ringBytes = ringBytes;
    }

    /** A started process, the task it belongs to, and its output. */
    record Background(String id, long sequence, String taskId, Process process, Optional<Instant> started,
            OutputRing output) {
    }

    /** Starts {@code command} for {@code taskId} and returns its id at once. */
    synchronized String start(String taskId, String command) {
        makeRoom(taskId);
        long sequence = ids.incrementAndGet();
        String id = "bg-" + runTag + "-" + sequence;
        CommandRunner.Started started = runner.start(command);
        Process process = started.process();
        OutputRing output = new OutputRing(ringBytes);
        Background background = new Background(id, sequence, taskId, process, process.info().startInstant(),
                output);
        running.put(id, background);
        Thread.ofVirtual().name("background-output-" + id).start(() -> pump(started, output));
        return id;
    }

    /**
     * The output of {@code id} after offset {@code since}, waiting up to {@code wait} when there is none yet, or
     * until the exit when {@code untilExit}.
     *
     * @throws ToolException if {@code id} is not a process of {@code taskId} in this run
     * @throws MissionStoppedException if the waiting thread is interrupted (its task or mission ends)
     */
    OutputRing.Chunk read(String taskId, String id, long since, Duration wait, boolean untilExit) {
        OutputRing output = owned(taskId, id).output();
        try {
            return output.read(Math.max(0, since), Math.clamp(wait.toNanos(), 0, MAX_WAIT.toNanos()), MAX_READ_BYTES,
                    untilExit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MissionStoppedException("interrupted while waiting for the output of " + id);
        }
    }

    /** Ends {@code id}'s whole process tree and returns how its output ended. */
    OutputRing.Chunk stop(String taskId, String id) {
        Background background = owned(taskId, id);
        end(background);
        return read(taskId, id, Long.MAX_VALUE, Duration.ZERO, false);
    }

    /** Ends every process {@code taskId} started: the task is over. */
    public void endAll(String taskId) {
        List<Background> owned = running.values().stream().filter(p -> p.taskId().equals(taskId)).toList();
        owned.forEach(BackgroundProcesses::end);
        owned.forEach(background -> running.remove(background.id()));
    }

    /** Ends every process still running: the mission is over. */
    @Override
    public void close() {
        List<Background> all = List.copyOf(running.values());
        all.forEach(BackgroundProcesses::end);
        running.clear();
    }

    /**
     * Keeps at most {@link #MAX_PER_TASK} processes (and their buffers) per task: forgets the task's oldest ended
     * ones to make room for one more, and refuses when all are still running.
     */
    private void makeRoom(String taskId) {
        List<Background> owned = running.values().stream().filter(p -> p.taskId().equals(taskId))
                .sorted(Comparator.comparingLong(Background::sequence)).toList();
        int excess = owned.size() - MAX_PER_TASK + 1;
        for (Background ended : owned.stream().filter(p -> p.output().isFinished()).limit(Math.max(0, excess))
                .toList()) {
            running.remove(ended.id());
            excess--;
        }
        if (excess > 0) {
            throw new ToolException("this task already runs " + MAX_PER_TASK + " background processes: stop_process "
                    + "one it no longer needs first");
        }
    }

    private Background owned(String taskId, String id) {
        Background background = running.get(id);
        if (background != null && background.taskId().equals(taskId)) {
            return background;
        }
        if (id.startsWith("bg-") && !id.startsWith("bg-" + runTag + "-")) {
            throw new ToolException("background process " + id + " is gone: it belonged to an earlier run of this "
                    + "mission, which ended (the mission was resumed after a crash), and it ended with that run. Do "
                    + "not wait for it: start the command again with run_command and background true if you still "
                    + "need it");
        }
        throw new ToolException("no background process " + id + " of this task: use the id run_command returned "
                + "when it started the command in the background (an ended process is forgotten once the task has "
                + "started " + MAX_PER_TASK + " more)");
    }

    private static void end(Background background) {
        // also when the leader has exited: what it left running in its session still holds the output pipe
        background.started().ifPresent(start -> ProcessTree.endSession(background.process().pid(), start));
        ProcessTree.end(background.process());
        try {
            // the pump ends once the last process holding the pipe is gone
            background.output().awaitFinish(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(CommandRunner.Started started, OutputRing output) {
        CommandRunner.drain(started.output(), output::write);
        try {
            output.finish(OptionalInt.of(started.process().waitFor()));
        } catch (InterruptedException e) {
            output.finish(OptionalInt.empty());
        }
    }
}
