package dev.orchestrator.cli;

import dev.orchestrator.core.journal.FileJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the commands read a mission's events: a journal directory ({@link JournalDirectory}) or a mission in a
 * PostgreSQL database ({@link PostgresSource}). Both read without changing anything or taking a lock, so they work
 * beside the running mission; the commands have one path for both.
 */
sealed interface JournalSource permits JournalDirectory, PostgresSource {

    /**
     * What the journal holds, as a read found it.
     *
     * @param snapshotSeq the newest snapshot's sequence number, 0 for none; the events up to it are gone
     * @param lastSeq the last event's sequence number, 0 for none
     * @param where where the events are, in words ("in 2 segment(s)", the lease that wrote them)
     * @param facts the same as fields, for {@code --json}
     * @param tornTail a torn write at the end that opening would cut off, in words; empty when there is none
     */
    record Contents(long snapshotSeq, long lastSeq, String where, Map<String, Object> facts,
            Optional<String> tornTail) {
        public Contents {
            facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        }
    }

    /** Wakes a follower when the journal may have changed, or after a while anyway. */
    interface Changes extends AutoCloseable {
        /** Returns once the journal may have changed. */
        void await() throws InterruptedException;

        @Override
        void close() throws IOException;
    }

    /**
     * The user named several missions' journal without saying which: the message names them, {@link #listing} shows
     * them a line each.
     */
    final class Choose extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String listing;

        Choose(String message, String listing) {
            super(message);
            this.listing = listing;
        }

        String listing() {
            return listing;
        }
    }

    /** What the user named: the directory, or the mission and the database (never its password). */
    String name();

    /**
     * Reads the events after {@code afterSeq} into {@code sink}, oldest first, checking what the journal's own
     * open would check and changing nothing.
     *
     * @throws IllegalArgumentException if there is no such journal (yet); {@link Choose} if it holds several missions
     * @throws dev.orchestrator.core.journal.JournalCorruptedException if it is damaged
     */
    Contents read(long afterSeq, FileJournal.EventSink sink);

    /** What {@link #read} checks, in words, for {@code verify-journal}. */
    String checks();

    /** The command that goes on with an unfinished mission, in words. */
    String resumeHint();

    /**
     * A watch on the journal for {@code events --follow}.
     *
     * @throws IllegalArgumentException if there is nothing that could become the journal
     */
    Changes changes() throws IOException;

    /**
     * The source {@code journal} names: a {@code jdbc:postgresql:} URL, else a directory.
     *
     * @param mission the mission in the database, or null to take the only one
     * @param schema the database schema of the journal
     * @param user the database user, or null for the URL's or {@code PGUSER}
     * @param environment where {@code PGUSER} and {@code PGPASSWORD} come from
     */
    static JournalSource of(String journal, String mission, String schema, String user,
            Map<String, String> environment) {
        if (!journal.startsWith("jdbc:")) {
            return new JournalDirectory(Path.of(journal));
        }
        if (!journal.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("only a PostgreSQL journal is read from a database: give a URL as "
                    + "jdbc:postgresql://host:5432/database, or a mission's workspace or journal directory");
        }
        requireClass("dev.orchestrator.journal.postgres.JournalReader", "orchestrator-journal-postgres");
        requireClass("org.postgresql.ds.PGSimpleDataSource", "the PostgreSQL driver (org.postgresql:postgresql)");
        return PostgresSource.connect(journal, mission, schema, user, environment);
    }

    /** The PostgreSQL journal is an optional dependency: say which jar is missing rather than fail to link. */
    private static void requireClass(String name, String jar) {
        try {
            Class.forName(name, false, JournalSource.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("reading a PostgreSQL journal needs " + jar + " on the class path, "
                    + "which it lacks: run the orchestrator-cli-*-all.jar (bin/orchestrator), which carries it and "
                    + "the driver, or add orchestrator-journal-postgres and org.postgresql:postgresql to -cp");
        }
    }
}
