package dev.orchestrator.examples;

import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.journal.JournalException;
import dev.orchestrator.journal.postgres.PostgresJournalException;
import java.io.IOException;

/**
 * How the examples end: a configuration mistake (a variable, a directory, a journal, the class path) prints one
 * line that says what to change and exits with {@value #CONFIGURATION}, without a stack trace; a mission that did not
 * complete exits with {@value #MISSION_FAILED}.
 */
final class Exits {

    /** The exit code for a setting the user must change before running again. */
    static final int CONFIGURATION = 2;
    /** The exit code for a mission that ran and did not complete. */
    static final int MISSION_FAILED = 1;

    /** A step of setting up that may find a configuration mistake. */
    interface Setup<T> {
        T get() throws IOException;
    }

    private Exits() {
    }

    /**
     * The value of {@code setup}, or, when it finds a configuration mistake, its message on standard error and the
     * exit. Only the setting up goes through here (the provider, the workspace, building and starting the mission):
     * what breaks once the mission runs is a bug and keeps its stack trace.
     */
    static <T> T configured(String program, Setup<T> setup) {
        try {
            return setup.get();
        } catch (IllegalStateException | IllegalArgumentException | JournalException | PostgresJournalException
                | IOException e) {
            System.err.println(program + ": " + message(e));
            System.exit(CONFIGURATION);
            throw new AssertionError("unreachable");
        }
    }

    /** Waits for the mission; Ctrl-C or an interrupt cancels it. */
    static MissionResult await(MissionHandle handle) {
        try {
            return handle.await();
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for mission " + handle.missionId(), e);
        }
    }

    /** Exits with {@value #MISSION_FAILED} unless the mission completed. */
    static void exitUnlessCompleted(MissionResult result) {
        if (!result.isCompleted()) {
            System.exit(MISSION_FAILED);
        }
    }

    private static String message(Exception e) {
        // the JDK's file exceptions carry only the path
        return e instanceof IOException && !(e.getMessage() != null && e.getMessage().contains(" "))
                ? e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                        .toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage()
                : e.getMessage();
    }
}
