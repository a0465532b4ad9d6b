package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Mount point forms of FspFileSystemSetMountPoint (docs/winfsp-native.md §3.2) and network prefixes (§1.2). */
class MountPointTest {

    @Test
    void driveLetters() {
        assertEquals(new MountPoint(MountPoint.Kind.DRIVE, "X:"), MountPoint.parse("x:", false));
        assertEquals(new MountPoint(MountPoint.Kind.DRIVE, "Z:"), MountPoint.parse("Z:", true));
    }

    @Test
    void starMeansFirstFreeLetterPassedAsNull() {
        MountPoint mp = MountPoint.parse("*", false);
        assertEquals(MountPoint.Kind.NEXT_FREE_DRIVE, mp.kind());
        assertNull(mp.nativeValue());
        assertEquals(MountPoint.Kind.NEXT_FREE_DRIVE, MountPoint.parse("*:", false).kind());
    }

    @Test
    void directoriesForDiskVolumesOnly() {
        assertEquals(new MountPoint(MountPoint.Kind.DIRECTORY, "C:\\mnt\\share"),
                MountPoint.parse("C:\\mnt\\share\\", false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MountPoint.parse("C:\\mnt\\share", true));
        assertTrue(e.getMessage().contains("disk volumes only"));
    }

    @Test
    void mountManagerNames() {
        assertEquals(MountPoint.Kind.MOUNT_MANAGER, MountPoint.parse("\\\\.\\Y:", false).kind());
        assertEquals(MountPoint.Kind.MOUNT_MANAGER, MountPoint.parse("\\\\.\\C:\\dir", false).kind());
    }

    @Test
    void noneOnlyForNetworkVolumes() {
        assertEquals(MountPoint.Kind.NONE, MountPoint.parse(null, true).kind());
        assertThrows(IllegalArgumentException.class, () -> MountPoint.parse("", false));
    }

    @Test
    void nonsenseIsRefusedWithTheAcceptedForms() {
        for (String bad : new String[] {"X", "XY:", "1:", "C:", "C:dir", "\\\\server\\share", "mnt", "X:\\\\a"}) {
            if (bad.equals("C:")) {
                continue; // a valid drive letter
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MountPoint.parse(bad, false), bad);
            assertTrue(e.getMessage().contains("drive letter"), e.getMessage());
        }
    }

    @Test
    void networkPrefixes() {
        assertEquals("\\server\\share", MountPoint.checkNetworkPrefix("\\server\\share"));
        assertEquals("\\memfs\\share", MountPoint.checkNetworkPrefix("\\memfs\\share\\\\"));
        for (String bad : new String[] {"", "\\", "\\server", "\\\\server\\share", "server\\share", null}) {
            assertThrows(IllegalArgumentException.class, () -> MountPoint.checkNetworkPrefix(bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> MountPoint.checkNetworkPrefix("\\s\\" + "x".repeat(189)));
        MountPoint.checkNetworkPrefix("\\s\\" + "x".repeat(188));
    }
}
