package dev.orchestrator.api;

import dev.orchestrator.api.spi.MissionEngine;
import dev.orchestrator.api.spi.MissionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * A coding mission: a goal, a workspace, a model, and a team of agents that work until every todo is done, the
 * verify command passes and the Reviewer finds nothing open.
 *
 * <pre>{@code
 * MissionResult result = Mission.builder()
 *     .goal("Add a /health endpoint with a test")
 *     .workspace(Path.of("my-service"))
 *     .provider(provider)
 *     .verifyWith("mvn -q test")
 *     .budget(Budget.ofTokens(2_000_000))
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>A mission is immutable; {@link #run()} or {@link #start()} it once or several times (each run is a new
 * mission with a new id unless {@link Builder#missionId} fixed one).
 */
public final class Mission {

    /**
     * The names of the built-in tools, in the order the agents are offered them. {@link Builder#replaceTool}
     * replaces one, {@link Builder#withoutTool} removes one.
     */
    public static final Set<String> BUILT_IN_TOOLS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "read_file", "write_file", "edit_file", "list_files", "search", "run_command", "read_output",
            "stop_process")));

    private final MissionSettings settings;

    private Mission(MissionSettings settings) {
        this.settings = settings;
    }

    /**
     * A builder for a mission.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the settings this mission was built with} */
    public MissionSettings settings() {
        return settings;
    }

    /**
     * Runs the mission to its end on the calling thread's behalf and returns the result. Interrupting the calling
     * thread cancels the mission.
     *
     * @return the mission's result
     */
    public MissionResult run() {
        MissionHandle handle = start();
        try {
            return handle.await();
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            throw new MissionStoppedException("interrupted while waiting for mission " + handle.missionId()
                    + "; it was cancelled");
        }
    }

    /**
     * Starts the mission and returns at once.
     *
     * @return a handle to await the result or cancel the mission
     */
    public MissionHandle start() {
        return engine().start(settings);
    }

    /**
     * Opens the context a task of an agent of {@code role} would get in this mission, without running the mission:
     * to test one agent ({@code agent.act(task, context)}) or one tool ({@code context.tools().call(...)}) with the
     * real tools, confinement, journal and budget, and the mission's listeners seeing its events. Nothing is
     * planned, dispatched or reviewed.
     *
     * @param role the role of the agent the context is for, such as {@link Agent#WORKER}
     * @param taskId the id of the task, such as {@code todo-1#1}; model and tool calls are journaled under it
     * @return the context; close it when done
     */
    public AgentSession openContext(String role, String taskId) {
        return engine().openContext(settings, role, taskId);
    }

    private static MissionEngine engine() {
        return ServiceLoader.load(MissionEngine.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no mission engine found: add "
                        + "dev.orchestrator:orchestrator-core to the class path or module path"));
    }

    /** Builds a {@link Mission}; {@link #build()} checks every setting at once. */
    public static final class Builder {
        private String missionId;
        private String goal;
        private Path workspace;
        private LlmProvider provider;
        private String model;
        private final Map<String, Agent> agents = new LinkedHashMap<>();
        private final List<Tool> tools = new ArrayList<>();
        private final List<Tool> replacements = new ArrayList<>();
        private final Set<String> withoutTools = new LinkedHashSet<>();
        private String verifyCommand;
        private Duration verifyTimeout = Duration.ofMinutes(10);
        private int maxParallelWorkers = 50;
        private Duration callPatience = Duration.ofMinutes(15);
        private Integer contextWindow;
        private int maxToolOutputChars = 60_000;
        private int maxIterations = 10;
        private int maxWorkerTurns = 40;
        private int maxAttempts = 2;
        private Duration deadline;
        private Budget budget = Budget.UNLIMITED;
        private final Map<String, ModelPrice> prices = new LinkedHashMap<>();
        private final List<MissionListener> listeners = new ArrayList<>();
        private Journal journal;
        private Path journalDirectory;
        private Path memoryFile;
        private InstantSource clock = InstantSource.system();
        private ThreadFactory threadFactory = Thread.ofVirtual().name("orchestrator-agent-", 0).factory();
        private boolean commandNetwork;
        private final List<Path> commandWritable = new ArrayList<>();
        private final List<String> commandEnvironment = new ArrayList<>();
        private final List<String> secrets = new ArrayList<>();
        private ToolPolicy toolPolicy = ToolPolicy.ALLOW_ALL;
        private ResponseCache responseCache;

        private Builder() {
        }

        /**
         * What the mission should achieve, in plain words. Required.
         *
         * @param goal what the mission must achieve, in words
         * @return this builder
         */
        public Builder goal(String goal) {
            this.goal = goal;
            return this;
        }

        /**
         * The directory the mission works in; it must exist. Required.
         *
         * @param workspace the directory the agents work in
         * @return this builder
         */
        public Builder workspace(Path workspace) {
            this.workspace = workspace;
            return this;
        }

        /**
         * The model provider. Required.
         *
         * @param provider the model provider
         * @return this builder
         */
        public Builder provider(LlmProvider provider) {
            this.provider = provider;
            return this;
        }

        /**
         * The model to use; the provider's default if not set.
         *
         * @param model the model's name
         * @return this builder
         */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * Registers {@code agent} for its role, replacing a built-in agent of the same role.
         *
         * @param agent the agent
         * @return this builder
         */
        public Builder agent(Agent agent) {
            Objects.requireNonNull(agent, "agent");
            agents.put(agent.role(), agent);
            return this;
        }

        /**
         * Adds a tool to the built-in ones ({@link #BUILT_IN_TOOLS}). Tools reach the Workers (and custom agents,
         * through {@link AgentContext#tools()}); the built-in Commander, Planner and Reviewer only read, with
         * {@code read_file}, {@code list_files} and {@code search}, and answer through their own answer tools. Every
         * built-in agent also has {@code remember}, which adds a note to the {@linkplain #memoryFile project memory}
         * (a tool of that name of the user's takes its place). A tool
         * with the name of a built-in one is refused by {@link #build()}: to replace the built-in, use
         * {@link #replaceTool}.
         *
         * @param tool the tool
         * @return this builder
         */
        public Builder tool(Tool tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /**
         * Replaces the built-in tool of the same name with {@code tool}, on purpose (a {@code run_command} that
         * runs in a container, say).
         *
         * @param tool the tool, named like one of {@link #BUILT_IN_TOOLS}
         * @return this builder
         */
        public Builder replaceTool(Tool tool) {
            replacements.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /**
         * Removes a built-in tool: the agents will not be offered it (without {@code run_command}, say, Workers
         * only read and write files).
         *
         * @param name one of {@link #BUILT_IN_TOOLS}
         * @return this builder
         */
        public Builder withoutTool(String name) {
            withoutTools.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * The command that verifies the work, run in the workspace through the system shell, such as
         * {@code mvn -q test}. The mission completes only when it exits with 0. Required.
         *
         * @param command the shell command
         * @return this builder
         */
        public Builder verifyWith(String command) {
            this.verifyCommand = command;
            return this;
        }

        /**
         * How long the verify command may run before it is ended; 10 minutes by default.
         *
         * @param timeout how long to wait at most
         * @return this builder
         */
        public Builder verifyTimeout(Duration timeout) {
            this.verifyTimeout = timeout;
            return this;
        }

        /**
         * The most todos worked on at once, from 1 to 100,000 (a waiting Worker takes a few KB of heap); 50 by
         * default.
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxParallelWorkers(int max) {
            this.maxParallelWorkers = max;
            return this;
        }

        /**
         * The most one model call waits in all, for the provider's rate limits (a 429 that says when to come back),
         * for its turn under the learned rate and for backoffs, before it fails with a message naming the wait; 15
         * minutes by default. Waits the provider asks for are not failures: a call keeps waiting them out until
         * this runs out. Raise it for a quota that resets only every few hours. A task whose calls fail for a
         * passing reason (a 5xx, a dropped connection) is put back and tried again for as long: once its failures
         * in a row would span more than this, the mission ends {@link MissionResult.Outcome#FAILED} with the last
         * failure, and running it again resumes it from its journal.
         *
         * @param patience the most one call waits in all
         * @return this builder
         */
        public Builder callPatience(Duration patience) {
            this.callPatience = patience;
            return this;
        }

        /**
         * How many tokens the model's context window holds; by default the SDK's table of known models says, and
         * a model it does not know gets 32,768, lowered to what the provider's first context-length error names. A
         * conversation that nears 80 % of its window has its older turns summarised by the model.
         *
         * @param tokens the window, in tokens
         * @return this builder
         */
        public Builder contextWindow(int tokens) {
            this.contextWindow = tokens;
            return this;
        }

        /**
         * The most characters of one tool result the model sees; 60,000 by default. The rest is cut with a marker
         * that says how much was cut and how to read it (for a file, the {@code read_file} line range that follows).
         *
         * @param max the limit, in characters
         * @return this builder
         */
        public Builder maxToolOutputChars(int max) {
            this.maxToolOutputChars = max;
            return this;
        }

        /**
         * Answers a model request identical to an earlier one of the mission from memory, and makes one provider
         * call for identical requests in flight at once; off by default. See {@link ResponseCache}.
         *
         * @param cache the cache's bounds, such as {@link ResponseCache#DEFAULT}
         * @return this builder
         */
        public Builder responseCache(ResponseCache cache) {
            this.responseCache = cache;
            return this;
        }

        /**
         * The most reviews before the mission ends as {@link MissionResult.Outcome#ITERATION_LIMIT}; 10 by default.
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxIterations(int max) {
            this.maxIterations = max;
            return this;
        }

        /**
         * The most model calls one attempt at a todo may make; 40 by default.
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxWorkerTurns(int max) {
            this.maxWorkerTurns = max;
            return this;
        }

        /**
         * The most attempts at one todo before it waits for the Commander's decision; 2 by default.
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxAttempts(int max) {
            this.maxAttempts = max;
            return this;
        }

        /**
         * How long one run of the mission may take, by the mission's {@link #clock}; none by default. At the
         * deadline the mission stops as {@link MissionResult.Outcome#DEADLINE} with every thread ended, including
         * calls that wait for a provider's pause. A resumed mission gets the whole duration again.
         *
         * @param deadline the longest one run may take
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        /**
         * The spending limit; unlimited by default.
         *
         * @param budget the budget
         * @return this builder
         */
        public Builder budget(Budget budget) {
            this.budget = budget;
            return this;
        }

        /**
         * The price of {@code model}, needed for a dollar budget.
         *
         * @param model the model's name
         * @param price its price
         * @return this builder
         */
        public Builder price(String model, ModelPrice price) {
            prices.put(Objects.requireNonNull(model, "model"), Objects.requireNonNull(price, "price"));
            return this;
        }

        /**
         * Adds a listener that gets every event.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(MissionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Records the mission's events in {@code journal}, which the caller owns; in memory by default.
         *
         * <p>If the journal already holds a mission's events, running resumes that mission: its state is rebuilt
         * from the events, the todos that were running are taken up again, and every model or tool call whose
         * result is in the journal is answered from it instead of being made again. The goal must be the one the
         * journal records; the mission keeps the journal's mission id.
         *
         * @param journal the journal
         * @return this builder
         */
        public Builder journal(Journal journal) {
            this.journal = journal;
            return this;
        }

        /**
         * Records the mission's events in a write-ahead journal in {@code directory} (created when missing), which
         * the mission opens and closes: every event is on disk before it takes effect, so a mission killed at any
         * moment can be run again with the same directory and resumes where it stopped, as
         * {@link #journal(Journal)} describes. Unless {@link #memoryFile} is set, the project memory is kept in
         * {@code memory.md} in this directory.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder journal(Path directory) {
            this.journalDirectory = directory;
            return this;
        }

        /**
         * A Markdown file of project memory, one note a line: read at the start, where every built-in agent finds it
         * at the end of its system prompt, and merged at the end with what the agents noted through their
         * {@code remember} tool. Notes are deduplicated and counted per mission, and the file keeps at most 8,000
         * characters, dropping the notes fewest missions made first (it says how many it dropped). By default
         * {@code memory.md} in the journal directory, or none with an in-memory journal; give missions on the same
         * workspace the same file, as their journals differ.
         *
         * @param file the file
         * @return this builder
         */
        public Builder memoryFile(Path file) {
            this.memoryFile = file;
            return this;
        }

        /**
         * The clock for event times; the system clock by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Makes the threads agents run on; virtual threads by default.
         *
         * @param factory the thread factory
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = factory;
            return this;
        }

        /**
         * Whether sandboxed commands may use the network; false by default. See {@link CommandSandbox} for what the
         * sandbox is and where there is one.
         *
         * @param allowed whether commands may open network connections
         * @return this builder
         */
        public Builder commandNetwork(boolean allowed) {
            this.commandNetwork = allowed;
            return this;
        }

        /**
         * Lets sandboxed commands change {@code directories} outside the workspace too, such as
         * {@code ~/.m2} for a build that downloads its dependencies (with {@link #commandNetwork}). The sandbox hides
         * the user's credential stores ({@code ~/.ssh}, {@code ~/.aws}, {@code ~/.netrc}, ...) from commands; one
         * of them given here, or a directory in one, is shown, and writable.
         *
         * @param directories directories commands may write
         * @return this builder
         */
        public Builder commandWritable(Path... directories) {
            commandWritable.addAll(List.of(directories));
            return this;
        }

        /**
         * Passes the JVM's environment variables {@code names} to commands, beyond the allowlist
         * {@link CommandSandbox} describes. Their values are still redacted from tool output when the names look
         * secret.
         *
         * @param names the variables' names
         * @return this builder
         */
        public Builder passEnvironment(String... names) {
            commandEnvironment.addAll(List.of(names));
            return this;
        }

        /**
         * A credential's value that must never reach the model, the journal or events: it is replaced by
         * {@code [redacted]} in every tool output. The provider's key and the values of the JVM's environment
         * variables and of the workspace's dotenv files ({@code .env}, {@code .env.local}, ...) whose names look
         * secret are redacted without being registered.
         *
         * @param value the credential's value
         * @return this builder
         */
        public Builder secret(String value) {
            secrets.add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Decides before each tool call whether it may run; every call is allowed by default.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder toolPolicy(ToolPolicy policy) {
            this.toolPolicy = policy;
            return this;
        }

        /**
         * A fixed mission id (letters, digits, '-', '_'); a random UUID by default.
         *
         * @param missionId the mission's id
         * @return this builder
         */
        public Builder missionId(String missionId) {
            this.missionId = missionId;
            return this;
        }

        /**
         * The mission.
         *
         * @throws IllegalStateException naming every setting that is missing or out of range, and how to fix it
         * @return the mission
         */
        public Mission build() {
            List<String> problems = new ArrayList<>();
            if (goal == null || goal.isBlank()) {
                problems.add("goal is required: .goal(\"what the mission should achieve\")");
            }
            Path realWorkspace = null;
            if (workspace == null) {
                problems.add("workspace is required: .workspace(Path.of(\"my-project\"))");
            } else if (!Files.isDirectory(workspace)) {
                problems.add("workspace " + workspace.toAbsolutePath() + " is not a directory: create it first");
            } else {
                realWorkspace = realPath(workspace);
            }
            if (provider == null) {
                problems.add("provider is required: .provider(...), e.g. an OpenAI-compatible, Anthropic or "
                        + "scripted provider");
            }
            if (verifyCommand == null || verifyCommand.isBlank()) {
                problems.add("verifyWith is required: the command that checks the work, e.g. .verifyWith(\"mvn -q "
                        + "test\")");
            }
            if (verifyTimeout == null || verifyTimeout.isNegative() || verifyTimeout.isZero()) {
                problems.add(setting("verifyTimeout") + " must be positive, was " + verifyTimeout);
            }
            checkRange(problems, setting("maxParallelWorkers"), maxParallelWorkers, 1, 100_000);
            if (callPatience == null || callPatience.isNegative() || callPatience.isZero()) {
                problems.add(setting("callPatience") + " must be positive, was " + callPatience);
            }
            checkRange(problems, setting("maxIterations"), maxIterations, 1, 1_000);
            checkRange(problems, setting("maxWorkerTurns"), maxWorkerTurns, 1, 10_000);
            checkRange(problems, setting("maxAttempts"), maxAttempts, 1, 100);
            if (contextWindow != null) {
                checkRange(problems, setting("contextWindow"), contextWindow, 1_024, 100_000_000);
            }
            checkRange(problems, setting("maxToolOutputChars"), maxToolOutputChars, 1_000, 100_000_000);
            if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
                problems.add(setting("deadline") + " must be positive, was " + deadline + ": leave it unset for none");
            }
            if (budget == null) {
                problems.add(setting("budget") + " must not be null: use Budget.UNLIMITED for none");
            }
            if (clock == null) {
                problems.add(setting("clock") + " must not be null");
            }
            if (threadFactory == null) {
                problems.add(setting("threadFactory") + " must not be null");
            }
            if (model != null && model.isBlank()) {
                problems.add(setting("model") + " must not be blank: leave it unset for the provider's default");
            }
            if (journal != null && journalDirectory != null) {
                problems.add("give either journal(Journal) or journal(Path), not both");
            }
            if (journalDirectory != null && Files.exists(journalDirectory) && !Files.isDirectory(journalDirectory)) {
                problems.add("journal directory " + journalDirectory.toAbsolutePath() + " is a file: give a directory");
            }
            if (missionId != null && !missionId.matches("[A-Za-z0-9_-]{1,128}")) {
                problems.add(setting("missionId") + " must be 1-128 letters, digits, '-' or '_', was '" + missionId
                        + "'");
            }
            checkTools(problems);
            if (toolPolicy == null) {
                problems.add(setting("toolPolicy") + " must not be null: use ToolPolicy.ALLOW_ALL for none");
            }
            commandWritable.stream().filter(directory -> !Files.isDirectory(directory)).forEach(directory ->
                    problems.add(setting("commandWritable") + ": " + directory.toAbsolutePath()
                            + " is not a directory: create it"));
            if (secrets.stream().anyMatch(String::isEmpty)) {
                problems.add("a secret is empty (" + setting("secret") + "): register the credential's value");
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("the mission is not valid:\n  - " + String.join("\n  - ", problems));
            }
            return new Mission(new MissionSettings(Optional.ofNullable(missionId),
                    goal.strip(), realWorkspace, provider, Optional.ofNullable(model), agents, allTools(), withoutTools,
                    verifyCommand,
                    verifyTimeout, maxParallelWorkers, maxIterations, maxWorkerTurns, maxAttempts,
                    Optional.ofNullable(deadline), budget, prices,
                    listeners, Optional.ofNullable(journal), Optional.ofNullable(journalDirectory),
                    Optional.ofNullable(memoryFile).or(() -> Optional.ofNullable(journalDirectory)
                            .map(directory -> directory.resolve("memory.md"))), clock, threadFactory,
                    new CommandSandbox(commandNetwork, commandWritable.stream()
                            .map(directory -> directory.toAbsolutePath().normalize()).toList(), commandEnvironment,
                            secrets), toolPolicy, callPatience, Optional.ofNullable(contextWindow),
                    maxToolOutputChars, Optional.ofNullable(responseCache)));
        }

        private void checkTools(List<String> problems) {
            for (Tool tool : tools) {
                if (BUILT_IN_TOOLS.contains(tool.name())) {
                    problems.add("tool '" + tool.name() + "' has the name of a built-in tool: rename it, or replace "
                            + "the built-in on purpose with replaceTool(...)");
                }
            }
            for (Tool tool : replacements) {
                if (!BUILT_IN_TOOLS.contains(tool.name())) {
                    problems.add("replaceTool: there is no built-in tool '" + tool.name() + "' to replace (they are "
                            + String.join(", ", BUILT_IN_TOOLS) + "); add a new tool with tool(...)");
                }
            }
            for (String name : withoutTools) {
                if (!BUILT_IN_TOOLS.contains(name)) {
                    problems.add("withoutTool: there is no built-in tool '" + name + "' (they are "
                            + String.join(", ", BUILT_IN_TOOLS) + ")");
                }
            }
        }

        private List<Tool> allTools() {
            List<Tool> all = new ArrayList<>(tools);
            all.addAll(replacements);
            return all;
        }

        /**
         * A setting as the user wrote it, {@code Mission.Builder.name(...)}: the form every message of the SDK uses,
         * which the CLI says as the option that sets it.
         */
        private static String setting(String method) {
            return "Mission.Builder." + method + "(...)";
        }

        private static void checkRange(List<String> problems, String name, int value, int min, int max) {
            if (value < min || value > max) {
                problems.add(name + " must be between " + min + " and " + max + ", was " + value);
            }
        }

        private static Path realPath(Path directory) {
            try {
                return directory.toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot resolve workspace " + directory, e);
            }
        }
    }
}
