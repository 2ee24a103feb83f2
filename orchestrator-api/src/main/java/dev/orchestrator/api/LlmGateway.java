package dev.orchestrator.api;

/**
 * How agents call the model. Each call is journaled with its full response before the agent sees it, counted
 * against the budget, and given a deterministic id (mission, task, turn), so a resumed mission answers it from the
 * journal instead of paying for it again.
 */
public interface LlmGateway {

    /**
     * Sends {@code request} to the mission's provider. The engine fills in the model (unless set) and the
     * {@link ChatRequest#metadata() metadata} that identifies the call.
     *
     * @throws LlmException when the call fails for good
     * @throws MissionStoppedException when the mission is out of budget or was cancelled; let it propagate
     * @param request the request
     * @return the model's answer
     */
    ChatResponse chat(ChatRequest request);
}
