package dev.orchestrator.mcp;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts the notes server through {@link McpTools}, prints the server's pid and waits to be killed: the
 * test kills it with SIGKILL, so nothing of it gets to close the server.
 */
public final class HoldsServer {

    public static void main(String[] args) throws InterruptedException {
        McpTools mcp = McpTools.builder().stdio("notes", Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), NotesServer.class.getName(), args[0])
                .start();
        System.out.println("server " + ProcessHandle.current().children().findFirst().orElseThrow().pid() + " with "
                + mcp.tools().size() + " tools");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
