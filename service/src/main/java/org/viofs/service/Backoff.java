package org.viofs.service;

import java.time.Duration;

/**
 * How long a share waits before its next attempt after a failure or a loss: 1 s, doubling, at most 60 s.
 * A share that mounted resets its count. Pure.
 */
public final class Backoff {
    public static final Duration FIRST = Duration.ofSeconds(1);
    public static final Duration MAX = Duration.ofSeconds(60);

    private Backoff() {
    }

    /** The delay before attempt {@code failures + 1}, after {@code failures ≥ 1} failures in a row. */
    public static Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        int shift = Math.min(failures - 1, 6); // 2^6 s = 64 s > MAX
        Duration d = FIRST.multipliedBy(1L << shift);
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
