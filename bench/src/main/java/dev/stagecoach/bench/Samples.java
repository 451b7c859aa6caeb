package dev.stagecoach.bench;

import java.util.Arrays;

/**
 * Measured durations of one kind, in milliseconds, and their percentiles by the nearest-rank
 * method: the p-th percentile is the smallest value that at least p % of the samples do not
 * exceed, so it is always a value that was actually measured.
 */
final class Samples {

    private double[] values = new double[256];
    private int size;
    private boolean sorted = true;

    synchronized void add(double millis) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = millis;
        sorted = false;
    }

    synchronized void addAll(Samples other) {
        for (double value : other.snapshot()) {
            add(value);
        }
    }

    synchronized int count() {
        return size;
    }

    boolean isEmpty() {
        return count() == 0;
    }

    /** @param p in (0, 100] */
    synchronized double percentile(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("a percentile lies in (0, 100], not " + p);
        }
        if (size == 0) {
            throw new IllegalStateException("no samples, so no percentile");
        }
        sort();
        // p * size first: 40 % of 5 must be rank 2 exactly, without a rounding error tipping it to 3.
        int rank = (int) Math.ceil(p * size / 100.0);
        return values[Math.max(rank, 1) - 1];
    }

    synchronized double mean() {
        if (size == 0) {
            throw new IllegalStateException("no samples, so no mean");
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return sum / size;
    }

    synchronized double max() {
        return percentile(100);
    }

    synchronized double[] snapshot() {
        return Arrays.copyOf(values, size);
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
    }
}
