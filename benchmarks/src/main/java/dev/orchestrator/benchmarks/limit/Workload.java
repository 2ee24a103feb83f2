package dev.orchestrator.benchmarks.limit;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The calls the agents make: log-normal token counts (a median of 2,000 tokens in, 300 out) and a latency that
 * grows with the output, with a heavy tail (log-normal factors on both the time to first token and the time per
 * token).
 */
final class Workload {

    private static final double SECONDS_TO_FIRST_TOKEN = 0.4;
    private static final double SECONDS_PER_OUTPUT_TOKEN = 0.02;
    /** Mean tokens per call and mean latency, from a large fixed-seed sample: the capacity's yardsticks. */
    static final Means MEANS = means();

    private Workload() {
    }

    /** One call's size. */
    record Shape(int inputTokens, int outputTokens) {
        int totalTokens() {
            return inputTokens + outputTokens;
        }
    }

    /** What an average call costs. */
    record Means(double tokens, double latencySeconds) {
    }

    static Shape draw(RandomGenerator random) {
        int input = Math.clamp(Math.round(2000 * Math.exp(0.7 * random.nextGaussian())), 100, 30_000);
        int output = Math.clamp(Math.round(300 * Math.exp(0.8 * random.nextGaussian())), 16, 4096);
        return new Shape(input, output);
    }

    static double latencySeconds(Shape shape, RandomGenerator random) {
        return SECONDS_TO_FIRST_TOKEN * heavyTail(0.5, random)
                + shape.outputTokens() * SECONDS_PER_OUTPUT_TOKEN * heavyTail(0.6, random);
    }

    /** A log-normal factor with mean 1. */
    private static double heavyTail(double sigma, RandomGenerator random) {
        return Math.exp(sigma * random.nextGaussian() - sigma * sigma / 2);
    }

    private static Means means() {
        SplittableRandom random = new SplittableRandom(42);
        int samples = 200_000;
        double tokens = 0;
        double latency = 0;
        for (int i = 0; i < samples; i++) {
            Shape shape = draw(random);
            tokens += shape.totalTokens();
            latency += latencySeconds(shape, random);
        }
        return new Means(tokens / samples, latency / samples);
    }
}
