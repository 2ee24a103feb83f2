package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A workspace that refuses every path leading outside its root: absolute paths, {@code ..} escapes, and symbolic
 * links (anywhere along the path) that point out.
 *
 * <p>The check happens when a path is resolved; a link created between the check and the use is not caught. The
 * tools that use it run inside the mission, whose own agents are the only writers, so that window is accepted.
 */
public final class ConfinedWorkspace implements Workspace {

    private final Path root;

    /** A workspace at {@code root}, which must be an existing directory. */
    public ConfinedWorkspace(Path root) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("workspace " + root + " cannot be opened: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("workspace " + root + " is not a directory");
        }
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Path resolve(String path) {
        if (path == null || path.isBlank()) {
            throw new ToolException("path is empty: give a path relative to the workspace, such as src/Main.java");
        }
        if (path.indexOf('\0') >= 0) {
            throw new ToolException("path contains a NUL character: give a plain relative path");
        }
        Path relative;
        try {
            relative = Path.of(path);
        } catch (InvalidPathException e) {
            throw new ToolException("'" + path + "' is not a valid path: " + e.getReason());
        }
        if (relative.isAbsolute() || path.startsWith("/") || path.startsWith("\\")) {
            throw new ToolException("'" + path + "' is absolute: give a path relative to the workspace root");
        }
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root)) {
            throw new ToolException("'" + path + "' is outside the workspace: stay below the workspace root");
        }
        Path real = realPathOfNearestExisting(resolved);
        if (!real.startsWith(root)) {
            throw new ToolException("'" + path + "' leads outside the workspace through a symbolic link: "
                    + "use paths that stay inside");
        }
        return resolved;
    }

    @Override
    public String relativize(Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    /**
     * The real path of {@code path} or of its nearest existing ancestor with the rest appended, so that a file
     * about to be created under a linked directory is judged by where the link points.
     */
    private static Path realPathOfNearestExisting(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            // a dangling link: judge it by its target, which may not exist either
            try {
                Path target = Files.readSymbolicLink(existing);
                Path absolute = existing.resolveSibling(target).normalize();
                return absolute.resolve(existing.relativize(path)).normalize();
            } catch (IOException | UnsupportedOperationException notALink) {
                throw new ToolException("cannot check path " + path + ": " + e.getMessage());
            }
        }
    }
}
