package dev.orchestrator.api;

/**
 * An {@link AgentContext} opened with {@link Mission#openContext(String, String)}: the context one task of an agent
 * gets in a mission (journaled, budgeted model calls, the tools confined to the workspace, the memory, notes as
 * events for the mission's listeners), without the mission's loop around it, for testing one agent or tool on its
 * own. Close it to end the tools' processes and release the journal.
 */
public interface AgentSession extends AgentContext, AutoCloseable {

    /** Ends the task's background processes and commands, and closes the journal if the session opened it. */
    @Override
    void close();
}
