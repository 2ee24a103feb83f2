package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.api.MissionResult;
import dev.orchestrator.cli.QuickStartScript;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.temporal.MissionWorker;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
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
        ScriptedProvider coordinating = QuickStartScript.provider(Duration.ZERO);
        ScriptedProvider working = QuickStartScript.provider(Duration.ZERO);
        try (LoopbackTemporal server = LoopbackTemporal.start(0)) {
            WorkflowServiceStubs service = TemporalExample.connect(server.address());
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

    @Test
    void theTestServiceListensOnLoopbackOnly() throws Exception {
        InetAddress other = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses).filter(address -> !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress()).findFirst().orElse(null);
        assumeTrue(other != null, "the machine has no address but loopback");
        try (LoopbackTemporal server = LoopbackTemporal.start(0)) {
            int port = Integer.parseInt(server.address().substring(server.address().lastIndexOf(':') + 1));
            // a service on every interface holds the port on this address too, and this bind would fail
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(other, port));
                assertEquals(port, socket.getLocalPort(), "the port is free on " + other);
            }
        }
    }
}
