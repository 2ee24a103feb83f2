package dev.orchestrator.benchmarks;

import java.util.List;

/**
 * The median of repeated measurements and their range: on a shared machine the range says how far to trust the
 * median.
 */
record Spread(double median, double min, double max) {

    /** The spread of {@code values}; there must be at least one. */
    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        double median = sorted.size() % 2 == 1 ? sorted.get(middle)
                : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        return new Spread(median, sorted.getFirst(), sorted.getLast());
    }

    /** Formats as {@code median [min–max]} with {@code decimals} decimals. */
    String format(int decimals) {
        String number = "%,." + decimals + "f";
        return String.format(number + " [" + number + "–" + number + "]", median, min, max);
    }
}
