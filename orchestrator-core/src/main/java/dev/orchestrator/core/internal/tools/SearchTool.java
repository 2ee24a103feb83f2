package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Finds lines matching a text or a regular expression in the workspace's files. */
final class SearchTool implements Tool {

    private static final int MAX_MATCHES = 200;
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    @Override
    public String name() {
        return "search";
    }

    @Override
    public String description() {
        return "Search the workspace's text files for lines containing query (or matching it as a Java regular "
                + "expression when regex is true). Answers path:line: text, at most " + MAX_MATCHES + " lines.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type":"object","properties":{
                  "query":{"type":"string"},
                  "regex":{"type":"boolean","description":"treat query as a regular expression"},
                  "path":{"type":"string","description":"directory to search, relative; . by default"}},
                 "required":["query"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolArguments arguments, ToolContext context) {
        String query = arguments.string("query");
        if (query.isEmpty()) {
            throw new ToolException("query is empty: give the text to look for");
        }
        Pattern pattern;
        try {
            pattern = arguments.bool("regex", false) ? Pattern.compile(query) : Pattern.compile(Pattern.quote(query));
        } catch (PatternSyntaxException e) {
            throw new ToolException("query is not a valid regular expression: " + e.getDescription());
        }
        String shown = arguments.optionalString("path").orElse(".");
        ConfinedWorkspace workspace = ConfinedWorkspace.of(context);
        Path directory = workspace.resolve(shown);
        List<String> matches = new ArrayList<>();
        int total = 0;
        // links are never read: what one points to inside is searched where it really is, what is outside never
        for (ConfinedIo.Entry entry : WorkspaceFiles.walk(workspace, directory, Integer.MAX_VALUE, shown)) {
            if (entry.isLink()) {
                continue;
            }
            Path file = entry.path();
            List<String> lines = readTextLines(workspace, entry);
            for (int i = 0; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i)).find()) {
                    total++;
                    if (matches.size() < MAX_MATCHES) {
                        matches.add(workspace.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        if (matches.isEmpty()) {
            return ToolResult.ok("no matches");
        }
        String text = String.join("\n", matches);
        return ToolResult.ok(total > MAX_MATCHES ? text + "\n… " + (total - MAX_MATCHES)
                + " more matches: narrow the query or the path" : text);
    }

    /** The file's lines, or none when it is large or not UTF-8 text (a binary file has nothing to find). */
    private static List<String> readTextLines(ConfinedWorkspace workspace, ConfinedIo.Entry file) {
        if (file.size() > MAX_FILE_BYTES) {
            return List.of();
        }
        byte[] bytes = ConfinedIo.read(workspace, file.path(), MAX_FILE_BYTES, workspace.relativize(file.path()));
        return Text.tryDecode(bytes).map(text -> text.lines().toList()).orElse(List.of());
    }
}
