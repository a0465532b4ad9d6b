package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

/** FspFileSystemAddDirInfo's contract (docs/winfsp-native.md §2.3) restated in Java. */
class PortableInfoBufferTest {
    private final PortableInfoBuffer buffers = new PortableInfoBuffer();

    private static Memory record(int size) {
        Memory m = new Memory(size);
        m.setMemory(0, size, (byte) 0x5A);
        m.setShort(0, (short) size);
        return m;
    }

    @Test
    void recordsAdvanceBySizeRoundedUpTo8AndTheEndRecordBy2() {
        Memory buf = new Memory(64);
        buf.setMemory(0, 64, (byte) 0xEE);
        Memory pBytes = new Memory(8);
        pBytes.setInt(0, 0);
        pBytes.setInt(4, 0xCAFEBABE);
        // a 106-byte record in a 64-byte buffer does not fit
        assertFalse(buffers.addDirInfo(record(106), buf, 64, pBytes));
        assertEquals(0, pBytes.getInt(0));
        assertTrue(buffers.addDirInfo(record(10), buf, 64, pBytes));
        assertEquals(16, pBytes.getInt(0), "10 rounded up to 8");
        assertEquals((byte) 0xEE, buf.getByte(10), "padding bytes are not written");
        assertTrue(buffers.addDirInfo(null, buf, 64, pBytes));
        assertEquals(18, pBytes.getInt(0));
        assertEquals(0, buf.getShort(16), "end-of-listing is a 2-byte zero");
        assertEquals(0xCAFEBABE, pBytes.getInt(4), "PULONG is 4 bytes");
    }

    @Test
    void aRecordThatFitsOnlyWithoutPaddingIsRefused() {
        Memory buf = new Memory(16);
        Memory pBytes = new Memory(4);
        pBytes.setInt(0, 0);
        assertFalse(buffers.addStreamInfo(record(12), buf, 15, pBytes), "12 needs 16 with padding");
        assertTrue(buffers.addStreamInfo(record(12), buf, 16, pBytes));
    }
}
