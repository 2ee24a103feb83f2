package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.StopReason;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.core.internal.context.ContextBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The conversation every built-in agent has with the model: send, run the tools it asks for, send the results
 * back, until it answers. Failed tool calls go back to the model as error results to correct; the loop gives up
 * after a bounded number of turns or of failures in a row.
 *
 * <p>An answer is taken only when it ended normally: one cut off by the output limit is continued, an empty one
 * asked for again (both bounded), and the tool calls of a cut-off answer are not run. When the conversation nears
 * its context window, or the provider says it is too long (then once per call), the {@link Compactor} summarises
 * its older turns.
 *
 * <p>Every conversation may {@code remember} notes for later missions, and its system prompt ends with the project
 * memory as the mission started with it: fixed for the whole mission, so every call of a role keeps a
 * byte-identical prefix for the providers' prompt caches.
 */
final class ToolLoop {

    /** This many turns in a row where every tool call failed means the model is stuck. */
    static final int MAX_FAILED_TURNS_IN_A_ROW = 5;
    /** An answer cut off by the output limit is continued at most this many times. */
    static final int MAX_CONTINUATIONS = 3;
    /** An empty answer is asked for again at most this many times. */
    static final int MAX_EMPTY_ANSWERS = 2;

    /** How the note of a compaction begins. */
    static final String COMPACTED = "compacted the conversation";

    private final AgentContext context;
    private final String system;
    private final List<ToolSpec> tools;
    private final String firstMessage;
    private final List<Message> messages = new ArrayList<>();
    private final ContextBudget budget;
    private final Compactor compactor;
    private final int maxTurns;
    private int turn;
    private int failedTurnsInARow;

    /**
     * A conversation that starts with {@code firstMessage} and may use {@code tools}.
     *
     * @param maxTurns the most model calls it may make, summaries not counted
     * @param contextWindow the model's context window, in tokens
     */
    ToolLoop(AgentContext context, String system, List<ToolSpec> tools, String firstMessage, int maxTurns,
            int contextWindow) {
        this.context = context;
        String memory = context.memory().atStart();
        this.system = memory.isBlank() ? system : system + "\n\n" + Prompts.render("project-memory",
                Map.of("memory", memory));
        this.tools = withRemember(tools);
        this.maxTurns = maxTurns;
        this.firstMessage = firstMessage;
        this.budget = new ContextBudget(contextWindow);
        this.compactor = new Compactor(context.llm(), budget);
        messages.add(Message.user(firstMessage));
    }

    /**
     * {@code tools} and {@code remember}, unless the mission has a tool of its own by that name: immutable, and
     * {@code tools} itself when it is an immutable list that has {@code remember} already.
     */
    static List<ToolSpec> withRemember(List<ToolSpec> tools) {
        for (ToolSpec spec : tools) {
            if (spec.name().equals(Answers.REMEMBER_TOOL)) {
                return List.copyOf(tools);
            }
        }
        ToolSpec[] all = tools.toArray(new ToolSpec[tools.size() + 1]);
        all[tools.size()] = Answers.REMEMBER;
        return List.of(all);
    }

    /**
     * A conversation in which the model may look at the workspace with the read-only tools and then answers
     * through {@code answer}, as the Commander, Planner and Reviewer do.
     */
    static ToolLoop lookThenAnswer(AgentContext context, String systemPrompt, ToolSpec answer, String firstMessage,
            int maxTurns, int contextWindow) {
        List<ToolSpec> tools = new ArrayList<>(context.tools().specs().stream()
                .filter(spec -> Answers.READ_ONLY_TOOLS.contains(spec.name())).toList());
        tools.add(answer);
        return new ToolLoop(context, Prompts.get(systemPrompt), tools, firstMessage, maxTurns, contextWindow);
    }

    /** The outcome of a conversation that ends in text. */
    sealed interface TextOutcome {
        /** The model answered with {@code text} and no tool call. */
        record Answered(String text) implements TextOutcome {
        }

        /** The loop gave up. */
        record GaveUp(String reason) implements TextOutcome {
        }
    }

    /**
     * Talks until the model answers without calling a tool, and the answer ended normally and says something. The
     * parts of an answer that was cut off and continued are joined.
     */
    TextOutcome untilText() {
        // a String, not a builder: answers are seldom cut off, and a builder would wait out every call with its Worker
        String cutOff = "";
        int continuations = 0;
        int empty = 0;
        while (turn < maxTurns) {
            ChatResponse response = send();
            if (response.toolCalls().isEmpty() && response.stopReason() == StopReason.MAX_TOKENS) {
                cutOff += response.text();
                if (++continuations > MAX_CONTINUATIONS) {
                    return new TextOutcome.GaveUp("the answer was cut off by the output token limit "
                            + continuations + " times in a row; raise the model's output limit or ask for less");
                }
                messages.add(Message.user(Prompts.get("answer-cut-off")));
                continue;
            }
            if (response.toolCalls().isEmpty()) {
                if (response.stopReason() == StopReason.REFUSAL) {
                    return new TextOutcome.GaveUp("the model refused: " + (response.text().isBlank()
                            ? "(no reason given)" : Bounded.text(response.text().strip(), 500)));
                }
                // an empty continuation does not complete what was cut off
                if (!response.text().isBlank()) {
                    return new TextOutcome.Answered((cutOff + response.text()).strip());
                }
                if (++empty > MAX_EMPTY_ANSWERS) {
                    return new TextOutcome.GaveUp("the model answered with nothing " + empty + " times in a row");
                }
                messages.add(Message.user(Prompts.get("answer-empty")));
                continue;
            }
            cutOff = "";
            continuations = 0;
            empty = 0;
            runTools(response, Optional.empty());
            if (failedTurnsInARow >= MAX_FAILED_TURNS_IN_A_ROW) {
                return new TextOutcome.GaveUp("every tool call failed " + failedTurnsInARow
                        + " turns in a row; the last error: " + lastError());
            }
        }
        return new TextOutcome.GaveUp("no answer within " + maxTurns + " model calls");
    }

    /**
     * Talks until the model calls {@code answerTool} with arguments {@code parse} accepts. {@code parse} throws a
     * {@link ToolException} to send a correction back.
     *
     * @throws AgentGaveUp if no valid answer came within the turn limit
     */
    <T> T untilAnswer(String answerTool, Function<String, T> parse) {
        String lastProblem = "no call of " + answerTool;
        while (turn < maxTurns) {
            ChatResponse response = send();
            if (response.toolCalls().isEmpty()) {
                messages.add(Message.user("Answer by calling the tool `" + answerTool + "`."));
                continue;
            }
            Optional<T> answer = runTools(response, Optional.of(new Answer<>(answerTool, parse)));
            if (answer.isPresent()) {
                return answer.get();
            }
            lastProblem = lastError();
        }
        throw new AgentGaveUp("no valid call of " + answerTool + " within " + maxTurns + " model calls; the last "
                + "problem: " + lastProblem);
    }

    private record Answer<T>(String tool, Function<String, T> parse) {
    }

    /**
     * Sends the conversation, compacted first if it nears the window; a context-length error compacts it and
     * sends once more, and a second one fails the call.
     */
    private ChatResponse send() {
        ChatRequest request = request();
        if (budget.nearlyFull(request) && compact()) {
            request = request();
        }
        ChatResponse response;
        try {
            response = context.llm().chat(request);
        } catch (LlmException.ContextLengthExceeded e) {
            budget.tooLong(request, e.getMessage());
            if (!compact()) {
                throw e.withMessage(e.getMessage() + "; the conversation has nothing old enough to summarise: give"
                        + " the task less to read at once, or use a model with a larger window");
            }
            request = request();
            try {
                response = context.llm().chat(request);
            } catch (LlmException.ContextLengthExceeded again) {
                throw again.withMessage(again.getMessage() + "; still too long after the conversation was"
                        + " compacted: give the task less to read at once, or use a model with a larger window");
            }
        }
        budget.learn(request, response.usage());
        messages.add(response.toMessage());
        turn++;
        return response;
    }

    /** Compacts the conversation and says so in the journal (the command line's report marks it); false if not. */
    private boolean compact() {
        int before = messages.size();
        if (!compactor.compact(firstMessage, messages)) {
            return false;
        }
        context.emit(COMPACTED + ": " + (before - messages.size() + 1) + " messages summarised into one");
        return true;
    }

    /**
     * The conversation as a request, made directly rather than through the builder, whose lists and map are copied
     * again by the record: the tools are immutable already, and only the messages are copied, once.
     */
    private ChatRequest request() {
        return new ChatRequest(Optional.empty(), system, messages, tools, ChatRequest.DEFAULT_MAX_OUTPUT_TOKENS,
                OptionalDouble.empty(), Map.of());
    }

    /**
     * Runs every call of one response, answering each, and returns the accepted answer if there was one. The calls
     * of a response cut off by the output limit are not run: the last one's arguments are incomplete, and a
     * lenient provider may have closed them into something valid but wrong.
     */
    private <T> Optional<T> runTools(ChatResponse response, Optional<Answer<T>> answer) {
        List<ToolCall> calls = response.toolCalls();
        boolean cutOff = response.stopReason() == StopReason.MAX_TOKENS;
        int callTurn = turn - 1;
        boolean anySucceeded = false;
        Optional<T> accepted = Optional.empty();
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            Message.ToolResult result;
            if (cutOff) {
                result = new Message.ToolResult(call.id(), call.name(), "not run: your answer was cut off by the"
                        + " output token limit; call it again with shorter arguments (write a large file in parts)",
                        true);
            } else if (answer.isPresent() && call.name().equals(answer.get().tool())) {
                try {
                    accepted = Optional.of(answer.get().parse().apply(call.arguments()));
                    result = new Message.ToolResult(call.id(), call.name(), "accepted", false);
                } catch (ToolException e) {
                    result = new Message.ToolResult(call.id(), call.name(), e.getMessage(), true);
                }
            } else if (call.name().equals(Answers.REMEMBER_TOOL) && tools.contains(Answers.REMEMBER)) {
                result = remember(call);
            } else if (!offers(call.name()) && isInToolBox(call.name())) {
                result = new Message.ToolResult(call.id(), call.name(), "tool '" + call.name()
                        + "' is not available here: use one of " + tools.stream().map(ToolSpec::name).sorted()
                        .toList(), true);
            } else {
                result = context.tools().call(call, callTurn, i);
            }
            anySucceeded |= !result.isError();
            messages.add(result);
        }
        failedTurnsInARow = anySucceeded ? 0 : failedTurnsInARow + 1;
        return accepted;
    }

    /** Adds the call's note to the project memory; the memory journals it, and a resume does not add it twice. */
    private Message.ToolResult remember(ToolCall call) {
        try {
            context.memory().remember(Answers.note(call.arguments()));
            return new Message.ToolResult(call.id(), call.name(), "noted for later missions", false);
        } catch (ToolException | IllegalArgumentException e) {
            return new Message.ToolResult(call.id(), call.name(), e.getMessage(), true);
        }
    }

    /** Whether this conversation offers the tool {@code name}: a scan, as a set per task cost more than it saves. */
    private boolean offers(String name) {
        for (ToolSpec tool : tools) {
            if (tool.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the mission has the tool, though this agent is not offered it. Unknown tools the box answers. */
    private boolean isInToolBox(String name) {
        return context.tools().specs().stream().anyMatch(spec -> spec.name().equals(name));
    }

    private String lastError() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof Message.ToolResult result && result.isError()) {
                return result.content();
            }
        }
        return "none";
    }
}
