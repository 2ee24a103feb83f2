package dev.orchestrator.api;

/**
 * What missions on a project learn and keep: build commands, conventions, pitfalls, where things are. Missions with
 * a memory file read it when they start and merge the notes they add into it when they end; the file is bounded,
 * keeping the notes most missions made. Notes added during a mission are journaled, so a resumed mission neither
 * loses nor repeats them.
 */
public interface ProjectMemory {

    /**
     * {@return the memory as this mission started with it, possibly empty: what earlier missions noted, one note a
     * line} It does not change during the mission, so that prompts can carry it in their stable prefix.
     */
    String atStart();

    /** {@return everything known so far: the memory at the start and the notes this mission added, one a line} */
    String read();

    /**
     * Adds a note worth keeping for later missions. A note this mission already made (without regard to case,
     * spacing or final punctuation) is not added again.
     *
     * @param note one fact, at most 500 characters; line breaks become spaces
     * @throws IllegalArgumentException if the note is blank or too long
     */
    void remember(String note);
}
