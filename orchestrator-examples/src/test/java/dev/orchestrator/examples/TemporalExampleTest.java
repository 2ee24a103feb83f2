package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionResult;
import dev.orchestrator.cli.QuickStartScript;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.temporal.MissionWorker;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testserver.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's worker and client against the SDK's test server bound to a loopback port: a gRPC server, as a
 * cluster is, rather than the in-process channel of the temporal module's tests. (Separate JVMs and a worker killed
 * with {@code kill -9} are the README's user test.)
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TemporalExampleTest {

    @TempDir
    Path directory;

    @Test
    void theQuickStartsMissionCompletesOnAWorkerAndATaskWorkerOverGrpc() throws Exception {
        int port = freePort();
        ScriptedProvider coordinating = QuickStartScript.provider(Duration.ZERO);
        ScriptedProvider working = QuickStartScript.provider(Duration.ZERO);
        // true: the server's clock runs in real time, not skipped, since the activities run real commands
        try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true)) {
            WorkflowServiceStubs service = TemporalExample.connect("127.0.0.1:" + port);
            try {
                WorkflowClient client = WorkflowClient.newInstance(service);
                MissionResult result;
                try (MissionWorker coordinator = TemporalExample.worker(client, directory, coordinating, "");
                        MissionWorker tasks = TemporalExample.worker(client, directory, working, "--tasks-only")) {
                    result = TemporalExample.start(client, directory, "greet", coordinating,
                            (event, progress) -> { }).await();
                }
                assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
                assertEquals(QuickStartScript.FILES.keySet().size() + 1, result.todos().size(), "six todos and a fix");
                for (String file : QuickStartScript.FILES.keySet()) {
                    assertTrue(Files.exists(directory.resolve("greet").resolve(file)), file);
                }
                assertEquals(20, coordinating.callCount() + working.callCount(), "the crash-free count of calls");
            } finally {
                service.shutdownNow();
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
