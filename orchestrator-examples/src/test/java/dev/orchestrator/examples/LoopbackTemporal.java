package dev.orchestrator.examples;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * The SDK's test service (temporal-testing's {@code TestServicesStarter}, in real time) as a gRPC server on a
 * loopback port, for {@link TemporalExample} without a cluster. The SDK's own {@code TestServer} main and
 * {@code TestServer.createPortBoundServer} listen on every interface, which would open the service, unauthenticated,
 * to the network; this binds 127.0.0.1 only (its registration of the services and health checks is the one those
 * use). A real cluster needs none of this: set {@code TEMPORAL_ADDRESS}.
 *
 * <pre>
 * java -cp "$CP_TEST" dev.orchestrator.examples.LoopbackTemporal 17233
 * </pre>
 */
final class LoopbackTemporal implements AutoCloseable {

    private final TestServicesStarter services;
    private final Server server;

    private LoopbackTemporal(TestServicesStarter services, Server server) {
        this.services = services;
        this.server = server;
    }

    /** {@return the service listening on 127.0.0.1:{@code port} (0: any free port)} */
    static LoopbackTemporal start(int port) {
        // true: time is not skipped, since the activities run real agents and commands
        TestServicesStarter services = new TestServicesStarter(true, 0);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), InsecureServerCredentials.create());
        GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
        try {
            return new LoopbackTemporal(services, builder.build().start());
        } catch (IOException e) {
            services.close();
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": give a free port", e);
        }
    }

    /** {@return the address to give as {@code TEMPORAL_ADDRESS}} */
    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        services.close();
    }

    /** Serves on the port given (7233 by default) until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        LoopbackTemporal temporal = start(args.length > 0 ? Integer.parseInt(args[0]) : 7233);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            temporal.close();
            stopped.countDown();
        }));
        System.out.println("Temporal's test service on " + temporal.address() + " (loopback only)");
        stopped.await();
    }
}
