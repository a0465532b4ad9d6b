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

    @Test
    void readGrantsExecuteOnRegularFilesOnly() {
        assertEquals(0100755, PosixSecurity.shownMode(0100644));
        assertEquals(0100750, PosixSecurity.shownMode(0100640));
        assertEquals(0100311, PosixSecurity.shownMode(0100311), "x without r stays as it is");
        assertEquals(0100200, PosixSecurity.shownMode(0100200), "no reader, no execute");
        assertEquals(0104755, PosixSecurity.shownMode(0104644), "setuid and the rest pass through");
        assertEquals(040644, PosixSecurity.shownMode(040644), "a directory's x is traverse: unchanged");
        assertEquals(0120777, PosixSecurity.shownMode(0120777));
    }

    @Test
    void setSecurityNeverTurnsAShownExecuteIntoAHostBit() {
        for (int perm = 0; perm <= 0777; perm++) {
            int host = 0100000 | perm;
            int shown = PosixSecurity.shownMode(host) & 0777;
            assertEquals(perm, PosixSecurity.hostBitsAfterSet(host, shown),
                    String.format("setting the shown %04o back on a %04o file changes nothing", shown, perm));
        }
        // group gains write in the shown 0755 of a 0644 file: 0775 → 0664
        assertEquals(0664, PosixSecurity.hostBitsAfterSet(0100644, 0775));
        // the owner loses r (and with it the shown x); group and world keep r, their x was only shown
        assertEquals(0044, PosixSecurity.hostBitsAfterSet(0100644, 0055));
        // a class that could not read before and now gets r and x gets a real x bit
        assertEquals(0645, PosixSecurity.hostBitsAfterSet(0100640, 0755));
        // execute without read is real (group, world); the owner's r+x is what it was shown
        assertEquals(0611, PosixSecurity.hostBitsAfterSet(0100644, 0711));
        // a host x bit that exists stays when the descriptor keeps it
        assertEquals(0755, PosixSecurity.hostBitsAfterSet(0100755, 0755));
        // directories take the descriptor's bits as they are
        assertEquals(0755, PosixSecurity.hostBitsAfterSet(040644, 0755));
    }

    @Test
    void theShownDescriptorGivesAWritingOwnerFullControlOfAFile() {
        for (int perm = 0; perm <= 0777; perm++) {
            int mode = 0100000 | perm;
            SecurityDescriptor sd = SecurityDescriptor.parse(PosixSecurity.toShownDescriptor(OWNER, GROUP, mode).toBytes());
            int back = PosixSecurity.fromDescriptor(sd).mode() & 0777;
            assertEquals(PosixSecurity.shownMode(mode) & 0777, back, String.format("mode %04o", perm));
            assertEquals(perm, PosixSecurity.hostBitsAfterSet(mode, back), String.format("mode %04o set back", perm));
            int ownerMask = sd.dacl().get(0).mask();
            boolean full = (ownerMask & PosixSecurity.FILE_ALL_ACCESS) == PosixSecurity.FILE_ALL_ACCESS;
            assertEquals((perm & 0600) == 0600, full, String.format("GENERIC_ALL for the owner of a %04o file", perm));
        }
        SecurityDescriptor dir = PosixSecurity.toShownDescriptor(OWNER, GROUP, 040755);
        assertEquals(PosixSecurity.toDescriptor(OWNER, GROUP, 040755), dir, "directories are shown as WinFsp maps them");
    }
}
