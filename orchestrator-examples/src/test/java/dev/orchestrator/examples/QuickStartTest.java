package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.cli.ConsoleProgress;
import dev.orchestrator.cli.QuickStartScript;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {

    @TempDir
    Path workspace;

    @Test
    void theScriptedQuickStartCompilesFailsOnceGetsFixedAndCompletes() throws IOException {
        List<MissionEvent.VerifyCompleted> verifies = Collections.synchronizedList(new ArrayList<>());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConsoleProgress progress = ConsoleProgress.plain(new PrintStream(console, true, StandardCharsets.UTF_8));

        MissionResult result = QuickStart.mission(workspace, QuickStartScript.provider(Duration.ZERO),
                (event, state) -> {
                    progress.onEvent(event, state);
                    if (event instanceof MissionEvent.VerifyCompleted verify) {
                        verifies.add(verify);
                    }
                }).run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        for (Map.Entry<String, String> file : QuickStartScript.FILES.entrySet()) {
            assertEquals(file.getValue(), Files.readString(workspace.resolve(file.getKey())), file.getKey());
        }
        assertEquals(2, verifies.size());
        assertTrue(verifies.get(0).result().output().contains("';' expected"), verifies.get(0).result().output());
        assertTrue(verifies.get(1).result().output().contains("all 3 checks passed"), verifies.get(1).result().output());
        assertEquals(7, result.todos().size());
        assertTrue(result.todos().stream().allMatch(t -> t.state() == TodoStatus.State.DONE));
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("plan: 6 todos"), printed);
        assertTrue(printed.contains("fixes after review 1: 1 todo (fix-1)"), printed);
        assertTrue(printed.contains("finished: COMPLETED"), printed);

        // the journal in the workspace makes a second run a resume of a finished mission: same result, no call
        ScriptedProvider again = QuickStartScript.provider(Duration.ZERO);
        MissionResult resumed = QuickStart.mission(workspace, again, (event, state) -> { }).run();
        assertEquals(result.missionId(), resumed.missionId());
        assertEquals(result.todos(), resumed.todos());
        assertEquals(0, again.callCount());
    }
}
