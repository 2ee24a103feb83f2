package dev.orchestrator.api;

import java.nio.file.Path;

/**
 * The directory a mission works in. Every path an agent or tool touches goes through {@link #resolve}, which keeps
 * it inside.
 */
public interface Workspace {

    /** {@return the workspace directory, absolute and with symbolic links resolved} */
    Path root();

    /**
     * The absolute path of {@code path}, a path relative to the workspace.
     *
     * @throws ToolException if the path is absolute, leads outside the workspace (through {@code ..} or a
     *     symbolic link), or is not a valid path
     * @param path the path, relative to the workspace
     * @return the absolute, normalised path
     */
    Path resolve(String path);

    /**
     * {@return {@code path}, which must lie inside the workspace, relative to the root, with {@code /} as separator}
     *
     * @param path the path, relative to the workspace
     */
    String relativize(Path path);
}
