package dev.orchestrator.temporal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a worker finds the files of a mission. Each task runs on a worker in the mission's workspace on that
 * machine; a worker that takes over from a lost one gets the workspace from here.
 */
public interface WorkspaceSource {

    /**
     * The mission's workspace on this machine, ready for a task: made, fetched or brought up to date.
     *
     * @param missionId the mission
     * @return the directory, existing
     */
    Path open(String missionId);

    /**
     * A directory every worker sees (NFS and the like): the workspace of a mission is {@code root/missionId}, the
     * same files on every machine, so a worker that takes over has nothing to rebuild.
     *
     * @param root the shared directory
     * @return the source
     */
    static WorkspaceSource sharedDirectory(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        return missionId -> {
            if (missionId.isEmpty() || !missionId.matches("[A-Za-z0-9._-]+") || missionId.startsWith(".")) {
                throw new IllegalArgumentException("mission id '" + missionId + "' cannot name a directory: use "
                        + "letters, digits, '.', '_' and '-' in Mission.Builder.missionId(...)");
            }
            try {
                return Files.createDirectories(absolute.resolve(missionId)).toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the workspace of mission " + missionId + " under "
                        + absolute + ": check that the shared directory is mounted and writable", e);
            }
        };
    }
}
