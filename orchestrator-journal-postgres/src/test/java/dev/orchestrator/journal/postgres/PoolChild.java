package dev.orchestrator.journal.postgres;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A process of the multi-process tests: a {@link MissionPool} on the database at {@code args[0]}. {@code run} runs
 * (or resumes) {@link Team#manyFiles}'s mission, printing {@code call} as each model call starts so that the parent
 * can kill or stop it in the middle of one; {@code many} runs every mission of a list that no other process holds
 * or finished, printing {@code completed ID} for each.
 *
 * <p>Arguments: url schema owner leaseMillis, then {@code run missionId workspace latencyMillis} or
 * {@code many count root}.
 */
public final class PoolChild {

    private PoolChild() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(args[0]);
        try (MissionPool pool = MissionPool.builder(db).schema(args[1]).owner(args[2])
                .leaseDuration(Duration.ofMillis(Long.parseLong(args[3]))).build()) {
            switch (args[4]) {
                case "run" -> run(pool, args[5], Path.of(args[6]), Duration.ofMillis(Long.parseLong(args[7])));
                case "many" -> many(pool, Integer.parseInt(args[5]), Path.of(args[6]));
                default -> throw new IllegalArgumentException("unknown mode " + args[4]);
            }
        }
    }

    private static void run(MissionPool pool, String missionId, Path workspace, Duration latency) {
        LlmProvider announcing = Team.watched(Team.manyFiles(latency), request -> {
            System.out.println("call " + request.metadata(ChatRequest.TASK).orElse("?"));
            System.out.flush();
        });
        MissionResult result;
        try (PostgresJournal journal = pool.open(missionId)) {
            result = Team.manyFilesMission(workspace, announcing, journal).run();
        }
        System.out.println("outcome " + result.outcome() + ": " + result.reason());
        System.out.flush();
        System.exit(result.isCompleted() ? 0 : 1);
    }

    private static void many(MissionPool pool, int count, Path root) throws Exception {
        for (int i = 0; i < count; i++) {
            String id = "m" + i;
            PostgresJournal journal;
            try {
                journal = pool.open(id);
            } catch (LeaseHeldException running) {
                continue; // another process runs it
            }
            try (journal) {
                if (journal.finished()) {
                    continue; // another process completed it
                }
                Path workspace = Files.createDirectories(root.resolve(id));
                MissionResult result = Mission.builder().goal("one file " + id).workspace(workspace)
                        .provider(Team.oneFile(id + ".txt")).verifyWith("test -f " + id + ".txt").journal(journal)
                        .build().run();
                System.out.println((result.isCompleted() ? "completed " : "failed ") + id);
                System.out.flush();
            }
        }
    }
}
