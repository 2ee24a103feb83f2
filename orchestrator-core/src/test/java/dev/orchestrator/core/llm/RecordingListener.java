package dev.orchestrator.core.llm;

import dev.orchestrator.api.StreamListener;
import java.util.ArrayList;
import java.util.List;

/** Remembers what a stream reported, in order. */
final class RecordingListener implements StreamListener {
    final StringBuilder text = new StringBuilder();
    final List<String> toolCallsStarted = new ArrayList<>();

    @Override
    public void onText(String delta) {
        text.append(delta);
    }

    @Override
    public void onToolCallStarted(String id, String name) {
        toolCallsStarted.add(id + " " + name);
    }
}
