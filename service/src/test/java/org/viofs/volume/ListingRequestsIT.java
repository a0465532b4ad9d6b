package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.fuse.Opcode;

/**
 * READDIR or READDIRPLUS, per listing (issue 11 item 2): plain READDIR only while a complete listing's
 * names and attributes are all cached and valid, READDIRPLUS otherwise, and the entries are the same
 * either way.
 */
class ListingRequestsIT {
    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong();

    @BeforeEach
    void files() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        for (int i = 0; i < 20; i++) {
            Files.write(dir.resolve("d").resolve("f" + i), new byte[i]);
        }
    }

    private static Map<String, Long> sizes(List<DirInfo> l) {
        Map<String, Long> m = new TreeMap<>();
        l.forEach(e -> m.put(e.fileName(), e.fileInfo().fileSize()));
        return m;
    }

    private List<DirInfo> list(VolumeHarness h) {
        FileContext c = h.openDir("\\d");
        try {
            return h.list(c, 7);
        } finally {
            h.close(c);
        }
    }

    @Test
    void plainReaddirWhileEveryEntryIsCachedThenPlusAgain() throws Exception {
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("l").nanoClock(clock::get).build())) {
            List<DirInfo> first = list(h);
            assertEquals(0, h.counting.count(Opcode.READDIR));
            assertEquals(2, h.counting.count(Opcode.READDIRPLUS), "the page and the empty end page");

            List<DirInfo> second = list(h);
            assertEquals(2, h.counting.count(Opcode.READDIR), "every entry cached and valid: names only");
            assertEquals(2, h.counting.count(Opcode.READDIRPLUS), "no more READDIRPLUS");
            assertEquals(sizes(first), sizes(second), "the same entries and attributes");

            // a name the cache does not know: that page again with attributes
            Files.write(dir.resolve("d").resolve("new"), new byte[5]);
            List<DirInfo> third = list(h);
            assertEquals(3, h.counting.count(Opcode.READDIR));
            assertEquals(4, h.counting.count(Opcode.READDIRPLUS));
            assertEquals(5L, sizes(third).get("new"));

            // the host put another file under a cached name: its inode number differs, so attributes are fetched
            Path other = Files.write(dir.resolve("other"), new byte[99]);
            Files.move(other, dir.resolve("d").resolve("f3"), StandardCopyOption.REPLACE_EXISTING);
            assertEquals(99L, sizes(list(h)).get("f3"), "not the cached size 3");

            // timeouts over: READDIRPLUS only
            clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
            long plain = h.counting.count(Opcode.READDIR);
            list(h);
            assertEquals(plain, h.counting.count(Opcode.READDIR), "expired attributes: no plain READDIR");
        }
    }

    @Test
    void cacheNoneListsWithAttributesEveryTime() {
        VirtiofsdLauncher.Options opts = VirtiofsdFixture.options().cache(VirtiofsdLauncher.CacheMode.NONE)
                .logLevel(VirtiofsdLauncher.LogLevel.WARN).build();
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("l").nanoClock(clock::get).build(),
                opts)) {
            list(h);
            list(h);
            assertEquals(0, h.counting.count(Opcode.READDIR), "0 s timeouts: nothing cached stays valid");
            assertEquals(4, h.counting.count(Opcode.READDIRPLUS));
        }
    }
}
