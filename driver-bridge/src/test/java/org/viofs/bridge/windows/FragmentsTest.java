package org.viofs.bridge.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Page fragments as viofs.sys counts them (SplitToPages at 4 KiB, docs/viofs-anchor.md §1.6). */
class FragmentsTest {

    @Test
    void alignedPagesCountOnceEach() {
        assertEquals(0, Fragments.span(0x10000, 0));
        assertEquals(1, Fragments.span(0x10000, 1));
        assertEquals(1, Fragments.span(0x10000, 4096));
        assertEquals(2, Fragments.span(0x10000, 4097));
        assertEquals(256, Fragments.span(0x10000, 1 << 20), "1 MiB aligned = 256 pages");
    }

    @Test
    void crossingAPageBoundaryCostsOneMore() {
        assertEquals(2, Fragments.span(0x10FFF, 2));
        assertEquals(257, Fragments.span(0x10800, 1 << 20));
    }

    @Test
    void worstCaseStartsOneByteBeforeABoundary() {
        assertEquals(1, Fragments.worstCase(1));
        assertEquals(2, Fragments.worstCase(2));
        assertEquals(2, Fragments.worstCase(4096));
        assertEquals(257, Fragments.worstCase(1 << 20));
    }

    @Test
    void maxBytesWithinIsTheLargestLengthThatFitsAtWorst() {
        for (int f : new int[] {1, 2, 16, 64, 512}) {
            int n = Fragments.maxBytesWithin(f);
            assertEquals(f, Fragments.worstCase(n), "fragments " + f);
            assertEquals(f + 1, Fragments.worstCase(n + 1L), "one byte more needs one more fragment");
        }
    }

    @Test
    void driverLimitIs1024() {
        assertEquals(1024, Fragments.DRIVER_MAX_FRAGMENTS);
        assertEquals(4096, Fragments.PAGE_SIZE);
        assertThrows(IllegalArgumentException.class, () -> Fragments.span(0, -1));
    }
}
