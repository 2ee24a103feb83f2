package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import java.nio.file.Path;
import java.util.OptionalInt;

/** Reads a text file of the workspace, whole or by lines, and remembers which version the task saw. */
final class ReadFileTool implements Tool {

    private static final long MAX_BYTES = 256 * 1024;

    private final FileVersions versions;
    /**
     * Only a file this short is called unchanged: the tool box cuts longer results (the mission's
     * maxToolOutputChars), so an earlier answer did not show it whole.
     */
    private final int shownWholeMaxChars;

    ReadFileTool(FileVersions versions, int shownWholeMaxChars) {
        this.versions = versions;
        this.shownWholeMaxChars = shownWholeMaxChars;
    }

    @Override
    public String name() {
        return "read_file";
    }

    @Override
    public String description() {
        return "Read a UTF-8 text file of the workspace. Optionally only lines from start_line to end_line "
                + "(1-based, inclusive). A whole file you already read, unchanged since, is not sent again: "
                + "the answer says at which turn you read it.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type":"object","properties":{
                  "path":{"type":"string","description":"path relative to the workspace"},
                  "start_line":{"type":"integer","minimum":1},
                  "end_line":{"type":"integer","minimum":1}},
                 "required":["path"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolArguments arguments, ToolContext context) {
        String path = arguments.string("path");
        ConfinedWorkspace workspace = ConfinedWorkspace.of(context);
        Path file = workspace.resolve(path);
        byte[] bytes = ConfinedIo.read(workspace, file, MAX_BYTES, path);
        String content = Text.decode(bytes, path);
        Path real = workspace.realPathInside(file, path);
        versions.saw(context.taskId(), real, bytes);
        // a read by lines always answers with its text: the way to see a file again on purpose
        if (arguments.integer("start_line", 0) == 0 && arguments.integer("end_line", 0) == 0) {
            int turn = context instanceof TaskToolContext task ? task.turn() : 0;
            OptionalInt earlier = content.length() <= shownWholeMaxChars
                    ? versions.shownWhole(context.taskId(), real, bytes, turn) : OptionalInt.empty();
            return ToolResult.ok(earlier.isPresent() ? path + " is unchanged since your read at turn "
                    + earlier.getAsInt() + " (same content): use the text from then. Should you need to see it "
                    + "again, read it with start_line 1." : content);
        }
        long start = arguments.integer("start_line", 1);
        long end = arguments.integer("end_line", Long.MAX_VALUE);
        return ToolResult.ok(content.lines().skip(start - 1).limit(Math.max(0, end - start + 1))
                .reduce(new StringBuilder(), (text, line) -> text.append(line).append('\n'), StringBuilder::append)
                .toString());
    }
}
