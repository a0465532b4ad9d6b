package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ReparseDataTest {

    @Test
    void layout() {
        byte[] b = new ReparseData("a\\b", "a\\b", true).toBytes();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xA000000C, bb.getInt(0), "ReparseTag");
        assertEquals(12 + 12, bb.getShort(4), "ReparseDataLength = 12 + two 6-byte names");
        assertEquals(0, bb.getShort(8), "SubstituteNameOffset");
        assertEquals(6, bb.getShort(10), "SubstituteNameLength");
        assertEquals(6, bb.getShort(12), "PrintNameOffset");
        assertEquals(6, bb.getShort(14), "PrintNameLength");
        assertEquals(1, bb.getInt(16), "SYMLINK_FLAG_RELATIVE");
        assertEquals('a', bb.getChar(20));
        assertEquals(20 + 12, b.length);
        ReparseData back = ReparseData.parse(b);
        assertEquals("a\\b", back.substituteName());
        assertTrue(back.relative());
    }

    @Test
    void hostTargets() {
        ReparseData r = ReparseData.fromHostTarget("../x/y*z");
        assertEquals("..\\x\\y\uF02Az", r.substituteName());
        assertTrue(r.relative());
        assertEquals("../x/y*z", r.toHostTarget());
        ReparseData abs = ReparseData.fromHostTarget("/etc/passwd");
        assertFalse(abs.relative());
        assertEquals("\\etc\\passwd", abs.substituteName());
    }

    @Test
    void malformedBuffers() {
        assertThrowsStatus(NtStatus.IO_REPARSE_DATA_INVALID, () -> ReparseData.parse(new byte[2]), "no tag");
        byte[] mount = new byte[20];
        mount[3] = (byte) 0xA0; // IO_REPARSE_TAG_MOUNT_POINT 0xA0000003
        mount[0] = 3;
        assertThrowsStatus(NtStatus.IO_REPARSE_TAG_INVALID, () -> ReparseData.parse(mount), "mount point tag");
        byte[] b = new ReparseData("abc", "abc", true).toBytes();
        b[10] = 100; // substitute length past the path buffer
        assertThrowsStatus(NtStatus.IO_REPARSE_DATA_INVALID, () -> ReparseData.parse(b), "name outside");
        assertThrowsStatus(NtStatus.INVALID_PARAMETER,
                () -> new ReparseData("\\??\\C:\\x", "C:\\x", false).toHostTarget(), "NT path");
    }
}
