package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Lists the files under a directory of the workspace. */
final class ListFilesTool implements Tool {

    private static final int MAX_ENTRIES = 1000;

    @Override
    public String name() {
        return "list_files";
    }

    @Override
    public String description() {
        return "List the files under a directory of the workspace (recursively, up to max_depth levels), one "
                + "relative path per line. Skips .git and build output directories; symbolic links are marked and not "
                + "followed.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type":"object","properties":{
                  "path":{"type":"string","description":"directory relative to the workspace; . for the root"},
                  "max_depth":{"type":"integer","minimum":1,"maximum":20}},
                 "additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolArguments arguments, ToolContext context) {
        String path = arguments.optionalString("path").orElse(".");
        ConfinedWorkspace workspace = ConfinedWorkspace.of(context);
        Path directory = workspace.resolve(path);
        if (!Files.isDirectory(directory)) {
            throw new ToolException(path + " is not a directory");
        }
        int depth = Math.clamp(arguments.integer("max_depth", 8), 1, 20);
        // a link is shown as one and never followed: what it points to inside is listed where it really is
        var files = WorkspaceFiles.walk(workspace, directory, depth, path).stream()
                .map(entry -> workspace.relativize(entry.path()) + (entry.isLink() ? " (symbolic link)" : ""))
                .toList();
        String listing = files.stream().limit(MAX_ENTRIES).collect(Collectors.joining("\n"));
        return ToolResult.ok(files.size() > MAX_ENTRIES
                ? listing + "\n… and " + (files.size() - MAX_ENTRIES) + " more: list a subdirectory"
                : files.isEmpty() ? "(no files)" : listing);
    }
}
