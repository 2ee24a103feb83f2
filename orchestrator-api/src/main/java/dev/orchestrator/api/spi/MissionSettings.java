package dev.orchestrator.api.spi;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Budget;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.Tool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Everything a {@link dev.orchestrator.api.Mission.Builder} was told, checked, for the engine. Users build it
 * through the builder; only engines read it.
 *
 * @param missionId the mission's id
 * @param goal the goal
 * @param workspace the workspace directory, absolute, real and existing
 * @param provider the model provider
 * @param model the model to use, or empty for the provider's default
 * @param agents agents that replace or add to the built-in ones, by role
 * @param tools tools added to the built-in ones
 * @param verifyCommand the command that verifies the work
 * @param verifyTimeout how long the verify command may run
 * @param maxParallelWorkers the most todos worked on at once
 * @param maxIterations the most reviews before the mission gives up
 * @param maxWorkerTurns the most model calls one attempt at a todo may make
 * @param maxAttempts the most attempts at one todo before only the Commander can decide on it
 * @param budget the spending limit
 * @param prices dollar prices by model name
 * @param listeners who follows the mission
 * @param journal the caller's journal, or empty for one owned by the mission
 * @param journalDirectory the directory of a file journal the mission opens and closes, if any
 * @param memoryFile the project memory file, if any
 * @param clock the clock for event times and durations
 * @param threadFactory makes the threads agents run on
 * @param callPatience the most one model call waits in all for rate limits, pauses and backoffs before it fails
 */
public record MissionSettings(String missionId, String goal, Path workspace, LlmProvider provider,
        Optional<String> model, Map<String, Agent> agents, List<Tool> tools, String verifyCommand,
        Duration verifyTimeout, int maxParallelWorkers, int maxIterations, int maxWorkerTurns, int maxAttempts,
        Budget budget, Map<String, ModelPrice> prices, List<MissionListener> listeners, Optional<Journal> journal,
        Optional<Path> journalDirectory, Optional<Path> memoryFile, InstantSource clock, ThreadFactory threadFactory,
        Duration callPatience) {

    /** Copies the collections. */
    public MissionSettings {
        agents = Map.copyOf(agents);
        tools = List.copyOf(tools);
        prices = Map.copyOf(prices);
        listeners = List.copyOf(listeners);
    }
}
