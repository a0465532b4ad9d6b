package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.viofs.volume.NtStatusException;

class SelfRelativeSecurityDescriptorTest {

    /** O:BA G:BA D:(A;;FA;;;WD) laid out by hand from winnt.h: 20 + 16 + 16 + 28 = 80 bytes. */
    static byte[] ownerGroupDacl() {
        ByteBuffer b = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).put((byte) 0).putShort((short) 0x8004); // revision, sbz1, SE_SELF_RELATIVE|SE_DACL_PRESENT
        b.putInt(20).putInt(36).putInt(0).putInt(52); // owner, group, sacl, dacl
        for (int i = 0; i < 2; i++) { // S-1-5-32-544 (BUILTIN\Administrators)
            b.put((byte) 1).put((byte) 2).put(new byte[] {0, 0, 0, 0, 0, 5}).putInt(32).putInt(544);
        }
        b.put((byte) 2).put((byte) 0).putShort((short) 28).putShort((short) 1).putShort((short) 0); // ACL header
        b.put((byte) 0).put((byte) 0).putShort((short) 20).putInt(0x001F01FF); // ACCESS_ALLOWED_ACE, FILE_ALL_ACCESS
        b.put((byte) 1).put((byte) 1).put(new byte[] {0, 0, 0, 0, 0, 1}).putInt(0); // S-1-1-0 (Everyone)
        return b.array();
    }

    @Test
    void lengthCoversOwnerGroupAndDacl() {
        byte[] sd = ownerGroupDacl();
        Memory m = new Memory(256);
        m.clear();
        m.write(0, sd, 0, sd.length);
        assertEquals(80, SelfRelativeSecurityDescriptor.length(m));
    }

    @Test
    void anAbsoluteDescriptorIsRefused() {
        Memory m = new Memory(64);
        m.clear();
        m.setByte(0, (byte) 1);
        assertThrows(NtStatusException.class, () -> SelfRelativeSecurityDescriptor.length(m));
    }
}
