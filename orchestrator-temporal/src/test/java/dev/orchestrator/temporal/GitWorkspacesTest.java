package dev.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.temporal.WorkspaceSource.Revision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WorkspaceSource#git} on two machines (two roots) and a bare repository as the remote. */
class GitWorkspacesTest {

    private static final GitCommand GIT = new GitCommand(Duration.ofMinutes(1));

    @TempDir
    Path temp;

    private String remote;
    private WorkspaceSource one;
    private WorkspaceSource two;

    @BeforeEach
    void anEmptyRemoteAndTwoMachines() {
        Path bare = temp.resolve("remote.git");
        GIT.run(temp, "init", "--quiet", "--bare", bare.toString());
        remote = bare.toUri().toString();
        one = WorkspaceSource.git(remote, temp.resolve("one"));
        two = WorkspaceSource.git(remote, temp.resolve("two"));
    }

    @Test
    void anotherMachineRebuildsTheWorkspaceAtTheRevisionItIsGivenNotAtTheBranchTip() throws IOException {
        Path first = one.open("m", Revision.NONE);
        Files.writeString(first.resolve("a.txt"), "A\n");
        Revision a = one.save("m", first, "t1");
        Files.writeString(first.resolve("b.txt"), "B\n");
        Revision b = one.save("m", first, "t2");
        assertTrue(b.sequence() > a.sequence(), a + " then " + b);

        Path second = two.open("m", a);
        assertEquals(Map.of("a.txt", "A\n"), FourTodos.files(second), "b.txt came after revision a");
        Files.writeString(second.resolve("c.txt"), "C\n");
        Revision c = two.save("m", second, "t3");
        assertEquals(b.sequence(), c.sequence(), "c follows a, as b did");
        assertEquals(c.id(), GIT.run(temp.resolve("remote.git"), "rev-parse", "orchestrator/m"),
                "the branch follows the history's revision, not the lost machine's last push");
    }

    @Test
    void aMachineThatNoLongerHostsTheMissionCannotOverwriteTheBranch() throws IOException {
        Path first = one.open("m", Revision.NONE);
        Revision a = savesA(first);
        Path second = two.open("m", a);
        Files.writeString(second.resolve("b.txt"), "B\n");
        two.save("m", second, "t2");

        // the first machine was taken for lost, but still finishes a task
        lateSaveIsRefused(first);
    }

    @Test
    void aMachineThatHostedTheMissionBeforeCannotPushOverTheNewHostEvenBeforeItsFirstSave() throws IOException {
        Path first = one.open("m", Revision.NONE);
        Revision a = savesA(first);
        // the second machine takes the mission on at a; the first, taken for lost, still finishes a task
        Revision hosted = two.host("m", a);
        assertTrue(hosted.sequence() > a.sequence(), "the new host's own commit: " + a + " then " + hosted);
        // before: the first machine's push went through (the branch was where it last saw it), and the new host's
        // first save was refused
        lateSaveIsRefused(first);
        Path second = two.open("m", hosted);
        Files.writeString(second.resolve("b.txt"), "B\n");
        Revision b = two.save("m", second, "t2");
        assertEquals(b.id(), GIT.run(temp.resolve("remote.git"), "rev-parse", "orchestrator/m"));
        assertEquals(Map.of("a.txt", "A\n", "b.txt", "B\n"), FourTodos.files(second));
    }

    /** {@return the revision of the first machine's task that wrote a.txt in {@code first}} */
    private Revision savesA(Path first) throws IOException {
        Files.writeString(first.resolve("a.txt"), "A\n");
        return one.save("m", first, "t1");
    }

    /** The first machine, no longer the host, saves a task it finished late: refused, with what to do. */
    private void lateSaveIsRefused(Path first) throws IOException {
        Files.writeString(first.resolve("late.txt"), "late\n");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> one.save("m", first, "t9"));
        assertTrue(refused.getMessage().contains("another machine pushed to the mission's branch"),
                refused.getMessage());
    }

    @Test
    void aSaveWithNothingChangedKeepsTheRevisionAndTheEnginesFilesAreNeverCommitted() throws IOException {
        Path workspace = one.open("m", Revision.NONE);
        Files.writeString(workspace.resolve("a.txt"), "A\n");
        Files.createDirectories(workspace.resolve(".orchestrator"));
        Files.writeString(workspace.resolve(".orchestrator/memory.md"), "notes\n");
        Files.writeString(workspace.resolve(".a.txt.orchestrator-tmp"), "half a write\n");
        Revision saved = one.save("m", workspace, "t1");
        assertEquals(saved, one.save("m", workspace, "t2"));
        String committed = GIT.run(workspace, "ls-tree", "-r", "--name-only", "HEAD");
        assertEquals("a.txt", committed);
    }

    @Test
    void aMachineThatHoldsTheRevisionKeepsItsWorkInProgress() throws IOException {
        Path workspace = one.open("m", Revision.NONE);
        Files.writeString(workspace.resolve("a.txt"), "A\n");
        Revision a = one.save("m", workspace, "t1");
        Files.writeString(workspace.resolve("b.txt"), "a task under way\n");
        assertEquals(workspace, one.open("m", a));
        assertTrue(Files.exists(workspace.resolve("b.txt")), "another task's file is not cleaned away");
        assertFalse(Files.exists(temp.resolve("one/.m.cloning")), "no partial clone is left");
    }
}
