package dev.orchestrator.core.journal;

/**
 * Recovery found damage that is not a torn write: a record that was durable before later records were written no
 * longer reads back, a segment is missing, or the sequence numbers skip. The journal refuses to open rather than
 * drop acknowledged events; the message names the file, offset and sequence number and what to do: restore the
 * directory from a backup, or create an empty file {@code journal.salvage} in it to keep the events before the damage
 * (the rest is renamed aside, not deleted) the next time it is opened.
 */
public final class JournalCorruptedException extends JournalException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;
    private final long seq;

    /**
     * @param file the damaged file's name, relative to the journal directory
     * @param offset the byte offset of the damage in that file
     * @param seq the sequence number of the record expected there
     * @param message what is wrong and what to do
     */
    public JournalCorruptedException(String file, long offset, long seq, String message) {
        super(message, null);
        this.file = file;
        this.offset = offset;
        this.seq = seq;
    }

    /** The damaged file's name, relative to the journal directory. */
    public String file() {
        return file;
    }

    /** The byte offset of the damage in {@link #file()}. */
    public long offset() {
        return offset;
    }

    /** The sequence number of the record expected at {@link #offset()}. */
    public long seq() {
        return seq;
    }
}
