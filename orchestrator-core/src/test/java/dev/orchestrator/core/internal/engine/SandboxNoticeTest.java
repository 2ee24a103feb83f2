package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.runCommand;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.internal.tools.Sandbox;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxNoticeTest {

    @TempDir
    Path workspace;

    @Test
    void withoutTheSandboxTheMissionSaysSoOnceAndJournalsEveryCommand() {
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", plan(todo("run", "run two commands")))
                .onTask(Agent.WORKER, "run#1", runCommand("echo one"), runCommand("echo two"), text("ran"))
                .onRole(Agent.REVIEWER, noIssues())
                .build();
        List<MissionEvent> events = new CopyOnWriteArrayList<>();
        String before = System.getProperty(Sandbox.BWRAP_PROPERTY);
        System.setProperty(Sandbox.BWRAP_PROPERTY, "none");
        MissionResult result;
        try {
            result = Mission.builder().goal("two commands").workspace(workspace).provider(provider)
                    .verifyWith("true").listener((event, progress) -> events.add(event)).build().run();
        } finally {
            if (before == null) {
                System.clearProperty(Sandbox.BWRAP_PROPERTY);
            } else {
                System.setProperty(Sandbox.BWRAP_PROPERTY, before);
            }
        }

        assertTrue(result.isCompleted(), result::toString);
        List<String> notices = events.stream().flatMap(e -> e instanceof MissionEvent.AgentNote note
                && note.role().equals("sandbox") ? java.util.stream.Stream.of(note.text())
                : java.util.stream.Stream.empty()).toList();
        assertEquals(1, notices.size(), notices::toString);
        assertTrue(notices.getFirst().contains("unsandboxed"), notices.getFirst());
        // the two run_command calls and the verify command
        assertEquals(3, events.stream().filter(MissionEvent.CommandStarted.class::isInstance).count());
    }

    @Test
    void aMissionLooksForTheSandboxAtItsFirstCommandAndAResumeThatRunsNoneNever(@TempDir Path bin)
            throws IOException {
        // a bwrap that only says it was asked: the probe then finds it does not work, and commands run unsandboxed
        Path marker = bin.resolve("probed");
        Path fake = Files.writeString(bin.resolve("bwrap"), "#!/bin/sh\necho >> " + marker + "\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        InMemoryJournal journal = new InMemoryJournal();
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", plan(todo("t", "say done")))
                .onTask(Agent.WORKER, "t#1", text("done"))
                .onRole(Agent.REVIEWER, noIssues())
                .build();
        Mission.Builder mission = Mission.builder().goal("no command but the verify").workspace(workspace)
                .provider(provider).verifyWith("true").journal(journal);
        String before = System.getProperty(Sandbox.BWRAP_PROPERTY);
        System.setProperty(Sandbox.BWRAP_PROPERTY, fake.toString());
        try {
            assertTrue(mission.build().run().isCompleted());
            assertTrue(Files.exists(marker), "the verify command made the mission look for the sandbox");
            Files.delete(marker);

            // another path, as each path's probe is remembered for the JVM's life
            Path other = Files.copy(fake, bin.resolve("bwrap-too"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            System.setProperty(Sandbox.BWRAP_PROPERTY, other.toString());
            assertTrue(mission.build().run().isCompleted());
            assertFalse(Files.exists(marker), "resuming the completed mission ran no command, so no probe");
        } finally {
            if (before == null) {
                System.clearProperty(Sandbox.BWRAP_PROPERTY);
            } else {
                System.setProperty(Sandbox.BWRAP_PROPERTY, before);
            }
        }
    }
}
