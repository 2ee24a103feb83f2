package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.internal.engine.Scripts.writeFile;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.LlmCallCompleted;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Worker whose conversation outgrows a small context window: it reads six large files, one a turn, and the
 * older turns are summarised by the model through the task's journaled gateway so that the todo still completes.
 */
class CompactionMissionTest {

    private static final int FILES = 6;
    private static final String SUMMARY = "SUMMARY: read the first files; next read the rest and write out.txt";

    @TempDir
    Path root;

    private final List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());
    /** Every request that reached the model, in order. */
    private final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger summaryCalls = new AtomicInteger();
    private final AtomicInteger workerCalls = new AtomicInteger();

    private static String content(int file) {
        return ("file " + file + " says line after line. ").repeat(200);
    }

    private static boolean isSummaryCall(ChatRequest request) {
        return request.system().startsWith("You keep the memory");
    }

    /**
     * The script; the worker call right after the first summary fails once with {@code failure} when
     * {@code failOnce} is set. The counters live in the test, as the model's side of the conversation, so that a
     * resumed mission's new provider goes on where the first one stopped.
     */
    private ScriptedProvider provider(AtomicBoolean failOnce, LlmException failure) {
        return ScriptedProvider.builder()
                .usagePerCall(Usage.ZERO)
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan",
                        "{\"todos\":[{\"id\":\"t\",\"description\":\"read every big file, then write out.txt\"}]}"))
                .on(request -> {
                    requests.add(request);
                    return isSummaryCall(request);
                }, request -> {
                    summaryCalls.incrementAndGet();
                    return text(SUMMARY).apply(request);
                })
                .onRole(Agent.WORKER, request -> {
                    if (summaryCalls.get() == 1 && failOnce.compareAndSet(true, false)) {
                        throw failure;
                    }
                    int call = workerCalls.getAndIncrement();
                    if (call < FILES) {
                        return toolCall("read_file", "{\"path\":\"big-" + call + ".txt\"}").apply(request);
                    }
                    return call == FILES ? toolCall("write_file", writeFile("out.txt", "read them all")).apply(request)
                            : text("Read the six files and wrote out.txt.").apply(request);
                })
                .onRole(Agent.REVIEWER, noIssues())
                .build();
    }

    private MissionResult run(AtomicBoolean failOnce) throws IOException {
        return mission(provider(failOnce, new LlmException.Transient("HTTP 503: service unavailable", 503, null)))
                .build().run();
    }

    private Mission.Builder mission(ScriptedProvider provider) throws IOException {
        for (int i = 0; i < FILES; i++) {
            Files.writeString(root.resolve("big-" + i + ".txt"), content(i));
        }
        return Mission.builder().goal("read and write").workspace(root).provider(provider)
                .verifyWith("test -f out.txt").contextWindow(8_192)
                .listener((event, progress) -> events.add(event));
    }

    private List<LlmCallCompleted> summariesJournaled() {
        return events.stream().filter(LlmCallCompleted.class::isInstance).map(LlmCallCompleted.class::cast)
                .filter(e -> e.response().text().equals(SUMMARY)).toList();
    }

    private List<ChatRequest> workerRequests() {
        return requests.stream().filter(r -> r.metadata(ChatRequest.ROLE).orElse("").equals(Agent.WORKER)
                && !isSummaryCall(r)).toList();
    }

    @Test
    void aWorkerWhoseConversationOutgrowsTheWindowCompletesItsTodoWithCompaction() throws IOException {
        MissionResult result = run(new AtomicBoolean());

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals("read them all", Files.readString(root.resolve("out.txt")));
        assertTrue(summaryCalls.get() >= 1, "the conversation was compacted");
        List<ChatRequest> worker = workerRequests();
        ChatRequest first = worker.getFirst();
        int afterSummary = requests.indexOf(requests.stream().filter(CompactionMissionTest::isSummaryCall)
                .findFirst().orElseThrow()) + 1;
        ChatRequest compacted = requests.get(afterSummary);
        // the stable prefix stays verbatim: system prompt, tools, and the task at the start of the first message
        assertEquals(first.system(), compacted.system());
        assertEquals(first.tools(), compacted.tools());
        String opening = ((Message.User) first.messages().getFirst()).text();
        String compactedOpening = ((Message.User) compacted.messages().getFirst()).text();
        assertTrue(compactedOpening.startsWith(opening), compactedOpening);
        assertTrue(compactedOpening.contains(SUMMARY), compactedOpening);
        // the old tool results are gone, the newest turn is kept verbatim
        String sent = compacted.messages().toString();
        assertFalse(sent.contains(content(0)), "the first file's content was dropped");
        Message.ToolResult newest = (Message.ToolResult) compacted.messages().getLast();
        assertTrue(newest.content().contains(content(workerCalls(compacted) - 1).strip()), newest.content());
        assertTrue(worker.stream().allMatch(r -> r.messages().size() <= 6), "every compacted conversation is short");
        // the summary call is journaled like any call, under the task's id
        List<LlmCallCompleted> summaries = summariesJournaled();
        assertEquals(summaryCalls.get(), summaries.size());
        assertTrue(summaries.stream().allMatch(e -> e.taskId().equals("t#1") && e.role().equals(Agent.WORKER)));
    }

    /** The number of read_file calls the conversation has made: the file its last result shows, plus one. */
    private static int workerCalls(ChatRequest request) {
        Message.Assistant last = (Message.Assistant) request.messages().get(request.messages().size() - 2);
        String path = last.toolCalls().getFirst().arguments();
        return Integer.parseInt(path.replaceAll("\\D", "")) + 1;
    }

    @Test
    void aReplayedTaskAnswersTheSummaryCallFromTheJournalAndDoesNotPayTwice() throws IOException {
        MissionResult result = run(new AtomicBoolean(true));

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(1, events.stream().filter(MissionEvent.TaskDeferred.class::isInstance).count(),
                "the call after the first summary failed once and the task ran again from the journal");
        List<String> summaryIds = summariesJournaled().stream().map(LlmCallCompleted::callId).toList();
        assertEquals(summaryCalls.get(), summaryIds.size(), "no summary was asked of the model twice");
        assertEquals(summaryIds.stream().distinct().count(), summaryIds.size());
        assertEquals(FILES + 2, workerCalls.get(), "no worker turn was asked twice either");
    }

    @Test
    void aMissionResumedFromItsJournalAnswersTheSummaryCallFromItAndDoesNotPayTwice() throws IOException {
        Path journal = root.resolve(".journal");
        MissionResult failed = mission(provider(new AtomicBoolean(true),
                new LlmException.AuthenticationFailed("HTTP 401: the key was revoked", 401)))
                .journal(journal).build().run();

        assertEquals(Outcome.FAILED, failed.outcome(), failed.reason());
        assertEquals(1, summaryCalls.get(), "the key was revoked right after the first summary");
        int workerCallsBefore = workerCalls.get();
        events.clear();
        requests.clear();

        MissionResult resumed = mission(provider(new AtomicBoolean(), null)).journal(journal).build().run();

        assertEquals(Outcome.COMPLETED, resumed.outcome(), resumed.reason());
        assertEquals(FILES + 2, workerCalls.get(), "the worker turns made before the failure were not asked again");
        assertTrue(workerCallsBefore >= 2, "the failure came after some turns: " + workerCallsBefore);
        // the first summary is the only one without an earlier summary in its transcript: it came from the journal
        List<ChatRequest> asked = requests.stream().filter(CompactionMissionTest::isSummaryCall).toList();
        assertFalse(asked.isEmpty(), "the resumed conversation went on compacting");
        assertTrue(asked.stream().allMatch(r -> r.messages().getFirst().toString()
                .contains("[summary of what came before]")), "the first summary was not asked for again");
        assertEquals(asked.size(), summariesJournaled().size());
    }
}
