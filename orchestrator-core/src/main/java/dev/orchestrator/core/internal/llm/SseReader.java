package dev.orchestrator.core.internal.llm;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} body one event at a time, as the WHATWG spec describes: {@code field: value}
 * lines, comment lines starting with {@code :} skipped, several {@code data:} lines joined with a newline, and a
 * blank line ending the event. Unknown fields ({@code id:}, {@code retry:}) are ignored.
 *
 * <p>Unlike the spec, an event that is cut off by the end of the body without its blank line is still delivered:
 * real servers (and recorded fixtures) end on {@code data: {"type":"message_stop"}} without one, and dropping that
 * event would make a complete answer look truncated.
 */
public final class SseReader implements Closeable {

    private final BufferedReader reader;

    /** Reads events from {@code body}, which is UTF-8 as the spec requires. */
    public SseReader(InputStream body) {
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event, or {@code null} at the end of the body. */
    public SseEvent next() throws IOException {
        String event = "";
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event, data.toString());
                }
                event = "";
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                    // id and retry matter for browsers reconnecting, not for a one-shot completion
                }
            }
        }
        return data == null ? null : new SseEvent(event, data.toString());
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
