package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one place that decides whether a path is inside the workspace: after normalisation and after resolving every
 * symbolic link along it, it must lie below the root and outside the directories that are off limits (the mission's
 * journal). Every built-in tool resolves its paths here and does its I/O through {@link ConfinedIo}, which opens
 * files relative to directory handles without following links, so that a link swapped in between this check and
 * the use is refused instead of followed. Messages name paths as the model gave them, never absolute ones.
 */
public final class ConfinedWorkspace implements Workspace {

    private final Path root;
    private final List<Path> offLimits;

    /** A workspace at {@code root}, which must be an existing directory. */
    public ConfinedWorkspace(Path root) {
        this(root, List.of());
    }

    /**
     * A workspace at {@code root}, which must be an existing directory, whose tools may not touch the directories
     * {@code offLimits} (such as the mission's journal) wherever they are.
     */
    public ConfinedWorkspace(Path root, Collection<Path> offLimits) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("workspace " + root + " cannot be opened: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("workspace " + root + " is not a directory");
        }
        this.offLimits = offLimits.stream().map(ConfinedWorkspace::realOrAbsolute).toList();
    }

    /** The confined workspace of a tool call: the mission's own, or one made for a workspace from elsewhere. */
    static ConfinedWorkspace of(ToolContext context) {
        return context.workspace() instanceof ConfinedWorkspace confined ? confined
                : new ConfinedWorkspace(context.workspace().root());
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
        for (Path name : root.relativize(resolved)) {
            if (!name.toString().isEmpty() && name.toString().isBlank()) {
                throw new ToolException("'" + path + "' has a name of only spaces in it: give a plain relative path");
            }
        }
        if (!resolved.startsWith(root)) {
            throw new ToolException("'" + path + "' is outside the workspace: stay below the workspace root");
        }
        Path real = realPath(resolved).orElseThrow(() -> new ToolException("cannot check '" + path
                + "': a link along it cannot be read; use another path"));
        if (!real.startsWith(root)) {
            throw new ToolException("'" + path + "' leads outside the workspace through a symbolic link: "
                    + "use paths that stay inside");
        }
        if (isOffLimits(real) || isOffLimits(resolved)) {
            throw new ToolException("'" + path + "' is in the mission's journal, which tools may not touch: "
                    + "work on the project's files only");
        }
        return resolved;
    }

    /**
     * Whether {@code path}, an absolute path, is inside the workspace once every link along it is resolved, and not
     * off limits. Walks use it to decide what a link found inside may be followed to.
     */
    boolean contains(Path path) {
        Optional<Path> real = realPath(path.normalize());
        return path.normalize().startsWith(root) && real.isPresent() && real.get().startsWith(root)
                && !isOffLimits(real.get()) && !isOffLimits(path.normalize());
    }

    /** The real path {@code path} has now, which {@link ConfinedIo} walks without following links. */
    Path realPathInside(Path path, String shownAs) {
        Path real = realPath(path).orElseThrow(() -> new ToolException("cannot check '" + shownAs + "'"));
        if (!real.startsWith(root) || isOffLimits(real)) {
            throw new ToolException("'" + shownAs + "' leads outside the workspace through a symbolic link: "
                    + "use paths that stay inside");
        }
        return real;
    }

    boolean isOffLimits(Path path) {
        return offLimits.stream().anyMatch(path::startsWith);
    }

    @Override
    public String relativize(Path path) {
        // only where '\\' is the separator: on Linux it is an ordinary character of a name
        String relative = root.relativize(path).toString().replace(java.io.File.separatorChar, '/');
        return relative.isEmpty() ? "." : relative;
    }

    /**
     * The real path of {@code path} or of its nearest existing ancestor with the rest appended, so that a file
     * about to be created under a linked directory is judged by where the link points; empty when a link along it
     * cannot be read.
     */
    private static Optional<Path> realPath(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.of(path);
        }
        try {
            return Optional.of(existing.toRealPath().resolve(existing.relativize(path)).normalize());
        } catch (IOException e) {
            // a dangling link (or a loop): judge it by its target, which may not exist either
            try {
                Path target = Files.readSymbolicLink(existing);
                Path absolute = existing.resolveSibling(target).normalize();
                return Optional.of(absolute.resolve(existing.relativize(path)).normalize());
            } catch (IOException | UnsupportedOperationException notALink) {
                return Optional.empty();
            }
        }
    }

    private static Path realOrAbsolute(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return realPath(absolute).orElse(absolute);
    }
}
