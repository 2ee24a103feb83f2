package dev.orchestrator.temporal;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/** What the tests need to lose a machine mid-mission: a call that holds until the machine stops. */
final class LostMachine {

    private LostMachine() {
    }

    /** {@return a reply that opens {@code held} and waits until its machine is stopped (its thread interrupted)} */
    static Function<ChatRequest, ChatResponse> holdsUntilStopped(CountDownLatch held) {
        return request -> {
            held.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new LlmException.Transient("the machine went away", 0, null);
        };
    }
}
