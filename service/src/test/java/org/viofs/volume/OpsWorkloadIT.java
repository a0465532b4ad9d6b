package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;

class OpsWorkloadIT {
    @TempDir
    Path dir;

    @Test
    void exactRequestCounts() {
        AtomicLong clock = new AtomicLong(); // frozen: no cache timeout expires mid-run
        VolumeConfig cfg = VolumeConfig.builder().mountTag("ops").nanoClock(clock::get).build();
        try (VolumeHarness h = VolumeHarness.start(dir, cfg)) {
            assertEquals(expected(), OpsWorkload.run(dir, h.volume, h.counting), "FUSE requests per operation");
        }
    }

    @Test
    void sameCountsWithTheRealClockAndLongTimeouts() {
        // cache=always grants 86,400 s timeouts: the real clock then cannot expire anything mid-run either
        // (and a deferral as long as allowed, so no kept handle's time runs out mid-run either)
        VirtiofsdLauncher.Options opts = VirtiofsdFixture.options().cache(VirtiofsdLauncher.CacheMode.ALWAYS).logLevel(VirtiofsdLauncher.LogLevel.WARN).build();
        VolumeConfig cfg = VolumeConfig.builder().mountTag("ops").deferredCloseMillis(VolumeConfig.MAX_DEFERRED_CLOSE_MILLIS).build();
        try (VolumeHarness h = VolumeHarness.start(dir, cfg, opts)) {
            assertEquals(expected(), OpsWorkload.run(dir, h.volume, h.counting), "FUSE requests per operation");
        }
    }

    @Test
    void cacheNoneCostsWhatTheKernelClientPays() {
        // cache=none: the daemon grants 0 s for every name and attribute, so nothing is valid past the
        // Windows request that fetched it; a frozen clock keeps it exact
        AtomicLong clock = new AtomicLong();
        VirtiofsdLauncher.Options opts = VirtiofsdFixture.options().cache(VirtiofsdLauncher.CacheMode.NONE)
                .logLevel(VirtiofsdLauncher.LogLevel.WARN).build();
        VolumeConfig cfg = VolumeConfig.builder().mountTag("ops").nanoClock(clock::get).build();
        try (VolumeHarness h = VolumeHarness.start(dir, cfg, opts)) {
            Map<String, Long> expected = new LinkedHashMap<>();
            // LOOKUP ×4 (GetSecurityByName; their attributes serve it, and Open continues the same
            // request) + OPEN + READ; RELEASE deferred
            expected.put("openReadCloseDepth4Cold", 6L);
            // the names are looked up again (0 s), the kept handle is reused: LOOKUP ×4 + READ
            expected.put("openReadCloseDepth4Warm", 5L);
            expected.put("openReadCloseRepeated100", 500L);
            // LOOKUP ops-list + OPENDIR + READDIRPLUS ×2 + RELEASEDIR, and GETATTR of the directory for
            // "." and of the root for ".." (their attributes expired with the request that fetched them)
            expected.put("list1000", 7L);
            // GETATTR of the root (GetSecurityByName of the parent; Create continues the request, so
            // no second one) + CREATE + WRITE; the kernel client pays LOOKUP + CREATE + WRITE + FLUSH +
            // RELEASE + GETATTR
            expected.put("createWriteClose", 3L);
            // LOOKUP (GetSecurityByName; Open continues it) + UNLINK (Cleanup: the handle knows its
            // node, directory and name) + FORGET (Close); the kernel client: LOOKUP + UNLINK + FORGET
            expected.put("deleteFile", 3L);
            // LOOKUP + RENAME2(NOREPLACE): the target's directory is the root, whose type is known
            expected.put("renameFile", 2L);
            assertEquals(expected, OpsWorkload.run(dir, h.volume, h.counting), "FUSE requests per operation");
        }
    }

    private static Map<String, Long> expected() {
        Map<String, Long> expected = new LinkedHashMap<>();
        // LOOKUP ops-a, b, c, file.bin (GetSecurityByName; Open then hits the cache) + OPEN + READ; the
        // RELEASE is deferred (the handle is kept for the next open)
        expected.put("openReadCloseDepth4Cold", 6L);
        // every name and attribute cached, the kept handle reused: READ only
        expected.put("openReadCloseDepth4Warm", 1L);
        // the same, 100 times: one READ per cycle
        expected.put("openReadCloseRepeated100", 100L);
        // LOOKUP ops-list + OPENDIR + READDIRPLUS ×2 (1,000 entries of 168 bytes fit one 256 KiB page, then
        // the empty end page) + RELEASEDIR; the listed nodes stay cached, so no FORGET
        expected.put("list1000", 5L);
        // root attributes fresh: CREATE (opens too) + WRITE; no existence LOOKUP (O_EXCL is the check), no
        // SETATTR at cleanup (the host stamped mtime itself); CREATE's handle is kept (RELEASE deferred)
        expected.put("createWriteClose", 2L);
        // LOOKUP + UNLINK (Cleanup) + FORGET of the unlinked node (Close drops the last pin); no OPEN
        expected.put("deleteFile", 3L);
        // LOOKUP + RENAME2(NOREPLACE); no target LOOKUP (NOREPLACE is the check), no OPEN
        expected.put("renameFile", 2L);
        return expected;
    }
}
