package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.fuse.Opcode;

/**
 * Deferred FORGET ({@link DeferredForgets}) against the real virtiofsd: a deleted file's reference
 * waits and goes back with others' in one BATCH_FORGET, the callback that makes
 * {@value DeferredForgets#MAX_WAITING} wait sends them, none waits longer than the deferral time
 * (on the volume's clock, and from the background thread without any further callback), unmount
 * sends what waits, and with deferral off every callback sends its own at its end.
 */
class DeferredForgetsIT {
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
        h = VolumeHarness.start(dir, b.mountTag("forgets").build());
        return h.volume;
    }

    private long forgetRequests() {
        return h.counting.count(Opcode.FORGET) + h.counting.count(Opcode.BATCH_FORGET);
    }

    private void files(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Files.writeString(dir.resolve("f" + i), "x");
        }
    }

    @Test
    void deletesShareOneBatchForget() throws Exception {
        int n = DeferredForgets.MAX_WAITING;
        files(n);
        // a fake clock that never moves and a deferral far beyond the test's run: only the bound sends
        FuseVolume v = start(VolumeConfig.builder().nanoClock(clock::get).deferredCloseMillis(60_000));
        for (int i = 0; i < n - 1; i++) {
            h.delete("\\f" + i);
        }
        assertEquals(0, forgetRequests(), (n - 1) + " deletes: every reference waits");
        assertEquals(n - 1, v.client().nodes().totalLookups(), "the deleted files' references, still held: "
                + v.client().nodes().snapshot());
        h.delete("\\f" + (n - 1));
        assertEquals(0, h.counting.count(Opcode.FORGET), "no FORGET alone");
        assertEquals(1, h.counting.count(Opcode.BATCH_FORGET), "the " + n + "th delete sends one BATCH_FORGET for all");
        assertEquals(0, v.client().nodes().totalLookups(), "every reference returned: " + v.client().nodes().snapshot());
        for (int i = 0; i < n; i++) {
            assertFalse(Files.exists(dir.resolve("f" + i)), "f" + i + " deleted on the host");
        }
    }

    @Test
    void noReferenceWaitsLongerThanTheDeferralTimeOnTheVolumesClock() throws Exception {
        files(2);
        FuseVolume v = start(VolumeConfig.builder().nanoClock(clock::get).deferredCloseMillis(60_000));
        h.delete("\\f0");
        assertEquals(0, forgetRequests(), "the deleted f0's reference waits");
        clock.addAndGet(59_999_000_000L);
        v.getSecurityByName("\\f1");
        assertEquals(0, forgetRequests(), "a callback a millisecond before the time sends nothing");
        clock.addAndGet(1_000_000L);
        v.getSecurityByName("\\f1");
        assertEquals(1, h.counting.count(Opcode.FORGET), "the first callback once the time is up sends it");
    }

    @Test
    void theBackgroundThreadSendsThemWithoutAnotherCallback() throws Exception {
        files(1);
        FuseVolume v = start(VolumeConfig.builder().deferredCloseMillis(200));
        h.delete("\\f0");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (forgetRequests() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, h.counting.count(Opcode.FORGET), "sent by the background thread within 10 s");
        assertEquals(0, v.client().nodes().totalLookups(), "nothing held: " + v.client().nodes().snapshot());
    }

    @Test
    void unmountSendsWhatWaits() throws Exception {
        files(1);
        start(VolumeConfig.builder().nanoClock(clock::get).deferredCloseMillis(60_000));
        h.delete("\\f0");
        assertEquals(0, forgetRequests(), "the reference waits");
        h.close();
        long forgets = forgetRequests();
        h = null;
        assertEquals(1, forgets, "unmount returned it before the session ended");
    }

    @Test
    void withDeferralOffEveryCallbackSendsItsOwn() throws Exception {
        files(1);
        FuseVolume v = start(VolumeConfig.builder().deferredCloseMillis(0));
        h.delete("\\f0");
        assertEquals(1, h.counting.count(Opcode.FORGET), "the delete's FORGET, at the end of its Cleanup");
        assertEquals(0, v.client().nodes().totalLookups(), "nothing held: " + v.client().nodes().snapshot());
    }
}
