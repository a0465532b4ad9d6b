package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PosixSecurityTest {
    private static final Sid OWNER = Sid.parse("S-1-5-21-1-2-3-1001");
    private static final Sid GROUP = Sid.parse("S-1-5-21-1-2-3-513");

    @Test
    void everyFileModeRoundTrips() {
        for (int perm = 0; perm <= 0777; perm++) {
            int mode = 0100000 | perm;
            byte[] bytes = PosixSecurity.toDescriptor(OWNER, GROUP, mode).toBytes();
            PosixSecurity.Permissions p = PosixSecurity.fromDescriptor(SecurityDescriptor.parse(bytes));
            assertEquals(perm, p.mode(), String.format("mode %04o came back as %04o", perm, p.mode()));
            assertEquals(OWNER, p.owner());
            assertEquals(GROUP, p.group());
        }
    }

    @Test
    void directoryModesRoundTripIncludingSticky() {
        for (int perm : new int[] {0755, 0777, 01777, 0700, 0770, 01770, 0555}) {
            int mode = 040000 | perm;
            PosixSecurity.Permissions p = PosixSecurity.fromDescriptor(
                    SecurityDescriptor.parse(PosixSecurity.toDescriptor(OWNER, GROUP, mode).toBytes()));
            assertEquals(perm, p.mode(), String.format("directory mode %04o came back as %04o", perm, p.mode()));
        }
    }

    @Test
    void aces644() {
        List<SecurityDescriptor.Ace> dacl = PosixSecurity.toDescriptor(OWNER, GROUP, 0100644).dacl();
        assertEquals(3, dacl.size(), "no deny ACE is needed for 0644");
        int ownerMask = dacl.get(0).mask();
        assertTrue((ownerMask & PosixSecurity.FILE_WRITE_DATA) != 0, "owner may write");
        assertTrue((ownerMask & PosixSecurity.WRITE_DAC) != 0, "owner may change the DACL");
        assertEquals(0, dacl.get(1).mask() & PosixSecurity.FILE_WRITE_DATA, "group may not write");
        assertEquals(Sid.EVERYONE, dacl.get(2).sid());
        assertTrue((dacl.get(2).mask() & PosixSecurity.FILE_READ_DATA) != 0, "everyone may read");
    }

    @Test
    void denyAceKeepsAGroupOutThatEveryoneLetsIn() {
        List<SecurityDescriptor.Ace> dacl = PosixSecurity.toDescriptor(OWNER, GROUP, 0100604).dacl();
        assertEquals(4, dacl.size());
        assertTrue(dacl.get(2).isDeny(), "the group's deny comes right after its allow");
        assertEquals(PosixSecurity.FILE_READ_DATA, dacl.get(2).mask());
    }

    @Test
    void genericRightsAndEveryoneOnlyDacls() {
        // a DACL that grants Everyone GENERIC_ALL: rwx for all three classes
        SecurityDescriptor sd = new SecurityDescriptor(OWNER, GROUP,
                List.of(SecurityDescriptor.Ace.allow(PosixSecurity.GENERIC_ALL, Sid.EVERYONE)), 0);
        assertEquals(0777, PosixSecurity.fromDescriptor(sd).mode());
        // owner GENERIC_READ|GENERIC_WRITE only
        SecurityDescriptor rw = new SecurityDescriptor(OWNER, GROUP,
                List.of(SecurityDescriptor.Ace.allow(PosixSecurity.GENERIC_READ | PosixSecurity.GENERIC_WRITE, OWNER)), 0);
        assertEquals(0600, PosixSecurity.fromDescriptor(rw).mode());
        assertEquals(0777, PosixSecurity.fromDescriptor(new SecurityDescriptor(OWNER, GROUP, null, 0)).mode(),
                "no DACL = full access");
    }
}
