package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.viofs.fuse.Opcode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each user option of {@link VolumeConfig}, against a real virtiofsd, checked on the host. */
class OptionsIT {
    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong();

    private VolumeHarness start(VolumeConfig.Builder b) {
        return VolumeHarness.start(dir, b.mountTag("tag").nanoClock(clock::get).build());
    }

    private Set<String> hostNames() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void caseInsensitiveLookupsFindAnyCasing() throws Exception {
        Files.createDirectories(dir.resolve("Sub"));
        Files.write(dir.resolve("Sub").resolve("Readme.TXT"), "hi".getBytes(StandardCharsets.UTF_8));
        try (VolumeHarness h = start(VolumeConfig.builder().caseInsensitive(true))) {
            FuseVolume v = h.volume;
            assertEquals(FileAttributes.ARCHIVE, v.getSecurityByName("\\SUB\\readme.txt").fileAttributes());
            OpenResult r = v.open("\\sub\\README.TXT", CreateOptions.FILE_OPEN << 24, VolumeHarness.R);
            assertEquals("\\Sub\\Readme.TXT", r.openFileInfo().normalizedName(), "the host's spelling");
            assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), h.read(r.context(), 0, 10));
            h.close(r.context());
            FileContext d = h.openDir("\\SUB");
            assertEquals("Readme.TXT", v.getDirInfoByName(d, "readme.txt").fileName());
            h.close(d);
            // after the timeouts, another casing asks the host for that exact name first (it could be a case
            // twin of its own), then revalidates the cached host spelling: two LOOKUPs per component
            clock.addAndGet(2_000_000_000L);
            long lookups = h.counting.count(Opcode.LOOKUP);
            long listings = h.counting.count(Opcode.READDIRPLUS);
            assertEquals(FileAttributes.ARCHIVE, v.getSecurityByName("\\sub\\READme.txt").fileAttributes());
            assertEquals(lookups + 4, h.counting.count(Opcode.LOOKUP), "sub, Sub, READme.txt, Readme.TXT looked up");
            assertEquals(listings, h.counting.count(Opcode.READDIRPLUS), "no directory listing needed");
        }
    }

    /**
     * A listing is sorted by the names' upper-case forms, a case twin after its sibling in ordinal
     * order, and ReadDirectory resumes after a marker in that order (hand-sorted expectation).
     */
    @Test
    void caseInsensitiveListingsSortByCaseKeyThenOrdinal() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        for (String n : List.of("b", "A", "a", "C", "B1", "_x", "c2")) {
            Files.write(dir.resolve("d").resolve(n), new byte[0]);
        }
        try (VolumeHarness h = start(VolumeConfig.builder().caseInsensitive(true))) {
            FileContext d = h.openDir("\\d");
            List<String> all = h.list(d, 2).stream().map(DirInfo::fileName).toList();
            assertEquals(List.of(".", "..", "A", "a", "b", "B1", "C", "c2", "_x"), all,
                    "'_' (0x5F) sorts after the upper-case letters; A before a by ordinal");
            h.close(d);
        }
    }

    @Test
    void caseInsensitiveCreateNeverMakesATwin() throws Exception {
        Files.write(dir.resolve("Data.txt"), new byte[] {1});
        Files.createDirectory(dir.resolve("folder"));
        try (VolumeHarness h = start(VolumeConfig.builder().caseInsensitive(true))) {
            FuseVolume v = h.volume;
            assertThrowsStatus(NtStatus.OBJECT_NAME_COLLISION, () -> h.create("\\DATA.TXT"), "FILE_CREATE on a case twin");
            assertThrowsStatus(NtStatus.OBJECT_NAME_COLLISION, () -> h.mkdir("\\FOLDER"), "mkdir FOLDER next to folder (#1620)");
            // FILE_OPEN_IF: the DLL calls Open first, which finds the existing file
            OpenResult r = v.open("\\data.TXT", CreateOptions.FILE_OPEN_IF << 24, VolumeHarness.RW);
            assertEquals(1, r.openFileInfo().fileInfo().fileSize());
            h.close(r.context());
            assertEquals(Set.of("Data.txt", "folder"), hostNames());
            // a new name: listed once, then created; the next new name needs no second listing
            h.close(h.create("\\New1.txt"));
            long dirReads = h.counting.count(Opcode.READDIRPLUS);
            h.close(h.create("\\New2.txt"));
            assertEquals(dirReads, h.counting.count(Opcode.READDIRPLUS), "the complete listing is reused while valid");
            assertEquals(Set.of("Data.txt", "folder", "New1.txt", "New2.txt"), hostNames());
        }
    }

    @Test
    void caseOnlyRenameWorks() throws Exception {
        Files.write(dir.resolve("report.doc"), new byte[] {7});
        try (VolumeHarness h = start(VolumeConfig.builder().caseInsensitive(true))) {
            h.rename("\\report.doc", "\\Report.DOC", false);
            assertEquals(Set.of("Report.DOC"), hostNames(), "the anchor silently did nothing here");
            assertEquals(FileAttributes.ARCHIVE, h.volume.getSecurityByName("\\REPORT.doc").fileAttributes());
            Files.write(dir.resolve("other.doc"), new byte[] {8});
            h.rename("\\Report.DOC", "\\OTHER.DOC", true);
            assertEquals(Set.of("OTHER.DOC"), hostNames(), "replacing a case twin leaves one file, in the new spelling");
            assertEquals(7, Files.readAllBytes(dir.resolve("OTHER.DOC"))[0]);
        }
    }

    @Test
    void readOnlyVolumeRefusesEveryChange() throws Exception {
        Files.write(dir.resolve("f"), "data".getBytes(StandardCharsets.UTF_8));
        Files.createDirectory(dir.resolve("d"));
        try (VolumeHarness h = start(VolumeConfig.builder().readOnly(true))) {
            FuseVolume v = h.volume;
            FileContext c = h.open("\\f", VolumeHarness.RW);
            assertTrue((v.getFileInfo(c).fileAttributes() & FileAttributes.READONLY) != 0, "files show READONLY");
            assertEquals(0555, PosixSecurity.fromDescriptor(SecurityDescriptor.parse(v.getSecurity(c))).mode(),
                    "the descriptor grants no write (read and execute only), so the DLL's access check refuses writers early");
            assertEquals("data", new String(h.read(c, 0, 10), StandardCharsets.UTF_8));
            int wp = NtStatus.MEDIA_WRITE_PROTECTED;
            assertThrowsStatus(wp, () -> h.write(c, 0, new byte[] {1}), "Write");
            assertThrowsStatus(wp, () -> v.overwrite(c, 0, true, 0), "Overwrite");
            assertThrowsStatus(wp, () -> v.setFileSize(c, 0, false), "SetFileSize");
            assertThrowsStatus(wp, () -> v.setBasicInfo(c, FileAttributes.NORMAL, 0, 0, 0, 0), "SetBasicInfo");
            assertThrowsStatus(wp, () -> v.setDelete(c, "\\f", true), "SetDelete");
            assertThrowsStatus(wp, () -> v.canDelete(c, "\\f"), "CanDelete");
            assertThrowsStatus(wp, () -> v.rename(c, "\\f", "\\g", false), "Rename");
            assertThrowsStatus(wp, () -> v.setSecurity(c, SecurityDescriptor.DACL_SECURITY_INFORMATION,
                    v.getSecurity(c)), "SetSecurity");
            h.close(c);
            assertThrowsStatus(wp, () -> h.create("\\new"), "Create");
            assertThrowsStatus(wp, () -> v.setVolumeLabel("x"), "SetVolumeLabel");
            FileContext d = h.openDir("\\d");
            v.cleanup(d, "\\d", CleanupFlags.DELETE); // a delete that slipped through still deletes nothing
            v.close(d);
            assertEquals(Set.of("f", "d"), hostNames());
            assertEquals("data", Files.readString(dir.resolve("f")));
        }
    }

    @Test
    void dotFilesHiddenByDefaultAndOnRequestOnly() throws Exception {
        Files.write(dir.resolve(".bashrc"), new byte[0]);
        Files.write(dir.resolve("visible"), new byte[0]);
        try (VolumeHarness h = start(VolumeConfig.builder())) {
            assertTrue((h.volume.getSecurityByName("\\.bashrc").fileAttributes() & FileAttributes.HIDDEN) != 0);
            assertEquals(0, h.volume.getSecurityByName("\\visible").fileAttributes() & FileAttributes.HIDDEN);
            FileContext root = h.openDir("\\");
            List<DirInfo> l = h.list(root, 10);
            DirInfo dot = l.stream().filter(e -> e.fileName().equals(".bashrc")).findFirst().orElseThrow();
            assertTrue((dot.fileInfo().fileAttributes() & FileAttributes.HIDDEN) != 0, "listing shows HIDDEN too");
            h.close(root);
        }
        try (VolumeHarness h = start(VolumeConfig.builder().hideDotFiles(false))) {
            assertEquals(0, h.volume.getSecurityByName("\\.bashrc").fileAttributes() & FileAttributes.HIDDEN);
        }
    }

    @Test
    void fileSystemNameAndLabel() {
        try (VolumeHarness h = start(VolumeConfig.builder())) {
            assertEquals("NTFS", h.volume.config().fileSystemName());
            assertEquals("tag", h.volume.getVolumeInfo().volumeLabel(), "label = mount tag");
        }
        try (VolumeHarness h = start(VolumeConfig.builder().fileSystemName("NTFS").volumeLabel("Data"))) {
            assertEquals("NTFS", h.volume.config().fileSystemName());
            assertEquals("Data", h.volume.getVolumeInfo().volumeLabel());
        }
    }

    @Test
    void ownerIdsGoToNewFiles() throws Exception {
        // virtiofsd creates as the header's uid/gid: that user needs write access to the directory
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        try (VolumeHarness h = start(VolumeConfig.builder().owner(1234, 5678))) {
            FileContext c = h.create("\\owned");
            h.write(c, 0, new byte[] {1});
            SecurityDescriptor sd = SecurityDescriptor.parse(h.volume.getSecurity(c));
            h.closeModified(c);
            h.close(h.mkdir("\\owned-dir"));
            for (String n : new String[] {"owned", "owned-dir"}) {
                assertEquals(1234, Files.getAttribute(dir.resolve(n), "unix:uid", LinkOption.NOFOLLOW_LINKS), n + " uid");
                assertEquals(5678, Files.getAttribute(dir.resolve(n), "unix:gid", LinkOption.NOFOLLOW_LINKS), n + " gid");
            }
            assertEquals(Sid.BUILTIN_USERS, sd.owner(), "the owner uid shows as the configured SID");
        }
    }

    @Test
    void withoutAnOwnerNewFilesGetTheShareRootsIds() throws Exception {
        Files.setAttribute(dir, "unix:uid", 4321);
        Files.setAttribute(dir, "unix:gid", 8765);
        try (VolumeHarness h = start(VolumeConfig.builder())) {
            FileContext c = h.create("\\auto");
            h.volume.write(c, ByteBuffer.wrap(new byte[] {1}), 0, 1, false, false);
            h.closeModified(c);
            assertEquals(4321, Files.getAttribute(dir.resolve("auto"), "unix:uid"));
            assertEquals(8765, Files.getAttribute(dir.resolve("auto"), "unix:gid"));
        }
        assertFalse(Files.exists(dir.resolve("nothing")));
    }
}
