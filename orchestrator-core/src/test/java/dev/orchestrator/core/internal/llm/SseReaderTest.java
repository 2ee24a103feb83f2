package dev.orchestrator.core.internal.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    private static List<SseEvent> read(String body) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))) {
            SseEvent event;
            while ((event = reader.next()) != null) {
                events.add(event);
            }
        }
        return events;
    }

    @Test
    void eventsEndAtBlankLinesAndKeepTheirNames() throws IOException {
        assertEquals(List.of(new SseEvent("message_start", "{\"a\":1}"), new SseEvent("", "{\"b\":2}")),
                read("event: message_start\ndata: {\"a\":1}\n\ndata: {\"b\":2}\n\n"));
    }

    @Test
    void commentLinesAreSkipped() throws IOException {
        assertEquals(List.of(new SseEvent("", "x")), read(": OPENROUTER PROCESSING\n\n:keep-alive\ndata: x\n\n"));
    }

    @Test
    void multiLineDataIsJoinedWithNewlines() throws IOException {
        assertEquals(List.of(new SseEvent("", "{\n\"a\": 1\n}")), read("data: {\ndata: \"a\": 1\ndata: }\n\n"));
    }

    @Test
    void finalEventWithoutTrailingBlankLineIsDelivered() throws IOException {
        assertEquals(List.of(new SseEvent("ping", "1"), new SseEvent("message_stop", "{\"type\":\"message_stop\"}")),
                read("event: ping\ndata: 1\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}"));
    }

    @Test
    void crlfLineEndsOnlyOneLeadingSpaceIsStrippedAndUnknownFieldsAreIgnored() throws IOException {
        assertEquals(List.of(new SseEvent("", "  two spaces"), new SseEvent("", "nospace")),
                read("id: 7\r\nretry: 1000\r\ndata:   two spaces\r\n\r\ndata:nospace\r\n\r\n"));
    }

    @Test
    void eventNameWithoutDataIsDropped() throws IOException {
        assertEquals(List.of(new SseEvent("", "d")), read("event: lonely\n\ndata: d\n\n"));
    }

    @Test
    void emptyBodyHasNoEvents() throws IOException {
        assertEquals(List.of(), read(""));
    }
}
