package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory of 100,000 entries (issue 11 item 4): listed completely and exactly once each, while the
 * handle never holds more than {@link DirectoryLister#SORTED_MAX} entries plus one page and the name
 * cache stays within its limit.
 */
class LargeDirectoryIT {
    static final int N = 100_000;
    /** Most entries one 256 KiB page can hold: the smallest dirent is 32 bytes (24 + name, 8-aligned). */
    static final int PAGE_MAX = DirectoryLister.DIR_BUFFER / 32;

    /** One directory of {@value #N} files for the tests that only read it (made once: it is the slow part). */
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    @BeforeAll
    @Timeout(value = 180, unit = TimeUnit.SECONDS) // 100,000 files made on a 2-core machine shared with other builds
    static void bigDirectory() {
        ListingWorkload.prepare(shared, "big", N);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS) // two listings of 100,000 entries on a shared 2-core machine
    void aHundredThousandEntriesWithBoundedState() {
        AtomicLong clock = new AtomicLong();
        // a name cache below the daemon's descriptor limit (each cached node is an open O_PATH descriptor
        // in virtiofsd; this machine allows 20,000): the listing must hold the cache's limit, not the host's
        VolumeConfig cfg = VolumeConfig.builder().mountTag("big").nanoClock(clock::get).maxCachedNames(8192).build();
        try (VolumeHarness h = VolumeHarness.start(shared, cfg)) {
            ListingWorkload.Result r = ListingWorkload.list(h.volume, "\\big", h.counting);
            assertEquals(N + 2, r.entries(), "every file, \".\" and \"..\"");
            assertTrue(r.maxHeld() <= DirectoryLister.SORTED_MAX + PAGE_MAX + 2,
                    "the listing held " + r.maxHeld() + " entries at once");
            assertTrue(h.volume.cachedNodes() <= cfg.maxCachedNames() + 2,
                    "the name cache's limit held: " + h.volume.cachedNodes() + " nodes");
            System.out.printf("list100k: %.0f entries/s, %d requests, %d held at most, peak heap %.1f MiB%n",
                    r.entriesPerSec(), r.requests(), r.maxHeld(), r.peakHeapMiB());

            // each name exactly once, in a listing whose caller keeps them (a small sink, as FindNextFile)
            FileContext c = h.openDir("\\big");
            List<DirInfo> all = h.list(c, 5000);
            h.close(c);
            Set<String> names = new HashSet<>();
            for (DirInfo e : all) {
                assertTrue(names.add(e.fileName()), "listed twice: " + e.fileName());
            }
            assertEquals(N + 2, names.size());
            assertTrue(names.contains("f0000000") && names.contains(String.format("f%07d", N - 1)));
            assertEquals(".", all.get(0).fileName(), "\".\" and \"..\" come first in the host's order too");
            assertEquals("..", all.get(1).fileName());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a listing of 100,000 entries read twice in part, on a shared machine
    void anEarlierMarkerIsFoundAgain() {
        AtomicLong clock = new AtomicLong();
        try (VolumeHarness h = VolumeHarness.start(shared, VolumeConfig.builder().mountTag("m").nanoClock(clock::get)
                .maxCachedNames(8192).build())) {
            FileContext c = h.openDir("\\big");
            List<String> first = page(h, c, null, 100);
            List<String> second = page(h, c, first.get(first.size() - 1), 100);
            // go far beyond the first window
            String marker = second.get(second.size() - 1);
            for (int i = 0; i < 250; i++) {
                List<String> p = page(h, c, marker, 100);
                marker = p.get(p.size() - 1);
            }
            assertEquals(second, page(h, c, first.get(first.size() - 1), 100),
                    "a marker from an earlier window: the listing is read again up to it");
            h.close(c);
        }
    }

    @Test
    void aDirectoryRemovedWhileStreamedEndsItsListing() throws Exception {
        Path big = ListingWorkload.prepare(dir, "big", DirectoryLister.SORTED_MAX + 2000);
        AtomicLong clock = new AtomicLong();
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("r").nanoClock(clock::get)
                .maxCachedNames(8192).build())) {
            FileContext c = h.openDir("\\big");
            List<String> first = page(h, c, null, 100);
            try (var files = Files.list(big)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(big);
            String marker = first.get(first.size() - 1);
            int pages = 0;
            while (true) {
                List<String> p = new ArrayList<>();
                boolean end = h.volume.readDirectory(c, null, marker, e -> p.add(e.fileName()));
                if (end) {
                    break;
                }
                marker = p.get(p.size() - 1);
                assertTrue(++pages < 100, "the listing ends");
            }
            h.close(c);
        }
    }

    private static List<String> page(VolumeHarness h, FileContext c, String marker, int n) {
        List<String> got = new ArrayList<>();
        h.volume.readDirectory(c, null, marker, e -> {
            if (got.size() >= n) {
                return false;
            }
            got.add(e.fileName());
            return true;
        });
        return got;
    }
}
