package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.fuse.Opcode;

/** Windows extended attributes kept in {@code user.viofs.attrib} (virtiofsd -o xattr), checked on the host. */
class EaIT {
    private static final int CREATE_NEW_FILE = (CreateOptions.FILE_CREATE << 24) | CreateOptions.FILE_NON_DIRECTORY_FILE;
    private static final int CREATE_NEW_DIR = (CreateOptions.FILE_CREATE << 24) | CreateOptions.FILE_DIRECTORY_FILE;
    /** A value ext4 without ea_inode cannot hold in one attribute (its limit is about one 4 KiB block). */
    private static final int OVER_ONE_BLOCK = 8 * 1024;

    @TempDir
    Path dir;

    private static VolumeHarness startXattr(Path dir) {
        return startXattr(dir, VolumeConfig.builder().mountTag("x").xattrs(true).build());
    }

    private static VolumeHarness startXattr(Path dir, VolumeConfig config) {
        VirtiofsdLauncher.Options opts = VirtiofsdFixture.options().xattr(true).logLevel(VirtiofsdLauncher.LogLevel.WARN).build();
        return VolumeHarness.start(dir, config, opts);
    }

    private static Ea ea(String name, String value) {
        return new Ea(name, 0, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Ea ea(String name, int size) {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
            v[i] = (byte) (i * 31 + 7);
        }
        return new Ea(name, 0, v);
    }

    private static List<String> names(List<Ea> eas) {
        return eas.stream().map(Ea::name).toList();
    }

    private static int eaSize(List<Ea> eas) {
        return eas.stream().mapToInt(Ea::packedSize).sum();
    }

    /** The host's {@code user.viofs.attrib} bytes, or null when the file has none. */
    private static byte[] hostRecord(Path p) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        String name = "viofs.attrib";
        if (!view.list().contains(name)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(view.size(name));
        view.read(name, b);
        return b.array();
    }

    /** The EAs the host's bytes hold, decoded independently of the volume's cache. */
    private static List<Ea> hostEas(Path p) throws IOException {
        byte[] r = hostRecord(p);
        HostStat st = new HostStat(0, 0, 0, 0, 0, 0, 0, 0, 0,
                Files.isDirectory(p) ? HostStat.S_IFDIR : HostStat.S_IFREG, 1, 0, 0);
        return r == null ? List.of() : XattrAttributes.decode(r, st).eas();
    }

    private static int hostMode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode");
    }

    /** Requests by opcode sent while {@code r} ran. */
    private static Map<Integer, Long> requests(VolumeHarness h, Runnable r) {
        Map<Integer, Long> before = h.counting.snapshot();
        r.run();
        Map<Integer, Long> out = new TreeMap<>();
        h.counting.snapshot().forEach((op, n) -> {
            long d = n - before.getOrDefault(op, 0L);
            if (d != 0) {
                out.put(op, d);
            }
        });
        return out;
    }

    private static void assertHostRefusesOneBlockPlus(Path dir) throws IOException {
        Path probe = Files.createFile(dir.resolve("probe"));
        UserDefinedFileAttributeView view = Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class);
        boolean refused = false;
        try {
            view.write("probe", ByteBuffer.allocate(OVER_ONE_BLOCK));
        } catch (IOException e) {
            refused = true;
        }
        Files.delete(probe);
        assertTrue(refused, "this test needs a host file system that holds about one block of xattrs per file"
                + " (ext4 without ea_inode); " + dir + " took " + OVER_ONE_BLOCK + " bytes");
    }

    // ------------------------------------------------------------------ set / get

    @Test
    void setGetReplaceByOtherCaseAndDelete() throws Exception {
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            assertTrue(v.supportsEas(), "-o xattr volumes keep EAs");
            FileContext c = h.create("\\f.txt");
            assertEquals(List.of(), v.getEa(c), "a new file has none");
            FileInfo fi = v.setEa(c, List.of(new Ea("Alpha", Ea.FILE_NEED_EA, new byte[] {1}), ea("beta", "xyz")));
            List<Ea> got = v.getEa(c);
            assertEquals(List.of("ALPHA", "BETA"), names(got), "stored upper-case in insertion order");
            assertEquals(Ea.FILE_NEED_EA, got.get(0).flags(), "FILE_NEED_EA kept");
            assertEquals(0, got.get(1).flags());
            assertEquals((5 + 5 + 1) + (5 + 4 + 3), fi.eaSize(), "SetEa reports the new EaSize");
            assertEquals(fi.eaSize(), v.getFileInfo(c).eaSize());
            assertEquals(got, hostEas(dir.resolve("f.txt")), "the host holds what GetEa returns");
            String raw = new String(hostRecord(dir.resolve("f.txt")), StandardCharsets.ISO_8859_1);
            assertTrue(raw.contains("ALPHA") && !raw.contains("Alpha"), "names stored upper-case on the host");
            assertEquals(XattrAttributes.MARKER, hostMode(dir.resolve("f.txt")) & XattrAttributes.MARKER,
                    "the marker tells later mounts to look");

            v.setEa(c, List.of(ea("aLpHa", "22")));
            got = v.getEa(c);
            assertEquals(List.of("ALPHA", "BETA"), names(got), "another case replaces, in place");
            assertArrayEquals("22".getBytes(StandardCharsets.US_ASCII), got.get(0).value());
            assertEquals(0, got.get(0).flags(), "the flags are replaced too");

            fi = v.setEa(c, List.of(ea("BETA", ""), ea("never-there", "")));
            assertEquals(List.of("ALPHA"), names(v.getEa(c)), "an empty value deletes; an absent name is no error");
            assertEquals(5 + 5 + 2, fi.eaSize());

            fi = v.setEa(c, List.of(ea("alpha", "")));
            assertEquals(0, fi.eaSize());
            assertEquals(List.of(), v.getEa(c));
            h.close(c);
            assertNull(hostRecord(dir.resolve("f.txt")), "the last EA gone and nothing else stored: no attribute");
            assertEquals(0100644, hostMode(dir.resolve("f.txt")), "and no marker");
        }
    }

    @Test
    void eaSizeSurvivesDroppedCachesAndANewMount() throws Exception {
        List<Ea> set = List.of(new Ea("ONE", Ea.FILE_NEED_EA, new byte[] {1, 2, 3}), ea("TWO", "second"));
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.create("\\kept.txt");
            v.setEa(c, set);
            h.close(c);
            h.close(h.create("\\plain.txt"));
            v.dropCaches();
            OpenResult r = v.open("\\kept.txt", CreateOptions.FILE_OPEN << 24, VolumeHarness.R);
            assertEquals(eaSize(set), r.openFileInfo().fileInfo().eaSize(), "Open reports EaSize from the host");
            assertEquals(eaSize(set), v.getFileInfo(r.context()).eaSize());
            assertEquals(set, v.getEa(r.context()));
            h.close(r.context());
        }
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.open("\\kept.txt", VolumeHarness.R);
            assertEquals(eaSize(set), v.getFileInfo(c).eaSize(), "a new mount reads them back");
            assertEquals(set, v.getEa(c), "names, flags and values");
            h.close(c);
            FileContext root = h.openDir("\\");
            Map<String, Integer> listed = new TreeMap<>();
            h.list(root, 10).forEach(e -> listed.put(e.fileName(), e.fileInfo().eaSize()));
            h.close(root);
            assertEquals(eaSize(set), listed.get("kept.txt"), "the listing agrees");
            assertEquals(0, listed.get("plain.txt"));
        }
    }

    @Test
    void anOpenerWithoutEaKnowledgeCannotOpenAFileThatNeedsEas() throws Exception {
        int noEaKnowledge = (CreateOptions.FILE_OPEN << 24) | CreateOptions.FILE_NO_EA_KNOWLEDGE;
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.create("\\needs.txt");
            v.setEa(c, List.of(new Ea("REQUIRED", Ea.FILE_NEED_EA, new byte[] {7})));
            h.close(c);
            c = h.create("\\optional.txt");
            v.setEa(c, List.of(ea("OPTIONAL", "x")));
            h.close(c);
            assertThrowsStatus(NtStatus.ACCESS_DENIED, () -> v.open("\\needs.txt", noEaKnowledge, VolumeHarness.R),
                    "FILE_NEED_EA refuses FILE_NO_EA_KNOWLEDGE");
            h.close(v.open("\\optional.txt", noEaKnowledge, VolumeHarness.R).context());
            h.close(v.open("\\needs.txt", CreateOptions.FILE_OPEN << 24, VolumeHarness.R).context());
        }
    }

    /**
     * SetEa on one handle and SetBasicInfo(attributes) on another change different parts of the same
     * stored value at the same time (WinFsp's FINE guard lets them run at once); neither may undo the
     * other's part.
     */
    @Test
    void concurrentChangesToOneFilesStoredValueLoseNothing() throws Exception {
        int rounds = 150;
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext eaHandle = h.create("\\busy.txt");
            FileContext attrHandle = h.open("\\busy.txt", VolumeHarness.RW);
            Thread other = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    int a = FileAttributes.ARCHIVE | (i % 2 == 0 ? FileAttributes.HIDDEN : FileAttributes.SYSTEM);
                    v.setBasicInfo(attrHandle, a, 0, 0, 0, 0);
                }
            });
            other.start();
            for (int i = 0; i < rounds; i++) {
                v.setEa(eaHandle, List.of(ea("K" + i, "v")));
            }
            other.join(60_000);
            assertFalse(other.isAlive());
            h.close(eaHandle);
            h.close(attrHandle);
        }
        List<Ea> onHost = hostEas(dir.resolve("busy.txt"));
        assertEquals(rounds, onHost.size(), "every EA set on one handle survived the other handle's attribute changes");
        try (VolumeHarness h = startXattr(dir)) {
            FileContext c = h.open("\\busy.txt", VolumeHarness.R);
            int last = FileAttributes.ARCHIVE | ((rounds - 1) % 2 == 0 ? FileAttributes.HIDDEN : FileAttributes.SYSTEM);
            assertEquals(last, h.volume.getFileInfo(c).fileAttributes(), "and the last attributes survived the EAs");
            h.close(c);
        }
    }

    @Test
    void anInvalidNameChangesNothing() throws Exception {
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.create("\\f");
            v.setEa(c, List.of(ea("KEEP", "1")));
            byte[] before = hostRecord(dir.resolve("f"));
            Map<Integer, Long> sent = requests(h, () -> assertThrowsStatus(NtStatus.INVALID_EA_NAME,
                    () -> v.setEa(c, List.of(ea("NEW", "2"), ea("KEEP", ""), ea("bad*name", "3"))), "a * in the name"));
            assertEquals(Map.of(), sent, "refused before any request");
            assertEquals(List.of("KEEP"), names(v.getEa(c)), "neither the valid entries before it");
            assertArrayEquals(before, hostRecord(dir.resolve("f")), "nor the host's bytes changed");
            assertThrowsStatus(NtStatus.INVALID_EA_NAME, () -> v.setEa(c, List.of(ea("", "1"))), "an empty name");
            assertThrowsStatus(NtStatus.INVALID_EA_NAME, () -> v.setEa(c, List.of(ea("tab\there", "1"))), "a control");
            assertThrowsStatus(NtStatus.INVALID_EA_NAME, () -> v.setEa(c, List.of(ea("x".repeat(256), "1"))),
                    "256 bytes");
            h.close(c);
        }
    }

    @Test
    void aSetTheHostCannotHoldIsEaTooLargeAndKeepsTheOldEas() throws Exception {
        assertHostRefusesOneBlockPlus(dir);
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.create("\\f");
            v.setEa(c, List.of(ea("OLD", "kept")));
            byte[] before = hostRecord(dir.resolve("f"));

            // 64 KiB of values: over XATTR_SIZE_MAX, refused without asking the host
            Map<Integer, Long> sent = requests(h, () -> assertThrowsStatus(NtStatus.EA_TOO_LARGE,
                    () -> v.setEa(c, List.of(ea("A", 32 * 1024), ea("B", 32 * 1024))), "64 KiB of values"));
            assertEquals(Map.of(), sent, "known too large before any request");

            // 8 KiB: within the protocol's limit, over what ext4 holds in one attribute
            sent = requests(h, () -> assertThrowsStatus(NtStatus.EA_TOO_LARGE,
                    () -> v.setEa(c, List.of(ea("OLD", ""), ea("BIG", OVER_ONE_BLOCK))), "8 KiB on ext4"));
            assertEquals(Map.of(Opcode.SETXATTR.code(), 1L), sent, "one SETXATTR, refused by the host");
            assertEquals(List.of(ea("OLD", "kept")), v.getEa(c), "the old EAs stay");
            assertEquals(5 + 3 + 4, v.getFileInfo(c).eaSize());
            assertArrayEquals(before, hostRecord(dir.resolve("f")), "the host's value is untouched");
            h.close(c);
            v.dropCaches();
            FileContext again = h.open("\\f", VolumeHarness.R);
            assertEquals(List.of(ea("OLD", "kept")), v.getEa(again), "and reads back so");
            h.close(again);
        }
    }

    // ------------------------------------------------------------------ CreateEx / OverwriteEx

    @Test
    void createWithEasSetsThemAndLeavesNothingWhenTheyFail() throws Exception {
        assertHostRefusesOneBlockPlus(dir);
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            List<Ea> set = List.of(ea("Zone", "3"), ea("ignored", ""));
            OpenResult r = v.createWithEas("\\made.txt", CREATE_NEW_FILE, VolumeHarness.RW, 0, null, 0, set);
            assertEquals(5 + 4 + 1, r.openFileInfo().fileInfo().eaSize(), "the new file's EaSize counts them");
            assertEquals(List.of(ea("ZONE", "3")), v.getEa(r.context()), "an empty value is ignored");
            h.close(r.context());
            assertEquals(List.of(ea("ZONE", "3")), hostEas(dir.resolve("made.txt")));

            OpenResult d = v.createWithEas("\\made.dir", CREATE_NEW_DIR, VolumeHarness.RW, FileAttributes.DIRECTORY,
                    null, 0, List.of(ea("d", "1")));
            assertEquals(5 + 1 + 1, d.openFileInfo().fileInfo().eaSize());
            h.close(d.context());
            assertEquals(List.of(ea("D", "1")), hostEas(dir.resolve("made.dir")), "a directory keeps EAs too");

            assertThrowsStatus(NtStatus.EA_TOO_LARGE, () -> v.createWithEas("\\huge.txt", CREATE_NEW_FILE,
                    VolumeHarness.RW, 0, null, 0, List.of(ea("BIG", OVER_ONE_BLOCK))), "the host refuses the EAs");
            assertFalse(Files.exists(dir.resolve("huge.txt")), "the file made before the EAs failed is removed");
            assertThrowsStatus(NtStatus.EA_TOO_LARGE, () -> v.createWithEas("\\huge.dir", CREATE_NEW_DIR,
                    VolumeHarness.RW, FileAttributes.DIRECTORY, null, 0, List.of(ea("BIG", OVER_ONE_BLOCK))), "a directory");
            assertFalse(Files.exists(dir.resolve("huge.dir")), "so is a directory");
            assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> v.open("\\huge.txt", CreateOptions.FILE_OPEN << 24,
                    VolumeHarness.R), "the volume does not know it either");
            assertThrowsStatus(NtStatus.INVALID_EA_NAME, () -> v.createWithEas("\\bad.txt", CREATE_NEW_FILE,
                    VolumeHarness.RW, 0, null, 0, List.of(ea("a?", "1"))), "an invalid name");
            assertFalse(Files.exists(dir.resolve("bad.txt")), "is refused before the file is made");
            // the name is free again: a plain create works
            h.close(v.createWithEas("\\huge.txt", CREATE_NEW_FILE, VolumeHarness.RW, 0, null, 0, List.of()).context());
            assertTrue(Files.exists(dir.resolve("huge.txt")));
        }
    }

    @Test
    void overwriteWithEasReplacesTheWholeSet() throws Exception {
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.create("\\o.txt");
            h.write(c, 0, "data".getBytes(StandardCharsets.US_ASCII));
            v.setEa(c, List.of(ea("A", "1"), ea("B", "2")));
            FileInfo fi = v.overwriteWithEas(c, 0, false, 0, List.of(ea("c", "3")));
            assertEquals(0, fi.fileSize());
            assertEquals(List.of(ea("C", "3")), v.getEa(c), "the old set is replaced, not merged");
            assertEquals(5 + 1 + 1, fi.eaSize());
            fi = v.overwriteWithEas(c, 0, false, 0, List.of());
            assertEquals(List.of(), v.getEa(c), "an empty list removes them all");
            assertEquals(0, fi.eaSize());
            h.close(c);
            assertNull(hostRecord(dir.resolve("o.txt")), "nothing left stored");
            assertEquals(0100644, hostMode(dir.resolve("o.txt")), "no marker left");

            // HIDDEN is stored too: removing the EAs keeps the attribute
            FileContext hidden = v.create("\\h.txt", CREATE_NEW_FILE, VolumeHarness.RW, FileAttributes.HIDDEN, null, 0)
                    .context();
            v.setEa(hidden, List.of(ea("X", "1")));
            v.overwriteWithEas(hidden, 0, false, 0, List.of());
            h.close(hidden);
            assertEquals(List.of(), hostEas(dir.resolve("h.txt")));
            assertNotNull(hostRecord(dir.resolve("h.txt")), "the record stays for HIDDEN");
            assertEquals(FileAttributes.HIDDEN | FileAttributes.ARCHIVE, v.getSecurityByName("\\h.txt").fileAttributes());
        }
    }

    // ------------------------------------------------------------------ streams and directories

    @Test
    void aStreamHandlesEasAreTheMainFiles() throws Exception {
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            OpenResult s = v.createWithEas("\\doc.txt:Zone.Identifier", CreateOptions.FILE_CREATE << 24, VolumeHarness.RW,
                    0, null, 0, List.of(ea("from-stream", "1")));
            assertEquals(5 + 11 + 1, v.getFileInfo(s.context()).eaSize(), "the stream handle shows the file's EaSize");
            v.setEa(s.context(), List.of(ea("second", "22")));
            FileContext f = h.open("\\doc.txt", VolumeHarness.RW);
            assertEquals(List.of("FROM-STREAM", "SECOND"), names(v.getEa(f)), "set through the stream, seen on the file");
            assertEquals(v.getFileInfo(f).eaSize(), v.getFileInfo(s.context()).eaSize());
            v.overwriteWithEas(s.context(), 0, false, 0, List.of());
            assertEquals(List.of("FROM-STREAM", "SECOND"), names(v.getEa(f)),
                    "overwriting a stream leaves the file's EAs (Zone.Identifier rewrites must not wipe them)");
            v.overwriteWithEas(s.context(), 0, false, 0, List.of(ea("second", ""), ea("third", "3")));
            assertEquals(List.of("FROM-STREAM", "SECOND", "THIRD"), names(v.getEa(f)),
                    "an overwrite's list adds; its empty values delete nothing");
            h.close(s.context());
            h.close(f);
            assertEquals(List.of("FROM-STREAM", "SECOND", "THIRD"), names(hostEas(dir.resolve("doc.txt"))));
        }
    }

    @Test
    void directoriesHaveEas() throws Exception {
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext d = h.mkdir("\\d");
            assertEquals(5 + 3 + 2, v.setEa(d, List.of(ea("dir", "ea"))).eaSize());
            h.close(d);
            assertEquals(List.of(ea("DIR", "ea")), hostEas(dir.resolve("d")));
            assertEquals(040755, hostMode(dir.resolve("d")), "a directory needs no marker");
        }
        try (VolumeHarness h = startXattr(dir)) {
            FileContext d = h.openDir("\\d");
            assertEquals(List.of(ea("DIR", "ea")), h.volume.getEa(d));
            h.close(d);
        }
    }

    // ------------------------------------------------------------------ other volumes

    @Test
    void withoutXattrEveryEaCallIsEasNotSupported() throws Exception {
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("p").build())) {
            FuseVolume v = h.volume;
            assertFalse(v.supportsEas());
            FileContext c = h.create("\\f");
            assertThrowsStatus(NtStatus.EAS_NOT_SUPPORTED, () -> v.getEa(c), "GetEa");
            assertThrowsStatus(NtStatus.EAS_NOT_SUPPORTED, () -> v.setEa(c, List.of(ea("a", "1"))), "SetEa");
            assertThrowsStatus(NtStatus.EAS_NOT_SUPPORTED, () -> v.overwriteWithEas(c, 0, false, 0,
                    List.of(ea("a", "1"))), "OverwriteEx with EAs");
            h.write(c, 0, new byte[] {1, 2});
            assertEquals(0, v.overwriteWithEas(c, 0, false, 0, List.of()).fileSize(), "with none it is Overwrite");
            h.close(c);
            assertThrowsStatus(NtStatus.EAS_NOT_SUPPORTED, () -> v.createWithEas("\\g", CREATE_NEW_FILE, VolumeHarness.RW,
                    0, null, 0, List.of(ea("a", "1"))), "CreateEx with EAs");
            assertFalse(Files.exists(dir.resolve("g")), "makes no file");
            h.close(v.createWithEas("\\g", CREATE_NEW_FILE, VolumeHarness.RW, 0, null, 0, List.of()).context());
            assertTrue(Files.exists(dir.resolve("g")), "with none it is Create");
        }
    }

    @Test
    void aReadOnlyVolumeReadsEasAndRefusesChanges() throws Exception {
        try (VolumeHarness h = startXattr(dir)) {
            FileContext c = h.create("\\f");
            h.volume.setEa(c, List.of(ea("A", "1")));
            h.close(c);
        }
        try (VolumeHarness h = startXattr(dir, VolumeConfig.builder().mountTag("r").xattrs(true).readOnly(true).build())) {
            FuseVolume v = h.volume;
            FileContext c = h.open("\\f", VolumeHarness.R);
            assertEquals(List.of(ea("A", "1")), v.getEa(c));
            assertThrowsStatus(NtStatus.MEDIA_WRITE_PROTECTED, () -> v.setEa(c, List.of(ea("B", "2"))), "SetEa");
            assertThrowsStatus(NtStatus.MEDIA_WRITE_PROTECTED, () -> v.overwriteWithEas(c, 0, false, 0, List.of()),
                    "OverwriteEx");
            assertThrowsStatus(NtStatus.MEDIA_WRITE_PROTECTED, () -> v.createWithEas("\\g", CREATE_NEW_FILE,
                    VolumeHarness.RW, 0, null, 0, List.of(ea("a", "1"))), "CreateEx");
            h.close(c);
        }
        assertEquals(List.of(ea("A", "1")), hostEas(dir.resolve("f")));
    }

    // ------------------------------------------------------------------ request counts

    @Test
    void requestCounts() throws Exception {
        int getxattr = Opcode.GETXATTR.code();
        int setxattr = Opcode.SETXATTR.code();
        int setattr = Opcode.SETATTR.code();
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.create("\\f");
            assertEquals(Map.of(), requests(h, () -> v.getEa(c)), "GetEa on a file without stored data");
            assertEquals(Map.of(), requests(h, () -> v.getFileInfo(c)), "GetFileInfo on a file without stored data");
            assertEquals(Map.of(setxattr, 1L, setattr, 1L), requests(h, () -> v.setEa(c, List.of(ea("A", "1")))),
                    "the first SetEa: the record and the marker");
            assertEquals(Map.of(setxattr, 1L), requests(h, () -> v.setEa(c, List.of(ea("B", "2")))), "the next one");
            assertEquals(Map.of(), requests(h, () -> v.setEa(c, List.of(ea("b", "2"), ea("none", "")))),
                    "a SetEa that changes nothing sends nothing");
            assertEquals(Map.of(), requests(h, () -> v.getEa(c)), "GetEa of a known set");
            h.close(c);

            v.dropCaches();
            Map<Integer, Long> open = requests(h, () -> h.close(h.open("\\f", VolumeHarness.RW)));
            assertEquals(1L, open.get(getxattr), "a marked file is read with one GETXATTR");
            FileContext again = h.open("\\f", VolumeHarness.RW);
            assertEquals(Map.of(), requests(h, () -> v.getEa(again)), "known since Open");
            assertEquals(Map.of(setxattr, 1L), requests(h, () -> v.setEa(again, List.of(ea("c", "3")))));
            assertEquals(Map.of(setxattr, 1L), requests(h, () -> v.setEa(again, List.of(ea("a", ""), ea("b", "")))));
            assertEquals(Map.of(Opcode.REMOVEXATTR.code(), 1L, setattr, 1L),
                    requests(h, () -> v.setEa(again, List.of(ea("c", "")))), "the last EA: the attribute and marker go");
            h.close(again);
            assertEquals(0L, v.counters().get("GetEa"), "GetEa never sent a request");
        }
    }
}
