package org.viofs.bridge.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ChunkPolicyTest {

    @Test
    void startsAtTheDriverLimitWithHalfPerSide() {
        ChunkPolicy p = new ChunkPolicy();
        assertEquals(1024, p.budget());
        // 511 pages at worst alignment: enough for virtiofsd's 1 MiB max_write plus headers
        // 512 fragments per side: 511 pages and one byte still span at most 512 pages however they are
        // aligned, which covers virtiofsd's 1 MiB max_write plus headers
        assertEquals(511 * 4096 + 1, p.maxRequestBytes());
        assertEquals(511 * 4096 + 1, p.maxReplyBytes());
        int both = Fragments.worstCase(p.maxRequestBytes()) + Fragments.worstCase(p.maxReplyBytes());
        assertTrue(both <= 1024, "a request at both maxima must fit the driver's 1,024 fragments, needs " + both);
    }

    @Test
    void aLargeRefusedRequestDropsToQemusDefaultQueueSize() {
        ChunkPolicy p = new ChunkPolicy();
        assertEquals(OptionalInt.of(128), p.afterGenFailure(259));
        assertEquals(128, p.budget());
        int both = Fragments.worstCase(p.maxRequestBytes()) + Fragments.worstCase(p.maxReplyBytes());
        assertTrue(both <= 128);
        assertFalse(p.fits(129));
    }

    @Test
    void thenHalvesDownToTheFloor() {
        ChunkPolicy p = new ChunkPolicy(128);
        assertEquals(OptionalInt.of(64), p.afterGenFailure(128));
        assertEquals(OptionalInt.of(32), p.afterGenFailure(64));
        assertEquals(OptionalInt.empty(), p.afterGenFailure(32), "below 32 fragments size is not the cause");
        assertEquals(32, p.budget());
    }

    @Test
    void aSmallRefusedRequestIsNotBlamedOnSize() {
        ChunkPolicy p = new ChunkPolicy();
        assertEquals(OptionalInt.empty(), p.afterGenFailure(3));
        assertEquals(1024, p.budget());
    }
}
