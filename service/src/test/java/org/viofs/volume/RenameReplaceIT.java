package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MoveFileEx(directory → existing file, MOVEFILE_REPLACE_EXISTING): NTFS replaces the file (Wine's
 * ntdll rename tests, run against Windows, expect STATUS_SUCCESS; memfs's Rename refuses only a
 * directory target), see docs/volume-semantics.md "Rename onto an existing name".
 */
class RenameReplaceIT {
    @TempDir
    Path dir;
    VolumeHarness h;

    @BeforeEach
    void start() {
        h = VolumeHarness.start(dir, VolumeConfig.builder().build());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aDirectoryReplacesAFile() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        Files.write(dir.resolve("d").resolve("inside"), new byte[] {1});
        Files.write(dir.resolve("f"), new byte[] {2});
        h.rename("\\d", "\\f", true);
        assertTrue(Files.isDirectory(dir.resolve("f")), "f is now the directory");
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("f").resolve("inside")));
        assertFalse(Files.exists(dir.resolve("d")), "nothing is left under the old name");
        h.close(h.open("\\f\\inside", VolumeHarness.R));
        assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> h.open("\\d", VolumeHarness.R), "old name");
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "one entry on the host");
        }
    }

    @Test
    void withoutReplaceItCollidesAndADirectoryTargetIsNeverReplaced() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        Files.createDirectory(dir.resolve("e"));
        Files.write(dir.resolve("f"), new byte[] {2});
        assertThrowsStatus(NtStatus.OBJECT_NAME_COLLISION, () -> h.rename("\\d", "\\f", false), "no replace");
        assertThrowsStatus(NtStatus.ACCESS_DENIED, () -> h.rename("\\d", "\\e", true), "directory target");
        assertThrowsStatus(NtStatus.ACCESS_DENIED, () -> h.rename("\\f", "\\e", true), "file onto directory");
        assertTrue(Files.isDirectory(dir.resolve("d")) && Files.isDirectory(dir.resolve("e")));
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(dir.resolve("f")));
    }
}
