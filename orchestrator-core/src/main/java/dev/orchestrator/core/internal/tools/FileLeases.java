package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which task is changing which file. Parallel workers each take a lease on the files they write; a write to a file
 * another running task holds is refused with a clear message rather than silently overwriting its work. Leases end
 * when their task finishes.
 */
public final class FileLeases {

    private final ConcurrentMap<Path, String> holders = new ConcurrentHashMap<>();

    /**
     * Takes (or confirms) the lease on {@code file} for {@code taskId}.
     *
     * @throws ToolException if another task holds it
     */
    public void acquire(Path file, String taskId, String displayName) {
        String holder = holders.putIfAbsent(file, taskId);
        if (holder != null && !holder.equals(taskId)) {
            throw new ToolException(displayName + " is being changed by task " + holder
                    + ", which is still running: change another file, or finish without it and say so");
        }
    }

    /** Ends every lease {@code taskId} holds. */
    public void releaseAll(String taskId) {
        holders.values().removeIf(taskId::equals);
    }
}
