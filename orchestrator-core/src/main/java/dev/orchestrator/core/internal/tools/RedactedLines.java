package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Puts credentials back where the model wrote {@code [redacted]} for them. The model is shown a file with its
 * credentials redacted; when it writes the file back whole, or quotes part of it to edit, a line holding the mark
 * that reads like a line of the file as shown stands for that line, and gets it back, credential and all. A line
 * holding the mark that reads like none of them (or like several) would put the mark where a credential was: it is
 * refused. In a file that holds no credential the mark is only text.
 */
final class RedactedLines {

    private static final Pattern LINE_ENDS = Pattern.compile("(?<=\n)");
    /** A redacted line two different lines of the file read like. */
    private static final String AMBIGUOUS = "";

    private RedactedLines() {
    }

    /**
     * {@code written} with each line holding the mark replaced by the line of {@code current} it reads like.
     *
     * @param argument what the model called {@code written}, for the message
     * @throws ToolException if a line holding the mark reads like no line of a file that holds a credential
     */
    static String restore(Redactor redactor, String written, String current, String path, String argument) {
        if (!written.contains(Redactor.MARK)) {
            return written;
        }
        Map<String, String> shown = new HashMap<>();
        current.lines().forEach(line -> {
            String redacted = redactor.redact(line);
            if (!redacted.equals(line)) {
                shown.merge(redacted, line, (one, other) -> one.equals(other) ? one : AMBIGUOUS);
            }
        });
        if (shown.isEmpty()) {
            return written;
        }
        StringBuilder restored = new StringBuilder(written.length());
        String[] lines = LINE_ENDS.split(written);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String end = line.endsWith("\r\n") ? "\r\n" : line.endsWith("\n") ? "\n" : "";
            String text = line.substring(0, line.length() - end.length());
            String original = text.contains(Redactor.MARK) ? shown.get(text) : text;
            if (original == null || original.equals(AMBIGUOUS)) {
                throw new ToolException("line " + (i + 1) + " of " + argument + " holds " + Redactor.MARK
                        + ", which stands for a credential of " + path + " that is never shown, and reads like "
                        + (original == null ? "no line" : "more than one line") + " of " + path + " as read: writing it"
                        + " would put the mark in place of the credential. Copy each line holding " + Redactor.MARK
                        + " whole and exactly as read, or leave those lines out of what you change (edit_file)");
            }
            restored.append(original).append(end);
        }
        return restored.toString();
    }
}
