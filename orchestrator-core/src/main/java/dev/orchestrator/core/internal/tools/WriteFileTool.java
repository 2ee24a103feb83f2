package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a whole file. Idempotent: the file's content is given whole, so running the call twice leaves the same
 * file, which is what lets a resumed mission re-run a write that may not have finished.
 */
final class WriteFileTool implements Tool {

    private final FileLeases leases;

    WriteFileTool(FileLeases leases) {
        this.leases = leases;
    }

    @Override
    public String name() {
        return "write_file";
    }

    @Override
    public String description() {
        return "Create or overwrite a UTF-8 text file of the workspace with the given content. Parent directories "
                + "are created.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type":"object","properties":{
                  "path":{"type":"string","description":"path relative to the workspace"},
                  "content":{"type":"string","description":"the complete new content"}},
                 "required":["path","content"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolArguments arguments, ToolContext context) {
        String path = arguments.string("path");
        String content = arguments.string("content");
        Path file = context.workspace().resolve(path);
        if (Files.isDirectory(file)) {
            throw new ToolException(path + " is a directory: give a file path");
        }
        leases.acquire(file, context.taskId(), path);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new ToolException("cannot write " + path + ": " + e.getMessage());
        }
        return ToolResult.ok("wrote " + path + " (" + content.lines().count() + " lines)");
    }
}
