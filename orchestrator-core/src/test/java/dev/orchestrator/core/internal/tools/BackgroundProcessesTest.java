package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundProcessesTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private BackgroundProcesses processes;

    private BackgroundProcesses processes(int ringBytes) {
        processes = new BackgroundProcesses(new CommandRunner(directory, 4096), ringBytes);
        return processes;
    }

    @AfterEach
    void close() {
        if (processes != null) {
            processes.close();
        }
    }

    @Test
    void aReadReturnsOnlyTheNewBytesAndWakesOnNewOutputAndOnTheExit() throws IOException {
        BackgroundProcesses background = processes(4096);
        String id = background.start("t1", "echo one; while [ ! -e go ]; do sleep 0.05; done; echo two; exit 7");

        OutputRing.Chunk first = background.read("t1", id, 0, LONG, false);
        assertEquals("one\n", first.text());
        assertFalse(first.finished());
        OutputRing.Chunk nothing = background.read("t1", id, first.next(), Duration.ofMillis(50), false);
        assertEquals("", nothing.text(), "a quiet process gives nothing new once the wait is over");
        assertEquals(first.next(), nothing.next());

        Files.writeString(directory.resolve("go"), "");
        OutputRing.Chunk second = background.read("t1", id, first.next(), LONG, false);
        assertEquals("two\n", second.text(), "only what came after the offset");
        OutputRing.Chunk end = second.finished() ? second : background.read("t1", id, second.next(), LONG, false);
        assertTrue(end.finished(), "the wait ends with the exit");
        assertEquals(7, end.exitCode().getAsInt());
        assertTrue(ReadOutputTool.describe(end).startsWith("exited with code 7"), ReadOutputTool.describe(end));
    }

    @Test
    void eachWaitingReadReturnsTheNextLine() {
        BackgroundProcesses background = processes(4096);
        String id = background.start("t1", "for i in 1 2 3; do echo line $i; sleep 0.5; done");

        long since = 0;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            OutputRing.Chunk chunk = background.read("t1", id, since, LONG, false);
            assertEquals("line " + (i + 1) + "\n", chunk.text(), "read " + i + " from " + since);
            since = chunk.next();
            lines.append(chunk.text());
        }
    }

    @Test
    void aHundredMegabytesOfOutputStayWithinTheBuffer() {
        BackgroundProcesses background = processes(64 * 1024);
        String id = background.start("t1", "head -c 100000000 /dev/zero | tr '\\0' x; echo END");

        OutputRing.Chunk end = background.read("t1", id, 0, Duration.ofMinutes(2), true);
        assertTrue(end.finished(), "a read until the exit waits for it");
        assertTrue(end.text().endsWith("xEND\n"), "and shows the end of the output");
        assertEquals(100_000_004 - BackgroundProcesses.MAX_READ_BYTES, end.dropped() + end.skipped());

        OutputRing.Chunk oldest = background.read("t1", id, 0, Duration.ZERO, false);
        assertEquals(100_000_004 - 64 * 1024, oldest.dropped(), "all but the buffer's bytes were dropped");
        assertEquals(BackgroundProcesses.MAX_READ_BYTES, oldest.text().length(), "one answer stays small");
        OutputRing.Chunk last = background.read("t1", id, 100_000_004 - 5, Duration.ZERO, false);
        assertEquals("xEND\n", last.text());
        assertEquals(100_000_004, last.next(), "the offsets count every byte the command wrote");
    }

    @Test
    void stoppingEndsTheWholeTree() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        BackgroundProcesses background = processes(4096);
        String id = background.start("t1", "sleep 300 & echo $! > child.pid; echo started; wait");
        assertEquals("started\n", background.read("t1", id, 0, LONG, false).text());

        OutputRing.Chunk end = background.stop("t1", id);

        assertTrue(end.finished());
        assertChildEnded();
    }

    @Test
    void aProcessEndsWithItsTaskAndOnlyItsTaskSeesIt() throws Exception {
        BackgroundProcesses background = processes(4096);
        String id = background.start("t1", "sleep 300 & echo $! > child.pid; echo started; wait");
        assertEquals("started\n", background.read("t1", id, 0, LONG, false).text());

        assertThrows(ToolException.class, () -> background.read("t2", id, 0, Duration.ZERO, false));
        background.endAll("t1");

        assertChildEnded();
        assertThrows(ToolException.class, () -> background.read("t1", id, 0, Duration.ZERO, false));
    }

    @Test
    void aTaskKeepsABoundedNumberOfProcessesForgettingEndedOnesFirst() {
        BackgroundProcesses background = processes(4096);
        String first = background.start("t1", "true");
        assertTrue(background.read("t1", first, 0, LONG, true).finished());
        for (int i = 1; i < BackgroundProcesses.MAX_PER_TASK; i++) {
            background.start("t1", "sleep 31340");
        }

        String ninth = background.start("t1", "sleep 31340");

        assertThrows(ToolException.class, () -> background.read("t1", first, 0, Duration.ZERO, false),
                "the ended process made room");
        assertFalse(background.read("t1", ninth, 0, Duration.ZERO, false).finished());
        ToolException full = assertThrows(ToolException.class, () -> background.start("t1", "true"));
        assertTrue(full.getMessage().contains("stop_process"), full.getMessage());
        background.start("t2", "true");
    }

    @Test
    void theIdOfAProcessOfACrashedRunIsReportedGone() {
        BackgroundProcesses background = processes(4096);
        String id = background.start("t1", "true");
        BackgroundProcesses resumed = new BackgroundProcesses(new CommandRunner(directory, 4096), 4096);

        ToolException gone = assertThrows(ToolException.class,
                () -> resumed.read("t1", id, 0, Duration.ofSeconds(30), false));

        assertTrue(gone.getMessage().contains("is gone") && gone.getMessage().contains("resumed"),
                gone.getMessage());
    }

    @Test
    void aWaitingReaderWakesOnAWrite() throws Exception {
        OutputRing ring = new OutputRing(16);
        CompletableFuture<OutputRing.Chunk> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return ring.read(0, TimeUnit.SECONDS.toNanos(30), 1024);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ring.write("hello".getBytes(), 0, 5);

        assertEquals("hello", reader.get(30, TimeUnit.SECONDS).text());
    }

    @Test
    void aReaderBehindTheBufferIsToldWhatItMissed() throws InterruptedException {
        OutputRing ring = new OutputRing(4);
        ring.write("abcdefgh".getBytes(), 0, 8);

        OutputRing.Chunk chunk = ring.read(2, 0, 1024);

        assertEquals("efgh", chunk.text());
        assertEquals(2, chunk.dropped());
        assertEquals(8, chunk.next());
    }

    @Test
    void aCutNeverSplitsACharacter() throws InterruptedException {
        OutputRing ring = new OutputRing(64);
        byte[] text = "aé€😀".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ring.write(text, 0, text.length);
        ring.finish(java.util.OptionalInt.of(0));

        StringBuilder read = new StringBuilder();
        long since = 0;
        for (OutputRing.Chunk chunk = ring.read(since, 0, 2); ; chunk = ring.read(since, 0, 4)) {
            read.append(chunk.text());
            since = chunk.next();
            if (chunk.finished()) {
                break;
            }
        }
        assertEquals("aé€😀", read.toString());
    }

    private void assertChildEnded() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        long childPid = Long.parseLong(Files.readString(directory.resolve("child.pid")).strip());
        var child = ProcessHandle.of(childPid);
        if (child.isPresent()) {
            child.get().onExit().get(10, TimeUnit.SECONDS);
        }
        assertFalse(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false), "the child survived");
    }
}
