package dev.orchestrator.examples;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Budget;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.core.llm.ScriptedReplies.PlannedTodo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

/**
 * The two ways a user stops a mission: a token budget, which ends it {@code BUDGET_EXHAUSTED} when the calls made
 * reach it, and {@link MissionHandle#cancel()}, which ends it {@code CANCELLED} at once (here, as soon as the first
 * Worker is dispatched). Both keep what was done and say how far the mission got. Offline.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -pl orchestrator-examples exec:java \
 *     -Dexec.mainClass=dev.orchestrator.examples.BudgetAndCancelExample
 * </pre>
 */
public final class BudgetAndCancelExample {

    /** Each scripted call reports this usage, so the budget below lasts a known number of calls. */
    static final Usage PER_CALL = Usage.of(1_000, 200);
    /** Room for the brief, the plan and three of the ten Workers' calls. */
    static final long BUDGET_TOKENS = 6_000;
    static final int TODOS = 10;

    private BudgetAndCancelExample() {
    }

    /** Runs both missions; exits with 2 after one line for a setting. */
    public static void main(String[] args) throws InterruptedException {
        String program = "budget and cancel example";
        Path budgeted = Exits.configured(program, () -> Files.createTempDirectory("orchestrator-budget-"));
        MissionResult spent = Exits.configured(program, () -> budgeted(budgeted).run());
        System.out.println("With a budget of " + BUDGET_TOKENS + " tokens: " + describe(spent));

        Path cancelled = Exits.configured(program, () -> Files.createTempDirectory("orchestrator-cancel-"));
        MissionResult stopped = cancelledAtFirstWorker(cancelled);
        System.out.println("Cancelled at the first Worker: " + describe(stopped));
        System.out.println("This ran on the scripted provider; each call counted " + PER_CALL.totalTokens()
                + " tokens.");
    }

    static String describe(MissionResult result) {
        long done = result.todos().stream().filter(t -> t.state() == TodoStatus.State.DONE).count();
        return "%s after %,d tokens, %d of %d todos done (%s)".formatted(result.outcome(),
                result.usage().totalTokens(), done, result.todos().size(), result.reason());
    }

    /** Ten one-call todos, one Worker at a time, under a budget that runs out on the way. */
    static Mission budgeted(Path workspace) {
        return team(workspace, Duration.ZERO).budget(Budget.ofTokens(BUDGET_TOKENS)).build();
    }

    /** The same team with slow calls, cancelled from its listener's signal as soon as a Worker is dispatched. */
    static MissionResult cancelledAtFirstWorker(Path workspace) throws InterruptedException {
        CountDownLatch dispatched = new CountDownLatch(1);
        MissionHandle handle = team(workspace, Duration.ofSeconds(2))
                .listener((event, progress) -> {
                    if (event instanceof MissionEvent.TaskDispatched) {
                        dispatched.countDown();
                    }
                })
                .build()
                .start();
        dispatched.await();
        handle.cancel();
        return handle.await();
    }

    private static Mission.Builder team(Path workspace, Duration latency) {
        PlannedTodo[] todos = IntStream.rangeClosed(1, TODOS).mapToObj(i -> todo("t" + i, "Thing " + i))
                .toArray(PlannedTodo[]::new);
        ScriptedProvider provider = ScriptedProvider.builder().latency(latency).usagePerCall(PER_CALL)
                .onTask(Agent.COMMANDER, "triage", brief("Ten small things."))
                .onTask(Agent.PLANNER, "plan", plan(todos))
                .onRole(Agent.WORKER, text("done"))
                .onRole(Agent.REVIEWER, issues())
                .build();
        return Mission.builder()
                .goal("Do ten small things")
                .workspace(workspace)
                .provider(provider)
                .verifyWith("true")
                .maxParallelWorkers(1);
    }
}
