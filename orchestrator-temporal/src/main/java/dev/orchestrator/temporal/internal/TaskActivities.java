package dev.orchestrator.temporal.internal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The agent tasks of a mission, each an activity on a worker that holds the mission's agents and workspace. */
@ActivityInterface
public interface TaskActivities {

    /** {@return runs the agent of the order's role on its task} */
    @ActivityMethod
    TaskOutcome act(TaskOrder order);

    /** {@return runs the mission's verify command in its workspace} */
    @ActivityMethod
    TaskOutcome verify(TaskOrder order);
}
