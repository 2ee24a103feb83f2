package example;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An application on Jackson 2 runs a scripted mission, and keeps using its own Jackson 2. */
class Jackson2ApplicationTest {

    @TempDir
    Path workspace;

    @Test
    void aScriptedMissionCompletesBesideJackson2() throws Exception {
        boolean withoutBom = Boolean.getBoolean("noBom"); // Maven's -D properties reach the tests
        Mission mission = Mission.builder()
                .goal("Write hello.txt")
                .workspace(workspace)
                .provider(ScriptedProvider.builder()
                        .onTask("commander", "triage", brief("One file."))
                        .onTask("planner", "plan", plan(todo("t1", "write hello.txt").writes("hello.txt")))
                        .onTask("worker", "t1#1", writeFile("hello.txt", "hi"), text("wrote hello.txt"))
                        .onTask("reviewer", "review-1", issues())
                        .build())
                .verifyWith("test -f hello.txt")
                .journal(workspace.resolve(".orchestrator"))
                .build();

        if (withoutBom) {
            IllegalStateException e = assertThrows(IllegalStateException.class, mission::run);
            System.out.println("WITHOUT-BOM: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("jackson-annotations 2.18.2 is on the class path"), e.getMessage());
            return;
        }
        MissionResult result = mission.run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals("hi", Files.readString(workspace.resolve("hello.txt")));
        assertEquals("{\"a\":1}", new ObjectMapper().writeValueAsString(Map.of("a", 1)));
        System.out.println("CONSUMER: " + result.outcome() + " with jackson-databind "
                + ObjectMapper.class.getPackage().getImplementationVersion() + " and jackson-annotations "
                + com.fasterxml.jackson.annotation.JsonProperty.class.getPackage().getImplementationVersion());
    }
}
