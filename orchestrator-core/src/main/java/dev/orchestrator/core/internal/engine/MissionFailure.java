package dev.orchestrator.core.internal.engine;

import java.io.Serial;

/** Something the mission cannot go on from; its message becomes the mission's reason. */
final class MissionFailure extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    MissionFailure(String message) {
        super(message);
    }
}
