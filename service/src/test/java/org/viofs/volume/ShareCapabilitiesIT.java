package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.fuse.Opcode;

/**
 * What a share allows is probed by writing to it at mount (issue 12 items 6 and 7), against real
 * daemons: with and without {@code -o xattr}, with an xattrmap that refuses writing {@code user.*}, and
 * on a directory the host exports read-only (a read-only bind mount in the daemon's own mount
 * namespace, so nothing outlives the daemon).
 */
class ShareCapabilitiesIT {
    @TempDir
    Path dir;
    @TempDir
    Path tools;

    private static VirtiofsdLauncher.Options.Builder builder(boolean xattr) {
        return VirtiofsdFixture.options().xattr(xattr).logLevel(VirtiofsdLauncher.LogLevel.WARN);
    }

    private static VirtiofsdLauncher.Options options(boolean xattr) {
        return builder(xattr).build();
    }

    private VolumeHarness start(VolumeConfig config, VirtiofsdLauncher.Options options) {
        return VolumeHarness.start(dir, config, options, VirtiofsdFixture.TEST_CONFIG);
    }

    /**
     * The Debian virtiofsd started in a new mount namespace where {@link #dir} is bind-mounted onto
     * itself read-only: the host exports the share read-only; the test still writes it from outside.
     */
    private VirtiofsdLauncher.Options readOnlyExport(boolean xattr) throws Exception {
        Path wrapper = tools.resolve("virtiofsd-ro");
        String real = VirtiofsdLauncher.binary(options(xattr)).toString();
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "exec unshare --mount --propagation private sh -c 'mount --bind \"$0\" \"$0\""
                + " && mount -o remount,bind,ro \"$0\" && exec \"$@\"' '" + dir + "' '" + real + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return builder(xattr).binary(wrapper).build();
    }

    private static List<String> userXattrs(Path p) throws Exception {
        return Files.getFileAttributeView(p, UserDefinedFileAttributeView.class).list();
    }

    @Test
    void aDaemonWithXattrStoresThemAndTheProbeLeavesNothing() throws Exception {
        try (VolumeHarness h = start(VolumeConfig.builder().xattrs(true).build(), options(true))) {
            ShareCapabilities c = h.volume.capabilities();
            assertEquals(ShareCapabilities.Xattrs.WRITABLE, c.xattrs(), c.describe());
            assertFalse(c.readOnly(), c.describe());
            assertTrue(h.volume.config().xattrs(), "the configured xattr mode stays");
            assertFalse(h.volume.isReadOnly());
            assertEquals(List.of(), userXattrs(dir), "the scratch attribute is removed again");
            assertTrue(c.describe().startsWith("writable share; extended attributes stored"), c.describe());
            assertEquals(java.util.Map.of(Opcode.INIT, 1L, Opcode.GETATTR, 1L, Opcode.SETXATTR, 1L, Opcode.GETXATTR, 2L,
                    Opcode.REMOVEXATTR, 1L), h.counting.snapshot(),
                    "mount: INIT, the root's GETATTR, then the probe (GETXATTR asks the size first)");
        }
    }

    @Test
    void aDaemonWithoutXattrHasNone() throws Exception {
        try (VolumeHarness h = start(VolumeConfig.builder().xattrs(true).build(), options(false))) {
            ShareCapabilities c = h.volume.capabilities();
            assertEquals(ShareCapabilities.Xattrs.NONE, c.xattrs(), c.describe());
            assertFalse(c.readOnly(), c.describe());
            assertFalse(h.volume.config().xattrs(), "xattrs asked for but absent: the volume works without them");
            assertEquals(java.util.Map.of(Opcode.INIT, 1L, Opcode.GETATTR, 2L, Opcode.SETXATTR, 1L, Opcode.SETATTR, 1L),
                    h.counting.snapshot(), "mount: INIT, GETATTR, SETXATTR (ENOSYS), then the root's mode set to itself");
            assertThrowsStatus(NtStatus.NOT_SUPPORTED, () -> h.volume.create("\\f:s", CreateOptions.FILE_CREATE << 24,
                    VolumeHarness.RW, 0, null, 0), "a named stream");
        }
    }

    /**
     * An xattrmap that refuses client names under {@code user.} (EPERM) while LISTXATTR still answers:
     * the LISTXATTR guess took xattrs as working and 27 conformance cases failed with ACCESS_DENIED.
     */
    @Test
    void anXattrmapThatRefusesWritingTurnsThemOff() throws Exception {
        VirtiofsdLauncher.Options refusing = builder(true).xattrMap(":bad:client:user.:::ok:all:::").build();
        try (VolumeHarness h = start(VolumeConfig.builder().xattrs(true).build(), refusing)) {
            ShareCapabilities c = h.volume.capabilities();
            assertEquals(ShareCapabilities.Xattrs.REFUSED, c.xattrs(), c.describe());
            assertTrue(c.detail().contains("EPERM"), c.detail());
            assertTrue(h.volume.client().listxattrSize(org.viofs.fuse.FuseFlags.ROOT_ID) >= 0,
                    "LISTXATTR answers: a listing probe would have taken xattrs as working");
            assertFalse(c.readOnly(), c.describe());
            assertFalse(h.volume.config().xattrs(), "xattr mode off");
            FileContext f = h.create("\\f.txt");
            assertEquals(3, h.write(f, 0, new byte[] {1, 2, 3}), "plain files still work");
            h.close(f);
        }
    }

    @Test
    void aReadOnlyExportMakesAReadOnlyVolume() throws Exception {
        Files.writeString(dir.resolve("f.txt"), "data");
        for (boolean xattr : new boolean[] {true, false}) {
            try (VolumeHarness h = start(VolumeConfig.builder().xattrs(xattr).build(), readOnlyExport(xattr))) {
                FuseVolume v = h.volume;
                ShareCapabilities c = v.capabilities();
                assertTrue(c.readOnly(), c.describe());
                assertTrue(c.detail().contains("EROFS"), c.detail());
                assertEquals(xattr ? ShareCapabilities.Xattrs.READABLE : ShareCapabilities.Xattrs.NONE, c.xattrs(),
                        c.describe());
                assertTrue(c.describe().startsWith("read-only share; "), c.describe());
                assertTrue(v.isReadOnly(), "presented read-only (VOLUME_PARAMS ReadOnlyVolume)");
                FileContext f = h.open("\\f.txt", VolumeHarness.R);
                assertEquals(FileAttributes.READONLY, v.getFileInfo(f).fileAttributes() & FileAttributes.READONLY,
                        "files show READONLY");
                assertEquals("data", new String(h.read(f, 0, 10)), "reading works");
                assertThrowsStatus(NtStatus.MEDIA_WRITE_PROTECTED, () -> h.write(f, 0, new byte[] {1}), "Write");
                h.close(f);
                assertThrowsStatus(NtStatus.MEDIA_WRITE_PROTECTED, () -> h.create("\\new.txt"), "Create");
                assertFalse(Files.exists(dir.resolve("new.txt")));
            }
        }
    }
}
