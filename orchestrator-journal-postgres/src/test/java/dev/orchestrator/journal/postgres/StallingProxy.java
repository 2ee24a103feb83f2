package dev.orchestrator.journal.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback to a server, which can be made to stop relaying without closing anything: as a network
 * partition that drops the packets, which neither end notices (the bytes sent were acknowledged, by the relay).
 * Closing it ends the partition as lost connections do.
 */
final class StallingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean stalled; // guarded by gate
    private boolean closed; // guarded by gate

    private StallingProxy(int target) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        Thread.ofVirtual().start(this::accept);
    }

    /** A relay to {@code port} on loopback. */
    static StallingProxy to(int port) throws IOException {
        return new StallingProxy(port);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Holds every byte from now on, in both directions, until {@link #close()} drops them. */
    void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            }
        } catch (IOException closed) {
            // the proxy was closed
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0 && awaitRelaying(); ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException ended) {
            // one end closed: the other follows as the streams close
        }
    }

    /** Whether to relay what was read: false once closed, so that what a stall held is dropped. */
    private boolean awaitRelaying() throws InterruptedException {
        synchronized (gate) {
            while (stalled && !closed) {
                gate.wait();
            }
            return !closed;
        }
    }

    /** Ends the partition as a lost connection does: what the stall held is dropped, every connection closed. */
    @Override
    public void close() throws IOException {
        synchronized (gate) {
            closed = true;
            gate.notifyAll();
        }
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
