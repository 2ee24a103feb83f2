package dev.orchestrator.core.internal.tools;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** The processes a test left running, found by their command line: inside a sandbox their pids are not the host's. */
public final class Survivors {

    private Survivors() {
    }

    /** The processes whose command line holds {@code marker} still alive after waiting a while for their exit. */
    public static List<String> of(String marker) {
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(marker)).toList();
        for (ProcessHandle process : found) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // still alive: reported below
            }
        }
        return found.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().commandLine()
                .orElse("")).toList();
    }
}
