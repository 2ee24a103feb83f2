package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.TodoStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetAndCancelExampleTest {

    @TempDir
    Path workspace;

    @Test
    void theBudgetEndsTheMissionPartWayWithWhatWasDone() {
        MissionResult result = BudgetAndCancelExample.budgeted(workspace).run();

        assertEquals(MissionResult.Outcome.BUDGET_EXHAUSTED, result.outcome(), result.reason());
        long done = result.todos().stream().filter(t -> t.state() == TodoStatus.State.DONE).count();
        assertTrue(done > 0 && done < BudgetAndCancelExample.TODOS, done + " todos done");
        assertTrue(BudgetAndCancelExample.describe(result).startsWith("BUDGET_EXHAUSTED after "),
                BudgetAndCancelExample.describe(result));
    }

    @Test
    void cancellingAtTheFirstWorkerEndsTheMissionCancelledWithNothingDone() throws InterruptedException {
        MissionResult result = BudgetAndCancelExample.cancelledAtFirstWorker(workspace);

        assertEquals(MissionResult.Outcome.CANCELLED, result.outcome(), result.reason());
        assertEquals(0, result.todos().stream().filter(t -> t.state() == TodoStatus.State.DONE).count());
    }
}
