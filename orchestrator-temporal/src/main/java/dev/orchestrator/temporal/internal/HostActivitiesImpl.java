package dev.orchestrator.temporal.internal;

import dev.orchestrator.temporal.WorkspaceSource;
import dev.orchestrator.temporal.WorkspaceSource.Revision;
import io.temporal.failure.ApplicationFailure;
import java.io.UncheckedIOException;

/** Takes missions on for this worker: its workspace is rebuilt here, and its tasks come to this worker's queue. */
public final class HostActivitiesImpl implements HostActivities {

    private final String taskQueue;
    private final WorkspaceSource workspaces;

    /**
     * @param taskQueue this worker's own queue
     * @param workspaces where this worker keeps the missions' files
     */
    public HostActivitiesImpl(String taskQueue, WorkspaceSource workspaces) {
        this.taskQueue = taskQueue;
        this.workspaces = workspaces;
    }

    @Override
    public Host host(String missionId, Revision at) {
        Revision from;
        try {
            from = workspaces.host(missionId, at);
        } catch (UncheckedIOException e) {
            // the store could not be reached: it may be back for the next attempt, on this worker or another
            throw ApplicationFailure.newFailureWithCause("cannot host mission " + missionId + ": " + e.getMessage(),
                    e.getClass().getName(), e);
        } catch (RuntimeException e) {
            // a worker that cannot build the workspace (no git, no access) will not on a second try either: the
            // message says what to change
            throw ApplicationFailure.newNonRetryableFailureWithCause("cannot host mission " + missionId + ": "
                    + e.getMessage(), e.getClass().getName(), e);
        }
        return new Host(taskQueue, from);
    }
}
