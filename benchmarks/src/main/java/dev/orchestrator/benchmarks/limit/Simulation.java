package dev.orchestrator.benchmarks.limit;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.core.internal.limit.QuotaShares;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One run of one scenario with one strategy: agents in a closed loop (call, think about a second, call again) on
 * each client, all calling one {@link SimulatedProvider}, on virtual time.
 */
final class Simulation {

    private static final double MEAN_THINK_SECONDS = 1;
    private static final double SPAN_SECONDS = 30;

    final EventLoop loop = new EventLoop();
    /** The shared quota's leases, for clients that lease their shares ({@link Strategy#OURS_LEASED}). */
    final QuotaShares quotaShares = new QuotaShares();
    private final Scenario scenario;
    private final SimulatedProvider provider;
    private final SplittableRandom random;
    private final List<Client> clients = new ArrayList<>();
    private final Counts[] counts;
    private final boolean[][] busy;

    Simulation(Scenario scenario, Strategy strategy, long seed) {
        this.scenario = scenario;
        this.random = new SplittableRandom(seed);
        this.provider = new SimulatedProvider(scenario, loop, random.split());
        int seconds = (int) Math.ceil(scenario.seconds()) + 1;
        int maxAgents = (int) scenario.agents().stream().mapToDouble(Scenario.Step::value).max().orElseThrow();
        this.counts = new Counts[scenario.clients()];
        this.busy = new boolean[scenario.clients()][maxAgents];
        for (int c = 0; c < scenario.clients(); c++) {
            counts[c] = new Counts(seconds);
            clients.add(strategy.create(this, c, random.nextLong()));
        }
    }

    /** The fixed concurrency that just fills the provider: capacity × mean latency, split between the clients. */
    int idealConcurrencyPerClient() {
        double ideal = provider.callsPerSecond(0) * Workload.MEANS.latencySeconds();
        return (int) Math.max(1, Math.round(ideal / scenario.clients()));
    }

    RunResult run() {
        for (Scenario.Step step : scenario.agents()) {
            loop.after(step.at(), this::wakeAgents);
        }
        loop.runUntil(scenario.seconds());
        return result();
    }

    private void wakeAgents() {
        for (int c = 0; c < clients.size(); c++) {
            for (int a = 0; a < scenario.agentsAt(loop.now()); a++) {
                if (!busy[c][a]) {
                    busy[c][a] = true;
                    startCall(c, a);
                }
            }
        }
    }

    private void startCall(int client, int agent) {
        if (agent >= scenario.agentsAt(loop.now())) {
            busy[client][agent] = false;
            return;
        }
        clients.get(client).start(new Call(client, agent, Workload.draw(random)));
    }

    /** Sends one attempt of {@code call} now and hands its answer back to {@code client} when it comes. */
    void send(Client client, Call call) {
        Counts count = counts[call.client];
        count.attempts[second()]++;
        if (loop.now() < client.providerPauseUntil || client.pausedByItself()) {
            count.sendsInPause++;
        }
        SimulatedProvider.Answer answer = provider.answer(call.shape);
        loop.after(answer.seconds(), () -> {
            if (answer instanceof SimulatedProvider.Refused refused) {
                Optional<Duration> retryAfter = switch (refused.failure()) {
                    case LlmException.RateLimited limited -> {
                        count.rateLimited[second()]++;
                        yield limited.retryAfter();
                    }
                    case LlmException.Overloaded overloaded -> overloaded.retryAfter();
                    default -> Optional.empty();
                };
                retryAfter.ifPresent(wait -> client.providerPauseUntil =
                        Math.max(client.providerPauseUntil, loop.now() + wait.toMillis() / 1000.0));
            }
            client.completed(call, answer);
        });
    }

    /** The call is over; its agent thinks for a while and makes its next call. */
    void finish(Call call, boolean succeeded) {
        Counts count = counts[call.client];
        if (succeeded) {
            count.successes[second()]++;
            count.tokens[second()] += call.shape.totalTokens();
        } else {
            count.failedCalls++;
        }
        double think = -MEAN_THINK_SECONDS * Math.log(1 - random.nextDouble());
        loop.after(think, () -> startCall(call.client, call.agent));
    }

    private int second() {
        return (int) loop.now();
    }

    private RunResult result() {
        int from = (int) scenario.measureFrom();
        int to = (int) scenario.measureTo();
        double[] perClient = new double[clients.size()];
        double tokens = 0;
        for (int c = 0; c < clients.size(); c++) {
            perClient[c] = sum(counts[c].successes, from, to);
            tokens += sum(counts[c].tokens, from, to);
        }
        double successes = 0;
        double squares = 0;
        for (double x : perClient) {
            successes += x;
            squares += x * x;
        }
        long attempts = 0;
        long allSuccesses = 0;
        long limited = 0;
        long limitedMeasured = 0;
        long inPause = 0;
        long failed = 0;
        for (Counts count : counts) {
            attempts += (long) sum(count.attempts, 0, count.attempts.length);
            allSuccesses += (long) sum(count.successes, 0, count.successes.length);
            limited += (long) sum(count.rateLimited, 0, count.rateLimited.length);
            limitedMeasured += (long) sum(count.rateLimited, from, to);
            inPause += count.sendsInPause;
            failed += count.failedCalls;
        }
        List<Scenario.Step> changes = scenario.capacity().stream().filter(s -> s.at() > 0).toList();
        double worst = Arrays.stream(perClient).min().orElseThrow();
        double best = Arrays.stream(perClient).max().orElseThrow();
        return new RunResult(goodput(successes, tokens, from, to), (double) attempts / allSuccesses,
                (double) limited / attempts, reconvergence(changes, 0), reconvergence(changes, 1),
                successes * successes / (clients.size() * squares), inPause, failed, limited, limitedMeasured,
                worst / best);
    }

    /** Seconds after change {@code index} until a span of 30 s met the goals; NaN if none did before the next. */
    private double reconvergence(List<Scenario.Step> changes, int index) {
        if (index >= changes.size()) {
            return Double.NaN;
        }
        int change = (int) changes.get(index).at();
        int end = index + 1 < changes.size() ? (int) changes.get(index + 1).at() : (int) scenario.seconds();
        int span = (int) SPAN_SECONDS;
        for (int start = change; start + span <= end; start++) {
            double successes = 0;
            double tokens = 0;
            double attempts = 0;
            double limited = 0;
            for (Counts count : counts) {
                successes += sum(count.successes, start, start + span);
                tokens += sum(count.tokens, start, start + span);
                attempts += sum(count.attempts, start, start + span);
                limited += sum(count.rateLimited, start, start + span);
            }
            if (limited < 0.05 * attempts && goodput(successes, tokens, start, start + span) >= 0.9) {
                return start - change;
            }
        }
        return Double.NaN;
    }

    /**
     * The share of the provider's binding quota that successful calls used from {@code from} to {@code to}:
     * counted in tokens as well as requests, because a client that gives up on calls keeps the small ones, which
     * fit into a nearly empty token bucket, and would look better than it is in calls alone.
     */
    private double goodput(double successes, double tokens, int from, int to) {
        double requestQuota = 0;
        double tokenQuota = 0;
        for (int s = from; s < to; s++) {
            requestQuota += provider.requestsPerSecond(s + 0.5);
            tokenQuota += provider.tokensPerSecond(s + 0.5);
        }
        return Math.max(successes / requestQuota, tokens / tokenQuota);
    }

    private static double sum(int[] perSecond, int from, int to) {
        double total = 0;
        for (int s = from; s < Math.min(to, perSecond.length); s++) {
            total += perSecond[s];
        }
        return total;
    }

    /** One client's counts, per second of virtual time where a span needs them. */
    private static final class Counts {
        final int[] attempts;
        final int[] successes;
        final int[] rateLimited;
        final int[] tokens;
        long sendsInPause;
        long failedCalls;

        Counts(int seconds) {
            attempts = new int[seconds];
            successes = new int[seconds];
            rateLimited = new int[seconds];
            tokens = new int[seconds];
        }
    }
}
