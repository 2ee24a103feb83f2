package dev.orchestrator.journal.postgres;

/**
 * Another process took the mission over after this one's lease expired (a long pause, a network partition): this
 * process may no longer write the mission's journal, so its appends fail and its run of the mission stops.
 */
public final class LeaseLostException extends PostgresJournalException {

    private static final long serialVersionUID = 1L;

    LeaseLostException(String missionId, String owner, long token, String newOwner, long newToken) {
        super("mission '" + missionId + "' was taken over by '" + newOwner + "' (lease token " + newToken
                + ") after the lease of this process ('" + owner + "', token " + token + ") expired: this process "
                + "can no longer write its journal and stops; the mission goes on in '" + newOwner + "'. If this "
                + "process was only paused (a long GC, a stopped VM), raise MissionPool.Builder.leaseDuration", null);
    }
}
