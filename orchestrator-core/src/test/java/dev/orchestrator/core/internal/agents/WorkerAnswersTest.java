package dev.orchestrator.core.internal.agents;

import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.api.StopReason;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.internal.context.ContextWindows;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A Worker's todo is done only with an answer that ended normally, said something, and is kept bounded. */
class WorkerAnswersTest {

    private static final Task.Work WORK = new Task.Work("goal", Todo.of("t", "do it", List.of(), List.of()), 1);

    private final List<ChatRequest> sent = new ArrayList<>();

    /** An answer the output token limit cut off, as {@code finish_reason: length} reports it. */
    static Function<ChatRequest, ChatResponse> cutOff(String text, ToolCall... calls) {
        return request -> new ChatResponse(text, List.of(calls), StopReason.MAX_TOKENS, Usage.ZERO, "scripted",
                RateLimits.UNKNOWN);
    }

    @SafeVarargs
    private AgentResult work(Function<ChatRequest, ChatResponse>... turns) {
        return work(ScriptedProvider.builder().onTask("worker", "t#1", turns).build());
    }

    private AgentResult work(ScriptedProvider provider) {
        return new Worker(10, ContextWindows.UNKNOWN).act(WORK,
                ScriptedContext.withReadFile(provider, sent, "worker", "t#1"));
    }

    private String lastUserText(int request) {
        return ((Message.User) sent.get(request).messages().getLast()).text();
    }

    @Test
    void anAnswerCutOffByTheOutputLimitIsContinuedAndTheTodoEndsWithTheWholeAnswer() {
        AgentResult result = work(cutOff("I will now wri"), text("te the summary: changed a.txt."));

        assertEquals(new AgentResult.Done("I will now write the summary: changed a.txt."), result);
        assertEquals(2, sent.size());
        assertTrue(lastUserText(1).contains("cut off by the output token limit"), lastUserText(1));
    }

    @Test
    void anEmptyContinuationDoesNotCompleteWhatWasCutOff() {
        AgentResult result = work(cutOff("done t3: I will now wri"), text(""), text("te the summary."));

        assertEquals(new AgentResult.Done("done t3: I will now write the summary."), result);
        assertEquals(3, sent.size());
    }

    @Test
    void anAnswerCutOffEveryTimeFailsTheAttemptInsteadOfFinishingTheTodo() {
        AgentResult result = work(ScriptedProvider.builder()
                .on(request -> true, cutOff("I will now wri")).build());

        AgentResult.Failed failed = assertInstanceOf(AgentResult.Failed.class, result);
        assertTrue(failed.reason().contains("cut off by the output token limit 4 times in a row"), failed.reason());
        assertEquals(ToolLoop.MAX_CONTINUATIONS + 1, sent.size());
    }

    @Test
    void anEmptyAnswerIsAskedForAgainAndIsNeverASummary() {
        AgentResult result = work(text(""), text("  \n"), text("Changed a.txt; checked it with cat."));

        assertEquals(new AgentResult.Done("Changed a.txt; checked it with cat."), result);
        assertTrue(lastUserText(1).contains("Your answer was empty"), lastUserText(1));
    }

    @Test
    void aModelThatKeepsAnsweringNothingFailsTheAttemptSayingSo() {
        AgentResult result = work(ScriptedProvider.builder().on(request -> true, text("")).build());

        AgentResult.Failed failed = assertInstanceOf(AgentResult.Failed.class, result);
        assertEquals("the model answered with nothing 3 times in a row", failed.reason());
        assertEquals(ToolLoop.MAX_EMPTY_ANSWERS + 1, sent.size());
    }

    @Test
    void aOneMebibyteAnswerGivesABoundedSummary() {
        String huge = "x".repeat(1 << 20);

        AgentResult.Done done = assertInstanceOf(AgentResult.Done.class, work(text(huge)));

        assertTrue(done.summary().length() < Worker.MAX_SUMMARY_CHARS + 100, () -> "" + done.summary().length());
        assertTrue(done.summary().startsWith("x".repeat(Worker.MAX_SUMMARY_CHARS)));
        assertTrue(done.summary().endsWith("[" + ((1 << 20) - Worker.MAX_SUMMARY_CHARS) + " more characters cut]"),
                done.summary().substring(Worker.MAX_SUMMARY_CHARS));
    }

    @Test
    void theToolCallsOfAnAnswerCutOffByTheOutputLimitAreNotRun() {
        ScriptedContext context = ScriptedContext.withReadFile(ScriptedProvider.builder().onTask("worker", "t#1",
                cutOff("", new ToolCall("call_1", "read_file", "{\"path\":\"a.txt\"}")), text("done")).build(),
                sent, "worker", "t#1");

        AgentResult result = new Worker(10, ContextWindows.UNKNOWN).act(WORK, context);

        assertEquals(new AgentResult.Done("done"), result);
        assertEquals(List.of(), context.toolCalls());
        Message.ToolResult refused = (Message.ToolResult) sent.get(1).messages().getLast();
        assertTrue(refused.isError());
        assertEquals("call_1", refused.toolCallId());
        assertTrue(refused.content().startsWith("not run: your answer was cut off"), refused.content());
    }

    @Test
    void aRefusalFailsTheAttempt() {
        AgentResult result = work(request -> new ChatResponse("I can't help with that.", List.of(),
                StopReason.REFUSAL, Usage.ZERO, "scripted", RateLimits.UNKNOWN));

        assertEquals(new AgentResult.Failed("the model refused: I can't help with that."), result);
    }
}
