package dev.orchestrator.benchmarks.limit;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import dev.orchestrator.api.LlmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Netflix concurrency-limits' {@link AIMDLimit} with its defaults, wrapped around each SDK call (retries included)
 * the way a user would put it around a client: calls wait in FIFO order for the limit, and each finished call is a
 * sample, a drop when it finally failed with a 429 or 529.
 */
final class NetflixClient extends Client {

    private final AIMDLimit limit = AIMDLimit.newBuilder().build();
    private final SplittableRandom random;
    private final Deque<Call> queue = new ArrayDeque<>();
    private int inFlight;

    NetflixClient(Simulation sim, long seed) {
        super(sim);
        this.random = new SplittableRandom(seed);
    }

    @Override
    void start(Call call) {
        queue.add(call);
        admitWaiting();
    }

    private void admitWaiting() {
        while (!queue.isEmpty() && inFlight < limit.getLimit()) {
            Call call = queue.poll();
            inFlight++;
            call.admittedAt = sim.loop.now();
            call.inFlightAtAdmission = inFlight;
            send(call);
        }
    }

    private void send(Call call) {
        call.attempts++;
        sim.send(this, call);
    }

    @Override
    void completed(Call call, SimulatedProvider.Answer answer) {
        boolean dropped = false;
        if (answer instanceof SimulatedProvider.Refused refused) {
            OptionalDouble delay = SdkRetry.delay(refused.failure(), call.attempts, random);
            if (delay.isPresent()) {
                sim.loop.after(delay.getAsDouble(), () -> send(call));
                return;
            }
            dropped = refused.failure() instanceof LlmException.RateLimited
                    || refused.failure() instanceof LlmException.Overloaded;
        }
        long rttNanos = (long) ((sim.loop.now() - call.admittedAt) * 1e9);
        limit.onSample((long) (call.admittedAt * 1e9), rttNanos, call.inFlightAtAdmission, dropped);
        inFlight--;
        sim.finish(call, answer instanceof SimulatedProvider.Ok);
        admitWaiting();
    }
}
