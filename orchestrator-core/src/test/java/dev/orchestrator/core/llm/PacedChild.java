package dev.orchestrator.core.llm;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM of {@link PacedResumeTest}: runs or resumes a mission against a rate-limited loopback server, then
 * ends as {@code kill -9} ends a JVM ({@link Runtime#halt}: no shutdown hook, no close). A fresh JVM's limiter knows
 * nothing, as after a crash. Arguments: base URL, API key, workspace, journal, the number of model calls to complete
 * in this run, and {@code paced} to count them only once the pacer has learned a rate.
 */
public final class PacedChild {

    static final int TODOS = 30;
    static final int MAX_PARALLEL = 4;
    /** The exit code of a run that ended itself as planned. */
    static final int HALTED = 86;

    private PacedChild() {
    }

    public static void main(String[] args) {
        String baseUrl = args[0];
        String apiKey = args[1];
        Path workspace = Path.of(args[2]);
        Path journal = Path.of(args[3]);
        int calls = Integer.parseInt(args[4]);
        AtomicBoolean counting = new AtomicBoolean(!(args.length > 5 && args[5].equals("paced")));
        Instant started = Instant.now();
        AtomicInteger completed = new AtomicInteger();
        OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(baseUrl).apiKey(apiKey)
                .model("loopback-model").build();
        Mission.builder().goal("thirty small things").workspace(workspace).provider(provider).verifyWith("true")
                .maxParallelWorkers(MAX_PARALLEL).journal(journal).listener((event, progress) -> {
                    if (event instanceof MissionEvent.ConcurrencyChanged changed && changed.requestsPerMinute() > 0) {
                        counting.set(true);
                    }
                    // calls of this run only: a resume does not hear again of the calls its journal holds
                    if (event instanceof MissionEvent.LlmCallCompleted call && call.at().isAfter(started)
                            && counting.get() && completed.incrementAndGet() == calls) {
                        Runtime.getRuntime().halt(HALTED);
                    }
                }).build().run();
        System.exit(0);
    }
}
