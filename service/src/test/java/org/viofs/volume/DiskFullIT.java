package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 1 MiB tmpfs as the share: a write that does not fit fails with DISK_FULL and leaves nothing behind. */
class DiskFullIT {
    @TempDir
    Path base;
    Path share;

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), String.join(" ", cmd) + " finished");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed (needs root): " + out);
    }

    @BeforeEach
    void mountTmpfs() throws Exception {
        share = Files.createDirectory(base.resolve("share"));
        run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", share.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", share.toString());
    }

    @Test
    void writePastTheEndOfSpaceIsDiskFullWithNoPartialData() throws Exception {
        AtomicLong clock = new AtomicLong(); // frozen: the size before the write stays known
        try (VolumeHarness h = VolumeHarness.start(share, VolumeConfig.builder().mountTag("full")
                .nanoClock(clock::get).build())) {
            FuseVolume v = h.volume;
            FileContext keep = h.create("\\keep.bin");
            byte[] small = new byte[100_000];
            Arrays.fill(small, (byte) 7);
            assertEquals(small.length, h.write(keep, 0, small));
            h.closeModified(keep);

            FileContext c = h.create("\\big.bin");
            byte[] big = new byte[2 << 20];
            Arrays.fill(big, (byte) 9);
            assertThrowsStatus(NtStatus.DISK_FULL,
                    () -> v.write(c, ByteBuffer.wrap(big), 0, big.length, false, false), "2 MiB into 1 MiB");
            assertEquals(0, v.getFileInfo(c).fileSize(), "no partial data is reported");
            assertEquals(0, Files.size(share.resolve("big.bin")), "the partial data was cut off on the host too");
            assertThrowsStatus(NtStatus.DISK_FULL,
                    () -> v.write(c, ByteBuffer.wrap(big), -1, big.length, true, false), "append 2 MiB");
            assertEquals(0, Files.size(share.resolve("big.bin")));
            // the volume goes on working: a write that fits succeeds
            assertEquals(4096, h.write(c, 0, Arrays.copyOf(big, 4096)));
            h.closeModified(c);
            assertEquals(4096, Files.size(share.resolve("big.bin")));
            byte[] kept = Files.readAllBytes(share.resolve("keep.bin"));
            assertEquals(small.length, kept.length);
            assertTrue(Arrays.equals(small, kept), "earlier data untouched");
            VolumeInfo vi = v.getVolumeInfo();
            assertEquals(1 << 20, vi.totalSize(), "a 1 MiB tmpfs");
        }
    }
}
