package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import java.time.Duration;

/**
 * Runs a shell command in the workspace. Not idempotent in general (a command can do anything), so a resumed
 * mission reports an interrupted run instead of repeating it: its process is gone by then (it died with the crashed
 * run, or the resume ended what was left of it) and its output, which was only in memory, with it.
 */
final class RunCommandTool implements Tool, CutOffReport {

    private static final long MAX_TIMEOUT_SECONDS = 1800;

    private final CommandRunner runner;
    private final BackgroundProcesses background;

    RunCommandTool(CommandRunner runner, BackgroundProcesses background) {
        this.runner = runner;
        this.background = background;
    }

    @Override
    public String name() {
        return "run_command";
    }

    @Override
    public String description() {
        return "Run a shell command in the workspace root and return its exit code and output (stdout and stderr, "
                + "the middle cut when long). The command and all its children are ended after timeout_seconds. With "
                + "background true it returns a process id at once instead (for a build, a test watcher, a server): "
                + "read its output with read_output, which can wait for it, and end it with stop_process; it ends "
                + "with your task at the latest, and timeout_seconds does not apply.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type":"object","properties":{
                  "command":{"type":"string"},
                  "timeout_seconds":{"type":"integer","minimum":1,"maximum":1800},
                  "background":{"type":"boolean","description":"start it and return its id at once"}},
                 "required":["command"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolArguments arguments, ToolContext context) {
        String command = arguments.string("command");
        if (command.isBlank()) {
            throw new ToolException("command is empty");
        }
        if (arguments.bool("background", false)) {
            String id = background.start(context.taskId(), command);
            return ToolResult.ok("started in the background as " + id + ": read_output with id " + id
                    + " and since 0 (wait_ms to wait for output or the exit); stop_process to end it");
        }
        long seconds = Math.clamp(arguments.integer("timeout_seconds", 120), 1, MAX_TIMEOUT_SECONDS);
        CommandResult result = runner.run(command, Duration.ofSeconds(seconds));
        String text = "exit code " + result.exitCode() + (result.timedOut() ? " (timed out)" : "") + "\n"
                + result.output();
        return result.exitCode() == 0 ? ToolResult.ok(text) : ToolResult.error(text);
    }

    @Override
    public boolean isIdempotent() {
        return false;
    }

    @Override
    public String cutOff(ToolArguments arguments) {
        String gone = " was cut off by a crash of the mission, which has resumed since: the command is not running (it "
                + "ended with the crashed run) and its output was not kept. Check what it changed in the workspace, ";
        return arguments.bool("background", false)
                ? "this run_command call in the background" + gone + "then start it again with run_command and "
                        + "background true if you still need it (read_output knows no id of the crashed run)"
                : "this run_command call" + gone + "then run it again if you still need its result";
    }
}
