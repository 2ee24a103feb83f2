package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmGateway;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.MissionEvent.LlmCallCompleted;
import dev.orchestrator.api.MissionEvent.LlmCallFailed;
import dev.orchestrator.api.MissionEvent.ReplayDiverged;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.core.internal.cache.RequestKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One task's view of the model: every call gets its deterministic id (mission / task / turn), is answered from the
 * journal when a resumed mission already made it, is otherwise checked against the budget before it goes out, and
 * is journaled with its full response before the agent sees it.
 *
 * <p>Each call is journaled with the hash of the request the agent made, so that a resumed agent that asks its n-th
 * call differently (a prompt or a tool changed between versions) is not handed the answer to another question: the
 * divergence is journaled and the task goes live from that call on. The hash leaves out the model the engine fills
 * in and the metadata: a mission resumed with another default model still asks the same questions. The hash goes
 * to the provider with the request ({@link RequestKey#METADATA}), where the response cache keys on it.
 */
final class TaskLlm implements LlmGateway {

    private final LlmProvider provider;
    private final Optional<String> model;
    private final EventRecorder recorder;
    private final StopSignal stop;
    private final BudgetGuard budget;
    private final RecordedCalls recorded;
    private final String missionId;
    private final String role;
    private final String taskId;
    private final AtomicInteger turns = new AtomicInteger();
    // one per task: its conversation's messages are hashed once each, not again at every later call
    private final RequestKey.Hasher hasher;
    private final EventRecorder.Durable dispatched;

    TaskLlm(LlmProvider provider, Optional<String> model, EventRecorder recorder, StopSignal stop, BudgetGuard budget,
            RecordedCalls recorded, RequestKey.Shared hashed, String missionId, String role, String taskId,
            EventRecorder.Durable dispatched) {
        this.provider = provider;
        this.model = model;
        this.recorder = recorder;
        this.stop = stop;
        this.budget = budget;
        this.recorded = recorded;
        this.missionId = missionId;
        this.role = role;
        this.taskId = taskId;
        this.hasher = new RequestKey.Hasher(hashed);
        this.dispatched = dispatched;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        int turn = turns.getAndIncrement();
        String callId = missionId + "/" + taskId + "/" + turn;
        String requestHash = hasher.key(request, request.model().orElse("")).hex();
        Optional<LlmCallCompleted> answered = recorded.call(taskId, callId);
        if (answered.isPresent()) {
            if (answered.get().requestHash().map(requestHash::equals).orElse(true)) {
                // answered from the journal: paid for and counted before a crash or a deferral
                return answered.get().response();
            }
            ReplayDiverged diverged = new ReplayDiverged(callId, taskId, recorder.now());
            recorder.record(diverged);
            recorded.add(diverged);
        }
        stop.check();
        budget.exhausted(recorder.state().usage()).ifPresent(reason -> {
            stop.trigger(Outcome.BUDGET_EXHAUSTED, reason);
            stop.check();
        });
        // the request's own lists are immutable, so the record keeps them as they are: no builder's copies
        ChatRequest sent = new ChatRequest(request.model().isPresent() ? request.model()
                : Optional.of(model.orElse(provider.defaultModel())), request.system(), request.messages(),
                request.tools(), request.maxOutputTokens(), request.temperature(),
                metadata(request.metadata(), turn, requestHash));
        // the request is built and hashed while the dispatch may still be syncing; the call waits for it
        dispatched.await();
        ChatResponse response;
        try {
            response = provider.chat(sent);
        } catch (LlmException e) {
            recorder.record(new LlmCallFailed(callId, taskId, role,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), recorder.now()));
            throw e;
        }
        LlmCallCompleted completed = new LlmCallCompleted(callId, taskId, role, response, Optional.of(requestHash),
                recorder.now());
        recorder.record(completed);
        recorded.add(completed);
        String priced = response.model().isEmpty() ? sent.model().orElseThrow() : response.model();
        budget.add(priced, response.usage()).ifPresent(reason -> stop.trigger(Outcome.FAILED, reason));
        budget.exhausted(recorder.state().usage()).ifPresent(reason -> stop.trigger(Outcome.BUDGET_EXHAUSTED, reason));
        return response;
    }

    /** The agent's metadata and the engine's; built as the immutable map the request keeps, when the agent set none. */
    private Map<String, String> metadata(Map<String, String> agents, int turn, String requestHash) {
        if (agents.isEmpty()) {
            return Map.of(ChatRequest.ROLE, role, ChatRequest.TASK, taskId, ChatRequest.TURN, Integer.toString(turn),
                    RequestKey.METADATA, requestHash);
        }
        Map<String, String> metadata = new HashMap<>(agents);
        metadata.put(ChatRequest.ROLE, role);
        metadata.put(ChatRequest.TASK, taskId);
        metadata.put(ChatRequest.TURN, Integer.toString(turn));
        metadata.put(RequestKey.METADATA, requestHash);
        return metadata;
    }
}
