package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.fuse.Opcode;

/**
 * Deferred close against the real daemon: a closed file's FUSE handle is reused by the next open of
 * the same file with compatible access, and RELEASE comes when its time runs out, when the bound is
 * exceeded, when the file is deleted, renamed over or overwritten, and at unmount.
 */
class DeferredCloseIT {
    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong();
    VolumeHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private FuseVolume start(VolumeConfig.Builder b) {
        h = VolumeHarness.start(dir, b.mountTag("deferred").nanoClock(clock::get).build());
        return h.volume;
    }

    private FuseVolume start() {
        return start(VolumeConfig.builder());
    }

    private long count(Opcode op) {
        return h.counting.count(op);
    }

    private byte[] openReadClose(String path, int length) {
        FileContext c = h.open(path, VolumeHarness.R);
        try {
            return h.read(c, 0, length);
        } finally {
            h.close(c);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theNextOpenReusesTheHandleAndSeesTheFilesCurrentData() throws Exception {
        Files.write(dir.resolve("f"), bytes("first"));
        FuseVolume v = start();
        assertArrayEquals(bytes("first"), openReadClose("\\f", 5));
        assertEquals(1, count(Opcode.OPEN));
        assertEquals(0, count(Opcode.RELEASE), "Close kept the handle");
        assertEquals(1, v.deferredHandles());
        // the host changes the file in place (same inode): the kept descriptor reads what is there now
        Files.write(dir.resolve("f"), bytes("other"));
        long reads = count(Opcode.READ);
        assertArrayEquals(bytes("other"), openReadClose("\\f", 5));
        assertEquals(1, count(Opcode.OPEN), "no second OPEN");
        assertEquals(reads + 1, count(Opcode.READ));
        assertEquals(0, count(Opcode.RELEASE));
    }

    @Test
    void theTimeRunningOutReleasesIt() throws Exception {
        Files.write(dir.resolve("f"), bytes("x"));
        FuseVolume v = start(VolumeConfig.builder().deferredCloseMillis(500));
        openReadClose("\\f", 1);
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(499));
        assertEquals(0, v.deferred().sweep(), "499 ms: still kept");
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertEquals(1, v.deferred().sweep());
        assertEquals(1, count(Opcode.RELEASE));
        assertEquals(0, v.deferredHandles());
        openReadClose("\\f", 1);
        assertEquals(2, count(Opcode.OPEN), "nothing kept: OPEN again");
    }

    @Test
    void theBackgroundSweeperReleasesWithoutAnyFurtherCall() throws Exception {
        Files.write(dir.resolve("f"), bytes("x"));
        h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("deferred").deferredCloseMillis(20).build());
        openReadClose("\\f", 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(Opcode.RELEASE) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        assertEquals(1, count(Opcode.RELEASE), "the sweeper released the kept handle");
        assertEquals(0, h.volume.deferredHandles());
    }

    @Test
    void aWritingOpenNeverTakesAReadOnlyHandle() throws Exception {
        Files.write(dir.resolve("f"), bytes("abc"));
        FuseVolume v = start();
        openReadClose("\\f", 3);
        FileContext w = h.open("\\f", VolumeHarness.RW);
        h.write(w, 0, bytes("X"));
        h.closeModified(w);
        assertEquals(2, count(Opcode.OPEN), "the writer opened O_RDWR itself");
        assertArrayEquals(bytes("Xbc"), Files.readAllBytes(dir.resolve("f")), "the host file");
        assertEquals(2, v.deferredHandles(), "both kept");
        // a second writer takes the kept O_RDWR handle; a reader still finds the read-only one
        FileContext w2 = h.open("\\f", VolumeHarness.RW);
        h.write(w2, 1, bytes("Y"));
        h.closeModified(w2);
        assertArrayEquals(bytes("XYc"), openReadClose("\\f", 3));
        assertEquals(2, count(Opcode.OPEN));
        assertArrayEquals(bytes("XYc"), Files.readAllBytes(dir.resolve("f")));
    }

    @Test
    void theHostNeverHoldsMoreThanTheBound() throws Exception {
        for (int i = 0; i < 3; i++) {
            Files.write(dir.resolve("f" + i), bytes("x"));
        }
        FuseVolume v = start(VolumeConfig.builder().maxDeferredHandles(2));
        openReadClose("\\f0", 1);
        openReadClose("\\f1", 1);
        assertEquals(0, count(Opcode.RELEASE));
        openReadClose("\\f2", 1);
        assertEquals(1, count(Opcode.RELEASE), "the oldest went");
        assertEquals(2, v.deferredHandles());
        openReadClose("\\f0", 1);
        assertEquals(4, count(Opcode.OPEN), "f0's handle was the one released");
    }

    @Test
    void deletingTheFileReleasesItsKeptHandles() throws Exception {
        Files.write(dir.resolve("f"), bytes("x"));
        FuseVolume v = start();
        openReadClose("\\f", 1);
        h.delete("\\f");
        assertEquals(1, count(Opcode.RELEASE));
        assertEquals(0, v.deferredHandles());
        assertFalse(Files.exists(dir.resolve("f")), "deleted on the host");
    }

    @Test
    void aFileRenamedOverLosesItsKeptHandles() throws Exception {
        Files.write(dir.resolve("target"), bytes("old"));
        Files.write(dir.resolve("source"), bytes("new"));
        FuseVolume v = start();
        openReadClose("\\target", 3);
        h.rename("\\source", "\\target", true);
        assertEquals(1, count(Opcode.RELEASE));
        assertEquals(0, v.deferredHandles());
        assertArrayEquals(bytes("new"), openReadClose("\\target", 3), "the new file, through a new OPEN");
        assertEquals(2, count(Opcode.OPEN));
    }

    @Test
    void aRenamedFileKeepsItsHandle() throws Exception {
        Files.write(dir.resolve("a"), bytes("x"));
        FuseVolume v = start();
        openReadClose("\\a", 1);
        h.rename("\\a", "\\b", false);
        assertEquals(1, v.deferredHandles(), "the same file under another name");
        openReadClose("\\b", 1);
        assertEquals(1, count(Opcode.OPEN));
    }

    @Test
    void overwriteReleasesTheKeptHandles() throws Exception {
        Files.write(dir.resolve("f"), bytes("data"));
        FuseVolume v = start();
        openReadClose("\\f", 4);
        FileContext c = h.open("\\f", VolumeHarness.RW);
        v.overwrite(c, FileAttributes.NORMAL, false, 0);
        h.close(c);
        assertEquals(1, count(Opcode.RELEASE));
        assertEquals(0, Files.size(dir.resolve("f")));
    }

    @Test
    void unmountReleasesEveryKeptHandle() throws Exception {
        Files.write(dir.resolve("a"), bytes("x"));
        Files.write(dir.resolve("b"), bytes("x"));
        start();
        openReadClose("\\a", 1);
        openReadClose("\\b", 1);
        assertEquals(0, count(Opcode.RELEASE));
        h.close();
        assertEquals(2, count(Opcode.RELEASE));
        h = null;
    }

    @Test
    void dropCachesReleasesThemToo() throws Exception {
        Files.write(dir.resolve("a"), bytes("x"));
        FuseVolume v = start();
        openReadClose("\\a", 1);
        v.dropCaches();
        assertEquals(1, count(Opcode.RELEASE));
        assertEquals(0, v.deferredHandles());
    }

    @Test
    void zeroMillisReleasesAtClose() throws Exception {
        Files.write(dir.resolve("f"), bytes("x"));
        FuseVolume v = start(VolumeConfig.builder().deferredCloseMillis(0));
        openReadClose("\\f", 1);
        assertEquals(1, count(Opcode.RELEASE));
        assertEquals(0, v.deferredHandles());
    }

    @Test
    void directoriesAreNeverKept() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        FuseVolume v = start();
        FileContext d = h.openDir("\\d");
        h.list(d, 100);
        h.close(d);
        assertEquals(1, count(Opcode.RELEASEDIR));
        assertEquals(0, v.deferredHandles());
    }

    @Test
    void outOfRangeSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> VolumeConfig.builder().deferredCloseMillis(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> VolumeConfig.builder().deferredCloseMillis(VolumeConfig.MAX_DEFERRED_CLOSE_MILLIS + 1).build());
        assertThrows(IllegalArgumentException.class,
                () -> VolumeConfig.builder().maxDeferredHandles(VolumeConfig.MAX_DEFERRED_HANDLES + 1).build());
        assertTrue(VolumeConfig.builder().build().deferredCloseMillis() > 0, "on by default");
    }
}
