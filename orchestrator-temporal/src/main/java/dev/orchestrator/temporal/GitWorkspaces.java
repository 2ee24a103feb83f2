package dev.orchestrator.temporal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@link WorkspaceSource#git}: a clone per mission on branch {@code orchestrator/<missionId>}; each save commits
 * everything and pushes the branch, refusing to overwrite a push it has not seen (another host's).
 */
final class GitWorkspaces implements WorkspaceSource {

    /** What never goes into a commit: the engine's own directory and the write tools' temporary files. */
    private static final String EXCLUDED = ".orchestrator/\n.*.orchestrator-tmp\n";

    private final String remote;
    private final Path root;
    private final GitCommand git;
    // a mission's tasks finish at once and git keeps one index per clone: its saves and opens go one at a time
    private final ReentrantLock[] locks = new ReentrantLock[64];

    GitWorkspaces(String remote, Path root, GitCommand git) {
        if (remote == null || remote.isBlank()) {
            throw new IllegalArgumentException("WorkspaceSource.git needs the URL of a remote every worker reaches");
        }
        this.remote = remote;
        this.root = root;
        this.git = git;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    public Path open(String missionId, Revision at) {
        Path directory = MissionDirectory.under(root, missionId);
        return locked(missionId, () -> {
            if (Files.isDirectory(directory.resolve(".git"))) {
                if (!at.id().isEmpty()
                        && !git.attempt(directory, "merge-base", "--is-ancestor", at.id(), "HEAD").succeeded()) {
                    // this machine's clone is not at the history's revision (it hosted the mission before):
                    // the history is the truth
                    git.run(directory, "fetch", "--quiet", "origin");
                    checkOut(directory, missionId, at.id());
                }
                return directory;
            }
            cloneInto(directory);
            checkOut(directory, missionId, at.id().isEmpty() ? start(directory, missionId) : at.id());
            return directory;
        });
    }

    @Override
    public Revision host(String missionId, Revision at) {
        Path directory = open(missionId, at);
        return locked(missionId, () -> {
            // a host taken for lost that was only slow may still push a task it finishes: a commit of this host's
            // own on the branch, which it never saw, makes its lease (the branch where it last saw it) fail
            commit(directory, "orchestrator: mission " + missionId + " hosted here");
            git.run(directory, "push", "--quiet", "--force", "origin", "HEAD:refs/heads/" + branch(missionId));
            return revision(directory);
        });
    }

    @Override
    public Revision save(String missionId, Path workspace, String message) {
        return locked(missionId, () -> {
            git.run(workspace, "add", "--all");
            boolean born = git.attempt(workspace, "rev-parse", "--verify", "--quiet", "HEAD").succeeded();
            if (!born || !git.attempt(workspace, "diff", "--cached", "--quiet").succeeded()) {
                commit(workspace, message);
            }
            String head = git.run(workspace, "rev-parse", "HEAD");
            String branch = branch(missionId);
            GitCommand.Result seen = git.attempt(workspace, "rev-parse", "--verify", "--quiet",
                    "refs/remotes/origin/" + branch);
            String expected = seen.succeeded() ? seen.output().strip() : "";
            if (!head.equals(expected)) {
                // the lease: the branch must be where this clone last saw it, or a push of another host is lost
                git.run(workspace, "push", "--quiet", "--force-with-lease=refs/heads/" + branch + ":" + expected,
                        "origin", "HEAD:refs/heads/" + branch);
            }
            return revision(workspace);
        });
    }

    /** Commits what is staged in {@code workspace}, or nothing but the message. */
    private void commit(Path workspace, String message) {
        git.run(workspace, "-c", "user.name=orchestrator", "-c", "user.email=orchestrator@localhost", "-c",
                "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "--allow-empty", "-m", message);
    }

    /** {@return the revision {@code workspace} is at} */
    private Revision revision(Path workspace) {
        return new Revision(git.run(workspace, "rev-parse", "HEAD"),
                Long.parseLong(git.run(workspace, "rev-list", "--count", "HEAD")));
    }

    /** Clones the remote into {@code directory}, whole or not at all. */
    private void cloneInto(Path directory) {
        Path partial = directory.resolveSibling("." + directory.getFileName() + ".cloning");
        try {
            Files.createDirectories(root);
            delete(partial);
            git.run(root, "clone", "--quiet", "--no-checkout", remote, partial.toString());
            Files.writeString(partial.resolve(".git/info/exclude"), EXCLUDED);
            delete(directory);
            Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a clone under " + root + ": check that it is writable", e);
        }
    }

    /** {@return where a new mission starts: its branch if the remote has it, else the remote's default branch} */
    private String start(Path directory, String missionId) {
        for (String ref : new String[] {"refs/remotes/origin/" + branch(missionId), "refs/remotes/origin/HEAD"}) {
            if (git.attempt(directory, "rev-parse", "--verify", "--quiet", ref).succeeded()) {
                return ref;
            }
        }
        return ""; // an empty remote: the first save makes the first commit
    }

    private void checkOut(Path directory, String missionId, String revision) {
        if (revision.isEmpty()) {
            git.run(directory, "symbolic-ref", "HEAD", "refs/heads/" + branch(missionId));
            return;
        }
        GitCommand.Result checkedOut = git.attempt(directory, "checkout", "--quiet", "--force", "-B",
                branch(missionId), revision);
        if (!checkedOut.succeeded()) {
            throw new IllegalStateException("the remote " + remote + " does not hold revision " + revision
                    + " of mission " + missionId + " (" + checkedOut.output().strip() + "): its branch "
                    + branch(missionId) + " was rewritten or deleted; restore it, or start the mission afresh");
        }
        git.run(directory, "clean", "--quiet", "--force", "-d");
    }

    private static String branch(String missionId) {
        return "orchestrator/" + missionId;
    }

    private <T> T locked(String missionId, Supplier<T> action) {
        ReentrantLock lock = locks[Math.floorMod(missionId.hashCode(), locks.length)];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
