package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Which version of each file (by its real path, whichever link led to it) every task last saw (read or wrote), by
 * content hash. A write to a file that changed
 * since the writing task saw it (another Worker's edit, a command's output) is refused, and the task is told to
 * read it again: no silent last-writer-wins. A task that never saw the file this run (a write after a resume, whose
 * reads were answered from the journal) is not refused; an edit still needs its old text to be there.
 */
public final class FileVersions {

    private final ConcurrentMap<String, Map<Path, String>> seen = new ConcurrentHashMap<>();
    // striped rather than one lock per file: a map of them would grow with every file a long mission touches
    private final Object[] locks = new Object[64];
    private final ConcurrentMap<String, Map<Path, Read>> wholeReads = new ConcurrentHashMap<>();

    /** The content a task was shown whole, and the turn it was shown at. */
    private record Read(String hash, int turn) {
    }

    /** A registry with nothing seen yet. */
    public FileVersions() {
        Arrays.setAll(locks, i -> new Object());
    }

    /** Records that {@code taskId} saw {@code content} in {@code file}. */
    void saw(String taskId, Path file, byte[] content) {
        seen.computeIfAbsent(taskId, id -> new ConcurrentHashMap<>()).put(file, hash(content));
    }

    /**
     * Runs {@code write}, which reads {@code file}'s current content and writes the new one, alone among the writes
     * to {@code file}, after checking that {@code taskId} saw its current content if it saw any.
     *
     * @param current the content {@code file} has now, or null when it does not exist
     * @throws ToolException if the file changed since the task saw it
     */
    <T> T write(String taskId, Path file, String shownAs, Supplier<byte[]> current, Writer<T> write) {
        synchronized (locks[Math.floorMod(file.hashCode(), locks.length)]) {
            byte[] now = current.get();
            String last = seen.getOrDefault(taskId, Map.of()).get(file);
            if (now != null && last != null && !last.equals(hash(now))) {
                throw new ToolException(shownAs + " changed since you last read it (another task or a command "
                        + "changed it): read_file it again, then make your change on the new content");
            }
            Written<T> written = write.write(now);
            saw(taskId, file, written.content());
            return written.result();
        }
    }

    /** Writes given the current content (null: no file) and says what the file holds afterwards. */
    interface Writer<T> {
        Written<T> write(byte[] current);
    }

    /** The content a write left and what it answers. */
    record Written<T>(byte[] content, T result) {
    }

    /**
     * Records that {@code taskId} was shown {@code content} of {@code file} whole at {@code turn}, unless it was shown
     * exactly this content before: then returns the turn of that read and the task need not be shown it again.
     * Only what this run showed counts, never a read a resumed mission answered from its journal, so "unchanged"
     * is said only of text this conversation holds.
     */
    OptionalInt shownWhole(String taskId, Path file, byte[] content, int turn) {
        String hash = hash(content);
        Map<Path, Read> reads = wholeReads.computeIfAbsent(taskId, id -> new ConcurrentHashMap<>());
        Read earlier = reads.get(file);
        if (earlier != null && earlier.hash().equals(hash)) {
            return OptionalInt.of(earlier.turn());
        }
        reads.put(file, new Read(hash, turn));
        return OptionalInt.empty();
    }

    /** Forgets what {@code taskId} saw: it finished. */
    public void releaseAll(String taskId) {
        seen.remove(taskId);
        wholeReads.remove(taskId);
    }

    static String hash(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
