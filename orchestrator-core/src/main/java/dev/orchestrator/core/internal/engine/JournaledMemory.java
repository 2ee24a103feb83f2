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
    public String atStart() {
        return recorder.state().memory();
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

    // synchronized: two tasks noting the same thing at once must not both pass the check
    @Override
    public synchronized void remember(String note) {
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("a memory note must not be blank");
        }
        String line = MemoryFile.oneLine(note);
        if (line.length() > MemoryFile.MAX_NOTE_CHARS) {
            throw new IllegalArgumentException("a memory note takes at most " + MemoryFile.MAX_NOTE_CHARS
                    + " characters, this one has " + line.length() + ": note one fact at a time, briefly");
        }
        String key = MemoryFile.key(line);
        // a resumed agent says again what it said before the crash; its first saying is in the journal
        if (!recorder.state().memoryNotes().exists(known -> MemoryFile.key(known).equals(key))) {
            recorder.record(new MemoryNoted(line, recorder.now()));
        }
    }
}
