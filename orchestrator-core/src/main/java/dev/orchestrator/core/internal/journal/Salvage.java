package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.internal.journal.RecordFrame.Frame;
import dev.orchestrator.core.internal.log.LazyLogger;
import dev.orchestrator.core.journal.JournalCorruptedException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps what can be kept of a journal that recovery refused, when its user asks for it by creating
 * {@value #MARKER} in the directory: the longest chain of valid records from the snapshot on. Everything after the
 * damage is renamed aside ({@code *.lost}), never deleted. Only an explicit request does this, since it gives up
 * records that were acknowledged: damage alone never creates the marker.
 */
final class Salvage {

    static final String MARKER = "journal.salvage";
    static final String LOST = ".lost";

    private static final System.Logger LOG = LazyLogger.of(Salvage.class);

    private Salvage() {
    }

    /** What every refusal of a damaged journal ends with. */
    static String advice(JournalDirectory dir) {
        return "restore the directory from a backup; or, to keep the events before the damage and set the rest aside "
                + "(a mission resumed then does the rest again), create an empty file " + MARKER + " in "
                + dir.describe() + " and open the journal again";
    }

    static boolean requested(JournalDirectory dir) throws IOException {
        return dir.list().contains(MARKER);
    }

    /** The marker is used up by one recovery, salvaging or not: a forgotten one must not salvage later damage. */
    static void done(JournalDirectory dir) throws IOException {
        dir.delete(MARKER);
        dir.force();
    }

    /**
     * Cuts the log after its longest valid prefix, sets the rest aside and writes a manifest for what is left.
     *
     * @param refused why recovery refused, for the log
     */
    static void run(JournalDirectory dir, JournalCorruptedException refused) throws IOException {
        long base = Snapshots.latest(dir).map(Snapshots.Stored::seq).orElse(0L);
        List<Long> firstSeqs = SegmentFiles.firstSeqs(dir.list());
        int start = SegmentFiles.chainStart(firstSeqs, base);
        List<String> aside = new ArrayList<>();
        Manifest kept = Manifest.empty();
        long expected = start < 0 ? base + 1 : firstSeqs.get(start);
        int i = Math.max(start, 0);
        for (; start >= 0 && i < firstSeqs.size() && firstSeqs.get(i) == expected; i++) {
            String name = FileNames.segment(expected);
            Optional<Kept> prefix = keepPrefix(dir, name, expected, aside);
            if (prefix.isEmpty()) {
                break;
            }
            kept = new Manifest(firstSeqs.get(i), prefix.get().lastSeq(), prefix.get().end(), false);
            expected = prefix.get().lastSeq() + 1;
            if (prefix.get().cut()) {
                i++;
                break;
            }
        }
        List<String> later = new ArrayList<>();
        for (int j = firstSeqs.size() - 1; j >= i; j--) { // newest first: a crash leaves a shorter chain to redo
            later.add(FileNames.segment(firstSeqs.get(j)));
        }
        if (kept.durableSeq() < base) {
            // The snapshot stands for everything up to base: start after it rather than keep a chain that ends before.
            later.clear();
            firstSeqs.reversed().forEach(seq -> later.add(FileNames.segment(seq)));
            kept = new Manifest(0, base, 0, false);
        }
        for (String name : later) {
            dir.rename(name, name + LOST);
            aside.add(name + LOST);
        }
        kept.write(dir);
        LOG.log(Level.WARNING, "salvaged the journal in {0} as {1} asked: it keeps the events up to seq {2} and set "
                + "aside {3}. It had refused to open: {4}", dir.describe(), MARKER, Long.toString(kept.durableSeq()),
                aside.isEmpty() ? "nothing" : aside, refused.getMessage());
    }

    /**
     * @param lastSeq the last record kept
     * @param end the offset after it
     * @param cut whether the segment was cut there (so the chain ends in it)
     */
    private record Kept(long lastSeq, long end, boolean cut) {
    }

    /** The valid records of {@code name} from {@code firstSeq} on, the rest copied aside and cut; empty if none. */
    private static Optional<Kept> keepPrefix(JournalDirectory dir, String name, long firstSeq, List<String> aside)
            throws IOException {
        try (JournalDirectory.JournalFile file = dir.open(name)) {
            ByteBuffer buf = SegmentFiles.readAll(file, name);
            Optional<SegmentHeader> header = SegmentHeader.decode(buf);
            if (header.isEmpty() || header.get().firstSeq() != firstSeq
                    || header.get().prevLastSeq() != firstSeq - 1) {
                return Optional.empty();
            }
            long expected = firstSeq;
            int offset = SegmentHeader.SIZE;
            while (RecordFrame.read(buf, offset, header.get().salt(), header.get().maxRecordSize())
                    instanceof Frame.Valid valid && valid.seq() == expected) {
                expected++;
                offset = valid.next();
            }
            if (offset == buf.limit()) {
                return Optional.of(new Kept(expected - 1, offset, false));
            }
            String copy = name + "." + offset + LOST;
            dir.delete(copy);
            try (JournalDirectory.JournalFile out = dir.create(copy)) {
                out.write(buf.slice(offset, buf.limit() - offset), 0);
                out.force();
            }
            dir.force(); // the copy must be durable before the bytes it saves are gone
            aside.add(copy);
            file.truncate(offset);
            file.force();
            return Optional.of(new Kept(expected - 1, offset, true));
        }
    }
}
