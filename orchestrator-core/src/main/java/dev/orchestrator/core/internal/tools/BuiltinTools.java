package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import java.util.List;

/** The tools every mission has, all confined to its workspace. */
public final class BuiltinTools {

    private BuiltinTools() {
    }

    /**
     * read_file, write_file, edit_file, list_files, search, run_command, read_output and stop_process, sharing
     * {@code versions} (which file version each task saw) and {@code background} (the processes run_command
     * started in the background); {@code maxResultChars} is where the tool box cuts a result, so a longer file was
     * never shown whole and is never answered "unchanged"; {@code redactor} is what the tool box redacts results
     * with, so that the writing tools can put back what it took out.
     */
    public static List<Tool> create(FileVersions versions, CommandRunner runner, BackgroundProcesses background,
            int maxResultChars, Redactor redactor) {
        return List.of(new ReadFileTool(versions, maxResultChars), new WriteFileTool(versions, redactor),
                new EditFileTool(versions, redactor),
                new ListFilesTool(), new SearchTool(), new RunCommandTool(runner, background),
                new ReadOutputTool(background), new StopProcessTool(background));
    }
}
