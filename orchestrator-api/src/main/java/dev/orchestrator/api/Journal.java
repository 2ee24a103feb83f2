package dev.orchestrator.api;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where a mission's events are recorded before they take effect. The default keeps them in memory; a file-backed
 * journal makes a mission survive a crash.
 *
 * <p>A journal given to {@link Mission.Builder#journal(Journal)} belongs to the caller, who closes it.
 */
public interface Journal extends AutoCloseable {

    /**
     * Appends {@code event}. Events are ordered as the calls are made; the future completes with the event's
     * sequence number (from 1, rising by one) once the event is durable, and futures complete in that order.
     * It completes exceptionally if the event could not be made durable, after which the journal accepts no more.
     *
     * @param event the event
     * @return the event's sequence number, completed once the event is durable
     */
    CompletableFuture<Long> append(MissionEvent event);

    /**
     * Gives every recorded event to {@code sink}, oldest first.
     *
     * @param sink what receives each event, in order
     */
    void replay(Consumer<? super MissionEvent> sink);

    /**
     * How many bytes of encoded events this journal took in since it was opened: what a mission's metrics report
     * as the journal's throughput. Cheap enough to read around every append. 0 for a journal that does not encode
     * events (the in-memory one), which is the default.
     *
     * @return the encoded size of the events appended so far
     */
    default long appendedBytes() {
        return 0;
    }

    /** Releases what the journal holds; further appends fail. */
    @Override
    void close();
}
