package org.viofs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {
    @Test
    void nearestRankOverOneToHundred() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) {
            samples[99 - i] = (i + 1) * 1000L; // 1..100 µs, given in reverse to prove sorting
        }
        LatencyStats s = new LatencyStats(samples);
        assertEquals(50.0, s.medianMicros(), "50th of 1..100 by nearest rank is 50");
        assertEquals(99.0, s.p99Micros(), "99th of 1..100 by nearest rank is 99");
        assertEquals(100_000, s.percentileNanos(100));
    }

    @Test
    void oddCountMedianIsTheMiddleSample() {
        LatencyStats s = new LatencyStats(new long[] {9000, 1000, 5000});
        assertEquals(5.0, s.medianMicros());
        assertEquals(9.0, s.p99Micros(), "with 3 samples the 99th is the largest");
    }

    @Test
    void rejectsEmptyAndOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new LatencyStats(new long[0]));
        LatencyStats s = new LatencyStats(new long[] {1});
        assertThrows(IllegalArgumentException.class, () -> s.percentileNanos(0));
        assertThrows(IllegalArgumentException.class, () -> s.percentileNanos(101));
    }
}
