package dev.orchestrator.benchmarks.limit;

/** One process calling the provider: how it admits calls and what it does when one fails. */
abstract sealed class Client permits OurClient, FixedClient, NetflixClient {

    protected final Simulation sim;
    /** Until when the provider asked this client to wait (the latest retry-after it received). */
    double providerPauseUntil;

    Client(Simulation sim) {
        this.sim = sim;
    }

    /** An agent starts a new call. */
    abstract void start(Call call);

    /** An attempt of {@code call} came back with {@code answer}. */
    abstract void completed(Call call, SimulatedProvider.Answer answer);

    /** Whether this client's own limiter has paused admissions. */
    boolean pausedByItself() {
        return false;
    }
}
