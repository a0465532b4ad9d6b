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
        VirtiofsdLauncher.Options opts = VirtiofsdFixture.options().cache(VirtiofsdLauncher.CacheMode.ALWAYS).logLevel(VirtiofsdLauncher.LogLevel.WARN).build();
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("ops").build(), opts)) {
            assertEquals(expected(), OpsWorkload.run(dir, h.volume, h.counting), "FUSE requests per operation");
        }
    }

    private static Map<String, Long> expected() {
        Map<String, Long> expected = new LinkedHashMap<>();
        // LOOKUP ops-a, b, c, file.bin (GetSecurityByName; Open then hits the cache) + OPEN + READ + RELEASE
        expected.put("openReadCloseDepth4Cold", 7L);
        // every name and attribute cached: OPEN (lazily, by Read) + READ + RELEASE (Close)
        expected.put("openReadCloseDepth4Warm", 3L);
        // LOOKUP ops-list + OPENDIR + READDIRPLUS ×2 (1,000 entries of 168 bytes fit one 256 KiB page, then
        // the empty end page) + RELEASEDIR; the listed nodes stay cached, so no FORGET
        expected.put("list1000", 5L);
        // root attributes fresh: CREATE (opens too) + WRITE + RELEASE; no existence LOOKUP (O_EXCL is the
        // check), no SETATTR at cleanup (the host stamped mtime itself)
        expected.put("createWriteClose", 3L);
        // LOOKUP + UNLINK (Cleanup) + FORGET of the unlinked node (Close drops the last pin); no OPEN
        expected.put("deleteFile", 3L);
        // LOOKUP + RENAME2(NOREPLACE); no target LOOKUP (NOREPLACE is the check), no OPEN
        expected.put("renameFile", 2L);
        return expected;
    }
}
