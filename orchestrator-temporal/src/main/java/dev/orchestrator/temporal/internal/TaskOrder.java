package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.temporal.WorkspaceSource.Revision;
import java.util.List;

/**
 * One task for an activity: the mission it belongs to, the role of its agent, the task itself, what is left of the
 * budget, the memory notes so far, and where its workspace stands.
 *
 * @param mission the mission
 * @param role the role of the agent
 * @param task the task, tagged (see {@link Wire#task})
 * @param tokensLeft what is left of the mission's token budget
 * @param dollarsLeft what is left of the mission's dollar budget, as a plain decimal, or null for none
 * @param notes the memory notes the mission's agents made so far, which the task's agent reads as the embedded
 *     engine's would (null in an order recorded before there were any)
 * @param revision the newest revision of the workspace a finished task saved (null in histories from before
 *     there were revisions: none)
 * @param carried the journal of an earlier attempt, which this attempt continues (null: none): whole, as an
 *     attempt's failure leaves it, or without the records of {@link #seeded()}, as a finished task reports them
 * @param carriedFrom the queue of the host that ran that attempt (null: none)
 */
public record TaskOrder(MissionSpec mission, String role, Wire.Tagged task, long tokensLeft, String dollarsLeft,
        List<String> notes, Revision revision, List<String> carried, String carriedFrom) {

    /** Fills in no revision and no journal for the fields that older histories lack. */
    public TaskOrder {
        notes = notes == null ? null : List.copyOf(notes);
        revision = revision == null ? Revision.NONE : revision;
        carried = carried == null ? List.of() : List.copyOf(carried);
        carriedFrom = carriedFrom == null ? "" : carriedFrom;
    }

    /** {@return an order of a new task: the workspace at no revision, no journal carried} */
    public static TaskOrder of(MissionSpec mission, String role, Wire.Tagged task, long tokensLeft,
            String dollarsLeft, List<String> notes) {
        return new TaskOrder(mission, role, task, tokensLeft, dollarsLeft, notes, Revision.NONE, List.of(), "");
    }

    /**
     * {@return how many records a task's journal begins with that the workflow has of its own: the mission's start
     * and the memory notes the order carries (an order without notes: the runner's own start)}
     */
    public int seeded() {
        return 1 + (notes == null ? 0 : notes.size());
    }

    /**
     * {@return whether {@code journal} begins with its seed (the mission's start), as an attempt's failure leaves
     * it, rather than with the records after it, as a finished task reports them}
     */
    static boolean beginsWithSeed(List<String> journal) {
        return !journal.isEmpty() && Wire.event(journal.getFirst()) instanceof MissionEvent.MissionStarted;
    }

    /** {@return this order for the workspace at {@code at}, continuing the journal {@code records} of {@code host}} */
    TaskOrder at(Revision at, List<String> records, String host) {
        return new TaskOrder(mission, role, task, tokensLeft, dollarsLeft, notes, at, records, host);
    }
}
