package dev.orchestrator.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The few file-system operations the journal needs, on the files of one directory. This is a seam: tests put a
 * simulated directory behind it that can crash in every way a real disk may (unforced bytes lost or partly kept,
 * file creations and renames undone when the directory was not forced).
 */
public interface JournalDirectory {

    /** The names of the files in the directory, in no particular order. */
    List<String> list() throws IOException;

    /** Opens an existing file for reading and writing. */
    JournalFile open(String name) throws IOException;

    /** Creates a file that must not exist yet, for reading and writing. */
    JournalFile create(String name) throws IOException;

    /** Renames {@code from} to {@code to} atomically, replacing {@code to} if it exists. */
    void rename(String from, String to) throws IOException;

    /** Deletes a file if it exists. */
    void delete(String name) throws IOException;

    /** Makes the directory's entries (creations, renames, deletions) durable. */
    void force() throws IOException;

    /**
     * Takes the directory for this journal alone until the returned handle is closed.
     *
     * @throws IllegalStateException if another journal, in this process or another, holds it
     */
    AutoCloseable lock() throws IOException;

    /** A describable name for messages, such as the directory's path. */
    String describe();

    /** An open file. Its owner closes it. */
    interface JournalFile extends AutoCloseable {

        /** The file's size in bytes. */
        long size() throws IOException;

        /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns how many, -1 at the end. */
        int read(ByteBuffer dst, long position) throws IOException;

        /** Writes all of {@code src} at {@code position}. */
        void write(ByteBuffer src, long position) throws IOException;

        /** Makes the file's bytes and size durable ({@code fdatasync}). */
        void force() throws IOException;

        /**
         * Writes all of {@code src} at {@code position} and returns once those bytes are durable, with the size
         * needed to read them back, as {@link #write} and then {@link #force} would make them. Bytes written before
         * with {@link #write} elsewhere in the file may not be: call it only when nothing else is left unforced.
         */
        default void writeDurably(ByteBuffer src, long position) throws IOException {
            write(src, position);
            force();
        }

        /** Cuts the file to {@code size} bytes. */
        void truncate(long size) throws IOException;

        @Override
        void close() throws IOException;
    }
}
