package dev.orchestrator.api;

/**
 * What missions on a project learn and keep: build commands, conventions, pitfalls. It is read at the start of a
 * mission and handed to the Commander and Planner; notes added during a mission are journaled and, when the
 * mission has a memory file, appended to it at the end.
 */
public interface ProjectMemory {

    /** {@return everything known so far, possibly empty} */
    String read();

    /**
     * Adds a note worth keeping for later missions.
     *
     * @param note the note
     */
    void remember(String note);
}
