package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

/** 2-byte WCHARs whatever the platform's wchar_t (4 bytes on Linux). */
class Utf16Test {

    @Test
    void roundTripsThroughNativeMemoryWithTwoBytesPerUnit() {
        String s = "\\dir\\Grüße 😀.txt";
        Memory m = Utf16.toNative(s);
        assertEquals(s.length() * 2L + 2, m.size(), "UTF-16 units × 2 plus a 2-byte NUL");
        assertEquals(s, Utf16.read(m));
        assertEquals((byte) '\\', m.getByte(0));
        assertEquals(0, m.getByte(1));
    }

    @Test
    void nullPointerIsNull() {
        assertNull(Utf16.read(null));
        assertNull(Utf16.toNative(null));
    }

    @Test
    void fixedArraysArePaddedAndBounded() {
        assertArrayEquals(new byte[] {'a', 0, 'b', 0, 0, 0, 0, 0}, Utf16.fixed("ab", 8));
        Utf16.fixed("abc", 8);
        assertThrows(IllegalArgumentException.class, () -> Utf16.fixed("abcd", 8), "no room for the NUL");
    }

    @Test
    void readingStopsAtTheLimitWithoutANul() {
        Memory m = new Memory(Utf16.MAX_READ_BYTES + 16);
        m.setMemory(0, m.size(), (byte) 'a');
        assertThrows(IllegalArgumentException.class, () -> Utf16.read(m));
    }
}
