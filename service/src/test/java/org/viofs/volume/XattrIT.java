package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;

/** Named streams and Windows attributes in extended attributes (virtiofsd -o xattr), checked on the host. */
class XattrIT {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hostStream(Path file, String stream) throws Exception {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        String name = XattrStreams.PREFIX.substring("user.".length()) + stream;
        if (!view.list().contains(name)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(view.size(name));
        view.read(name, b);
        return new String(b.array(), StandardCharsets.UTF_8);
    }

    @Test
    void namedStreamsLiveInExtendedAttributes() throws Exception {
        VirtiofsdLauncher.Options opts = VirtiofsdFixture.options().xattr(true).logLevel(VirtiofsdLauncher.LogLevel.WARN).build();
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("x").xattrs(true).build(), opts)) {
            FuseVolume v = h.volume;
            FileContext s = v.create("\\doc.txt:Zone.Identifier", CreateOptions.FILE_CREATE << 24, VolumeHarness.RW,
                    0, null, 0).context();
            assertTrue(Files.isRegularFile(dir.resolve("doc.txt")), "creating a stream of a missing file creates it");
            assertEquals(5, h.write(s, 0, bytes("hello")));
            assertEquals(6, h.write(s, 5, bytes(" world")));
            assertArrayEquals(bytes("hello world"), h.read(s, 0, 100));
            assertEquals(11, v.getFileInfo(s).fileSize(), "a stream handle reports the stream's size");
            assertThrowsStatus(NtStatus.END_OF_FILE, () -> h.read(s, 11, 1), "read at the stream's end");
            h.closeModified(s);
            assertEquals("hello world", hostStream(dir.resolve("doc.txt"), "Zone.Identifier"));
            assertEquals(0, Files.size(dir.resolve("doc.txt")), "the main stream is untouched");

            assertThrowsStatus(NtStatus.OBJECT_NAME_COLLISION, () -> v.create("\\doc.txt:Zone.Identifier",
                    CreateOptions.FILE_CREATE << 24, VolumeHarness.RW, 0, null, 0), "stream exists");
            assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> v.open("\\doc.txt:nope",
                    CreateOptions.FILE_OPEN << 24, VolumeHarness.R), "missing stream");

            FileContext f = h.open("\\doc.txt", VolumeHarness.R);
            List<String> names = v.getStreamInfo(f).stream().map(StreamInfo::streamName).collect(Collectors.toList());
            assertEquals(List.of("", "Zone.Identifier"), names, "main stream first, then the named one");
            assertEquals(11, v.getStreamInfo(f).get(1).streamSize());
            h.close(f);

            FileContext again = v.open("\\doc.txt:Zone.Identifier", CreateOptions.FILE_OPEN << 24, VolumeHarness.RW)
                    .context();
            assertArrayEquals(bytes("hello world"), h.read(again, 0, 100));
            v.overwrite(again, 0, false, 0);
            assertEquals("", hostStream(dir.resolve("doc.txt"), "Zone.Identifier"), "overwrite empties the stream");
            v.setDelete(again, "\\doc.txt:Zone.Identifier", true);
            v.cleanup(again, "\\doc.txt:Zone.Identifier", CleanupFlags.DELETE);
            v.close(again);
            assertEquals(null, hostStream(dir.resolve("doc.txt"), "Zone.Identifier"), "deleting the stream removes the attribute");
            assertTrue(Files.exists(dir.resolve("doc.txt")), "and keeps the file");
            assertFalse(Files.exists(dir.resolve("doc.txt:Zone.Identifier")), "no host file named like a stream");

            // a directory has named streams too, and no unnamed one
            h.close(h.mkdir("\\d"));
            FileContext ds = v.create("\\d:meta", CreateOptions.FILE_CREATE << 24, VolumeHarness.RW, 0, null, 0).context();
            assertEquals(4, h.write(ds, 0, bytes("meta")));
            h.closeModified(ds);
            assertEquals("meta", hostStream(dir.resolve("d"), "meta"));
            FileContext d = h.openDir("\\d");
            assertEquals(List.of("meta"), v.getStreamInfo(d).stream().map(StreamInfo::streamName).collect(Collectors.toList()),
                    "a directory lists only its named streams");
            h.close(d);
        }
    }

    @Test
    void overwritingTheMainStreamRemovesNamedStreamsAndMissingStreamsAreNotFound() throws Exception {
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext s = v.create("\\f.txt:extra", CreateOptions.FILE_CREATE << 24, VolumeHarness.RW, 0, null, 0)
                    .context();
            h.write(s, 0, bytes("kept until the file is overwritten"));
            h.closeModified(s);
            assertEquals(NtStatus.SUCCESS, v.getSecurityByName("\\f.txt:extra").status(), "the stream exists");
            // the DLL asks GetSecurityByName first: NOT_FOUND sends FILE_OPEN_IF down the create path
            assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> v.getSecurityByName("\\f.txt:nope"),
                    "a missing stream of an existing file");

            FileContext f = h.open("\\f.txt", VolumeHarness.RW);
            v.overwrite(f, 0, false, 0);
            h.close(f);
            assertEquals(null, hostStream(dir.resolve("f.txt"), "extra"),
                    "overwriting the main stream deletes named streams, as NTFS and memfs do");
            assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> v.open("\\f.txt:extra",
                    CreateOptions.FILE_OPEN << 24, VolumeHarness.R), "the stream is gone for Windows too");
        }
    }

    /**
     * Times a host cannot keep (ext4 and XFS clamp seconds before 1901-12-13) are pinned in the
     * attribute and shown as Windows set them until the host's time moves on; times it keeps exactly
     * store nothing. The expectations hold on any host file system: where the host keeps 1601, there
     * is simply nothing to pin.
     */
    @Test
    void timesTheHostCannotKeepArePinned() throws Exception {
        long in1601 = 0x4100000041L; // 27,917 s after 1601-01-01 (winfsp-tests stream_setfileinfo_test)
        long in2009 = FileInfoMapper.toFileTime(1_234_567_890L, 0);
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.create("\\old.txt");
            FileInfo fi = v.setBasicInfo(c, FileAttributes.INVALID_FILE_ATTRIBUTES, 0, in1601, in1601, 0);
            assertEquals(in1601, fi.lastAccessTime());
            assertEquals(in1601, fi.lastWriteTime());
            long hostMtime = Files.getLastModifiedTime(dir.resolve("old.txt")).toMillis() / 1000;
            boolean clamped = hostMtime != FileInfoMapper.toUnixTime(in1601)[0];
            assertEquals(clamped ? 2 : 0, hostPins(dir.resolve("old.txt")),
                    "both times are pinned exactly when the host kept other ones (host mtime " + hostMtime + " s)");
            h.close(c);
            v.dropCaches();
            c = h.open("\\old.txt", VolumeHarness.R);
            assertEquals(in1601, v.getFileInfo(c).lastWriteTime(), "shown again after the caches went");
            h.close(c);

            // a representable time needs nothing stored and takes a pin away
            c = h.open("\\old.txt", VolumeHarness.RW);
            fi = v.setBasicInfo(c, FileAttributes.INVALID_FILE_ATTRIBUTES, 0, in2009, in2009, 0);
            assertEquals(in2009, fi.lastWriteTime());
            assertEquals(0, hostPins(dir.resolve("old.txt")), "no pin is stored for a time the host keeps");
            h.close(c);
        }
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.open("\\old.txt", VolumeHarness.RW);
            v.setBasicInfo(c, FileAttributes.INVALID_FILE_ATTRIBUTES, 0, 0, in1601, 0);
            h.close(c);
        }
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.open("\\old.txt", VolumeHarness.RW);
            assertEquals(in1601, v.getFileInfo(c).lastWriteTime(), "a new mount shows the pinned time");
            assertEquals(in2009, v.getFileInfo(c).lastAccessTime(), "the access time was not touched");
            h.write(c, 0, bytes("new data"));
            h.closeModified(c);
            c = h.open("\\old.txt", VolumeHarness.R);
            long shown = v.getFileInfo(c).lastWriteTime();
            assertTrue(shown > in2009, "a write moved the host's time on and the pin is stale: " + shown);
            h.close(c);
        }
    }

    private static VolumeHarness startXattr(Path dir) {
        VirtiofsdLauncher.Options opts = VirtiofsdFixture.options().xattr(true).logLevel(VirtiofsdLauncher.LogLevel.WARN).build();
        return VolumeHarness.start(dir, VolumeConfig.builder().mountTag("x").xattrs(true).build(), opts);
    }

    private static boolean hasHostAttrib(Path p) throws Exception {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        return view.list().contains(XattrAttributes.NAME.substring("user.".length()));
    }

    /** How many times the host's attribute pins (decoded independently of the volume's cache). */
    private static int hostPins(Path p) throws Exception {
        if (!hasHostAttrib(p)) {
            return 0;
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        String name = XattrAttributes.NAME.substring("user.".length());
        ByteBuffer b = ByteBuffer.allocate(view.size(name));
        view.read(name, b);
        HostStat st = new HostStat(0, 0, 0, 0, 0, 0, 0, 0, 0, HostStat.S_IFREG, 1, 0, 0);
        XattrAttributes.Stored s = XattrAttributes.decode(b.array(), st);
        return (s.accessTime() != null ? 1 : 0) + (s.writeTime() != null ? 1 : 0);
    }

    private static int hostAttrib(Path p) throws Exception {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        String name = XattrAttributes.NAME.substring("user.".length());
        if (!view.list().contains(name)) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.allocate(view.size(name)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        view.read(name, b);
        return b.getInt(0);
    }

    @Test
    void windowsAttributesLiveInExtendedAttributes() throws Exception {
        int hs = FileAttributes.HIDDEN | FileAttributes.SYSTEM;
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext plain = h.create("\\plain.txt");
            assertEquals(FileAttributes.ARCHIVE, v.getFileInfo(plain).fileAttributes());
            h.close(plain);
            assertEquals(-1, hostAttrib(dir.resolve("plain.txt")), "derived attributes need no xattr");
            assertEquals(0100644, Files.getAttribute(dir.resolve("plain.txt"), "unix:mode"), "and no marker");

            OpenResult r = v.create("\\sys.dat", CreateOptions.FILE_CREATE << 24, VolumeHarness.RW, hs, null, 0);
            assertEquals(hs | FileAttributes.ARCHIVE, r.openFileInfo().fileInfo().fileAttributes());
            h.close(r.context());
            assertEquals(hs | FileAttributes.ARCHIVE, hostAttrib(dir.resolve("sys.dat")));

            FileContext c = h.open("\\plain.txt", VolumeHarness.RW);
            assertEquals(FileAttributes.HIDDEN, v.setBasicInfo(c, FileAttributes.HIDDEN, 0, 0, 0, 0).fileAttributes(),
                    "ARCHIVE can be cleared, HIDDEN set");
            h.close(c);

            // creation time: kept when other times move, and settable (the host has no birth time)
            FileContext t = h.create("\\times.txt");
            long created = v.getFileInfo(t).creationTime();
            long old = FileInfoMapper.toFileTime(0x42L, 0);
            FileInfo moved = v.setBasicInfo(t, FileAttributes.INVALID_FILE_ATTRIBUTES, 0, old, old, 0);
            assertEquals(old, moved.lastWriteTime());
            assertEquals(created, moved.creationTime(), "moving LastWriteTime to 1970 leaves CreationTime");
            assertEquals(old, v.setBasicInfo(t, FileAttributes.INVALID_FILE_ATTRIBUTES, old, 0, 0, 0).creationTime());
            h.close(t);

            FileContext d = h.mkdir("\\folder");
            v.setBasicInfo(d, FileAttributes.READONLY | FileAttributes.SYSTEM, 0, 0, 0, 0);
            h.close(d);
            assertEquals(040755, Files.getAttribute(dir.resolve("folder"), "unix:mode"), "a directory's mode stays");
        }
        // a new mount reads them back from the host
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            assertEquals(hs | FileAttributes.ARCHIVE, v.getSecurityByName("\\sys.dat").fileAttributes());
            assertEquals(FileAttributes.HIDDEN, v.getSecurityByName("\\plain.txt").fileAttributes());
            FileContext t = h.open("\\times.txt", VolumeHarness.R);
            assertEquals(FileInfoMapper.toFileTime(0x42L, 0), v.getFileInfo(t).creationTime(), "creation time kept");
            h.close(t);
            assertEquals(FileAttributes.DIRECTORY | FileAttributes.READONLY | FileAttributes.SYSTEM,
                    v.getSecurityByName("\\folder").fileAttributes(), "READONLY on a directory is kept");
            FileContext root = h.openDir("\\");
            DirInfo listed = h.list(root, 10).stream().filter(e -> e.fileName().equals("sys.dat")).findFirst()
                    .orElseThrow();
            assertEquals(hs | FileAttributes.ARCHIVE, listed.fileInfo().fileAttributes(), "the listing agrees");
            h.close(root);
        }
        // without -o xattr the same files show what mode bits say
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("p").build())) {
            assertEquals(FileAttributes.ARCHIVE, h.volume.getSecurityByName("\\sys.dat").fileAttributes());
        }
    }

    @Test
    void descriptorsModeBitsCannotExpressAreStored() throws Exception {
        Sid system = Sid.parse("S-1-5-18");
        Sid admins = Sid.parse("S-1-5-32-544");
        SecurityDescriptor windowsStyle = new SecurityDescriptor(admins, system, List.of(
                SecurityDescriptor.Ace.allow(PosixSecurity.FILE_ALL_ACCESS, system),
                SecurityDescriptor.Ace.allow(PosixSecurity.FILE_ALL_ACCESS, admins)), SecurityDescriptor.SE_DACL_PROTECTED);
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.create("\\acl.txt");
            v.setSecurity(c, SecurityDescriptor.DACL_SECURITY_INFORMATION | SecurityDescriptor.OWNER_SECURITY_INFORMATION
                    | SecurityDescriptor.GROUP_SECURITY_INFORMATION, windowsStyle.toBytes());
            SecurityDescriptor back = SecurityDescriptor.parse(v.getSecurity(c));
            assertEquals(admins, back.owner());
            assertEquals(2, back.dacl().size(), "the DACL for SYSTEM and Administrators reads back as set");
            assertEquals(system, back.dacl().get(0).sid());
            h.close(c);
            assertEquals(0644, (Integer) Files.getAttribute(dir.resolve("acl.txt"), "unix:mode") & 0777,
                    "the host's permission bits are left alone");
            assertEquals(admins, SecurityDescriptor.parse(v.getSecurityByName("\\acl.txt").securityDescriptor()).owner(),
                    "the DLL's access check sees the stored descriptor");

            // a descriptor given at create
            OpenResult r = v.create("\\made.txt", CreateOptions.FILE_CREATE << 24, VolumeHarness.RW, 0,
                    windowsStyle.toBytes(), 0);
            assertEquals(admins, SecurityDescriptor.parse(v.getSecurity(r.context())).owner());
            h.close(r.context());

            // a representable DACL goes back to mode bits and clears the stored one
            FileContext again = h.open("\\acl.txt", VolumeHarness.RW);
            SecurityDescriptor plain = PosixSecurity.toDescriptor(admins, system, 0100600);
            v.setSecurity(again, SecurityDescriptor.DACL_SECURITY_INFORMATION, plain.toBytes());
            h.close(again);
        }
        assertEquals(0600, (Integer) Files.getAttribute(dir.resolve("acl.txt"), "unix:mode") & 0777);
        // a chmod on the host wins over a stored descriptor
        Files.setPosixFilePermissions(dir.resolve("made.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        try (VolumeHarness h = startXattr(dir)) {
            SecurityDescriptor now = SecurityDescriptor.parse(h.volume.getSecurityByName("\\made.txt").securityDescriptor());
            assertEquals(0777, PosixSecurity.fromDescriptor(now).mode() & 0777, "derived from the new mode (0666; readers may execute)");
        }
    }

    /** A non-Microsoft tag (bit 31 clear) with its 16-byte GUID and a payload: REPARSE_GUID_DATA_BUFFER. */
    private static byte[] guidReparse(int tag, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(24 + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(tag).putShort((short) data.length).putShort((short) 0);
        for (int i = 0; i < 16; i++) {
            b.put((byte) (0x10 + i));
        }
        b.put(data);
        return b.array();
    }

    @Test
    void otherReparseTagsLiveInTheExtendedAttribute() throws Exception {
        byte[] data = guidReparse(0x1234, "foobar");
        try (VolumeHarness h = startXattr(dir)) {
            FuseVolume v = h.volume;
            FileContext c = h.create("\\tagged");
            v.setReparsePoint(c, "\\tagged", data);
            assertArrayEquals(data, v.getReparsePoint(c, "\\tagged"), "read back byte for byte");
            FileInfo fi = v.getFileInfo(c);
            assertEquals(0x1234, fi.reparseTag());
            assertTrue((fi.fileAttributes() & FileAttributes.REPARSE_POINT) != 0);
            assertThrowsStatus(NtStatus.IO_REPARSE_TAG_MISMATCH, () -> v.setReparsePoint(c, "\\tagged",
                    guidReparse(0x5678, "x")), "another tag on top");
            assertThrowsStatus(NtStatus.IO_REPARSE_DATA_INVALID, () -> v.setReparsePoint(c, "\\tagged",
                    java.util.Arrays.copyOf(data, data.length - 1)), "length disagreeing with the header");
            h.close(c);
            assertTrue(Files.isRegularFile(dir.resolve("tagged"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                    "the host keeps a plain file");
            ReparseResolution r = v.resolveReparsePoints("\\tagged", 1, true);
            assertEquals(0x1234, r.information(), "resolution hands back the tag");
            assertArrayEquals(data, r.buffer());
            FileContext again = v.open("\\tagged", (CreateOptions.FILE_OPEN << 24) | CreateOptions.FILE_OPEN_REPARSE_POINT,
                    VolumeHarness.RW).context();
            assertThrowsStatus(NtStatus.IO_REPARSE_TAG_MISMATCH, () -> v.deleteReparsePoint(again, "\\tagged",
                    guidReparse(0x5678, "")), "delete with another tag");
            v.deleteReparsePoint(again, "\\tagged", guidReparse(0x1234, ""));
            assertThrowsStatus(NtStatus.NOT_A_REPARSE_POINT, () -> v.getReparsePoint(again, "\\tagged"), "deleted");
            assertEquals(0, v.getFileInfo(again).fileAttributes() & FileAttributes.REPARSE_POINT);
            h.close(again);
        }
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("p").build())) {
            FileContext c = h.create("\\plain-tagged");
            assertThrowsStatus(NtStatus.IO_REPARSE_TAG_INVALID, () -> h.volume.setReparsePoint(c, "\\plain-tagged", data),
                    "without -o xattr only symlinks");
            h.close(c);
        }
    }
}
