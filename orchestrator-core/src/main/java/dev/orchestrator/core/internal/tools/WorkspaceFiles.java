package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/** Walks the workspace's files the way the listing and search tools both need: regular files, noise skipped. */
final class WorkspaceFiles {

    /** Directories that hold version-control data or build output, never sources an agent should read. */
    private static final Set<String> SKIPPED = Set.of(".git", ".hg", ".svn", "target", "build", "node_modules",
            ".gradle", ".idea", ".orchestrator");

    private WorkspaceFiles() {
    }

    /** The regular files under {@code directory}, at most {@code maxDepth} levels down, without skipped trees. */
    static Stream<Path> walk(Path directory, int maxDepth) {
        try (Stream<Path> paths = Files.walk(directory, maxDepth)) {
            return paths.filter(path -> !isSkipped(directory, path))
                    .filter(Files::isRegularFile)
                    .toList()
                    .stream();
        } catch (IOException | UncheckedIOException e) {
            throw new ToolException("cannot list " + directory.getFileName() + ": " + e.getMessage());
        }
    }

    private static boolean isSkipped(Path base, Path path) {
        for (Path part : base.relativize(path)) {
            if (SKIPPED.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }
}
