package dev.orchestrator.temporal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a worker finds the files of a mission. A mission's tasks run on one worker at a time, its host, in the
 * mission's workspace there; when the host is lost, the workflow picks another, which rebuilds the workspace from
 * here at the last {@link Revision} a finished task saved (the workflow's history holds it).
 */
public interface WorkspaceSource {

    /**
     * The mission's workspace on this machine, ready for a task: made, fetched or brought to {@code at}. A workspace
     * already here that holds {@code at} (it is this machine's, with tasks under way) is left as it is.
     *
     * @param missionId the mission
     * @param at the last revision a task of the mission saved, or {@link Revision#NONE} before any
     * @return the directory, existing
     * @throws UncheckedIOException if the files' store cannot be reached for now: the task is tried again
     */
    Path open(String missionId, Revision at);

    /**
     * The mission's workspace on a machine that takes the mission on, as {@link #open}; a source that a machine
     * which hosted the mission before could still save to (one taken for lost that was only slow) keeps it from
     * saving over this host's work from now on.
     *
     * @param missionId the mission
     * @param at the last revision a task of the mission saved, or {@link Revision#NONE} before any
     * @return the revision the mission's tasks go on from: {@code at}, or one this made
     * @throws UncheckedIOException if the files' store cannot be reached for now: another attempt is made
     */
    default Revision host(String missionId, Revision at) {
        open(missionId, at);
        return at;
    }

    /**
     * Saves the workspace after a task finished, so that another machine can rebuild it; a source whose files
     * every machine sees saves nothing.
     *
     * @param missionId the mission
     * @param workspace the directory {@link #open} gave
     * @param message what the task did, for the record
     * @return the revision that holds the files now
     * @throws UncheckedIOException if the files' store cannot be reached for now: the task is tried again
     */
    default Revision save(String missionId, Path workspace, String message) {
        return Revision.NONE;
    }

    /**
     * A saved state of a workspace: what a new host rebuilds.
     *
     * @param id the source's name for it, such as a git commit id; empty for none
     * @param sequence grows with each save of a mission, so that the workflow keeps the newest of saves that
     *     finish in any order
     */
    record Revision(String id, long sequence) {

        /** No revision: a new mission, or a source that saves nothing. */
        public static final Revision NONE = new Revision("", 0);

        /** Checks the id. */
        public Revision {
            Objects.requireNonNull(id, "id");
        }

        /** {@return the newer of this and {@code other}; a null is no revision} */
        public Revision newer(Revision other) {
            return other != null && other.sequence > sequence ? other : this;
        }
    }

    /**
     * A directory every worker sees (NFS and the like): the workspace of a mission is {@code root/missionId}, the
     * same files on every machine, so a worker that takes over has nothing to rebuild.
     *
     * @param root the shared directory
     * @return the source
     */
    static WorkspaceSource sharedDirectory(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        return (missionId, at) -> {
            try {
                return Files.createDirectories(MissionDirectory.under(absolute, missionId)).toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the workspace of mission " + missionId + " under "
                        + absolute + ": check that the shared directory is mounted and writable", e);
            }
        };
    }

    /**
     * A git repository that every worker can reach: the workspace of a mission is a clone in
     * {@code root/missionId} on branch {@code orchestrator/missionId}, started from the remote's default branch.
     * Each finished task commits the workspace and pushes the branch; a worker that takes over clones the branch
     * at the commit the workflow's history names. Runs the {@code git} command (its environment: the commands'
     * allowlist, {@code SSH_AUTH_SOCK} and {@code GIT_SSH_COMMAND}; no prompts), each within five minutes.
     *
     * @param remote the repository's URL, as {@code git clone} takes it ({@code git@host:team/repo.git},
     *     {@code https://...}, {@code file:///srv/repo.git})
     * @param root where this worker keeps its clones
     * @return the source
     */
    static WorkspaceSource git(String remote, Path root) {
        return git(remote, root, Duration.ofMinutes(5));
    }

    /**
     * {@link #git(String, Path)} with another limit on each {@code git} command.
     *
     * @param remote the repository's URL
     * @param root where this worker keeps its clones
     * @param timeout how long one {@code git} command may run (a clone of a large repository takes longest)
     * @return the source
     */
    static WorkspaceSource git(String remote, Path root, Duration timeout) {
        return new GitWorkspaces(remote, root.toAbsolutePath().normalize(), new GitCommand(timeout));
    }
}
