package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.CommandSandbox;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.ProjectMemory;
import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.VerifyResult;
import dev.orchestrator.api.spi.MissionSettings;
import dev.orchestrator.core.internal.agents.BuiltinAgents;
import dev.orchestrator.core.internal.cache.CachingProvider;
import dev.orchestrator.core.internal.cache.RequestKey;
import dev.orchestrator.core.internal.context.ContextWindows;
import dev.orchestrator.core.internal.limit.AimdLimiter;
import dev.orchestrator.core.internal.log.LazyLogger;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.LimiterState;
import dev.orchestrator.core.internal.limit.PacedRates;
import dev.orchestrator.core.internal.retry.RetryPolicy;
import dev.orchestrator.core.internal.retry.RetryRules;
import dev.orchestrator.core.internal.retry.RetryingProvider;
import dev.orchestrator.core.internal.tools.BackgroundProcesses;
import dev.orchestrator.core.internal.tools.BuiltinTools;
import dev.orchestrator.core.internal.tools.CommandResult;
import dev.orchestrator.core.internal.tools.CommandRunner;
import dev.orchestrator.core.internal.tools.ConfinedWorkspace;
import dev.orchestrator.core.internal.tools.CredentialFiles;
import dev.orchestrator.core.internal.tools.FileVersions;
import dev.orchestrator.core.internal.tools.ProcessTree;
import dev.orchestrator.core.internal.tools.Redactor;
import dev.orchestrator.core.internal.tools.Sandbox;
import dev.orchestrator.core.llm.ModelPrices;
import io.vavr.Lazy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * What one mission's agents share: the journal and state, the stop signal, the budget, the agents and tools, the
 * workspace. It makes each task's {@link AgentContext} and owns the journal when the mission created it.
 *
 * <p>What only tasks use (agents, tools, the command runner, the provider behind its limiter, the budget) is made
 * for the first task, not with the rest: a resume that runs no task, such as that of a completed mission, never
 * pays for it in a fresh JVM.
 */
final class MissionServices {

    /** Output of the verify command and of run_command beyond this many bytes is cut in the middle. */
    private static final int COMMAND_OUTPUT_LIMIT = 64 * 1024;
    /** A background command keeps this many of its latest output bytes for read_output. */
    private static final int BACKGROUND_OUTPUT_LIMIT = 1024 * 1024;
    private static final System.Logger LOG = LazyLogger.of(MissionServices.class);

    private final MissionSettings settings;
    private final Journal journal;
    private final boolean ownsJournal;
    private final EventRecorder recorder;
    private final StopSignal stop;
    private final ModelPrices prices;
    private final FileVersions leases = new FileVersions();
    private final Lazy<Redactor> redactor;
    private final Lazy<Crew> crew;
    private final ProjectMemory memory;
    private final long eventsReplayed;
    private final RecordedCalls recorded;
    private final String missionId;
    private final Map<String, String> context;
    // the tool lists and system prompts every task of a role sends alike, hashed once for the mission
    private final RequestKey.Shared hashed = new RequestKey.Shared();

    MissionServices(MissionSettings settings, StopSignal stop) {
        this.settings = settings;
        this.stop = stop;
        this.ownsJournal = settings.journal().isEmpty();
        this.journal = settings.journal().orElseGet(() -> settings.journalDirectory()
                .<Journal>map(FileJournal::open).orElseGet(InMemoryJournal::new));
        try {
            Checkpoint resumed = resume(journal, settings.goal());
            // what a resume reads besides the state: the calls of tasks under way, limits, leftover commands
            List<MissionEvent> history = resumed.carried();
            this.eventsReplayed = resumed.events();
            this.recorded = new RecordedCalls(history);
            // a new id only for a new mission: its SecureRandom costs a fresh JVM's resume some 20 ms
            this.missionId = resumed.events() > 0 ? resumed.state().missionId()
                    : settings.missionId().orElseGet(() -> UUID.randomUUID().toString());
            this.prices = BudgetGuard.prices(settings.prices());
            this.recorder = new EventRecorder(journal, settings.listeners(), settings.clock(), resumed, missionId,
                    prices);
            this.redactor = Lazy.of(() -> redactor(settings));
            this.context = resumed.events() == 0 ? recorder.missionContext() : resumed.context();
            recorder.runStarted(new MissionListener.RunStarted(missionId, eventsReplayed,
                    text -> redactor.get().redact(text), context));
            endLeftoverCommands(history);
            this.memory = new JournaledMemory(recorder);
            UsageLedger usage = resumed.usage();
            this.crew = Lazy.of(() -> crew(usage, history));
        } catch (RuntimeException e) {
            // the mission never starts, so nothing else will close what it opened
            if (ownsJournal) {
                journal.close();
            }
            throw e;
        }
    }

    /**
     * What the tasks work with.
     *
     * @param initialMemory the memory file as a new mission's first event quotes it
     * @param provider the provider the agents call
     * @param limiterSubscription reports the provider's limiter's events to the mission
     */
    private record Crew(BudgetGuard budget, ConfinedWorkspace workspace, CommandRunner commands,
            BackgroundProcesses background, Map<String, Agent> agents, Map<String, Tool> tools, List<ToolSpec> specs,
            String initialMemory, LlmProvider provider, AutoCloseable limiterSubscription) {
    }

    /** Makes the crew: {@code usage} and {@code history} are what the journal held when the mission started. */
    private Crew crew(UsageLedger usage, List<MissionEvent> history) {
        BudgetGuard budget = new BudgetGuard(settings.budget(), prices);
        usage.byModel().forEach(budget::add);
        // the journal (and the memory file kept beside it) is the mission's record: no tool may touch it
        List<Path> offLimits = Stream.concat(settings.journalDirectory().stream(),
                settings.memoryFile().stream()).toList();
        ConfinedWorkspace workspace = new ConfinedWorkspace(settings.workspace(), offLimits);
        CommandRunner commands = commandRunner(settings, workspace, offLimits, redactor.get(), recorder);
        BackgroundProcesses background = new BackgroundProcesses(commands, BACKGROUND_OUTPUT_LIMIT);
        Map<String, Tool> tools = tools(settings, leases, commands, background, redactor.get());
        String initialMemory = settings.memoryFile().map(MissionSteps::memoryOf).orElse("");
        Resilient resilient = resilient(settings, recorder, history);
        // outside the retry layer: a saved call takes no limiter slot and no retry
        LlmProvider provider = settings.responseCache().<LlmProvider>map(bounds ->
                new CachingProvider(resilient.provider(), bounds)).orElse(resilient.provider());
        return new Crew(budget, workspace, commands, background, agents(settings), tools,
                tools.values().stream().map(Tool::spec).toList(), initialMemory, provider,
                resilient.limiterEvents());
    }

    /** The provider the agents call, and the subscription that reports its limiter's events to the mission. */
    private record Resilient(LlmProvider provider, AutoCloseable limiterEvents) {
    }

    /**
     * The user's provider behind the retry layer and the shared limiter of its quota, or as it is when it has no
     * quota (a scripted model).
     */
    private static Resilient resilient(MissionSettings settings, EventRecorder recorder,
            List<MissionEvent> history) {
        LlmProvider user = settings.provider();
        Optional<String> model = settings.model();
        if (user.quotaId().isEmpty()) {
            return new Resilient(user, () -> { });
        }
        String quota = user.quotaId().get();
        LimiterRegistry limiters = LimiterRegistry.shared();
        ResilienceEvents events = new ResilienceEvents(recorder, limiters, user.name(), quota);
        restoreLimiter(history, limiters, user, model);
        RetryRules rules = new RetryRules(RetryPolicy.builder().patience(settings.callPatience()).build(),
                limiters.scheduler(), new SplittableRandom());
        return new Resilient(RetryingProvider.builder(user, limiters, quota).rules(rules).listener(events).build(),
                limiters.addListener(events));
    }

    /**
     * Starts a resumed mission's limiter from the last limit and pacer rates its journal recorded, unless this JVM's
     * limiter has already learned its own (another mission may be using it right now).
     */
    private static void restoreLimiter(List<MissionEvent> history, LimiterRegistry limiters, LlmProvider provider,
            Optional<String> model) {
        LimiterKey key = new LimiterKey(provider.name(), model.orElse(provider.defaultModel()),
                provider.quotaId().orElseThrow());
        Optional<MissionEvent.ConcurrencyChanged> lastLimit = history.reversed().stream()
                .flatMap(event -> event instanceof MissionEvent.ConcurrencyChanged changed
                        && changed.limiter().equals(key.toString()) ? Stream.of(changed) : Stream.empty())
                .findFirst();
        Optional<Instant> lastPause = history.reversed().stream()
                .flatMap(event -> event instanceof MissionEvent.CallsPaused paused
                        && paused.limiter().equals(key.toString()) ? Stream.of(paused.until()) : Stream.empty())
                .findFirst();
        if (lastLimit.isEmpty() && lastPause.isEmpty()) {
            return;
        }
        AimdLimiter limiter = limiters.limiter(key);
        if (limiter.state().inFlight() == 0 && limiter.state().waiting() == 0) {
            // the later of the last pause and the pause the last limit change knew of
            Optional<Instant> pausedUntil = Stream.concat(lastPause.stream(),
                    lastLimit.flatMap(MissionEvent.ConcurrencyChanged::pausedUntil).stream())
                    .max(Instant::compareTo);
            double limit = lastLimit.map(MissionEvent.ConcurrencyChanged::limit).orElse(limiter.state().limit());
            limiter.restore(new LimiterState(limit, pausedUntil, 0, 0));
        }
        // the rates of a previous run, for the rates this JVM's pacer has not learned itself: without them a resume
        // sends at full speed into the rate limit the mission already found
        lastLimit.ifPresent(changed -> limiter.restore(new PacedRates(changed.requestsPerMinute(),
                changed.tokensPerMinute())));
    }

    /**
     * Ends what is left of the commands a crashed run of this mission started, so that no orphan races the resumed
     * mission: an unsandboxed command's whole tree, and a sandbox whose set-up the crash cut (one set up dies with
     * the JVM).
     */
    private static void endLeftoverCommands(List<MissionEvent> history) {
        int ended = 0;
        for (MissionEvent event : history) {
            if (event instanceof MissionEvent.CommandStarted started) {
                ended += ProcessTree.endSession(started.pid(), started.processStart());
            }
        }
        if (ended > 0) {
            LOG.log(System.Logger.Level.WARNING, "ended {0} processes left running by commands of the crashed run",
                    ended);
        }
    }

    /**
     * Every credential the mission knows: the provider's keys, secret-looking variables, what the user gave, what
     * the workspace's dotenv files and the build settings hold.
     */
    private static Redactor redactor(MissionSettings settings) {
        List<String> known = new ArrayList<>(settings.sandbox().secrets());
        known.addAll(settings.provider().credentials());
        known.addAll(CredentialFiles.secrets(settings.workspace(), settings.journalDirectory().stream().toList()));
        return Redactor.of(System.getenv(), known);
    }

    /**
     * The runner of run_command and the verify command: sandboxed where bubblewrap works, else unsandboxed, and
     * then the mission says so once, on its first command; either way with every process recorded in the journal.
     */
    private static CommandRunner commandRunner(MissionSettings settings, ConfinedWorkspace workspace,
            List<Path> offLimits, Redactor redactor, EventRecorder recorder) {
        // at the first command, not now: the probe starts a process, and a resume may run no command at all
        Lazy<Sandbox.Detected> detected = Lazy.of(() -> {
            Sandbox.Detected found = Sandbox.detect(settings.sandbox().network(), settings.sandbox().writable(),
                    offLimits);
            LOG.log(found.sandbox().isPresent() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    found.description());
            return found;
        });
        AtomicBoolean told = new AtomicBoolean();
        CommandRunner.Watch watch = (pid, startedAt) -> {
            if (detected.get().sandbox().isEmpty() && !told.getAndSet(true)) {
                recorder.record(new MissionEvent.AgentNote("mission", "sandbox", detected.get().description(),
                        recorder.now()));
            }
            recorder.record(new MissionEvent.CommandStarted(pid, startedAt, recorder.now()));
        };
        return new CommandRunner(workspace.root(), COMMAND_OUTPUT_LIMIT,
                CommandSandbox.childEnvironment(System.getenv(), settings.sandbox().environment()), redactor,
                () -> detected.get().sandbox(), watch);
    }

    /**
     * What the journal describes, after checking it is a mission with this goal: its newest snapshot, if it has one,
     * with the events after it folded in. The events are folded as they are read, not kept.
     */
    private static Checkpoint resume(Journal journal, String goal) {
        Checkpoint start = SnapshotStore.of(journal).flatMap(SnapshotStore::newest)
                .map(SnapshotStore.Stored::checkpoint).orElse(Checkpoint.EMPTY);
        Checkpoint[] folded = {start};
        journal.replay(event -> {
            if (folded[0].events() == 0 && !(event instanceof MissionEvent.MissionStarted)) {
                throw new IllegalStateException("the journal does not begin with a MissionStarted event but with "
                        + event.getClass().getSimpleName() + ": it is not a mission's journal");
            }
            folded[0] = folded[0].apply(event);
        });
        // no DEBUG line with the time this took: asking whether DEBUG is on starts the logging backend, which cost
        // a fresh JVM's resume more than the line could tell (the resume benchmark times the phases itself)
        MissionState state = folded[0].state();
        if (folded[0].events() > 0 && !state.goal().equals(goal)) {
            throw new IllegalArgumentException("the journal holds mission " + state.missionId() + " with the goal '"
                    + state.goal() + "': resume it with that goal, or give a new mission a fresh journal");
        }
        return folded[0];
    }

    private static Map<String, Agent> agents(MissionSettings settings) {
        Map<String, Agent> agents = new LinkedHashMap<>();
        int window = settings.contextWindow().orElseGet(() -> ContextWindows.of(settings.model()
                .orElse(settings.provider().defaultModel())));
        for (Agent agent : BuiltinAgents.create(settings.maxWorkerTurns(), window)) {
            agents.put(agent.role(), agent);
        }
        agents.putAll(settings.agents());
        return Map.copyOf(agents);
    }

    private static Map<String, Tool> tools(MissionSettings settings, FileVersions leases, CommandRunner commands,
            BackgroundProcesses background, Redactor redactor) {
        List<Tool> all = new ArrayList<>(BuiltinTools.create(leases, commands, background,
                settings.maxToolOutputChars(), redactor).stream()
                .filter(tool -> !settings.withoutTools().contains(tool.name())).toList());
        // build() let a tool share a built-in's name only through replaceTool: it takes the built-in's place
        all.addAll(settings.tools());
        Map<String, Tool> byName = new LinkedHashMap<>();
        for (Tool tool : all) {
            Tool previous = byName.put(tool.name(), tool);
            if (previous != null && settings.tools().contains(previous)) {
                throw new IllegalArgumentException("two tools are named '" + tool.name() + "': rename one");
            }
        }
        return java.util.Collections.unmodifiableMap(byName);
    }

    /** A new context for one task of an agent of {@code role}, which may act at once. */
    AgentContext contextFor(String role, String taskId) {
        return contextFor(role, taskId, EventRecorder.Durable.ALREADY);
    }

    /**
     * A new context for one task of an agent of {@code role}, whose effects wait until {@code dispatched} is
     * durable: its model calls, its tool calls and its workspace. Everything before them (building prompts and
     * requests, hashing them) goes on meanwhile; what it records is appended after its dispatch anyway.
     */
    AgentContext contextFor(String role, String taskId, EventRecorder.Durable dispatched) {
        Crew crew = this.crew.get();
        return new TaskContext(missionId,
                new TaskLlm(crew.provider(), settings.model(), recorder, stop, crew.budget(), recorded, hashed,
                        missionId, role, taskId, dispatched),
                new TaskToolBox(crew.tools(), crew.specs(), recorder, stop, recorded, crew.workspace(), missionId,
                        role, taskId, settings.toolPolicy(), redactor.get(),
                        new ToolOutputCut(settings.maxToolOutputChars()), dispatched),
                crew.workspace(), memory, recorder, role, taskId, dispatched);
    }

    /** Runs the verify command in the workspace: the Reviewer's ground truth. */
    VerifyResult verify() {
        CommandResult result = crew.get().commands().run(settings.verifyCommand(), settings.verifyTimeout());
        return new VerifyResult(settings.verifyCommand(), result.exitCode(), result.output(), result.timedOut());
    }

    /**
     * Merges this mission's memory notes into the memory file, if the mission has one: the file stays bounded,
     * and saving again after a resume writes the same file.
     */
    void saveMemory() {
        MissionState state = recorder.state();
        settings.memoryFile().ifPresent(file -> MemoryFile.save(file, state.memory(), state.memoryNotes().asJava()));
    }

    /** Stops reporting the shared limiter's events to this mission: called before its last event. */
    void stopLimiterEvents() {
        if (!crew.isEvaluated()) {
            return; // no task ran, so nothing subscribed
        }
        try {
            crew.get().limiterSubscription().close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot unsubscribe from the rate limiter", e);
        }
    }

    /** Closes what the mission itself opened, after its listeners have seen every event. */
    void close() {
        if (crew.isEvaluated()) {
            crew.get().background().close();
            crew.get().commands().close();
        }
        stopLimiterEvents();
        recorder.close();
        if (ownsJournal) {
            journal.close();
        }
    }

    /** The mission's id: the journal's when resuming. */
    String missionId() {
        return missionId;
    }

    /** What the listeners keep for the mission's later runs: asked now for a new mission, else its journal's. */
    Map<String, String> missionContext() {
        return context;
    }

    /** How many events the journal held when the mission started: 0 for a new mission. */
    long eventsReplayed() {
        return eventsReplayed;
    }

    /** The prices the mission's calls are counted at: the SDK's, with the mission's own over them. */
    ModelPrices prices() {
        return prices;
    }

    EventRecorder recorder() {
        return recorder;
    }

    StopSignal stop() {
        return stop;
    }

    Map<String, Agent> agents() {
        return crew.get().agents();
    }

    RecordedCalls recorded() {
        return recorded;
    }

    FileVersions leases() {
        return leases;
    }

    CommandRunner commands() {
        return crew.get().commands();
    }

    BackgroundProcesses background() {
        return crew.get().background();
    }

    ProjectMemory memory() {
        return memory;
    }

    String initialMemory() {
        return crew.get().initialMemory();
    }

    Journal journal() {
        return journal;
    }
}
