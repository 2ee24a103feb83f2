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
 * Replaces one exact, unique piece of text in a file. Requiring a unique match makes the edit unambiguous, and a
 * repeated call after it succeeded finds the new text already in place and says so instead of editing twice.
 */
final class EditFileTool implements Tool {

    private final FileLeases leases;

    EditFileTool(FileLeases leases) {
        this.leases = leases;
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
        Path file = context.workspace().resolve(path);
        if (!Files.isRegularFile(file)) {
            throw new ToolException(path + " does not exist: create it with write_file");
        }
        leases.acquire(file, context.taskId(), path);
        try {
            String content = Files.readString(file);
            int first = content.indexOf(oldText);
            if (first < 0) {
                if (!newText.isEmpty() && content.contains(newText)) {
                    return ToolResult.ok("no change: " + path + " already contains new_text and not old_text");
                }
                throw new ToolException("old_text was not found in " + path
                        + ": read the file and copy the text exactly, whitespace included");
            }
            if (content.indexOf(oldText, first + 1) >= 0) {
                throw new ToolException("old_text occurs more than once in " + path
                        + ": include more surrounding lines so that it is unique");
            }
            Files.writeString(file, content.substring(0, first) + newText + content.substring(first + oldText.length()));
            return ToolResult.ok("edited " + path);
        } catch (IOException e) {
            throw new ToolException("cannot edit " + path + ": " + e.getMessage());
        }
    }
}
