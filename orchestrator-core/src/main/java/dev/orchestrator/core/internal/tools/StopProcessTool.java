package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolResult;

/** Ends a background process and everything it started. Stopping a process that has ended is harmless. */
final class StopProcessTool implements Tool {

    private final BackgroundProcesses processes;

    StopProcessTool(BackgroundProcesses processes) {
        this.processes = processes;
    }

    @Override
    public String name() {
        return "stop_process";
    }

    @Override
    public String description() {
        return "Stop a process run_command started in the background, with every process it started.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type":"object","properties":{
                  "id":{"type":"string","description":"the id run_command returned"}},
                 "required":["id"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolArguments arguments, ToolContext context) {
        String id = arguments.string("id");
        OutputRing.Chunk end = processes.stop(context.taskId(), id);
        return ToolResult.ok("stopped " + id + "; " + ReadOutputTool.describe(end));
    }
}
