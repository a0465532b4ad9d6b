package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.viofs.volume.NtStatus;
import org.viofs.volume.OpenResult;

/** The Windows smoke volume ({@link InMemoryMount}) as the FSD's access check will see it. */
class InMemoryMountTest {
    private static final String SOME_USER = "S-1-5-21-1-2-3-1001";

    @Test
    void anyUserMayCreateInTheRoot() {
        InMemoryVolume v = InMemoryMount.newVolume();
        SecurityDescriptor root = SecurityDescriptor.parse(v.getSecurityByName("\\").securityDescriptor());
        int granted = root.grantedTo(Set.of(SOME_USER, "S-1-1-0"));
        assertEquals(Win32.FILE_ALL_ACCESS, granted & Win32.FILE_ALL_ACCESS, "Everyone has full control of the root");
        // the default the volume would otherwise keep grants a stranger no FILE_ADD_FILE (0x2)
        assertEquals(0, SecurityDescriptor.parse(InMemoryVolume.DEFAULT_SD).grantedTo(Set.of(SOME_USER, "S-1-1-0")) & 0x2);
        assertTrue(root.dacl().stream().allMatch(a -> (a.flags() & 0x3) == 0x3), "inherited by files and directories");
    }

    @Test
    void namesIgnoreCaseAndNamedStreamsAreKept() {
        InMemoryVolume v = InMemoryMount.newVolume();
        OpenResult f = v.create("\\Smoke.txt", 0, Win32.FILE_ALL_ACCESS, 0, null, 0);
        v.close(f.context());
        OpenResult s = v.create("\\smoke.TXT:s", 0, Win32.FILE_ALL_ACCESS, 0, null, 0);
        v.close(s.context());
        assertEquals(NtStatus.SUCCESS, v.getSecurityByName("\\SMOKE.txt:s").status());
        assertEquals("*", InMemoryMount.options("*").mountPoint());
        assertEquals("Q:", InMemoryMount.options("Q:").mountPoint());
    }
}
