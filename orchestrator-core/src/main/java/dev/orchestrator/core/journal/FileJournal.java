package dev.orchestrator.core.journal;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.internal.journal.EventCodec;
import dev.orchestrator.core.internal.journal.EventReader;
import dev.orchestrator.core.internal.journal.NioJournalDirectory;
import dev.orchestrator.core.internal.journal.WalConfig;
import dev.orchestrator.core.internal.journal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import tools.jackson.core.JacksonException;

/**
 * A {@link Journal} in a directory of segment files: a write-ahead log that survives a crash of the process or of the
 * machine. Opening it recovers what a crash left; appends from any number of threads are batched into one write and
 * one {@code fsync} (see {@link SyncPolicy}); snapshots let old segments go so that replay stays short. The file
 * format is in {@code docs/wal-format.md}.
 *
 * <pre>{@code
 * try (FileJournal journal = FileJournal.open(Path.of("my-service/.orchestrator"))) {
 *     journal.replay(state::apply);
 *     long seq = journal.append(event).join(); // durable now
 * }
 * }</pre>
 *
 * <p>A directory is open in one journal at a time: a lock on its {@code journal.lock} file keeps a second one, in
 * this process or another, from opening it. The journal owns two threads, one that writes and one that completes
 * the appends' futures, and the open segment (and, while it opens, a short-lived one that readies its reader). Dependent actions of those futures that are not {@code ...Async} run
 * on the completing thread, in order: they do not delay writing, but they delay each other, and one that waits for
 * a later append's future waits forever.
 */
public final class FileJournal implements SnapshotJournal {

    private final WriteAheadLog log;
    private final EventCodec codec = EventCodec.shared();
    private final long snapshotEvents;
    private final long snapshotBytes;
    private final AtomicLong eventsSinceSnapshot = new AtomicLong();
    private final AtomicLong appendedBytes = new AtomicLong();
    // appendedBytes when the last snapshot began: what was appended since counts towards the next one
    private volatile long bytesAtSnapshot;
    private final Thread readerWarmUp;

    private FileJournal(WriteAheadLog log, long snapshotEvents, long snapshotBytes, Thread readerWarmUp) {
        this.log = log;
        this.readerWarmUp = readerWarmUp;
        this.snapshotEvents = snapshotEvents;
        this.snapshotBytes = snapshotBytes;
        // a journal reopened with a long tail after its last snapshot is due for one at once
        eventsSinceSnapshot.set(log.backlogAtOpen());
    }

    /**
     * Opens the journal in {@code directory} with the defaults (64 MiB segments, 16 MiB records, a force per batch),
     * creating the directory if it is missing.
     *
     * @throws JournalCorruptedException if the directory holds damage a crash cannot explain
     * @throws IllegalStateException if another journal has the directory open
     * @throws UncheckedIOException if the directory cannot be created, read or written
     */
    public static FileJournal open(Path directory) {
        return builder(directory).open();
    }

    /** A builder for a journal in {@code directory}. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * {@inheritDoc} The event is encoded on the calling thread.
     *
     * @throws IllegalArgumentException (through the future) if the encoded event is larger than the maximum record
     *     size
     */
    @Override
    public CompletableFuture<Long> append(MissionEvent event) {
        byte[] json;
        try {
            json = codec.encode(event);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        eventsSinceSnapshot.incrementAndGet();
        appendedBytes.addAndGet(json.length);
        return log.append(json);
    }

    /** {@inheritDoc} The events' JSON, without the frames around it. */
    @Override
    public long appendedBytes() {
        return appendedBytes.get();
    }

    /**
     * {@inheritDoc} Once a snapshot was written, replay starts after it: the snapshot stands for what came before.
     * Events appended while replay runs may or may not be given.
     *
     * @throws JournalCorruptedException if a record vanished since the journal was opened
     * @throws IllegalStateException if a record holds an event this version cannot read
     */
    @Override
    public void replay(Consumer<? super MissionEvent> sink) {
        log.replay((seq, payload) -> sink.accept(decode(codec, seq, payload)));
    }

    private static MissionEvent decode(EventCodec codec, long seq, ByteBuffer payload) {
        try {
            return codec.decode(payload);
        } catch (JacksonException e) {
            throw new IllegalStateException("journal record seq " + seq + " holds an event this version cannot "
                    + "read (" + e.getOriginalMessage() + "): it was probably written by a newer version of "
                    + "Orchestrator; resume the mission with that version", e);
        }
    }

    /** What {@link #read} hands out: an event and its sequence number. */
    @FunctionalInterface
    public interface EventSink {
        /**
         * Takes one event.
         *
         * @param seq the event's sequence number in the journal
         * @param event the event
         */
        void accept(long seq, MissionEvent event);
    }

    /**
     * What {@link #read} found in a journal directory.
     *
     * @param snapshotSeq the sequence number of the newest snapshot, 0 for none; the events up to it are no longer
     *     in the journal (the snapshot stands for them) and are not given
     * @param lastSeq the last event's sequence number, 0 for an empty journal
     * @param segments how many segment files hold the events after the snapshot
     * @param tornTail a torn write at the end (a crash during an append) that opening the journal would cut off, in
     *     words; empty when there is none
     */
    public record Contents(long snapshotSeq, long lastSeq, int segments, Optional<String> tornTail) {
        /** Checks the torn tail is present. */
        public Contents {
            Objects.requireNonNull(tornTail, "tornTail");
        }
    }

    /**
     * Reads the journal in {@code directory} without opening it: checks every segment, record and checksum as
     * opening would, decodes every event after {@code afterSeq} (and after the newest snapshot) and gives it to
     * {@code sink}, oldest first. It changes nothing (a torn tail is reported in {@link Contents#tornTail()}, not
     * cut; a requested salvage is not done) and takes no lock, so a journal that a running mission appends to can
     * be read; records appended meanwhile may or may not be given.
     *
     * @param directory the journal directory
     * @param afterSeq give only the events after this sequence number; 0 for all
     * @param sink what receives the events
     * @return what the journal holds
     * @throws JournalCorruptedException if opening the journal would refuse it; the message says where and why
     * @throws IllegalStateException if an event cannot be decoded by this version
     * @throws IllegalArgumentException if {@code directory} is not a directory
     * @throws UncheckedIOException if the directory cannot be read
     */
    public static Contents read(Path directory, long afterSeq, EventSink sink) {
        EventCodec codec = new EventCodec();
        WriteAheadLog.ReadOnlyPass pass = WriteAheadLog.readOnly(NioJournalDirectory.readOnly(directory), afterSeq,
                (seq, payload) -> sink.accept(seq, decode(codec, seq, payload)));
        return new Contents(pass.snapshotSeq(), pass.lastSeq(), pass.segments(), pass.tornTail());
    }

    /**
     * Stores {@code state}, the caller's encoding of the mission state after event {@code seq}, durably before it
     * returns. Segments that hold only events up to {@code seq} are then deleted, and replay starts after {@code seq}.
     *
     * @param seq the sequence number of the last event the state includes; it must have been appended
     * @param state the state, opaque to the journal
     * @throws IllegalArgumentException if {@code seq} was not appended yet or is older than the newest snapshot
     */
    @Override
    public void snapshot(long seq, byte[] state) {
        long events = eventsSinceSnapshot.get();
        long bytes = appendedBytes.get();
        log.snapshot(seq, state.clone());
        // what was appended while the snapshot was written still counts towards the next one
        eventsSinceSnapshot.addAndGet(-events);
        bytesAtSnapshot = bytes;
    }

    /**
     * Whether a snapshot is due: since the last one (or since the journal was opened) at least as many events or
     * bytes were appended as {@link Builder#snapshotEvery} asks (the events found after the last snapshot when the
     * journal was opened count too). The mission engine asks this after its appends.
     */
    @Override
    public boolean snapshotDue() {
        return eventsSinceSnapshot.get() >= snapshotEvents || appendedBytes.get() - bytesAtSnapshot >= snapshotBytes;
    }

    /** The newest snapshot, if one was written. */
    @Override
    public Optional<Snapshot> latestSnapshot() {
        return log.latestSnapshot().map(s -> new Snapshot(s.seq(), s.state()));
    }

    /** Writes and forces what was appended, stops the writer thread and closes the files. Idempotent. */
    @Override
    public void close() {
        log.close();
        joinWarmUp(readerWarmUp);
    }

    /** Waits for the thread that readied the event reader: it ends by itself, soon after the journal opened. */
    private static void joinWarmUp(Thread warmUp) {
        boolean interrupted = false;
        while (true) {
            try {
                warmUp.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Mission state as of an event.
     *
     * @param seq the sequence number of the last event the state includes
     * @param state the state as it was given to {@link #snapshot(long, byte[])}
     */
    public record Snapshot(long seq, byte[] state) {

        /** Copies the state. */
        public Snapshot {
            state = state.clone();
        }

        /** A copy of the state. */
        @Override
        public byte[] state() {
            return state.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot other && seq == other.seq && Arrays.equals(state, other.state);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seq) * 31 + Arrays.hashCode(state);
        }

        @Override
        public String toString() {
            return "Snapshot[seq=" + seq + ", " + state.length + " bytes]";
        }
    }

    /** Settings for a {@link FileJournal}; every one has a default. */
    public static final class Builder {

        private final Path directory;
        private long segmentSize;
        private int maxRecordSize;
        private SyncPolicy syncPolicy;
        private LongSupplier nanoClock;
        private ThreadFactory threadFactory;
        private long snapshotEvents = 10_000;
        private long snapshotBytes = 16L << 20;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            WalConfig defaults = WalConfig.defaults();
            this.segmentSize = defaults.segmentSize();
            this.maxRecordSize = defaults.maxRecordSize();
            this.syncPolicy = defaults.syncPolicy();
            this.nanoClock = defaults.nanoClock();
            this.threadFactory = defaults.threadFactory();
        }

        /** The size at which a segment file is closed and the next begun; 64 MiB by default. */
        public Builder segmentSize(long bytes) {
            this.segmentSize = bytes;
            return this;
        }

        /** The largest encoded event; 16 MiB by default. Larger appends fail. */
        public Builder maxRecordSize(int bytes) {
            this.maxRecordSize = bytes;
            return this;
        }

        /** When appends are forced to the device; {@link SyncPolicy#everyBatch()} by default. */
        public Builder syncPolicy(SyncPolicy policy) {
            this.syncPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The clock {@link SyncPolicy#interval} measures with, in nanoseconds; {@link System#nanoTime()} by default. */
        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Makes the journal's two threads, whose names get {@code -writer} and {@code -completions} added; daemon
         * platform threads named {@code journal-writer} and {@code journal-completions} by default.
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * How often the mission engine snapshots its state into the journal: after {@code events} events or {@code
         * bytes} bytes of encoded events, whichever comes first; 10,000 events or 16 MiB by default. A snapshot lets
         * the segments before it go and a resume start from it, so the interval bounds both the disk a mission uses
         * and the time its resume takes.
         */
        public Builder snapshotEvery(long events, long bytes) {
            if (events < 1 || bytes < 1) {
                throw new IllegalArgumentException("a snapshot interval needs at least 1 event and 1 byte, was "
                        + events + " events and " + bytes + " bytes");
            }
            this.snapshotEvents = events;
            this.snapshotBytes = bytes;
            return this;
        }

        /**
         * Checks the settings, recovers the directory and opens the journal.
         *
         * @throws IllegalArgumentException if the settings do not fit together; the message says which to change
         * @throws JournalCorruptedException if the directory holds damage a crash cannot explain
         * @throws IllegalStateException if another journal has the directory open
         * @throws UncheckedIOException if the directory cannot be created, read or written
         */
        public FileJournal open() {
            WalConfig config = new WalConfig(segmentSize, maxRecordSize, syncPolicy, nanoClock, threadFactory,
                    WalConfig.DEFAULT_CHECKPOINT_INTERVAL);
            NioJournalDirectory dir;
            try {
                dir = new NioJournalDirectory(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the journal directory " + directory + ": "
                        + e.getMessage(), e);
            }
            // a journal is opened to be read: the event reader gets ready on another core while recovery reads the
            // disk (in a fresh JVM each takes tens of milliseconds, and a resume needs both before its first event)
            Thread warmUp = Thread.ofPlatform().daemon().name("journal-reader-warm-up").start(EventReader::warmUp);
            try {
                return new FileJournal(WriteAheadLog.open(dir, config), snapshotEvents, snapshotBytes, warmUp);
            } catch (RuntimeException e) {
                joinWarmUp(warmUp);
                throw e;
            }
        }
    }
}
