package dev.orchestrator.core.internal.tools;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Walks the workspace the way the listing and search tools both need: files and links, noise skipped. */
final class WorkspaceFiles {

    /** Directories that hold version-control data or build output, never sources an agent should read. */
    private static final Set<String> SKIPPED = Set.of(".git", ".hg", ".svn", "target", "build", "node_modules",
            ".gradle", ".idea", ".orchestrator");

    private WorkspaceFiles() {
    }

    /**
     * The regular files and the links under {@code directory}, at most {@code maxDepth} levels down, sorted,
     * without skipped trees; links are listed as such and never followed.
     */
    static List<ConfinedIo.Entry> walk(ConfinedWorkspace workspace, Path directory, int maxDepth, String shownAs) {
        return ConfinedIo.walk(workspace, directory, maxDepth, SKIPPED, shownAs).stream()
                .sorted((a, b) -> a.path().compareTo(b.path()))
                .toList();
    }
}
