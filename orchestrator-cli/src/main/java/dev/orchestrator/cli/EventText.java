package dev.orchestrator.cli;

import dev.orchestrator.api.MissionEvent;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Mission events as people and programs read them: one line of text, or one JSON object per line for jq. */
final class EventText {

    /** A field longer than this is cut in the text form; the JSON form keeps everything. */
    private static final int FIELD = 80;
    static final JsonMapper JSON = JsonMapper.builder().build();

    private EventText() {
    }

    /** {@code seq  time  Kind  field=value ...}, every field on one line and cut to a readable length. */
    static String line(long seq, MissionEvent event) {
        StringBuilder line = new StringBuilder();
        line.append(String.format("%6d  %s  %s", seq, event.at(), event.getClass().getSimpleName()));
        for (RecordComponent component : event.getClass().getRecordComponents()) {
            if (component.getName().equals("at")) {
                continue;
            }
            line.append("  ").append(component.getName()).append('=').append(value(read(component, event)));
        }
        return line.toString();
    }

    /** {@code {"seq":1,"type":"MissionStarted","at":"...","event":{...}}}. */
    static String json(long seq, MissionEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", seq);
        node.put("type", event.getClass().getSimpleName());
        node.set("event", JSON.valueToTree(event));
        return JSON.writeValueAsString(node);
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass(), e);
        }
    }

    private static String value(Object value) {
        Object shown = value instanceof Optional<?> optional ? optional.orElse(null) : value;
        String text;
        if (shown instanceof Collection<?> items) {
            text = items.size() + " item" + (items.size() == 1 ? "" : "s") + (items.isEmpty() ? "" : ": " + items);
        } else if (shown instanceof Map<?, ?> map) {
            text = map.toString();
        } else {
            text = String.valueOf(shown);
        }
        text = text.replace('\n', ' ').replace('\r', ' ');
        return text.length() <= FIELD ? text : text.substring(0, FIELD - 1) + "…";
    }
}
