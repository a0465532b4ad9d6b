package org.viofs.cli;

import java.util.Arrays;

/**
 * Percentiles of a set of latency samples, in nanoseconds. Nearest-rank percentiles over the sorted
 * samples: the p-th percentile is the smallest sample with at least p% of the samples at or below it.
 */
public final class LatencyStats {
    private final long[] sorted;

    public LatencyStats(long[] samplesNanos) {
        if (samplesNanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        this.sorted = samplesNanos.clone();
        Arrays.sort(sorted);
    }

    /** Nearest-rank percentile, 0 < p ≤ 100, in nanoseconds. */
    public long percentileNanos(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    public double medianMicros() {
        return percentileNanos(50) / 1000.0;
    }

    public double p99Micros() {
        return percentileNanos(99) / 1000.0;
    }

    public int count() {
        return sorted.length;
    }
}
