package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertStatus;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.Opcode;
import org.viofs.fuse.abi.AttrOut;

/** Every callback against a real virtiofsd, checked on the host directory. */
class FuseVolumeIT {
    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong();
    VolumeHarness h;
    FuseVolume v;

    @BeforeEach
    void start() {
        h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("share").nanoClock(clock::get).build());
        v = h.volume;
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private int hostMode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    /** Moves the injected clock past every cache timeout virtiofsd grants by default (1 s). */
    private void expireCaches() {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
    }

    // ------------------------------------------------------------------ volume

    @Test
    void volumeInfoAndLabel() throws Exception {
        VolumeInfo vi = v.getVolumeInfo();
        assertEquals(Files.getFileStore(dir).getTotalSpace(), vi.totalSize(),
                "TotalSize is the host file system's f_blocks × f_frsize");
        assertTrue(vi.freeSize() > 0 && vi.freeSize() <= vi.totalSize(), "free space moves with other writers: " + vi);
        assertEquals("share", vi.volumeLabel(), "label = mount tag");
        assertEquals("data", v.setVolumeLabel("data").volumeLabel());
        assertEquals("data", v.getVolumeInfo().volumeLabel());
        assertEquals("y".repeat(32), v.setVolumeLabel("y".repeat(33)).volumeLabel(), "a 33-char label keeps 32 (memfs)");
    }

    /**
     * A bug below a callback (here: the caller's sink throws) costs that request STATUS_INTERNAL_ERROR,
     * not the dispatcher thread; the handle and the volume keep working.
     */
    @Test
    void anUnexpectedRuntimeExceptionBecomesInternalError() throws Exception {
        Files.write(dir.resolve("f"), bytes("x"));
        FileContext d = h.openDir("\\");
        NtStatusException e = assertThrowsStatus(NtStatus.INTERNAL_ERROR, () -> v.readDirectory(d, null, null, entry -> {
            throw new IllegalStateException("a bug");
        }), "ReadDirectory with a failing sink");
        assertTrue(e.getCause() instanceof IllegalStateException, "the bug is kept as the cause: " + e.getCause());
        assertEquals(0, v.cache().heldByThisThread(), "the callback frame released its holds");
        assertEquals(List.of("f"), h.list(d, 10).stream().map(DirInfo::fileName).collect(Collectors.toList()),
                "the same handle lists again");
        h.close(d);
    }

    // ------------------------------------------------------------------ security by name

    @Test
    void securityByName() throws Exception {
        Files.write(dir.resolve("f"), bytes("x"));
        Files.setPosixFilePermissions(dir.resolve("f"), PosixFilePermissions.fromString("rw-r-----"));
        SecurityByName s = v.getSecurityByName("\\f");
        assertStatus(NtStatus.SUCCESS, s.status(), "GetSecurityByName \\f");
        assertEquals(FileAttributes.ARCHIVE, s.fileAttributes());
        PosixSecurity.Permissions p = PosixSecurity.fromDescriptor(SecurityDescriptor.parse(s.securityDescriptor()));
        assertEquals(0750, p.mode(), "0640, and whoever may read may execute");
        assertEquals(Sid.BUILTIN_USERS, p.owner(), "the share owner's uid shows as the configured owner SID");
        assertEquals(Sid.fromPosixId(0), p.group(), "the gid shows as WinFsp's POSIX SID");
        assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> v.getSecurityByName("\\missing"), "missing leaf");
        assertThrowsStatus(NtStatus.OBJECT_PATH_NOT_FOUND, () -> v.getSecurityByName("\\missing\\x"), "missing parent");
        assertThrowsStatus(NtStatus.NOT_A_DIRECTORY, () -> v.getSecurityByName("\\f\\x"), "file as a directory");
        assertEquals(FileAttributes.DIRECTORY, v.getSecurityByName("\\").fileAttributes());
    }

    // ------------------------------------------------------------------ create / open / overwrite

    @Test
    void createFilesAndDirectories() throws Exception {
        h.close(h.create("\\new.txt"));
        assertTrue(Files.isRegularFile(dir.resolve("new.txt")));
        assertEquals(0100644, hostMode(dir.resolve("new.txt")));
        h.close(h.mkdir("\\sub"));
        assertTrue(Files.isDirectory(dir.resolve("sub")));
        assertEquals(040755, hostMode(dir.resolve("sub")));
        assertThrowsStatus(NtStatus.OBJECT_NAME_COLLISION, () -> h.create("\\new.txt"), "create existing");
        assertThrowsStatus(NtStatus.OBJECT_NAME_COLLISION, () -> h.mkdir("\\sub"), "mkdir existing");
        assertThrowsStatus(NtStatus.OBJECT_PATH_NOT_FOUND, () -> v.create("\\nope\\x",
                CreateOptions.FILE_CREATE << 24, VolumeHarness.RW, 0, null, 0), "create in a missing directory");
        OpenResult ro = v.create("\\ro.txt", CreateOptions.FILE_CREATE << 24, VolumeHarness.RW, FileAttributes.READONLY,
                null, 0);
        assertEquals(FileAttributes.ARCHIVE | FileAttributes.READONLY, ro.openFileInfo().fileInfo().fileAttributes());
        h.close(ro.context());
        assertEquals(0100444, hostMode(dir.resolve("ro.txt")), "READONLY = no write bits");
        h.close(v.create("\\rodir", (CreateOptions.FILE_CREATE << 24) | CreateOptions.FILE_DIRECTORY_FILE,
                VolumeHarness.RW, FileAttributes.READONLY | FileAttributes.DIRECTORY, null, 0).context());
        assertEquals(040755, hostMode(dir.resolve("rodir")), "READONLY on a directory leaves its write bits");
        FileContext big = v.create("\\prealloc", CreateOptions.FILE_CREATE << 24, VolumeHarness.RW, 0, null, 1 << 20)
                .context();
        assertEquals(0, v.getFileInfo(big).fileSize(), "allocation does not change the size");
        assertEquals(1 << 20, v.getFileInfo(big).allocationSize(), "the allocation is reserved on the host");
        v.cleanup(big, null, CleanupFlags.SET_ALLOCATION_SIZE);
        assertEquals(0, v.getFileInfo(big).allocationSize(), "Cleanup(SetAllocationSize) gives it back");
        v.close(big);
        assertEquals(0, Files.size(dir.resolve("prealloc")));
    }

    @Test
    void openChecksTheKind() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        Files.write(dir.resolve("f"), bytes("abc"));
        OpenResult r = v.open("\\f", CreateOptions.FILE_OPEN << 24, VolumeHarness.R);
        assertEquals(3, r.openFileInfo().fileInfo().fileSize());
        assertNull(r.openFileInfo().normalizedName(), "case-sensitive volumes report no normalized name");
        h.close(r.context());
        assertThrowsStatus(NtStatus.NOT_A_DIRECTORY, () -> v.open("\\f",
                (CreateOptions.FILE_OPEN << 24) | CreateOptions.FILE_DIRECTORY_FILE, VolumeHarness.R), "file as directory");
        assertThrowsStatus(NtStatus.FILE_IS_A_DIRECTORY, () -> v.open("\\d",
                (CreateOptions.FILE_OPEN << 24) | CreateOptions.FILE_NON_DIRECTORY_FILE, VolumeHarness.R), "dir as file");
        assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> v.open("\\g", 0, VolumeHarness.R), "missing");
        FileContext d = h.openDir("\\d");
        assertTrue(v.getFileInfo(d).isDirectory());
        h.close(d);
    }

    @Test
    void overwriteReplacesOrMergesAttributes() throws Exception {
        Files.write(dir.resolve("f"), bytes("some data"));
        FileContext c = h.open("\\f", VolumeHarness.RW);
        FileInfo fi = v.overwrite(c, FileAttributes.READONLY, false, 0);
        assertEquals(0, fi.fileSize());
        assertEquals(FileAttributes.ARCHIVE | FileAttributes.READONLY, fi.fileAttributes());
        h.close(c);
        assertEquals(0, Files.size(dir.resolve("f")));
        assertEquals(0100444, hostMode(dir.resolve("f")), "OVERWRITE ORs READONLY in");
        Files.write(dir.resolve("f"), bytes("again")); // root ignores the mode
        c = h.open("\\f", VolumeHarness.RW);
        v.overwrite(c, FileAttributes.NORMAL, false, 0);
        assertEquals(0100444, hostMode(dir.resolve("f")), "merging NORMAL keeps READONLY");
        fi = v.overwrite(c, FileAttributes.NORMAL, true, 0);
        assertEquals(FileAttributes.ARCHIVE, fi.fileAttributes(), "SUPERSEDE replaces: READONLY goes");
        h.close(c);
        assertEquals(0100644, hostMode(dir.resolve("f")));
    }

    // ------------------------------------------------------------------ cleanup / close

    @Test
    void cleanupFlagsNeverTouchTheMode() throws Exception {
        Path f = dir.resolve("script.sh");
        Files.write(f, bytes("#!/bin/sh\n"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x--x"));
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        FileContext c = h.open("\\script.sh", VolumeHarness.RW);
        v.cleanup(c, null, CleanupFlags.SET_ALLOCATION_SIZE | CleanupFlags.SET_ARCHIVE_BIT
                | CleanupFlags.SET_LAST_ACCESS_TIME | CleanupFlags.SET_LAST_WRITE_TIME | CleanupFlags.SET_CHANGE_TIME);
        v.close(c);
        assertEquals(0100751, hostMode(f), "the anchor reset modes to 0664 here (§4.6)");
        assertTrue(Files.getLastModifiedTime(f).toMillis() > 1_000_000_000_000L + 1000,
                "SetLastWriteTime without a write stamps now");
        // a directory keeps its x bits too
        Files.createDirectory(dir.resolve("d"));
        FileContext d = h.openDir("\\d");
        v.cleanup(d, null, CleanupFlags.SET_LAST_WRITE_TIME | CleanupFlags.SET_CHANGE_TIME);
        v.close(d);
        assertEquals(040755, hostMode(dir.resolve("d")));
    }

    @Test
    void cleanupDeleteRemovesFilesAndDirectories() throws Exception {
        Files.write(dir.resolve("f"), bytes("x"));
        Files.createDirectory(dir.resolve("d"));
        h.delete("\\f");
        assertFalse(Files.exists(dir.resolve("f")));
        h.delete("\\d");
        assertFalse(Files.exists(dir.resolve("d")));
        assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> v.getSecurityByName("\\f"), "deleted file");
    }

    // ------------------------------------------------------------------ read / write / flush

    @Test
    void readEndOfFile() throws Exception {
        Files.write(dir.resolve("f"), bytes("0123456789"));
        FileContext c = h.open("\\f", VolumeHarness.R);
        assertArrayEquals(bytes("789"), h.read(c, 7, 100), "a read across EOF is clipped");
        assertThrowsStatus(NtStatus.END_OF_FILE, () -> h.read(c, 10, 5), "read at EOF");
        assertThrowsStatus(NtStatus.END_OF_FILE, () -> h.read(c, 1000, 5), "read past EOF");
        h.close(c);
    }

    @Test
    void writeAppendAndConstrainedIo() throws Exception {
        FileContext c = h.create("\\f");
        assertEquals(5, h.write(c, 0, bytes("hello")));
        WriteResult w = v.write(c, ByteBuffer.wrap(bytes(" world")), -1, 6, true, false);
        assertEquals(6, w.bytesTransferred());
        assertEquals(11, w.fileInfo().fileSize(), "Write reports the new size");
        WriteResult past = v.write(c, ByteBuffer.wrap(bytes("zz")), 11, 2, false, true);
        assertEquals(0, past.bytesTransferred(), "constrained I/O at EOF writes nothing");
        WriteResult across = v.write(c, ByteBuffer.wrap(bytes("WORLD!!")), 6, 7, false, true);
        assertEquals(5, across.bytesTransferred(), "constrained I/O is clipped to the size");
        assertEquals(11, across.fileInfo().fileSize());
        h.closeModified(c);
        assertEquals("hello WORLD", Files.readString(dir.resolve("f")));
        // a write past EOF extends (with a hole)
        c = h.open("\\f", VolumeHarness.RW);
        assertEquals(1, h.write(c, 20, bytes("!")));
        assertEquals(21, v.getFileInfo(c).fileSize());
        h.closeModified(c);
        assertEquals(21, Files.size(dir.resolve("f")));
    }

    @Test
    void flushFileAndVolume() throws Exception {
        FileContext c = h.create("\\f");
        h.write(c, 0, bytes("durable"));
        long before = h.counting.count(Opcode.FSYNC);
        FileInfo fi = v.flush(c);
        assertEquals(7, fi.fileSize());
        assertEquals(before + 1, h.counting.count(Opcode.FSYNC), "Flush of a file sends FSYNC");
        assertNull(v.flush(null), "a volume flush returns no file info");
        h.closeModified(c);
    }

    // ------------------------------------------------------------------ information

    @Test
    void getFileInfoFollowsTheHostAfterTheTimeout() throws Exception {
        Files.write(dir.resolve("f"), bytes("abc"));
        FileContext c = h.open("\\f", VolumeHarness.R);
        assertEquals(3, v.getFileInfo(c).fileSize());
        Files.write(dir.resolve("f"), bytes("abcdef"));
        assertEquals(3, v.getFileInfo(c).fileSize(), "within attr_valid the cached size is served");
        expireCaches();
        FileInfo fi = v.getFileInfo(c);
        assertEquals(6, fi.fileSize(), "after attr_valid the host's size");
        assertEquals(Files.getAttribute(dir.resolve("f"), "unix:ino"), fi.indexNumber(), "IndexNumber = inode");
        assertEquals(1, fi.hardLinks());
        h.close(c);
    }

    @Test
    void setBasicInfo() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, bytes("x"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr--"));
        FileTime mtime = Files.getLastModifiedTime(f);
        FileContext c = h.open("\\f", VolumeHarness.RW);
        v.setBasicInfo(c, FileAttributes.INVALID_FILE_ATTRIBUTES, 0, 0, 0, 0);
        assertEquals(0100754, hostMode(f), "INVALID_FILE_ATTRIBUTES leaves the mode");
        assertEquals(mtime, Files.getLastModifiedTime(f), "time 0 leaves the time");
        long t2001 = FileInfoMapper.toFileTime(1_000_000_000L, 0);
        FileInfo fi = v.setBasicInfo(c, FileAttributes.INVALID_FILE_ATTRIBUTES, 0, t2001, t2001, 0);
        assertEquals(t2001, fi.lastWriteTime());
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(f).toMillis());
        fi = v.setBasicInfo(c, FileAttributes.READONLY | FileAttributes.ARCHIVE, 0, 0, 0, 0);
        assertEquals(0100554, hostMode(f), "READONLY clears every write bit");
        assertTrue((fi.fileAttributes() & FileAttributes.READONLY) != 0);
        v.setBasicInfo(c, FileAttributes.NORMAL, 0, 0, 0, 0);
        assertEquals(0100754, hostMode(f), "clearing READONLY gives the owner write back");
        h.close(c);
    }

    @Test
    void setFileSize() throws Exception {
        Files.write(dir.resolve("f"), bytes("0123456789"));
        FileContext c = h.open("\\f", VolumeHarness.RW);
        assertEquals(4, v.setFileSize(c, 4, false).fileSize());
        assertEquals(4, Files.size(dir.resolve("f")));
        assertEquals(100, v.setFileSize(c, 100, false).fileSize());
        assertEquals(100, Files.size(dir.resolve("f")));
        FileInfo fi = v.setFileSize(c, 1 << 20, true);
        assertEquals(100, fi.fileSize(), "a larger allocation keeps the size");
        assertEquals(100, Files.size(dir.resolve("f")));
        assertEquals(50, v.setFileSize(c, 50, true).fileSize(), "an allocation below EOF cuts the file");
        assertEquals(50, Files.size(dir.resolve("f")));
        h.closeModified(c);
    }

    // ------------------------------------------------------------------ delete / rename

    @Test
    void canDeleteAndSetDelete() throws Exception {
        Files.createDirectories(dir.resolve("full"));
        Files.write(dir.resolve("full").resolve("x"), bytes("x"));
        Files.createDirectories(dir.resolve("empty"));
        FileContext full = h.openDir("\\full");
        assertThrowsStatus(NtStatus.DIRECTORY_NOT_EMPTY, () -> v.canDelete(full, "\\full"), "CanDelete non-empty");
        assertThrowsStatus(NtStatus.DIRECTORY_NOT_EMPTY, () -> v.setDelete(full, "\\full", true), "SetDelete non-empty");
        h.close(full);
        assertTrue(Files.exists(dir.resolve("full").resolve("x")));
        FileContext empty = h.openDir("\\empty");
        v.canDelete(empty, "\\empty");
        v.setDelete(empty, "\\empty", true);
        v.setDelete(empty, "\\empty", false);
        assertFalse(((Handle) empty).deletePending, "SetDelete(false) unmarks");
        h.close(empty);
        assertTrue(Files.exists(dir.resolve("empty")));
    }

    @Test
    void renameRules() throws Exception {
        Files.write(dir.resolve("a"), bytes("A"));
        Files.write(dir.resolve("b"), bytes("B"));
        Files.createDirectories(dir.resolve("d"));
        Files.createDirectories(dir.resolve("e"));
        assertThrowsStatus(NtStatus.OBJECT_NAME_COLLISION, () -> h.rename("\\a", "\\b", false), "no replace");
        assertEquals("B", Files.readString(dir.resolve("b")));
        h.rename("\\a", "\\b", true);
        assertFalse(Files.exists(dir.resolve("a")));
        assertEquals("A", Files.readString(dir.resolve("b")), "replaced");
        assertThrowsStatus(NtStatus.ACCESS_DENIED, () -> h.rename("\\b", "\\d", true), "a directory is never replaced");
        assertThrowsStatus(NtStatus.ACCESS_DENIED, () -> h.rename("\\e", "\\d", true), "not even by a directory");
        h.rename("\\b", "\\d\\moved", false);
        assertEquals("A", Files.readString(dir.resolve("d").resolve("moved")));
        h.rename("\\d", "\\d", false); // onto itself: success, nothing changes
        assertTrue(Files.isDirectory(dir.resolve("d")));
        h.rename("\\d", "\\dir2", false);
        assertEquals("A", Files.readString(dir.resolve("dir2").resolve("moved")));
        assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> v.getSecurityByName("\\d"), "old name gone from the cache");
        assertEquals(FileAttributes.ARCHIVE, v.getSecurityByName("\\dir2\\moved").fileAttributes());
        // a handle follows its file through a rename: delete by the new name
        FileContext c = h.open("\\dir2\\moved", VolumeHarness.RW);
        v.rename(c, "\\dir2\\moved", "\\final", false);
        v.setDelete(c, "\\final", true);
        v.cleanup(c, "\\final", CleanupFlags.DELETE);
        v.close(c);
        assertFalse(Files.exists(dir.resolve("final")));
        assertFalse(Files.exists(dir.resolve("dir2").resolve("moved")));
    }

    // ------------------------------------------------------------------ security

    @Test
    void getAndSetSecurity() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, bytes("x"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        FileContext c = h.open("\\f", VolumeHarness.RW);
        SecurityDescriptor sd = SecurityDescriptor.parse(v.getSecurity(c));
        // & 0777: the owner's FILE_DELETE_CHILD (full control) next to a writing group reads back as a
        // sticky bit, which SetSecurity never applies to a file
        assertEquals(0775, PosixSecurity.fromDescriptor(sd).mode() & 0777, "0664 with read granting execute");
        SecurityDescriptor wanted = PosixSecurity.toDescriptor(sd.owner(), sd.group(), 0100600);
        v.setSecurity(c, SecurityDescriptor.DACL_SECURITY_INFORMATION, wanted.toBytes());
        assertEquals(0100600, hostMode(f), "the DACL became mode bits");
        assertEquals(0700, PosixSecurity.fromDescriptor(SecurityDescriptor.parse(v.getSecurity(c))).mode());
        assertThrowsStatus(NtStatus.INVALID_SECURITY_DESCR, () -> v.setSecurity(c,
                SecurityDescriptor.DACL_SECURITY_INFORMATION, new byte[3]), "garbage descriptor");
        assertEquals(0100600, hostMode(f), "a bad descriptor changes nothing");
        h.close(c);
    }

    /**
     * Host files rarely carry x bits; with read granting execute (the default) a 0644 file's descriptor
     * lets readers execute (GENERIC_ALL opens and running programs work), and writing that descriptor
     * back, or a change to other bits, never adds an x bit on the host.
     */
    @Test
    void readGrantsExecuteWithoutTouchingHostXBits() throws Exception {
        Path f = dir.resolve("tool.exe");
        Files.write(f, bytes("MZ"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        FileContext c = h.open("\\tool.exe", VolumeHarness.RW);
        SecurityDescriptor shown = SecurityDescriptor.parse(v.getSecurity(c));
        assertEquals(0755, PosixSecurity.fromDescriptor(shown).mode());
        for (SecurityDescriptor.Ace ace : shown.dacl()) {
            assertTrue(!ace.isAllow() || (ace.mask() & PosixSecurity.FILE_EXECUTE) != 0, "every reader may execute: " + ace);
        }
        v.setSecurity(c, SecurityDescriptor.DACL_SECURITY_INFORMATION, shown.toBytes());
        assertEquals(0100644, hostMode(f), "the shown descriptor written back changes nothing");
        v.setSecurity(c, SecurityDescriptor.DACL_SECURITY_INFORMATION,
                PosixSecurity.toDescriptor(shown.owner(), shown.group(), 0100775).toBytes());
        assertEquals(0100664, hostMode(f), "group write is real, the shown x bits are not");
        h.close(c);
        Path d = dir.resolve("d");
        Files.createDirectory(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rw-r--r--"));
        FileContext dc = h.openDir("\\d");
        assertEquals(0644, PosixSecurity.fromDescriptor(SecurityDescriptor.parse(v.getSecurity(dc))).mode(),
                "a directory's x is traverse and is shown as it is");
        h.close(dc);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void exactModeBitsWhenReadDoesNotGrantExecute() throws Exception {
        h.close();
        h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("exact").readGrantsExecute(false).build());
        v = h.volume;
        Path f = dir.resolve("f");
        Files.write(f, bytes("x"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        FileContext c = h.open("\\f", VolumeHarness.R);
        assertEquals(0644, PosixSecurity.fromDescriptor(SecurityDescriptor.parse(v.getSecurity(c))).mode());
        h.close(c);
    }

    // ------------------------------------------------------------------ directories

    @Test
    void readDirectoryWithMarkers() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            Files.write(sub.resolve("file" + i), new byte[i]);
            expected.add("file" + i);
        }
        Files.createDirectory(sub.resolve("child"));
        expected.add("child");
        FileContext d = h.openDir("\\sub");
        List<DirInfo> all = h.list(d, 3);
        List<String> names = all.stream().map(DirInfo::fileName).collect(Collectors.toList());
        assertEquals(".", names.get(0));
        assertEquals("..", names.get(1));
        assertEquals(expected, new HashSet<>(names.subList(2, names.size())));
        assertEquals(names.size(), new HashSet<>(names).size(), "no entry twice: " + names);
        DirInfo f7 = all.stream().filter(e -> e.fileName().equals("file7")).findFirst().orElseThrow();
        assertEquals(7, f7.fileInfo().fileSize());
        assertTrue(all.stream().filter(e -> e.fileName().equals("child")).findFirst().orElseThrow().fileInfo().isDirectory());
        // a marker names the last entry returned: resume strictly after it
        List<String> after = h.list(d, 100).stream().map(DirInfo::fileName).collect(Collectors.toList());
        assertEquals(names, after, "the same stable order on a rewind");
        String m = names.get(10);
        List<DirInfo> rest = new java.util.ArrayList<>();
        assertTrue(v.readDirectory(d, null, m, e -> rest.add(e)), "everything after the marker fits: end of listing");
        assertEquals(names.subList(11, names.size()), rest.stream().map(DirInfo::fileName).collect(Collectors.toList()));
        List<DirInfo> afterDot = new java.util.ArrayList<>();
        v.readDirectory(d, null, ".", afterDot::add);
        assertEquals("..", afterDot.get(0).fileName());
        h.close(d);
        FileContext root = h.openDir("\\");
        List<String> rootNames = h.list(root, 1).stream().map(DirInfo::fileName).collect(Collectors.toList());
        assertEquals(List.of("sub"), rootNames, "the root lists no . and ..");
        h.close(root);
    }

    @Test
    void getDirInfoByName() throws Exception {
        Files.write(dir.resolve("f"), bytes("12345"));
        FileContext root = h.openDir("\\");
        DirInfo di = v.getDirInfoByName(root, "f");
        assertEquals("f", di.fileName());
        assertEquals(5, di.fileInfo().fileSize());
        assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> v.getDirInfoByName(root, "g"), "missing");
        h.close(root);
    }

    // ------------------------------------------------------------------ reparse points

    @Test
    void symlinksAreReparsePoints() throws Exception {
        Files.createDirectories(dir.resolve("real").resolve("inner"));
        Files.write(dir.resolve("real").resolve("inner").resolve("t.txt"), bytes("target"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("real"));
        SecurityByName s = v.getSecurityByName("\\link");
        assertTrue((s.fileAttributes() & FileAttributes.REPARSE_POINT) != 0, "a symlink is a reparse point");
        assertTrue((s.fileAttributes() & FileAttributes.DIRECTORY) != 0, "a link to a directory is a directory link");
        Files.createSymbolicLink(dir.resolve("filelink"), Path.of("real/inner/t.txt"));
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere"));
        assertEquals(FileAttributes.REPARSE_POINT, v.getSecurityByName("\\filelink").fileAttributes(), "file link");
        assertEquals(FileAttributes.REPARSE_POINT, v.getSecurityByName("\\dangling").fileAttributes(), "dangling link");
        FileContext rootDir = h.openDir("\\");
        DirInfo listed = h.list(rootDir, 10).stream().filter(e -> e.fileName().equals("link")).findFirst().orElseThrow();
        assertEquals(FileAttributes.REPARSE_POINT | FileAttributes.DIRECTORY, listed.fileInfo().fileAttributes(),
                "the listing agrees");
        h.close(rootDir);
        SecurityByName mid = v.getSecurityByName("\\link\\inner\\t.txt");
        assertStatus(NtStatus.REPARSE, mid.status(), "symlink inside the path");
        assertEquals(1, mid.fileAttributes(), "index of the reparse component in the path");
        ReparseResolution r = v.resolveReparsePoints("\\link\\inner\\t.txt", 1, true);
        assertEquals(ReparseData.IO_REPARSE_TAG_SYMLINK, r.information());
        assertEquals("\\real\\inner\\t.txt", ReparseData.parse(r.buffer()).substituteName());
        FileContext c = v.open("\\link", (CreateOptions.FILE_OPEN << 24) | CreateOptions.FILE_OPEN_REPARSE_POINT,
                VolumeHarness.R).context();
        FileInfo fi = v.getFileInfo(c);
        assertEquals(ReparseData.IO_REPARSE_TAG_SYMLINK, fi.reparseTag());
        ReparseData rd = ReparseData.parse(v.getReparsePoint(c, "\\link"));
        assertEquals("real", rd.substituteName());
        assertTrue(rd.relative());
        h.close(c);
        // a file that is not a link
        FileContext plain = h.open("\\real\\inner\\t.txt", VolumeHarness.R);
        assertThrowsStatus(NtStatus.NOT_A_REPARSE_POINT, () -> v.getReparsePoint(plain, "\\real\\inner\\t.txt"), "plain");
        h.close(plain);
    }

    @Test
    void symlinkLoopsEndCleanly() throws Exception {
        Files.createSymbolicLink(dir.resolve("self"), Path.of("self"));
        Files.createSymbolicLink(dir.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
        assertThrowsStatus(NtStatus.REPARSE_POINT_NOT_RESOLVED, () -> v.resolveReparsePoints("\\self", 1, true), "self");
        assertThrowsStatus(NtStatus.REPARSE_POINT_NOT_RESOLVED, () -> v.resolveReparsePoints("\\a\\x", 1, true), "a↔b");
        // the volume still works
        h.close(h.create("\\ok"));
        assertTrue(Files.exists(dir.resolve("ok")));
    }

    @Test
    void setAndDeleteReparsePoint() throws Exception {
        Files.createDirectory(dir.resolve("target"));
        FileContext c = h.create("\\ln");
        v.setReparsePoint(c, "\\ln", new ReparseData("target", "target", true).toBytes());
        assertTrue(Files.isSymbolicLink(dir.resolve("ln")));
        assertEquals(Path.of("target"), Files.readSymbolicLink(dir.resolve("ln")));
        assertEquals(ReparseData.IO_REPARSE_TAG_SYMLINK, v.getFileInfo(c).reparseTag());
        h.close(c);
        FileContext abs = h.create("\\abs");
        v.setReparsePoint(abs, "\\abs", new ReparseData("\\target", "\\target", false).toBytes());
        h.close(abs);
        assertEquals(Path.of("target"), Files.readSymbolicLink(dir.resolve("abs")), "volume-absolute → relative on the host");
        FileContext l = v.open("\\ln", (CreateOptions.FILE_OPEN << 24) | CreateOptions.FILE_OPEN_REPARSE_POINT,
                VolumeHarness.RW).context();
        v.deleteReparsePoint(l, "\\ln", new ReparseData("target", "target", true).toBytes());
        h.close(l);
        assertTrue(Files.isRegularFile(dir.resolve("ln"), LinkOption.NOFOLLOW_LINKS), "NTFS keeps an empty file");
        // a link made on a directory placeholder is a directory link even to a file (NTFS)
        Files.write(dir.resolve("plainfile"), bytes("x"));
        FileContext dl = h.mkdir("\\dirlink");
        v.setReparsePoint(dl, "\\dirlink", new ReparseData("plainfile", "plainfile", true).toBytes());
        assertEquals(FileAttributes.DIRECTORY | FileAttributes.REPARSE_POINT, v.getFileInfo(dl).fileAttributes());
        h.close(dl);
        assertTrue(Files.isSymbolicLink(dir.resolve("dirlink")));
        h.delete("\\dirlink");
        assertFalse(Files.exists(dir.resolve("dirlink"), LinkOption.NOFOLLOW_LINKS), "RemoveDirectory removes the link");
        assertTrue(Files.exists(dir.resolve("plainfile")), "not its target");
        // a target on another drive cannot be stored; on the volume's own drive (when known) it can
        WinPath link = WinPath.parse("\\d\\lnk");
        assertEquals("../target", ReparsePoints.hostTarget(new ReparseData("\\??\\V:\\target", "V:\\target", false),
                link, "V:"));
        assertThrowsStatus(NtStatus.INVALID_PARAMETER, () -> ReparsePoints.hostTarget(
                new ReparseData("\\??\\W:\\target", "W:\\target", false), link, "V:"), "another drive");
        FileContext bad = h.create("\\bad");
        assertThrowsStatus(NtStatus.INVALID_PARAMETER, () -> v.setReparsePoint(bad, "\\bad",
                new ReparseData("\\??\\C:\\x", "C:\\x", false).toBytes()), "outside the volume");
        h.close(bad);
        assertTrue(Files.isRegularFile(dir.resolve("bad"), LinkOption.NOFOLLOW_LINKS), "a refused link loses nothing");
    }

    // ------------------------------------------------------------------ streams

    @Test
    void streamInfoShowsTheMainStream() throws Exception {
        Files.write(dir.resolve("f"), new byte[5000]);
        FileContext c = h.open("\\f", VolumeHarness.R);
        List<StreamInfo> s = v.getStreamInfo(c);
        assertEquals(1, s.size());
        assertEquals("", s.get(0).streamName());
        assertEquals(5000, s.get(0).streamSize());
        h.close(c);
        assertThrowsStatus(NtStatus.NOT_SUPPORTED, () -> v.create("\\f:alt", CreateOptions.FILE_CREATE << 24,
                VolumeHarness.RW, 0, null, 0), "named stream without xattr support");
        FileContext m = v.open("\\f::$DATA", CreateOptions.FILE_OPEN << 24, VolumeHarness.R).context();
        assertEquals(5000, v.getFileInfo(m).fileSize(), "the main stream by its full name");
        h.close(m);
    }

    // ------------------------------------------------------------------ names

    @Test
    void reservedCharactersMapToPrivateUse() throws Exception {
        String reserved = "\"*:<>?\\|";
        StringBuilder win = new StringBuilder("r");
        StringBuilder host = new StringBuilder("r");
        for (char c : reserved.toCharArray()) {
            win.append((char) (0xF000 + c));
            host.append(c);
        }
        for (char c = 1; c < 32; c++) {
            win.append((char) (0xF000 + c));
            host.append(c);
        }
        h.close(h.create("\\" + win));
        assertTrue(Files.exists(dir.resolve(host.toString())), "host has the raw characters");
        FileContext root = h.openDir("\\");
        List<String> names = h.list(root, 10).stream().map(DirInfo::fileName).collect(Collectors.toList());
        assertTrue(names.contains(win.toString()), "listing shows the private-use form");
        h.close(root);
        h.delete("\\" + win);
        assertFalse(Files.exists(dir.resolve(host.toString())));
    }

    @Test
    void longNamesDeepPathsAndNonBmp() throws Exception {
        String n255 = "n".repeat(255);
        h.close(h.create("\\" + n255));
        assertTrue(Files.exists(dir.resolve(n255)));
        assertThrowsStatus(NtStatus.NAME_TOO_LONG, () -> h.create("\\" + "é".repeat(200)), "400 UTF-8 bytes");
        String emoji = "smile-\uD83D\uDE00-\uD840\uDC00";
        h.close(h.create("\\" + emoji));
        assertTrue(Files.exists(dir.resolve(emoji)));
        assertEquals(FileAttributes.ARCHIVE, v.getSecurityByName("\\" + emoji).fileAttributes());
        // a path of more than 32,000 UTF-16 units: 128 directories of 250 characters, made through the volume
        StringBuilder p = new StringBuilder();
        String comp = "d".repeat(250);
        for (int i = 0; i < 128; i++) {
            p.append('\\').append(comp);
            h.close(h.mkdir(p.toString()));
        }
        String leaf = p + "\\leaf.txt";
        assertEquals(128 * 251 + "\\leaf.txt".length(), leaf.length(), "more than 32,000 UTF-16 units");
        FileContext c = h.create(leaf);
        h.write(c, 0, bytes("deep"));
        h.closeModified(c);
        FileContext r = h.open(leaf, VolumeHarness.R);
        assertArrayEquals(bytes("deep"), h.read(r, 0, 10));
        h.close(r);
        // the host path is longer than PATH_MAX: read it back with relative cd steps
        String script = "cd '" + dir + "' && for i in $(seq 128); do cd -P " + comp + " || exit 3; done && cat leaf.txt";
        Process proc = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        assertTrue(proc.waitFor(20, TimeUnit.SECONDS), "shell check finished");
        assertEquals("deep", new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        // @TempDir cannot delete past PATH_MAX; rm -rf walks relative to each directory
        Process rm = new ProcessBuilder("rm", "-rf", dir.resolve(comp).toString()).start();
        assertTrue(rm.waitFor(20, TimeUnit.SECONDS) && rm.exitValue() == 0, "rm -rf of the deep tree");
    }

    // ------------------------------------------------------------------ caches and references

    @Test
    void warmOpenWalksNoPathAndTimeoutsAreHonoured() throws Exception {
        Files.createDirectories(dir.resolve("a").resolve("b"));
        Files.write(dir.resolve("a").resolve("b").resolve("f"), bytes("x"));
        h.close(h.open("\\a\\b\\f", VolumeHarness.R));
        long lookups = h.counting.count(Opcode.LOOKUP);
        h.close(h.open("\\a\\b\\f", VolumeHarness.R));
        assertEquals(lookups, h.counting.count(Opcode.LOOKUP), "a warm open sends no LOOKUP");
        expireCaches();
        h.close(h.open("\\a\\b\\f", VolumeHarness.R));
        assertEquals(lookups + 3, h.counting.count(Opcode.LOOKUP), "after entry_valid every component is looked up again");
    }

    @Test
    void everyLookupIsBalancedByForget() throws Exception {
        Files.createDirectories(dir.resolve("a").resolve("b"));
        for (int i = 0; i < 20; i++) {
            Files.write(dir.resolve("a").resolve("b").resolve("f" + i), bytes("x"));
        }
        FileContext d = h.openDir("\\a\\b");
        h.list(d, 1000);
        h.close(d);
        h.close(h.open("\\a\\b\\f3", VolumeHarness.R));
        h.delete("\\a\\b\\f4");
        assertEquals(0, h.counting.count(Opcode.FORGET) + h.counting.count(Opcode.BATCH_FORGET),
                "the deleted f4's reference waits for a deferred FORGET");
        assertEquals(22, v.client().nodes().totalLookups(), "a, b, the 19 files left and the deleted f4: "
                + v.client().nodes().snapshot());
        v.sendWaitingForgets();
        assertEquals(21, v.client().nodes().totalLookups(), "a, b and the 19 files left, one reference each: "
                + v.client().nodes().snapshot());
        FileContext held = h.open("\\a\\b\\f5", VolumeHarness.R);
        v.dropCaches();
        assertEquals(3, v.client().nodes().size(), "a, b and f5 stay while the handle is open: "
                + v.client().nodes().snapshot());
        h.close(held);
        assertEquals(3, v.client().nodes().totalLookups(), "a, b and f5's references wait after the close: "
                + v.client().nodes().snapshot());
        v.sendWaitingForgets();
        assertEquals(0, v.client().nodes().totalLookups(), "every reference returned: " + v.client().nodes().snapshot());
        assertEquals(1, h.counting.count(Opcode.FORGET), "one FORGET: the deleted f4");
        assertEquals(2, h.counting.count(Opcode.BATCH_FORGET),
                "two BATCH_FORGETs: the dropped caches (all but a, b, f5), then a, b and f5 after the close");
    }

    /**
     * The interleaving StressIT once hit: a callback finds a node, another thread deletes the name
     * (dropping the name's pin) before the first pins it in a handle. The finding callback's hold keeps
     * the node's lookup reference, so the daemon still knows the id; before the hold existed the
     * reference went back at once and the next request on the node got EBADF.
     */
    @Test
    void aNodeFoundByOneCallbackOutlivesADeleteOnAnother() throws Exception {
        Files.write(dir.resolve("f"), bytes("payload"));
        NodeCache cache = v.cache();
        cache.enter();
        Node found;
        try {
            found = cache.lookupChild(cache.root(), "f").node();
            assertEquals(1, cache.heldByThisThread());
            Thread other = new Thread(() -> h.delete("\\f"));
            other.start();
            other.join(10_000);
            assertFalse(other.isAlive(), "the delete finished");
            assertFalse(Files.exists(dir.resolve("f")), "the other thread deleted the file on the host");
            assertEquals(1, v.client().nodes().lookups(found.id), "the hold kept the lookup reference");
            if (VirtiofsdFixture.daemonUnderTest().flavour() == VirtiofsdBinary.Flavour.RUST) {
                // by file handle (its default) the daemon still knows the id (EBADF if not), but not the file
                FuseErrnoException e = assertThrows(FuseErrnoException.class, () -> v.client().getattr(found.id));
                assertTrue(e.is(Errno.ESTALE), e.getMessage());
            } else {
                AttrOut a = v.client().getattr(found.id);
                assertEquals(0, a.attr().nlink(), "the daemon still answers for the unlinked node (its O_PATH fd)");
            }
        } finally {
            cache.leave();
        }
        assertEquals(0, cache.heldByThisThread());
        cache.sendForgets();
        assertEquals(0, v.client().nodes().totalLookups(), "the reference went back when the hold ended: "
                + v.client().nodes().snapshot());
    }

    @Test
    void countersPerCallback() throws Exception {
        Files.write(dir.resolve("f"), bytes("x"));
        v.counters().reset();
        long before = h.counting.total();
        FileContext c = h.open("\\f", VolumeHarness.R);
        h.read(c, 0, 1);
        h.close(c);
        assertEquals(1, v.counters().get("GetSecurityByName"), "LOOKUP");
        assertEquals(0, v.counters().get("Open"), "the name was cached by GetSecurityByName");
        assertEquals(2, v.counters().get("Read"), "OPEN (lazy) + READ");
        assertEquals(0, v.counters().get("Close"), "no RELEASE: the handle is kept for the next open (deferred close)");
        assertEquals(1, v.deferredHandles());
        assertEquals(3, h.counting.total() - before, "the three requests above and nothing else: " + h.counting.snapshot());
        assertNotNull(v.counters().snapshot());
    }

    @Test
    void aFullNameCacheForgetsTheLeastRecentlyUsedNodes() throws Exception {
        h.close();
        h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("small").nanoClock(clock::get).maxCachedNames(10)
                .build());
        v = h.volume;
        Path big = Files.createDirectory(dir.resolve("big"));
        for (int i = 0; i < 50; i++) {
            Files.write(big.resolve("f" + i), bytes("x"));
        }
        FileContext d = h.openDir("\\big");
        assertEquals(52, h.list(d, 1000).size());
        h.close(d);
        assertEquals(12, v.cachedNodes(), "10 names, the root, and big (pinned by its cached children)");
        assertEquals(11, v.client().nodes().size(), "references only for the cached nodes (the root needs none): "
                + v.client().nodes().snapshot());
        assertEquals(1, h.counting.count(Opcode.BATCH_FORGET),
                "the 40 names evicted during the one ReadDirectory call went back in one BATCH_FORGET");
        assertEquals(0, h.counting.count(Opcode.FORGET), "and none alone");
        // evicted names are simply looked up again
        FileContext f = h.open("\\big\\f0", VolumeHarness.R);
        assertArrayEquals(bytes("x"), h.read(f, 0, 10));
        h.close(f);
    }

    @Test
    void badRequestsGetNamedErrorsAndLoseNothing() throws Exception {
        Files.write(dir.resolve("f"), bytes("keep"));
        FileContext c = h.open("\\f", VolumeHarness.RW);
        assertThrowsStatus(NtStatus.INVALID_PARAMETER, () -> v.write(c, ByteBuffer.allocate(2), 0, 10, false, false),
                "length past the buffer");
        assertThrowsStatus(NtStatus.INVALID_PARAMETER, () -> v.read(c, ByteBuffer.allocate(2), 0, 10), "read past the buffer");
        assertThrowsStatus(NtStatus.INVALID_PARAMETER, () -> v.read(c, ByteBuffer.allocate(2), -1, 1), "negative offset");
        assertThrowsStatus(NtStatus.IO_REPARSE_DATA_INVALID, () -> v.setReparsePoint(c, "\\f", new byte[3]), "short buffer");
        assertThrowsStatus(NtStatus.OBJECT_NAME_INVALID, () -> v.getSecurityByName("\\a/b"), "slash");
        assertThrowsStatus(NtStatus.INVALID_HANDLE, () -> v.getFileInfo(new FileContext() { }), "foreign context");
        h.close(c);
        assertThrowsStatus(NtStatus.FILE_CLOSED, () -> v.getFileInfo(c), "closed context");
        v.close(c); // a second Close is logged, not fatal
        assertEquals("keep", Files.readString(dir.resolve("f")));
    }

    @Test
    void aDeadDaemonIsANamedErrorNotAHang() {
        h.stack.daemon().kill();
        long t0 = System.nanoTime();
        NtStatusException e = org.junit.jupiter.api.Assertions.assertThrows(NtStatusException.class, v::getVolumeInfo);
        assertTrue(e.status() == NtStatus.DEVICE_NOT_READY || e.status() == NtStatus.IO_TIMEOUT,
                "expected DEVICE_NOT_READY or IO_TIMEOUT, was " + NtStatus.describe(e.status()));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15), "bounded by the transport timeout");
    }
}
