package dev.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.core.llm.ScriptedReplies;
import dev.orchestrator.temporal.internal.MissionWorkflowImpl;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Missions whose workspaces live in git: a bare repository on disk is the remote (file://), each worker has a
 * workspace root of its own, and the in-process Temporal service stands for the cluster.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GitWorkspaceMissionTest {

    private static final StartOptions START = StartOptions.builder().heartbeatTimeout(Duration.ofSeconds(2))
            .followEvery(Duration.ofMillis(100)).hostTimeout(Duration.ofSeconds(2)).build();
    private static final GitCommand GIT = new GitCommand(Duration.ofMinutes(1));

    @TempDir
    Path temp;

    @RegisterExtension
    final InProcessTemporal temporal = new InProcessTemporal();

    private WorkflowClient client;
    private Path remote;
    private String remoteUrl;

    @BeforeEach
    void startTemporalAndTheRemote() throws IOException {
        client = temporal.client();
        // the project the missions start from: one commit on main
        remote = temp.resolve("remote.git");
        GIT.run(temp, "init", "--quiet", "--bare", "--initial-branch=main", remote.toString());
        Path seed = Files.createDirectories(temp.resolve("seed"));
        GIT.run(seed, "init", "--quiet", "--initial-branch=main");
        Files.writeString(seed.resolve("README.md"), "the project\n");
        GIT.run(seed, "add", "README.md");
        GIT.run(seed, "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "--quiet", "-m", "start");
        remoteUrl = remote.toUri().toString();
        GIT.run(seed, "push", "--quiet", remoteUrl, "main");
    }

    @Test
    void aMissionOfTwelveTodosCompletesOnItsHostAndEachTaskIsPushedWithItsCommitInTheHistory() throws Exception {
        Embedded embedded = embedded();
        ScriptedProvider provider = TwelveTodos.script();
        MissionResult result = onTwoWorkers(provider, TwelveTodos.mission("g1", clientSide(), provider), START);
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(embedded.calls, provider.callCount());
        assertEquals(embedded.files, FourTodos.files(theHost("g1")));
        assertEquals(embedded.files, FourTodos.files(cloneOfBranch("g1")), "the mission branch holds the files");
        // a commit for the host and for each task that changed files (a task's commit holds the files of others
        // finished by then)
        List<String> commits = missionCommits("g1");
        assertTrue(commits.size() > 1 && commits.size() <= 13, "commits: " + commits);
        String history = activityPayloads("g1");
        for (String commit : commits) {
            assertTrue(history.contains(commit), "commit " + commit + " is in the workflow's history");
        }
        replay("g1");
    }

    @Test
    void aHostLostMidMissionMovesTheMissionToAWorkerThatRebuildsTheWorkspaceFromGit() throws Exception {
        hostLostMidMission("g2", START);
    }

    @Test
    void aHostLostInARunThatContinuedAsNewIsRebuiltAtTheRevisionTheRunCarried() throws Exception {
        hostLostMidMission("g5", START.toBuilder().continueAfterEvents(10).build());
        assertTrue(temporal.runs("g5").size() >= 3, "continued at least twice");
    }

    /**
     * Runs the twelve-todo mission {@code missionId} with {@code options}: its first host is stopped while t8 (then
     * the only task under way) holds its second call, its workspace root deleted; the mission must move to a second
     * worker, rebuild from git and end as embedded.
     */
    private void hostLostMidMission(String missionId, StartOptions options) throws Exception {
        Embedded embedded = embedded();
        CountDownLatch t8Holds = new CountDownLatch(1);
        // on the first host, t8's second call (after its first wrote f8.txt) holds until the host is stopped
        ScriptedProvider onLost = TwelveTodos.script(LostMachine.holdsUntilStopped(t8Holds));
        CountingProvider lost = new CountingProvider(onLost);
        CountingProvider survivor = new CountingProvider(TwelveTodos.script());
        CountDownLatch t8Recorded = new CountDownLatch(1);
        Path first = temp.resolve("first");
        Path second = temp.resolve("second");
        // the control loop on a machine that is not lost: the in-process service does not move a workflow off a
        // lost worker's sticky queue (a real one does after the sticky timeout)
        MissionWorker coordinator = TemporalMissions.worker(client, MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(survivor)).workspaces(WorkspaceSource.git(remoteUrl,
                        temp.resolve("coordinator"))).workflowsOnly().build());
        MissionWorker firstHost = TemporalMissions.worker(watching(t8Recorded), MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(lost)).workspaces(WorkspaceSource.git(remoteUrl, first))
                .host("first").tasksOnly().build());
        List<String> hostNotes = new CopyOnWriteArrayList<>();
        MissionHandle handle = TemporalMissions.start(client, TwelveTodos.mission(missionId, clientSide(), onLost)
                .listener(hostNotes(hostNotes)).build(), options);
        t8Holds.await();
        // the service holds t8's journal with its first call and the file it wrote: what a lost host leaves
        t8Recorded.await();
        MissionResult result;
        try (coordinator; MissionWorker secondHost = TemporalMissions.worker(client, MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(survivor)).workspaces(WorkspaceSource.git(remoteUrl, second))
                .host("second").tasksOnly().build())) {
            firstHost.shutdownNow();
            delete(first);
            result = handle.await();
        }
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(embedded.files, FourTodos.files(second.resolve(missionId)));
        assertEquals(embedded.files, FourTodos.files(cloneOfBranch(missionId)));
        // only t8's held call was in flight at the loss; no call that had finished is made again
        assertEquals(1, lost.unanswered(), "t8's call was in flight, alone");
        assertEquals(embedded.calls + lost.unanswered(), lost.asked().size() + survivor.asked().size());
        assertTrue(Collections.disjoint(lost.answered(), survivor.asked()), "no call answered on the lost host is "
                + "made again: " + lost.answered() + " then " + survivor.asked());
        assertTrue(survivor.asked().contains("t8#1 turn 1") && !survivor.asked().contains("t8#1 turn 0"),
                "t8 goes on from its journal: " + survivor.asked());
        String history = activityPayloads(missionId);
        // the second host's own commit comes between the revision it rebuilt at and t8's
        String rebuiltAt = commitBefore(commitBefore(commitOf(missionId, "f8.txt")));
        assertEquals(List.of("hosted on orchestrator-missions@first at revision none (the source's start)",
                "host orchestrator-missions@first is lost: the mission moves to another worker, which rebuilds its "
                        + "workspace at revision " + rebuiltAt,
                "hosted on orchestrator-missions@second at revision " + rebuiltAt),
                hostNotes, "the listener hears of the move");
        for (String commit : missionCommits(missionId)) {
            assertTrue(history.contains(commit), "commit " + commit + " is in the workflow's history");
        }
        replay(missionId);
    }

    @Test
    void aSlowHostTakenForLostThatFinishesAfterAllIsSetAsideAndTheMissionGoesOnOnTheNewHost() throws Exception {
        Embedded embedded = embedded();
        CountDownLatch t1Holds = new CountDownLatch(1);
        CountDownLatch secondSaved = new CountDownLatch(1);
        // on the first host, t1's second call waits until the second host saved a task, then answers
        CountingProvider slow = new CountingProvider(TwelveTodos.script(1, request -> {
            t1Holds.countDown();
            try {
                secondSaved.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return ScriptedReplies.text("f1.txt is written").apply(request);
        }));
        CountingProvider survivor = new CountingProvider(TwelveTodos.script());
        MissionWorker coordinator = TemporalMissions.worker(client, MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(survivor)).workspaces(WorkspaceSource.git(remoteUrl,
                        temp.resolve("coordinator"))).workflowsOnly().build());
        // one task at a time: while t1 holds, the todos dispatched with it wait in the first host's queue until
        // the host timeout, and the host is taken for lost though it is still at work on t1
        MissionWorker firstHost = TemporalMissions.worker(client, MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(slow)).workspaces(WorkspaceSource.git(remoteUrl,
                        temp.resolve("first"))).host("first").maxConcurrentTasks(1).tasksOnly().build());
        List<String> hostNotes = new CopyOnWriteArrayList<>();
        // heartbeats that a loaded machine cannot miss: only the host timeout moves the mission here
        MissionHandle handle = TemporalMissions.start(client, TwelveTodos.mission("g6", clientSide(), slow.script())
                .listener(hostNotes(hostNotes)).build(), START.toBuilder().heartbeatTimeout(Duration.ofSeconds(20))
                .build());
        t1Holds.await();
        // too busy to take another task, or to be asked to host the mission again
        firstHost.suspendPolling();
        WorkspaceSource second = WorkspaceSource.git(remoteUrl, temp.resolve("second"));
        WorkspaceSource announcing = new WorkspaceSource() {
            @Override
            public Path open(String missionId, WorkspaceSource.Revision at) {
                return second.open(missionId, at);
            }

            @Override
            public WorkspaceSource.Revision save(String missionId, Path workspace, String message) {
                WorkspaceSource.Revision saved = second.save(missionId, workspace, message);
                secondSaved.countDown();
                return saved;
            }
        };
        MissionResult result;
        try (coordinator; firstHost; MissionWorker secondHost = TemporalMissions.worker(client,
                MissionWorkerOptions.builder().missions(builder -> builder.provider(survivor))
                        .workspaces(announcing).host("second").tasksOnly().build())) {
            result = handle.await();
        }
        // before: the first host's push was refused (the second had pushed) and that failed the mission
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(embedded.files, FourTodos.files(temp.resolve("second").resolve("g6")));
        assertEquals(embedded.files, FourTodos.files(cloneOfBranch("g6")), "the mission branch holds the files");
        assertEquals(0, slow.unanswered(), "the first host finished every call it began: " + slow.asked());
        assertEquals(embedded.calls, slow.asked().size() + survivor.asked().size(), "no call made twice");
        assertTrue(survivor.asked().stream().noneMatch(call -> call.startsWith("t1#")),
                "t1 went on from the first host's journal: " + survivor.asked());
        assertEquals(List.of("hosted on orchestrator-missions@first", "host orchestrator-missions@first is lost",
                "hosted on orchestrator-missions@second"), hostNotes.stream()
                .map(note -> note.replaceAll("( at revision| is lost).*", "$1").replace(" at revision", ""))
                .toList(), "moved once: " + hostNotes);
        replay("g6");
    }

    @Test
    void aMissionThatContinuesAsNewRunsKeepsItsHostAndTheNewestRevision() throws Exception {
        Embedded embedded = embedded();
        ScriptedProvider provider = TwelveTodos.script();
        List<String> hostNotes = new CopyOnWriteArrayList<>();
        // the lowest threshold: a new run at every moment no task is under way
        MissionResult result = onTwoWorkers(provider, TwelveTodos.mission("g4", clientSide(), provider)
                .listener(hostNotes(hostNotes)), START.toBuilder().continueAfterEvents(10).build());
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(embedded.calls, provider.callCount(), "no call made twice across the runs");
        List<WorkflowExecutionHistory> runs = temporal.runs("g4");
        assertTrue(runs.size() >= 3, "continued at least twice: " + runs.size() + " runs");
        // one host for every run: a run that asked for a host again would start it at no revision
        assertEquals(1, hostNotes.size(), "hosted once: " + hostNotes);
        assertEquals(embedded.files, FourTodos.files(theHost("g4")));
        assertEquals(embedded.files, FourTodos.files(cloneOfBranch("g4")), "the mission branch holds the files");
        replay("g4");
        String keep = System.getProperty("orchestrator.keepHistory");
        if (keep != null) { // how HistoryReplayTest's combined history was made: the second run, on a carried host
            Files.writeString(Path.of(keep), runs.get(1).toJson(true));
        }
    }

    @Test
    void aRemoteThatCannotBeReachedEndsTheMissionWithWhatToDo() throws Exception {
        ScriptedProvider provider = TwelveTodos.script();
        MissionResult result;
        try (MissionWorker worker = TemporalMissions.worker(client, MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(provider))
                .workspaces(WorkspaceSource.git(temp.resolve("nowhere.git").toUri().toString(), temp.resolve("w")))
                .build())) {
            result = TemporalMissions.start(client, TwelveTodos.mission("g3", clientSide(), provider)
                    .build(), START).await();
        }
        assertEquals(MissionResult.Outcome.FAILED, result.outcome());
        assertTrue(result.reason().contains("git clone")
                && result.reason().contains("check its URL in WorkspaceSource.git"), result.reason());
    }

    /** {@return a listener that adds the text of each note about the mission's host to {@code notes}} */
    private static MissionListener hostNotes(List<String> notes) {
        return (event, progress) -> {
            if (event instanceof MissionEvent.AgentNote note && note.role().equals("host")) {
                notes.add(note.text());
            }
        };
    }

    /** A client for the first host whose heartbeats are watched: {@code recorded} opens once t8's file is in one. */
    private WorkflowClient watching(CountDownLatch recorded) {
        ClientInterceptor watch = new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                    Channel next) {
                ClientCall<Q, R> call = next.newCall(method, options);
                if (!method.getFullMethodName().endsWith("/RecordActivityTaskHeartbeat")) {
                    return call;
                }
                return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
                    private boolean t8WroteItsFile;

                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onClose(Status status, Metadata trailers) {
                                if (status.isOk() && t8WroteItsFile) {
                                    recorded.countDown();
                                }
                                super.onClose(status, trailers);
                            }
                        }, headers);
                    }

                    @Override
                    public void sendMessage(Q message) {
                        String details = ((RecordActivityTaskHeartbeatRequest) message).getDetails().toString();
                        t8WroteItsFile = details.contains("t8#1") && details.contains("tool-call-completed");
                        super.sendMessage(message);
                    }
                };
            }
        };
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder(
                temporal.environment().getWorkflowServiceStubs().getOptions()).setGrpcClientInterceptors(List.of(watch))
                .build());
        return WorkflowClient.newInstance(stubs, client.getOptions());
    }

    private record Embedded(long calls, Map<String, String> files) {
    }

    private Embedded embedded() throws Exception {
        Path workspace = Files.createDirectories(temp.resolve("embedded"));
        Files.writeString(workspace.resolve("README.md"), "the project\n");
        ScriptedProvider provider = TwelveTodos.script();
        MissionResult result = TwelveTodos.mission("embedded", workspace, provider).build().run();
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        return new Embedded(provider.callCount(), FourTodos.files(workspace));
    }

    /** {@return the workspace the client names, which the workers do not use: theirs come from git} */
    private Path clientSide() throws IOException {
        return Files.createDirectories(temp.resolve("client"));
    }

    /** {@return the end of {@code mission}, run on two workers, "first" and "second", each with its own root} */
    private MissionResult onTwoWorkers(ScriptedProvider provider, Mission.Builder mission, StartOptions options)
            throws InterruptedException {
        try (MissionWorker a = worker(provider, temp.resolve("first"), "first");
                MissionWorker b = worker(provider, temp.resolve("second"), "second")) {
            return TemporalMissions.start(client, mission.build(), options).await();
        }
    }

    /** {@return the workspace of the one worker of {@link #onTwoWorkers} that hosted the whole mission} */
    private Path theHost(String missionId) {
        Path first = temp.resolve("first").resolve(missionId);
        Path second = temp.resolve("second").resolve(missionId);
        assertTrue(Files.exists(first) != Files.exists(second), "one host");
        return Files.exists(first) ? first : second;
    }

    private MissionWorker worker(ScriptedProvider provider, Path root, String host) {
        return TemporalMissions.worker(client, MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(provider))
                .workspaces(WorkspaceSource.git(remoteUrl, root)).host(host).build());
    }

    /** {@return a fresh clone of the mission's branch} */
    private Path cloneOfBranch(String missionId) {
        Path clone = temp.resolve("check-" + missionId);
        GIT.run(temp, "clone", "--quiet", "--branch", "orchestrator/" + missionId, remoteUrl, clone.toString());
        return clone;
    }

    /** {@return the commits of the mission's branch that the project did not have} */
    private List<String> missionCommits(String missionId) {
        return Arrays.asList(GIT.run(remote, "rev-list", "orchestrator/" + missionId, "^main").split("\n"));
    }

    /** {@return what the histories of the mission's runs hold of its activities: orders and results, as text} */
    private String activityPayloads(String missionId) {
        StringBuilder text = new StringBuilder();
        for (HistoryEvent event : temporal.runs(missionId).stream().flatMap(run -> run.getEvents().stream())
                .toList()) {
            Stream.of(event.getActivityTaskScheduledEventAttributes().getInput(),
                            event.getActivityTaskCompletedEventAttributes().getResult())
                    .flatMap(payloads -> payloads.getPayloadsList().stream())
                    .forEach(payload -> text.append(payload.getData().toStringUtf8()).append('\n'));
        }
        return text.toString();
    }

    /** {@return the commit of the mission's branch that added {@code file}} */
    private String commitOf(String missionId, String file) {
        return GIT.run(remote, "log", "--format=%H", "--diff-filter=A", "orchestrator/" + missionId, "--", file);
    }

    private String commitBefore(String commit) {
        return GIT.run(remote, "rev-parse", commit + "^");
    }

    /** Replays each run of the mission's workflow. */
    private void replay(String missionId) throws Exception {
        Worker replayer = temporal.environment().newWorker("replay-" + missionId, MissionWorker.workerOptions(1));
        replayer.registerWorkflowImplementationTypes(MissionWorkflowImpl.class);
        for (WorkflowExecutionHistory run : temporal.runs(missionId)) {
            WorkflowReplayer.replayWorkflowExecution(run, replayer);
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
