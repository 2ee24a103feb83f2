package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.core.internal.tools.ParsedArguments;

/**
 * Cuts a tool's output to at most {@code maxChars} characters, at a line end where there is one nearby, with a
 * marker that says how much was cut and how to read the rest: for a file read, the {@code read_file} call with the
 * line range that follows; for anything else, how to ask for less. One huge result then cannot crowd the model's
 * context, and the model does not take a cut file for the whole of it.
 */
record ToolOutputCut(int maxChars) {

    ToolResult apply(ToolCall call, ToolResult result) {
        String content = result.content();
        if (content.length() <= maxChars) {
            return result;
        }
        int lineEnd = content.lastIndexOf('\n', maxChars - 1);
        // cut at a line end unless that loses more than a fifth of what may be shown (one huge line)
        boolean atLineEnd = lineEnd >= maxChars * 4 / 5;
        String shown = content.substring(0, atLineEnd ? lineEnd + 1 : maxChars);
        long nextLine = shown.lines().count() + (atLineEnd ? 1 : 0);
        String marker = (atLineEnd ? "" : "\n") + "… [cut: " + (content.length() - shown.length())
                + " more characters not shown, " + (atLineEnd ? "" : "the rest of ") + "line " + nextLine
                + " to line " + content.lines().count() + "; " + howToReadTheRest(call, nextLine) + "]";
        return new ToolResult(shown + marker, result.isError());
    }

    private static String howToReadTheRest(ToolCall call, long nextLine) {
        if (call.name().equals("read_file")) {
            try {
                ParsedArguments arguments = ParsedArguments.parse(call.arguments());
                long from = arguments.integer("start_line", 1) + nextLine - 1;
                return "read the rest with read_file {\"path\": " + quote(arguments.string("path"))
                        + ", \"start_line\": " + from + ", \"end_line\": " + (from + 999) + "} and so on";
            } catch (ToolException e) {
                // arguments the tool accepted but this cannot read: fall through to the general advice
            }
        }
        return "ask for less: a line range of read_file, a narrower search, or a command with less output";
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
