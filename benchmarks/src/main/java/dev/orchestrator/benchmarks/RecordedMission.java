package dev.orchestrator.benchmarks;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The events of a real mission for benchmarks that replay them: the scripted team, each Worker one call. */
public final class RecordedMission {

    private RecordedMission() {
    }

    /** The events, in journal order, of a mission of {@code todos} independent todos that completed. */
    public static List<MissionEvent> events(int todos) {
        List<MissionEvent> events = new ArrayList<>();
        MissionListener recorder = new MissionListener() {
            @Override
            public void onEvent(MissionEvent event, MissionProgress progress) {
                events.add(event); // listeners are called on one thread, in journal order
            }
        };
        try {
            Path workspace = Files.createTempDirectory("recorded-mission");
            try {
                MissionResult result = Mission.builder()
                        .goal("Answer " + todos + " calls")
                        .workspace(workspace)
                        .provider(ScriptedTeam.script(todos, ScriptedProvider.text("done")).build())
                        .verifyWith("true")
                        .maxParallelWorkers(Math.min(todos, 64))
                        .listener(recorder)
                        .build()
                        .run();
                if (!result.isCompleted()) {
                    throw new IllegalStateException("the recorded mission did not complete: " + result.reason());
                }
            } finally {
                Files.deleteIfExists(workspace);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(events);
    }
}
