package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Replaces one exact, unique piece of text in a file, atomically. Requiring a unique match makes the edit
 * unambiguous, and a repeated call after it succeeded finds the new text already in place and says so instead of
 * editing twice. A file that changed since the task last read it is not edited ({@link FileVersions}). Lines the
 * model quotes with {@code [redacted]} in them stand for the file's lines with their credentials
 * ({@link RedactedLines}).
 */
final class EditFileTool implements Tool {

    /** Files larger than this are not edited whole in memory. */
    static final long MAX_BYTES = 4 * 1024 * 1024;

    private final FileVersions versions;
    private final Redactor redactor;

    EditFileTool(FileVersions versions, Redactor redactor) {
        this.versions = versions;
        this.redactor = redactor;
    }

    @Override
    public String name() {
        return "edit_file";
    }

    @Override
    public String description() {
        return "Replace the exact text old_text, which must occur exactly once in the file, with new_text.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type":"object","properties":{
                  "path":{"type":"string","description":"path relative to the workspace"},
                  "old_text":{"type":"string","description":"the exact text to replace, unique in the file"},
                  "new_text":{"type":"string","description":"the replacement"}},
                 "required":["path","old_text","new_text"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolArguments arguments, ToolContext context) {
        String path = arguments.string("path");
        String oldText = arguments.string("old_text");
        String newText = arguments.string("new_text");
        if (oldText.isEmpty()) {
            throw new ToolException("old_text is empty: give the exact text to replace, or use write_file");
        }
        ConfinedWorkspace workspace = ConfinedWorkspace.of(context);
        Path file = workspace.resolve(path);
        return versions.write(context.taskId(), workspace.realPathInside(file, path), path,
                () -> ConfinedIo.readIfExists(workspace, file, MAX_BYTES, path),
                current -> {
                    if (current == null) {
                        throw new ToolException(path + " does not exist: create it with write_file");
                    }
                    String content = Text.decode(current, path);
                    return edit(workspace, file, path, RedactedLines.restore(redactor, oldText, content, path,
                            "old_text"), RedactedLines.restore(redactor, newText, content, path, "new_text"),
                            current, content);
                });
    }

    private static FileVersions.Written<ToolResult> edit(ConfinedWorkspace workspace, Path file, String path,
            String oldText, String newText, byte[] current, String content) {
        int first = content.indexOf(oldText);
        if (first < 0) {
            if (!newText.isEmpty() && content.contains(newText)) {
                return new FileVersions.Written<>(current,
                        ToolResult.ok("no change: " + path + " already contains new_text and not old_text"));
            }
            throw new ToolException("old_text was not found in " + path
                    + ": read the file and copy the text exactly, whitespace included");
        }
        if (content.indexOf(oldText, first + 1) >= 0) {
            throw new ToolException("old_text occurs more than once in " + path
                    + ": include more surrounding lines so that it is unique");
        }
        byte[] edited = (content.substring(0, first) + newText + content.substring(first + oldText.length()))
                .getBytes(StandardCharsets.UTF_8);
        ConfinedIo.write(workspace, file, edited, path);
        return new FileVersions.Written<>(edited, ToolResult.ok("edited " + path));
    }
}
