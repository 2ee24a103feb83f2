package dev.orchestrator.journal.postgres;

import java.time.Instant;

/** The mission's lease is held by a live process: the mission runs there, not here. */
public final class LeaseHeldException extends PostgresJournalException {

    private static final long serialVersionUID = 1L;

    LeaseHeldException(String missionId, String owner, long token, Instant expires) {
        super("mission '" + missionId + "' is running in '" + owner + "' (lease token " + token + ", renewed until "
                + expires + "): let it run there, or take it over with MissionPool.takeOver() once that process "
                + "stopped renewing its lease", null);
    }
}
