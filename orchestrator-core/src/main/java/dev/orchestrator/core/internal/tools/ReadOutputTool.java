package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Long-polls a background process's output: answers at once when there is output after {@code since}, otherwise
 * waits up to {@code wait_ms} for some or for the exit. Waiting for a build is then one tool call, not a model turn
 * per check. Idempotent: reading again from the same offset gives the same bytes, as long as they are kept.
 */
final class ReadOutputTool implements Tool {

    private final BackgroundProcesses processes;

    ReadOutputTool(BackgroundProcesses processes) {
        this.processes = processes;
    }

    @Override
    public String name() {
        return "read_output";
    }

    @Override
    public String description() {
        return "Read the output of a process run_command started in the background: only what came after byte "
                + "offset 'since' (0 at first, then the 'next' offset of the previous answer). When there is "
                + "nothing new, it waits up to wait_ms (at most " + BackgroundProcesses.MAX_WAIT.toMillis()
                + ") for new output or the exit; with until_exit true it waits for the exit (up to wait_ms) and shows "
                + "the last part of the output, so one call waits for a whole build. It says the exit code once the "
                + "process has ended.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type":"object","properties":{
                  "id":{"type":"string","description":"the id run_command returned"},
                  "since":{"type":"integer","minimum":0,"description":"byte offset to read from"},
                  "wait_ms":{"type":"integer","minimum":0,"maximum":%d,
                    "description":"how long to wait when there is no new output yet"},
                  "until_exit":{"type":"boolean","description":"wait for the exit, not the first new output"}},
                 "required":["id"],"additionalProperties":false}""".formatted(BackgroundProcesses.MAX_WAIT.toMillis());
    }

    @Override
    public ToolResult execute(ToolArguments arguments, ToolContext context) {
        OutputRing.Chunk chunk = processes.read(context.taskId(), arguments.string("id"),
                arguments.integer("since", 0), Duration.ofMillis(arguments.integer("wait_ms", 0)),
                arguments.bool("until_exit", false));
        return ToolResult.ok(describe(chunk));
    }

    /** The chunk as the model reads it: a status line, then the new output. */
    static String describe(OutputRing.Chunk chunk) {
        StringBuilder text = new StringBuilder();
        if (chunk.finished()) {
            text.append(chunk.exitCode().isPresent() ? "exited with code " + chunk.exitCode().getAsInt()
                    : "ended without an exit code");
        } else {
            text.append("running");
        }
        text.append("; next offset ").append(chunk.next());
        if (chunk.dropped() > 0) {
            text.append("; [").append(chunk.dropped()).append(" bytes after your offset were dropped from the "
                    + "buffer]");
        }
        if (chunk.skipped() > 0) {
            text.append("; [the ").append(chunk.skipped()).append(" bytes before this part are not shown: read "
                    + "from offset ").append(chunk.next() - chunk.text().getBytes(StandardCharsets.UTF_8).length
                    - chunk.skipped()).append(" for them]");
        }
        text.append(chunk.text().isEmpty() ? "; no new output" : "\n").append(chunk.text());
        return text.toString();
    }
}
