package dev.orchestrator.core.internal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project memory file ({@code memory.md}): one note a line, the most useful first, at most {@link #MAX_CHARS}
 * characters. A note's usefulness is how many missions noted it; among equals, the newer note ranks first. When a
 * mission ends, its notes are merged into the file: a note the file already has (compared without case, spacing or
 * final punctuation) counts one mission more, and when the file would outgrow its bound the least useful notes of
 * earlier missions are dropped, with a line that says how many went.
 *
 * <p>The merge counts a note against the memory as the mission started with it (journaled in its first event), not
 * against the file as it is now, so saving the same mission twice (after a resume) writes the same file.
 */
final class MemoryFile {

    /** The most the file may hold, in characters: about 2,000 tokens in every agent's system prompt. */
    static final int MAX_CHARS = 8_000;
    /** The most one note may hold, in characters. */
    static final int MAX_NOTE_CHARS = 500;

    private static final String HEADER = "# Project memory";
    private static final Pattern ENTRY = Pattern.compile("^[-*] +(.*?)(?: \\(noted by (\\d+) missions\\))?$");
    private static final Pattern DROPPED = Pattern.compile(
            "^_(\\d+) notes? dropped so far, the least noted first, to keep this file within [0-9,]+ characters\\._$");

    /** A note and the number of missions that noted it. */
    record Entry(String text, int missions) {
        String line() {
            return "- " + text + (missions > 1 ? " (noted by " + missions + " missions)" : "");
        }
    }

    /** The notes of a memory file, and how many were dropped from it so far. */
    record Parsed(List<Entry> entries, int dropped) {
        Parsed {
            entries = List.copyOf(entries);
        }
    }

    private MemoryFile() {
    }

    /** {@code note} on one line, without surrounding space: each line of the file is one note. */
    static String oneLine(String note) {
        return note.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** What two notes that say the same thing have in common: case, spacing and final punctuation do not count. */
    static String key(String note) {
        return oneLine(note).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("[.;:!,\\s]+$", "");
    }

    /**
     * The notes of {@code text}, one per line: bullets are taken off, headings skipped, and any other line (written
     * by a person) is a note as it is. A note written twice is kept once, with the larger count.
     */
    static Parsed parse(String text) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        int dropped = 0;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            Matcher drop = DROPPED.matcher(line);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (drop.matches()) {
                dropped = Integer.parseInt(drop.group(1));
                continue;
            }
            Matcher entry = ENTRY.matcher(line);
            Entry parsed = entry.matches()
                    ? new Entry(entry.group(1).strip(), entry.group(2) == null ? 1 : Integer.parseInt(entry.group(2)))
                    : new Entry(line, 1);
            if (!parsed.text().isEmpty()) {
                entries.merge(key(parsed.text()), parsed,
                        (a, b) -> a.missions() >= b.missions() ? a : b);
            }
        }
        return new Parsed(new ArrayList<>(entries.values()), dropped);
    }

    /** The notes of {@code text} as agents read them: one line each, without the file's heading or its drop count. */
    static String forPrompt(String text) {
        return String.join("\n", parse(text).entries().stream().map(Entry::line).toList());
    }

    /**
     * The file after a mission that started with the memory {@code atStart} noted {@code notes}, merged into the
     * file's {@code current} text, within {@code maxChars}.
     */
    static String merged(String current, String atStart, List<String> notes, int maxChars) {
        Parsed file = parse(current);
        Map<String, Integer> startCounts = new LinkedHashMap<>();
        parse(atStart).entries().forEach(entry -> startCounts.put(key(entry.text()), entry.missions()));
        Map<String, Entry> byKey = new LinkedHashMap<>();
        file.entries().forEach(entry -> byKey.put(key(entry.text()), entry));

        Map<String, Entry> mine = new LinkedHashMap<>();
        for (String note : notes) {
            String key = key(note);
            int counted = startCounts.getOrDefault(key, 0) + 1;
            int inFile = byKey.containsKey(key) ? byKey.get(key).missions() : 0;
            mine.putIfAbsent(key, new Entry(oneLine(note), Math.max(counted, inFile)));
        }
        List<Entry> ranked = new ArrayList<>(mine.values());
        byKey.forEach((key, entry) -> {
            if (!mine.containsKey(key)) {
                ranked.add(entry);
            }
        });
        // stable: among notes counted as often, this mission's come first, then the file's in their order
        ranked.sort(Comparator.comparingInt(Entry::missions).reversed());

        int dropped = file.dropped();
        while (render(ranked, dropped, maxChars).length() > maxChars && !ranked.isEmpty()) {
            int least = leastUseful(ranked, mine);
            // only notes that were in the file count as dropped from it: this mission's own that do not fit never
            // were, and counting them would change the file each time the same mission is saved
            if (!mine.containsKey(key(ranked.remove(least).text()))) {
                dropped++;
            }
        }
        return render(ranked, dropped, maxChars);
    }

    /** The last-ranked note of an earlier mission, or this mission's last if only its own are left. */
    private static int leastUseful(List<Entry> ranked, Map<String, Entry> mine) {
        for (int i = ranked.size() - 1; i >= 0; i--) {
            if (!mine.containsKey(key(ranked.get(i).text()))) {
                return i;
            }
        }
        return ranked.size() - 1;
    }

    private static String render(List<Entry> entries, int dropped, int maxChars) {
        StringBuilder text = new StringBuilder(HEADER).append("\n\n");
        entries.forEach(entry -> text.append(entry.line()).append('\n'));
        if (dropped > 0) {
            text.append('\n').append('_').append(dropped).append(dropped == 1 ? " note" : " notes")
                    .append(" dropped so far, the least noted first, to keep this file within ")
                    .append(String.format(Locale.ROOT, "%,d", maxChars)).append(" characters._\n");
        }
        return text.toString();
    }

    /** The text of {@code file}, or nothing when it does not exist. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the project memory file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Merges {@code notes} into {@code file} (see {@link #merged}), replacing it whole so that a crash leaves the
     * old file or the new one. Nothing is written when there are no notes.
     */
    static void save(Path file, String atStart, List<String> notes) {
        if (notes.isEmpty()) {
            return;
        }
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
            Files.writeString(temporary, merged(read(absolute), atStart, notes, MAX_CHARS));
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the project memory file " + file + ": " + e.getMessage()
                    + "; check that its directory is writable", e);
        }
    }
}
