package dev.orchestrator.benchmarks.limit;

/** The ways of calling the provider that the simulation compares. */
enum Strategy {
    /** The SDK's AIMD limiter and retry rules, defaults. */
    OURS("ours: AIMD limiter + retry rules"),
    /**
     * The SDK's limiter and retry rules on each client, each client's pacer capped by a lease of the shared quota
     * that it renews every 10 s ({@code QuotaShares}, as the Temporal module's quota workflow holds it).
     */
    OURS_LEASED("ours + quota leases"),
    /** 64 calls at once per client, SDK retries. */
    FIXED_64("fixed 64 + SDK retries"),
    /** The ideal number of calls at once (capacity × mean latency, split between clients), SDK retries. */
    FIXED_IDEAL("fixed ideal + SDK retries"),
    /** Netflix concurrency-limits' AIMDLimit with its defaults, SDK retries. */
    NETFLIX_AIMD("Netflix AIMDLimit + SDK retries");

    final String label;

    Strategy(String label) {
        this.label = label;
    }

    Client create(Simulation sim, int client, long seed) {
        return switch (this) {
            case OURS -> new OurClient(sim, client, seed, false);
            case OURS_LEASED -> new OurClient(sim, client, seed, true);
            case FIXED_64 -> new FixedClient(sim, 64, seed);
            case FIXED_IDEAL -> new FixedClient(sim, sim.idealConcurrencyPerClient(), seed);
            case NETFLIX_AIMD -> new NetflixClient(sim, seed);
        };
    }
}
