package dev.orchestrator.core.internal.journal;

import java.util.OptionalLong;

/** The names of the journal's files: a zero-padded sequence number and a suffix that says what the file holds. */
final class FileNames {

    static final String SEGMENT = ".wal";
    static final String SNAPSHOT = ".snap";
    static final String TEMPORARY = ".tmp";

    private static final int DIGITS = 20;

    private FileNames() {
    }

    /** The segment whose first record has sequence number {@code firstSeq}. */
    static String segment(long firstSeq) {
        return padded(firstSeq) + SEGMENT;
    }

    /** The snapshot of the state as of sequence number {@code seq}. */
    static String snapshot(long seq) {
        return padded(seq) + SNAPSHOT;
    }

    /** Where recovery keeps the bytes of a torn tail it cut off {@code segment} at {@code offset}. */
    static String tornCopy(String segment, long offset) {
        return segment + "." + offset + ".torn";
    }

    /** The sequence number a file named {@code name} with {@code suffix} is named after, if it is such a file. */
    static OptionalLong seqOf(String name, String suffix) {
        if (name.length() != DIGITS + suffix.length() || !name.endsWith(suffix)) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < DIGITS; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(name, 0, DIGITS, 10));
        } catch (NumberFormatException beyondLongRange) {
            return OptionalLong.empty();
        }
    }

    private static String padded(long seq) {
        String digits = Long.toString(seq);
        return "0".repeat(DIGITS - digits.length()) + digits;
    }
}
