package dev.orchestrator.api.spi;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Budget;
import dev.orchestrator.api.CommandSandbox;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.ResponseCache;
import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * Everything a {@link dev.orchestrator.api.Mission.Builder} was told, checked, for the engine. Users build it
 * through the builder; only engines read it.
 *
 * @param missionId the id the builder was given; when empty, the engine takes the journal's or, for a new mission,
 *     makes a random one (only then: a resume makes no random id it would throw away)
 * @param goal the goal
 * @param workspace the workspace directory, absolute, real and existing
 * @param provider the model provider
 * @param model the model to use, or empty for the provider's default
 * @param agents agents that replace or add to the built-in ones, by role
 * @param tools tools added to the built-in ones, or replacing the built-in one of the same name
 * @param withoutTools the names of built-in tools removed
 * @param verifyCommand the command that verifies the work
 * @param verifyTimeout how long the verify command may run
 * @param maxParallelWorkers the most todos worked on at once
 * @param maxIterations the most reviews before the mission gives up
 * @param maxWorkerTurns the most model calls one attempt at a todo may make
 * @param maxAttempts the most attempts at one todo before only the Commander can decide on it
 * @param deadline how long one run of the mission may take, if it is bounded
 * @param budget the spending limit
 * @param prices dollar prices by model name
 * @param listeners who follows the mission
 * @param journal the caller's journal, or empty for one owned by the mission
 * @param journalDirectory the directory of a file journal the mission opens and closes, if any
 * @param memoryFile the project memory file, if any
 * @param clock the clock for event times and durations
 * @param threadFactory makes the threads agents run on
 * @param sandbox how commands run and which credentials are redacted
 * @param toolPolicy decides whether each tool call may run
 * @param callPatience the most one model call waits in all for rate limits, pauses and backoffs before it fails
 * @param contextWindow the model's context window in tokens, if the user set it
 * @param maxToolOutputChars the most characters of one tool result the model sees
 * @param responseCache the cache of model answers, if the mission has one
 */
public record MissionSettings(Optional<String> missionId, String goal, Path workspace, LlmProvider provider,
        Optional<String> model, Map<String, Agent> agents, List<Tool> tools, Set<String> withoutTools, String verifyCommand,
        Duration verifyTimeout, int maxParallelWorkers, int maxIterations, int maxWorkerTurns, int maxAttempts,
        Optional<Duration> deadline, Budget budget, Map<String, ModelPrice> prices, List<MissionListener> listeners,
        Optional<Journal> journal, Optional<Path> journalDirectory, Optional<Path> memoryFile, InstantSource clock,
        ThreadFactory threadFactory, CommandSandbox sandbox, ToolPolicy toolPolicy,
        Duration callPatience, Optional<Integer> contextWindow, int maxToolOutputChars,
        Optional<ResponseCache> responseCache) {

    /** Copies the collections. */
    public MissionSettings {
        agents = Map.copyOf(agents);
        tools = List.copyOf(tools);
        withoutTools = Set.copyOf(withoutTools);
        prices = Map.copyOf(prices);
        listeners = List.copyOf(listeners);
    }
}
