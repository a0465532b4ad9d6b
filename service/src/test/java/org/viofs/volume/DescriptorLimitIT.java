package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;

/**
 * A daemon that runs out of file descriptors (each node the volume holds a reference to is an open
 * O_PATH descriptor in virtiofsd, and its limit is lower than the name cache's): the volume returns
 * half its names and asks once more, so a listing larger than the daemon's limit completes, and the
 * name cache stays at its lowered limit from then on.
 */
class DescriptorLimitIT {
    /** The daemon's descriptor limit here, far below the default name-cache limit of 65,536. */
    private static final int DAEMON_FDS = 1000;
    private static final int FILES = 3000;

    @TempDir
    Path dir;

    @Test
    void aListingLargerThanTheDaemonsDescriptorLimitCompletes() throws Exception {
        Path d = Files.createDirectory(dir.resolve("many"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(d.resolve(String.format("f%05d", i)), "x");
        }
        VolumeConfig cfg = VolumeConfig.builder().mountTag("fds").build();
        assertTrue(cfg.maxCachedNames() > FILES, "the default cache would hold every name: " + cfg.maxCachedNames());
        VirtiofsdLauncher.Options daemon = VirtiofsdFixture.optionsWithInodeFds()
                .logLevel(VirtiofsdLauncher.LogLevel.WARN).extraArgs(List.of("--rlimit-nofile=" + DAEMON_FDS)).build();
        try (VolumeHarness h = VolumeHarness.start(dir, cfg, daemon)) {
            FileContext c = h.openDir("\\many");
            List<DirInfo> all = h.list(c, 500);
            h.close(c);
            Set<String> names = new HashSet<>();
            for (DirInfo e : all) {
                assertTrue(names.add(e.fileName()), "listed twice: " + e.fileName());
            }
            assertEquals(FILES + 2, names.size(), "every file, \".\" and \"..\"");
            assertTrue(h.volume.cachedNodes() < DAEMON_FDS,
                    "the name cache came down below the daemon's limit: " + h.volume.cachedNodes() + " nodes");
            // the volume goes on working: the first and the last file open and read
            for (String name : List.of("f00000", String.format("f%05d", FILES - 1))) {
                FileContext f = h.open("\\many\\" + name, VolumeHarness.R);
                assertEquals(1, h.volume.getFileInfo(f).fileSize(), name);
                h.close(f);
            }
        }
        assertEquals(FILES, Files.list(d).count(), "the host directory is untouched");
    }
}
