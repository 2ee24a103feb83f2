package dev.orchestrator.benchmarks.limit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/** A fixed number of calls at once (a semaphore), each retried inside its slot as the SDKs do. */
final class FixedClient extends Client {

    private final int slots;
    private final SplittableRandom random;
    private final Deque<Call> queue = new ArrayDeque<>();
    private int inFlight;

    FixedClient(Simulation sim, int slots, long seed) {
        super(sim);
        this.slots = slots;
        this.random = new SplittableRandom(seed);
    }

    @Override
    void start(Call call) {
        if (inFlight < slots) {
            inFlight++;
            send(call);
        } else {
            queue.add(call);
        }
    }

    private void send(Call call) {
        call.attempts++;
        sim.send(this, call);
    }

    @Override
    void completed(Call call, SimulatedProvider.Answer answer) {
        if (answer instanceof SimulatedProvider.Refused refused) {
            OptionalDouble delay = SdkRetry.delay(refused.failure(), call.attempts, random);
            if (delay.isPresent()) {
                sim.loop.after(delay.getAsDouble(), () -> send(call));
                return;
            }
        }
        inFlight--;
        Call next = queue.poll();
        if (next != null) {
            inFlight++;
            send(next);
        }
        sim.finish(call, answer instanceof SimulatedProvider.Ok);
    }
}
