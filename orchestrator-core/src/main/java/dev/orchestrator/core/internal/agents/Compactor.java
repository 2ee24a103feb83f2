package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmGateway;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.core.internal.context.ContextBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shortens a conversation that nears its context window: the model summarises the older turns into one message
 * (decisions, files, open problems, where the task stands), and the tool results those turns held are dropped.
 * The first message (the task, the brief, the plan) and the most recent turns stay verbatim, as do the system
 * prompt and the tools, which are not messages. The summary call goes through the task's journaled gateway like
 * any call, so a resumed task is answered from the journal and does not pay for it twice.
 */
final class Compactor {

    /** The most recent assistant turns, with their tool results, that stay verbatim. */
    static final int RECENT_TURNS = 2;
    /** The most a summary may take, in characters. */
    static final int MAX_SUMMARY_CHARS = 12_000;
    private static final int SUMMARY_TOKENS = 2_048;
    private static final int MAX_CALL_CHARS = 500;
    private static final int MAX_RESULT_CHARS = 2_000;

    private final LlmGateway llm;
    private final ContextBudget budget;
    private String summary = "";

    Compactor(LlmGateway llm, ContextBudget budget) {
        this.llm = llm;
        this.budget = budget;
    }

    /**
     * Compacts {@code messages} in place, whose first message is {@code first} with the latest summary after it.
     *
     * @return false if there is nothing old enough to summarise
     */
    boolean compact(String first, List<Message> messages) {
        int cut = cut(messages);
        if (cut < 2) {
            return false;
        }
        ChatRequest request = ChatRequest.builder().system(Prompts.get("compact-system"))
                .message(Message.user(Prompts.render("compact-task",
                        Map.of("transcript", transcript(messages.subList(1, cut))))))
                .maxOutputTokens(SUMMARY_TOKENS).metadata(ChatRequest.PURPOSE, ChatRequest.COMPACTION).build();
        ChatResponse response = llm.chat(request);
        budget.learn(request, response.usage());
        String text = response.text().strip();
        // an empty summary keeps the one before, so that one bad answer does not lose everything
        summary = text.isEmpty() ? (summary.isEmpty() ? "" : summary + "\n\n") + "(" + (cut - 1)
                + " later messages were dropped: the model wrote no summary of them)"
                : Bounded.text(text, MAX_SUMMARY_CHARS);
        List<Message> recent = new ArrayList<>(messages.subList(cut, messages.size()));
        messages.clear();
        messages.add(Message.user(first + "\n\n" + Prompts.render("compact-summary", Map.of("summary", summary))));
        messages.addAll(recent);
        return true;
    }

    /**
     * Where the recent part starts: at one of the last {@link #RECENT_TURNS} assistant turns, the earliest whose
     * tail still takes at most a quarter of the window, and at the last one in any case; -1 if nothing would be
     * left to summarise.
     */
    private int cut(List<Message> messages) {
        int cut = -1;
        int turns = 0;
        // from index 2 at the lowest, so that at least one message after the first is summarised
        for (int i = messages.size() - 1; i > 1 && turns < RECENT_TURNS; i--) {
            if (messages.get(i) instanceof Message.Assistant) {
                turns++;
                if (cut < 0 || budget.tokens(messages.subList(i, messages.size())) <= budget.window() / 4) {
                    cut = i;
                }
            }
        }
        return cut;
    }

    /** The older turns as text, and the summary they continue; long arguments and results shortened. */
    private String transcript(List<Message> old) {
        StringBuilder text = new StringBuilder();
        if (!summary.isEmpty()) {
            text.append("[summary of what came before]\n").append(summary).append("\n\n");
        }
        for (Message message : old) {
            switch (message) {
                case Message.User user -> text.append("[user]\n").append(user.text()).append("\n\n");
                case Message.Assistant assistant -> {
                    text.append("[assistant]\n");
                    if (!assistant.text().isBlank()) {
                        text.append(assistant.text()).append('\n');
                    }
                    for (ToolCall call : assistant.toolCalls()) {
                        text.append("called ").append(call.name()).append(' ')
                                .append(Bounded.text(call.arguments(), MAX_CALL_CHARS)).append('\n');
                    }
                    text.append('\n');
                }
                case Message.ToolResult result -> text.append("[result of ").append(result.toolName())
                        .append(result.isError() ? ", an error" : "").append("]\n")
                        .append(Bounded.text(result.content(), MAX_RESULT_CHARS)).append("\n\n");
            }
        }
        // the summary call must fit the window itself: half of it, at four characters a token
        long maxChars = budget.window() * 2;
        if (text.length() > maxChars) {
            int half = (int) (maxChars / 2);
            return text.substring(0, half) + "\n… [" + (text.length() - 2L * half)
                    + " characters of the middle cut]\n" + text.substring(text.length() - half);
        }
        return text.toString();
    }
}
