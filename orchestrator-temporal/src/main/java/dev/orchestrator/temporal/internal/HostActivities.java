package dev.orchestrator.temporal.internal;

import dev.orchestrator.temporal.WorkspaceSource;
import dev.orchestrator.temporal.WorkspaceSource.Revision;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Picks a mission's host: run on the missions' shared queue, so any worker that runs tasks may answer, it prepares
 * the mission's workspace on that worker and names the worker's own queue, where the mission's tasks then go.
 */
@ActivityInterface
public interface HostActivities {

    /** {@return this worker, now holding the workspace of {@code missionId} at {@code at}} */
    @ActivityMethod
    Host host(String missionId, Revision at);

    /**
     * A worker that holds a mission's workspace.
     *
     * @param taskQueue the worker's own queue
     * @param revision the revision the mission's tasks go on from there ({@link WorkspaceSource#host}), or null
     *     (a host carried into a continued run, or named by an older worker): the one asked for
     */
    record Host(String taskQueue, Revision revision) {
    }
}
