package dev.orchestrator.temporal;

import dev.orchestrator.temporal.WorkspaceSource.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link WorkspaceSource#git} costs a task, with a bare repository on disk as the remote: a save of one changed
 * file (add, commit, push), a save with nothing changed, a rebuild on another machine's root at the last revision,
 * and an open where the clone already holds it. Not a test (nothing is asserted): run
 * {@code java -cp <test classpath> dev.orchestrator.temporal.GitSaveCost 50}.
 */
public final class GitSaveCost {

    private GitSaveCost() {
    }

    /** @param args how many saves to time */
    public static void main(String[] args) throws Exception {
        int saves = Integer.parseInt(args[0]);
        Path dir = Files.createTempDirectory("git-save-cost");
        Path bare = dir.resolve("remote.git");
        new GitCommand(Duration.ofMinutes(1)).run(dir, "init", "--quiet", "--bare", bare.toString());
        String remote = bare.toUri().toString();
        WorkspaceSource one = WorkspaceSource.git(remote, dir.resolve("one"));
        Path workspace = one.open("m", Revision.NONE);
        Revision last = Revision.NONE;
        long start = System.nanoTime();
        for (int i = 0; i < saves; i++) {
            Files.writeString(workspace.resolve("f" + i + ".txt"), ("line of file " + i + "\n").repeat(100));
            last = one.save("m", workspace, "t" + i);
        }
        double perSave = millisSince(start) / saves;
        start = System.nanoTime();
        one.save("m", workspace, "nothing changed");
        double unchanged = millisSince(start);
        start = System.nanoTime();
        WorkspaceSource.git(remote, dir.resolve("two")).open("m", last);
        double rebuild = millisSince(start);
        start = System.nanoTime();
        one.open("m", last);
        double held = millisSince(start);
        System.out.printf("%d saves: %.1f ms per save; a save with nothing changed %.1f ms; a rebuild on another "
                + "root %.1f ms; an open where the clone holds the revision %.1f ms (files left in %s)%n", saves,
                perSave, unchanged, rebuild, held, dir);
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
