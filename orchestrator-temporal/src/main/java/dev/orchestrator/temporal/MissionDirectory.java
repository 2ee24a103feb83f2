package dev.orchestrator.temporal;

import java.nio.file.Path;

/** The directory of a mission's workspace under a worker's root, for every {@link WorkspaceSource} here. */
final class MissionDirectory {

    private MissionDirectory() {
    }

    /** {@return the directory of {@code missionId} under {@code root}, if the id can name one} */
    static Path under(Path root, String missionId) {
        if (missionId.isEmpty() || !missionId.matches("[A-Za-z0-9._-]+") || missionId.startsWith(".")) {
            throw new IllegalArgumentException("mission id '" + missionId + "' cannot name a directory: use "
                    + "letters, digits, '.', '_' and '-' in Mission.Builder.missionId(...)");
        }
        return root.resolve(missionId);
    }
}
