package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.MissionEvent.MemoryNoted;
import dev.orchestrator.api.ProjectMemory;

/** Project memory whose notes are mission events, so they survive with the journal and replay with it. */
final class JournaledMemory implements ProjectMemory {

    private final EventRecorder recorder;

    JournaledMemory(EventRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public String read() {
        MissionState state = recorder.state();
        if (state.memoryNotes().isEmpty()) {
            return state.memory();
        }
        StringBuilder text = new StringBuilder(state.memory());
        state.memoryNotes().forEach(note -> text.append(text.isEmpty() ? "" : "\n").append("- ").append(note));
        return text.toString();
    }

    @Override
    public void remember(String note) {
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("a memory note must not be blank");
        }
        // a resumed agent may say again what it said before the crash
        if (!recorder.state().memoryNotes().contains(note.strip())) {
            recorder.record(new MemoryNoted(note.strip(), recorder.now()));
        }
    }
}
