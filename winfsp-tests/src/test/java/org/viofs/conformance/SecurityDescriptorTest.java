package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Self-relative descriptor bytes, the SDDL subset and the DACL walk. */
class SecurityDescriptorTest {
    @Test
    void everyoneSidHasTheMsDtypLayout() {
        // S-1-1-0: revision 1, one sub-authority, authority 1 (big-endian), sub-authority 0
        assertArrayEquals(HexFormat.of().parseHex("010100000000000100000000"), SecurityDescriptor.sidBytes("S-1-1-0"));
    }

    @Test
    void sddlRoundTripsThroughTheBinaryForm() {
        SecurityDescriptor sd = SecurityDescriptor.fromSddl("O:BAG:SYD:P(A;;GA;;;SY)(D;OICI;0x001100a2;;;WD)");
        SecurityDescriptor back = SecurityDescriptor.parse(sd.toBytes());
        assertEquals("S-1-5-32-544", back.owner());
        assertEquals("S-1-5-18", back.group());
        assertEquals(List.of(new SecurityDescriptor.Ace(0, 0, Win32.GENERIC_ALL, "S-1-5-18"),
                new SecurityDescriptor.Ace(1, 3, 0x001100a2, "S-1-1-0")), back.dacl());
        assertEquals(SecurityDescriptor.SE_DACL_PROTECTED | SecurityDescriptor.SE_DACL_PRESENT
                | SecurityDescriptor.SE_SELF_RELATIVE, back.control());
        assertEquals(0x90, sd.toBytes()[3] & 0xFF, "SE_SELF_RELATIVE | SE_DACL_PROTECTED in the high control byte");
    }

    @Test
    void theDaclWalkHonoursDenyFirstAndOwnerRights() {
        SecurityDescriptor sd = SecurityDescriptor.fromSddl("O:S-1-5-21-1-2-3-1000D:P(D;;SD;;;WD)(A;;FA;;;WD)");
        int g = sd.grantedTo(Set.of("S-1-1-0"));
        assertEquals(Win32.FILE_ALL_ACCESS & ~Win32.DELETE, g);
        int owner = SecurityDescriptor.fromSddl("O:S-1-5-21-1-2-3-1000D:P").grantedTo(Set.of("S-1-5-21-1-2-3-1000"));
        assertEquals(Win32.READ_CONTROL | Win32.WRITE_DAC, owner);
        assertEquals(Win32.FILE_ALL_ACCESS, SecurityDescriptor.fromSddl("O:WD").grantedTo(Set.of()), "no DACL grants all");
    }
}
