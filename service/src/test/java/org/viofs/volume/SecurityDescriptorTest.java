package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityDescriptorTest {

    @Test
    void sidBinaryFormAndText() {
        Sid users = Sid.parse("S-1-5-32-545");
        // revision 1, 2 sub-authorities, authority 5 big-endian, 32 and 545 little-endian
        assertEquals("01020000000000052000000021020000", HexFormat.of().formatHex(users.toBytes()));
        assertEquals("S-1-5-32-545", users.toString());
        assertEquals(users, Sid.decode(java.nio.ByteBuffer.wrap(users.toBytes()), 0));
        assertEquals("S-1-1-0", Sid.EVERYONE.toString());
    }

    @Test
    void winfspPosixIdMapping() {
        // docs/winfsp-native.md §3.2
        assertEquals("S-1-5-18", Sid.fromPosixId(18).toString());
        assertEquals("S-1-5-32-545", Sid.fromPosixId(545).toString());
        assertEquals("S-1-5-1000", Sid.fromPosixId(1000).toString());
        assertEquals("S-1-1-0", Sid.fromPosixId(0x10100).toString());
        assertEquals("S-1-16-12288", Sid.fromPosixId(0x60000 + 12288).toString());
        assertEquals("S-1-5-15-1001", Sid.fromPosixId(0x1000 * 15 + 1001).toString());
        assertEquals(Sid.UNMAPPED, Sid.fromPosixId(65534));
        assertEquals(Sid.UNMAPPED, Sid.fromPosixId(0x100000 + 5));
        for (int id : new int[] {0, 18, 545, 1000, 0x10100, 0x60000 + 12288, 0x1000 * 15 + 1001, 65534, 4000, 70000}) {
            Sid s = Sid.fromPosixId(id);
            if (!s.equals(Sid.UNMAPPED) || id == 65534) {
                assertEquals(id, s.toPosixId(), "round trip of id " + id + " via " + s);
            }
        }
        assertEquals(-1, Sid.parse("S-1-5-21-1-2-3-1001").toPosixId(), "domain accounts have no id here");
    }

    @Test
    void selfRelativeLayout() {
        Sid owner = Sid.parse("S-1-5-18");
        Sid group = Sid.parse("S-1-5-32-544");
        SecurityDescriptor sd = new SecurityDescriptor(owner, group,
                List.of(SecurityDescriptor.Ace.allow(0x1F01FF, Sid.EVERYONE)), SecurityDescriptor.SE_DACL_PROTECTED);
        byte[] b = sd.toBytes();
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, b[0], "Revision");
        assertEquals(0x8000 | 0x1000 | 0x0004, bb.getShort(2) & 0xFFFF, "Control = SELF_RELATIVE|DACL_PROTECTED|DACL_PRESENT");
        assertEquals(20, bb.getInt(4), "OffsetOwner follows the 20-byte header");
        assertEquals(20 + 12, bb.getInt(8), "OffsetGroup follows the 12-byte owner SID");
        assertEquals(0, bb.getInt(12), "no SACL");
        int dacl = bb.getInt(16);
        assertEquals(20 + 12 + 16, dacl);
        assertEquals(2, b[dacl], "AclRevision");
        assertEquals(8 + 8 + 12, bb.getShort(dacl + 2), "AclSize = header + ACE(8 + SID 12)");
        assertEquals(1, bb.getShort(dacl + 4), "AceCount");
        assertEquals(0, b[dacl + 8], "ACCESS_ALLOWED_ACE_TYPE");
        assertEquals(20, bb.getShort(dacl + 10), "AceSize");
        assertEquals(0x1F01FF, bb.getInt(dacl + 12), "Mask");
        assertEquals(b.length, dacl + 28);

        SecurityDescriptor back = SecurityDescriptor.parse(b);
        assertEquals(owner, back.owner());
        assertEquals(group, back.group());
        assertEquals(1, back.dacl().size());
        assertEquals(Sid.EVERYONE, back.dacl().get(0).sid());
        assertEquals(0x1F01FF, back.dacl().get(0).mask());
        assertArrayEquals(b, back.toBytes(), "re-encoding gives the same bytes");
    }

    @Test
    void noDaclAndNoOwner() {
        SecurityDescriptor sd = new SecurityDescriptor(null, null, null, 0);
        SecurityDescriptor back = SecurityDescriptor.parse(sd.toBytes());
        assertNull(back.owner());
        assertNull(back.dacl());
        assertEquals(20, sd.toBytes().length);
    }

    @Test
    void malformedDescriptorsGiveNamedErrors() {
        assertThrowsStatus(NtStatus.INVALID_SECURITY_DESCR, () -> SecurityDescriptor.parse(new byte[10]), "short");
        byte[] absolute = new SecurityDescriptor(null, null, null, 0).toBytes();
        absolute[3] = 0; // clear SE_SELF_RELATIVE
        assertThrowsStatus(NtStatus.INVALID_SECURITY_DESCR, () -> SecurityDescriptor.parse(absolute), "absolute form");
        byte[] b = new SecurityDescriptor(Sid.EVERYONE, null, List.of(SecurityDescriptor.Ace.allow(1, Sid.EVERYONE)), 0).toBytes();
        byte[] badOwner = b.clone();
        badOwner[4] = (byte) 0xF0; // owner offset past the end
        assertThrowsStatus(NtStatus.INVALID_SID, () -> SecurityDescriptor.parse(badOwner), "owner offset outside");
        byte[] badAcl = b.clone();
        int dacl = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(16);
        badAcl[dacl + 4] = 5; // five ACEs claimed, one present
        assertThrowsStatus(NtStatus.INVALID_ACL, () -> SecurityDescriptor.parse(badAcl), "ACE count");
    }

    @Test
    void mergeReplacesOnlyTheNamedParts() {
        SecurityDescriptor cur = new SecurityDescriptor(Sid.parse("S-1-5-18"), Sid.parse("S-1-5-32-544"),
                List.of(SecurityDescriptor.Ace.allow(1, Sid.EVERYONE)), 0);
        SecurityDescriptor mod = new SecurityDescriptor(Sid.parse("S-1-5-19"), null,
                List.of(SecurityDescriptor.Ace.allow(2, Sid.EVERYONE)), 0);
        SecurityDescriptor m = cur.merge(SecurityDescriptor.DACL_SECURITY_INFORMATION, mod);
        assertEquals(Sid.parse("S-1-5-18"), m.owner());
        assertEquals(2, m.dacl().get(0).mask());
        assertEquals(Sid.parse("S-1-5-19"), cur.merge(SecurityDescriptor.OWNER_SECURITY_INFORMATION, mod).owner());
    }

    /** A descriptor whose owner, group or DACL offset lies near 2^31 (issue 12 item 3). */
    private static byte[] withOffset(int field, int offset) {
        byte[] b = new SecurityDescriptor(Sid.parse("S-1-5-18"), Sid.parse("S-1-5-32-544"),
                List.of(SecurityDescriptor.Ace.allow(0x1F01FF, Sid.EVERYONE)), 0).toBytes();
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(field, offset);
        return b;
    }

    @Test
    void offsetsNearTwoToTheThirtyOneAreInvalidNotAnOverflow() {
        // offset + header size wraps to a negative int: the bounds check must not pass it on
        for (int off : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 3, Integer.MAX_VALUE - 7}) {
            assertThrowsStatus(NtStatus.INVALID_SID, () -> SecurityDescriptor.parse(withOffset(4, off)), "owner at " + off);
            assertThrowsStatus(NtStatus.INVALID_SID, () -> SecurityDescriptor.parse(withOffset(8, off)), "group at " + off);
            assertThrowsStatus(NtStatus.INVALID_ACL, () -> SecurityDescriptor.parse(withOffset(16, off)), "DACL at " + off);
        }
    }

    @Test
    void sidDecodeAtAnOffsetNearTwoToTheThirtyOneIsRefused() {
        java.nio.ByteBuffer small = java.nio.ByteBuffer.wrap(new byte[16]);
        for (int off : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 7, Integer.MIN_VALUE}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Sid.decode(small, off), "offset " + off);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(String.valueOf(off)), e.getMessage());
        }
    }
}
