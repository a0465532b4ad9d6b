package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;

/**
 * EXDEV is reachable only when one share spans two host file systems: a tmpfs is mounted inside the
 * shared directory before the daemon starts (needs root, which virtiofsd needs anyway), and a RENAME
 * across it must fail with EXDEV, with both files untouched on the host.
 */
class CrossDeviceRenameIT {
    @TempDir
    Path shared;

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed: " + out);
    }

    @Test
    void renameAcrossAHostMountIsExdev() throws Exception {
        Path mnt = Files.createDirectory(shared.resolve("mnt"));
        run("mount", "-t", "tmpfs", "-o", "size=1m", "viofs-exdev-test", mnt.toString());
        try {
            Files.writeString(shared.resolve("here"), "on the temp dir's file system");
            Files.writeString(mnt.resolve("there"), "on tmpfs");
            try (VirtiofsdFixture f = VirtiofsdFixture.start(shared,
                    VirtiofsdFixture.options().logLevel(VirtiofsdLauncher.LogLevel.INFO).build(),
                    VirtiofsdFixture.TEST_CONFIG)) {
                FuseClient c = FuseClient.init(f.transport());
                EntryOut m = c.lookup(FuseFlags.ROOT_ID, "mnt");
                c.lookup(FuseFlags.ROOT_ID, "here");
                c.lookup(m.nodeId(), "there");
                FuseErrnoException e = assertThrows(FuseErrnoException.class,
                        () -> c.rename(FuseFlags.ROOT_ID, "here", m.nodeId(), "here", 0));
                assertSame(Errno.EXDEV, e.errno(), e.getMessage());
                e = assertThrows(FuseErrnoException.class,
                        () -> c.rename(m.nodeId(), "there", FuseFlags.ROOT_ID, "there", FuseFlags.RENAME_NOREPLACE));
                assertSame(Errno.EXDEV, e.errno(), e.getMessage());
                FuseErrnoException le = assertThrows(FuseErrnoException.class,
                        () -> c.link(c.lookup(FuseFlags.ROOT_ID, "here").nodeId(), m.nodeId(), "hard"));
                assertSame(Errno.EXDEV, le.errno(), "LINK across file systems: " + le.getMessage());
                assertEquals("on the temp dir's file system", Files.readString(shared.resolve("here")));
                assertEquals("on tmpfs", Files.readString(mnt.resolve("there")));
                c.close();
            }
        } finally {
            run("umount", mnt.toString());
        }
    }
}
