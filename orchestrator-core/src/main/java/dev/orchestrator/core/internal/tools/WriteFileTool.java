package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a whole file, atomically. Idempotent: the file's content is given whole, so running the call twice leaves
 * the same file, which is what lets a resumed mission re-run a write that may not have finished. A file that changed
 * since the task last read it is not overwritten ({@link FileVersions}), nor are its credentials by the
 * {@code [redacted]} the model was shown for them ({@link RedactedLines}).
 */
final class WriteFileTool implements Tool {

    private final FileVersions versions;
    private final Redactor redactor;

    WriteFileTool(FileVersions versions, Redactor redactor) {
        this.versions = versions;
        this.redactor = redactor;
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
        String written = arguments.string("content");
        ConfinedWorkspace workspace = ConfinedWorkspace.of(context);
        Path file = workspace.resolve(path);
        return versions.write(context.taskId(), workspace.realPathInside(file, path), path,
                () -> ConfinedIo.readIfExists(workspace, file, EditFileTool.MAX_BYTES, path),
                current -> {
                    // a file that is not text holds no line the model was shown redacted
                    byte[] content = (written.contains(Redactor.MARK) && current != null ? Text.tryDecode(current)
                            .map(text -> RedactedLines.restore(redactor, written, text, path, "content"))
                            .orElse(written) : written).getBytes(StandardCharsets.UTF_8);
                    ConfinedIo.write(workspace, file, content, path);
                    return new FileVersions.Written<>(content, ToolResult.ok("wrote " + path + " ("
                            + written.lines().count() + " lines)"));
                });
    }
}
