package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
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
        Path directory = context.workspace().resolve(arguments.optionalString("path").orElse("."));
        List<String> matches = new ArrayList<>();
        int total = 0;
        for (Path file : WorkspaceFiles.walk(directory, Integer.MAX_VALUE).sorted().toList()) {
            List<String> lines = readTextLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i)).find()) {
                    total++;
                    if (matches.size() < MAX_MATCHES) {
                        matches.add(context.workspace().relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
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
    private static List<String> readTextLines(Path file) {
        try {
            return Files.size(file) > MAX_FILE_BYTES ? List.of() : Files.readAllLines(file);
        } catch (CharacterCodingException e) {
            return List.of();
        } catch (IOException e) {
            throw new ToolException("cannot read " + file.getFileName() + ": " + e.getMessage());
        }
    }
}
