package dev.orchestrator.examples;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.ForwardingProvider;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.cli.ConsoleProgress;
import dev.orchestrator.cli.ProviderChoice;
import dev.orchestrator.cli.QuickStartScript;
import dev.orchestrator.temporal.MissionWorker;
import dev.orchestrator.temporal.MissionWorkerOptions;
import dev.orchestrator.temporal.StartOptions;
import dev.orchestrator.temporal.TemporalMissions;
import dev.orchestrator.temporal.WorkspaceSource;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The quick start's mission on Temporal, across processes: start one or more workers, then a client that starts
 * the mission on them and follows it. Every process connects to {@code TEMPORAL_ADDRESS} (127.0.0.1:7233 by
 * default) and shares a directory that holds a workspace per mission (NFS across machines). Kill the worker that
 * hosts the mission ({@code kill -9}) while it runs a task: once its tasks waited the host timeout (10 s here) in its
 * queue, another worker takes the mission on, answers the calls already journaled in the tasks' heartbeats and
 * completes it. Without a cluster, {@code LoopbackTemporal} (the examples' test classes) serves the SDK's test
 * service on a loopback port. A worker
 * started with {@code --tasks-only} runs agent tasks but no workflow, one with {@code --workflows-only} the reverse:
 * on the SDK's test server, which never moves a workflow off the sticky queue of a worker that died, only a
 * tasks-only worker can be killed without stalling the mission (a cluster, as Temporal documents it, moves the
 * workflow after 5 s).
 *
 * <pre>
 * export TEMPORAL_ADDRESS=127.0.0.1:7233
 * java -cp ... dev.orchestrator.examples.TemporalExample worker /tmp/missions --workflows-only
 * java -cp ... dev.orchestrator.examples.TemporalExample worker /tmp/missions --tasks-only
 * java -cp ... dev.orchestrator.examples.TemporalExample start /tmp/missions greet
 * </pre>
 *
 * <p>With no API key the workers answer from the quick start's script, each answer taking 1 s so that a person
 * can watch and kill a worker mid-mission; with {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} or
 * {@code ANTHROPIC_API_KEY} set (on the workers: they make the calls) a real model writes the library.
 */
public final class TemporalExample {

    private static final String PROGRAM = "temporal example";
    private static final String USAGE = PROGRAM + ": give 'worker <directory> [--tasks-only|--workflows-only]' to "
            + "serve missions or 'start <directory> <mission id>' to run one; the directory holds a workspace per "
            + "mission and every process must see it (NFS across machines)";
    private static final String TASKS_ONLY = "--tasks-only";
    private static final String WORKFLOWS_ONLY = "--workflows-only";
    /**
     * How soon a killed worker's tasks move to another worker: its missed heartbeats show in 5 s, and a host whose
     * queue no one serves for 10 s is lost (2 min by default, which leaves a busy host more time).
     */
    static final StartOptions START = StartOptions.builder().heartbeatTimeout(Duration.ofSeconds(5))
            .hostTimeout(Duration.ofSeconds(10)).build();

    private static final Duration CONNECT = Duration.ofSeconds(30);

    private TemporalExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2 || !(args[0].equals("worker") && (args.length == 2
                || args.length == 3 && (args[2].equals(TASKS_ONLY) || args[2].equals(WORKFLOWS_ONLY)))
                || args[0].equals("start") && args.length == 3)) {
            System.err.println(USAGE);
            System.exit(Exits.CONFIGURATION);
        }
        Path root = Exits.configured(PROGRAM, () -> Files.createDirectories(Path.of(args[1])));
        String address = System.getenv().getOrDefault("TEMPORAL_ADDRESS", "127.0.0.1:7233");
        WorkflowServiceStubs service = Exits.configured(PROGRAM, () -> connect(address));
        try (ProviderChoice choice = Exits.configured(PROGRAM, () -> ProviderChoice.fromEnvironment(System.getenv(),
                () -> QuickStartScript.provider(Duration.ofSeconds(1))))) {
            WorkflowClient client = WorkflowClient.newInstance(service);
            if (args[0].equals("worker")) {
                serve(client, root, choice, args.length == 3 ? args[2] : "");
            } else {
                MissionResult result;
                try (ConsoleProgress board = ConsoleProgress.toStandardOutput()) {
                    result = Exits.await(Exits.configured(PROGRAM, () -> start(client, root, args[2],
                            choice.provider(), board)));
                }
                System.out.println("Mission '" + args[2] + "': " + result.outcome()
                        + (result.isCompleted() ? "" : " (" + result.reason() + ")"));
                Exits.exitUnlessCompleted(result);
            }
        } finally {
            service.shutdownNow();
        }
    }

    /**
     * The service at {@code address}, once it answered. The first call asks the server what it supports, which a
     * busy machine may take seconds to answer: the deadlines are generous.
     */
    static WorkflowServiceStubs connect(String address) {
        try {
            return WorkflowServiceStubs.newConnectedServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(address).setSystemInfoTimeout(CONNECT).build(), CONNECT);
        } catch (RuntimeException e) {
            throw new IllegalStateException("no Temporal service answered at " + address + " within "
                    + CONNECT.toSeconds() + " s (" + e.getMessage() + "): start one, or set TEMPORAL_ADDRESS to "
                    + "its host:port", e);
        }
    }

    /**
     * Serves missions until the process is stopped: Ctrl-C lets the running tasks finish, {@code kill -9} not. A
     * {@code role} of {@value #TASKS_ONLY} runs agent tasks but not the missions' control loops (workflows), one of
     * {@value #WORKFLOWS_ONLY} the reverse, and an empty one both.
     */
    private static void serve(WorkflowClient client, Path root, ProviderChoice choice, String role)
            throws InterruptedException {
        String name = "worker " + ProcessHandle.current().pid();
        MissionWorker worker = Exits.configured(PROGRAM, () -> worker(client, root,
                new Announced(choice.provider(), name), role));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }));
        System.out.println(name + " serves " + switch (role) {
            case TASKS_ONLY -> "the agent tasks of ";
            case WORKFLOWS_ONLY -> "the control loops of ";
            default -> "";
        } + "missions in " + root.toAbsolutePath() + ", model: "
                + choice.description());
        stopped.await();
    }

    /** A worker serving missions in {@code root} with {@code provider}, in {@code role} (see {@link #serve}). */
    static MissionWorker worker(WorkflowClient client, Path root, LlmProvider provider, String role) {
        MissionWorkerOptions.Builder options = MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(provider))
                .workspaces(WorkspaceSource.sharedDirectory(root));
        MissionWorkerOptions.Builder serving = switch (role) {
            case TASKS_ONLY -> options.tasksOnly();
            case WORKFLOWS_ONLY -> options.workflowsOnly();
            default -> options;
        };
        return TemporalMissions.worker(client, serving.build());
    }

    /** Starts the quick start's mission {@code missionId} in {@code root}; {@code listener} follows it. */
    static MissionHandle start(WorkflowClient client, Path root, String missionId, LlmProvider provider,
            MissionListener listener) throws IOException {
        // the verify script is written here, into the shared directory, for the worker that verifies
        Path workspace = Files.createDirectories(root.resolve(missionId));
        try {
            return TemporalMissions.start(client, QuickStart.builder(workspace, provider, listener)
                    .missionId(missionId).build(), START);
        } catch (WorkflowExecutionAlreadyStarted e) {
            throw new IllegalStateException("mission '" + missionId + "' is already running on this Temporal "
                    + "service: give another mission id, or wait for it to end", e);
        }
    }

    /**
     * Prints each model call a worker makes and how it ended, so that its output shows which tasks it ran, which
     * calls failed and where it was lost.
     */
    private static final class Announced extends ForwardingProvider {

        private final String worker;

        Announced(LlmProvider provider, String worker) {
            super(provider);
            this.worker = worker;
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            String call = request.metadata(ChatRequest.ROLE).orElse("?") + " "
                    + request.metadata(ChatRequest.TASK).orElse("?");
            System.out.println(worker + ": " + call + " asks the model");
            try {
                ChatResponse response = delegate.chat(request);
                System.out.println(worker + ": " + call + " answered");
                return response;
            } catch (LlmException e) {
                System.out.println(worker + ": " + call + " failed: " + e.getMessage().lines().findFirst().orElse(""));
                throw e;
            }
        }
    }
}
