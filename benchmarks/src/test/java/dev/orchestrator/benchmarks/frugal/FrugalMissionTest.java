package dev.orchestrator.benchmarks.frugal;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.Usage;
import dev.orchestrator.benchmarks.frugal.FrugalMission.Figures;
import dev.orchestrator.benchmarks.frugal.FrugalMission.Scale;
import dev.orchestrator.benchmarks.frugal.FrugalMission.Way;
import dev.orchestrator.benchmarks.frugal.PromptCacheMeter.Tally;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small frugality benchmark: the direction of every figure, never a time. */
class FrugalMissionTest {

    @Test
    void oursMakesFewerCallsAndBillsLessAndRepeatsNothingAfterTheCrash(@TempDir Path seedRoot, @TempDir Path oursRoot)
            throws Exception {
        Scale scale = new Scale(6, 3, 1, Duration.ofMillis(100), 20);
        Figures seed = FrugalMission.run(Way.SEED, scale, seedRoot);
        Figures ours = FrugalMission.run(Way.OURS, scale, oursRoot);

        Tally before = seed.tally();
        Tally after = ours.tally();
        assertAll(
                () -> assertEquals(MissionResult.Outcome.COMPLETED, seed.outcome()),
                () -> assertEquals(MissionResult.Outcome.COMPLETED, ours.outcome()),
                () -> assertTrue(after.calls() < before.calls(), after + " vs " + before),
                () -> assertTrue(after.calls(Agent.COMMANDER) < before.calls(Agent.COMMANDER)),
                () -> assertTrue(units(PromptCacheMeter.OPENAI_MODEL, after.openAi())
                        < units(PromptCacheMeter.OPENAI_MODEL, before.openAi())),
                () -> assertTrue(units(PromptCacheMeter.ANTHROPIC_MODEL, after.anthropic())
                        < units(PromptCacheMeter.ANTHROPIC_MODEL, before.anthropic())),
                () -> assertTrue(seed.repeatedAfterResume() > 0, "the seed starts again from scratch"),
                () -> assertEquals(0, ours.repeatedAfterResume()),
                () -> assertEquals(seed.workspace(), ours.workspace(), "the same final workspace"));
    }

    private static double units(String model, Usage usage) {
        return Tally.billedUnits(model, usage);
    }
}
