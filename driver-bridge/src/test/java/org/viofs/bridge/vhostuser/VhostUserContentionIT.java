package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.RawFuse;
import org.viofs.bridge.testing.VirtiofsdFixture;

/**
 * More threads than slots: callers queue for slots, and leadership of the used ring passes between
 * them; then the same over a daemon thread pool, whose workers complete requests out of order. (The
 * C daemon 7.2 runs a pool only with the launcher's glibc tunable, see {@link VirtiofsdLauncher.Options};
 * a reply order chosen by the test is injected in {@link VhostUserFailureIT}.)
 */
class VhostUserContentionIT {
    @TempDir
    Path dir;

    @Test
    void sixteenThreadsShareFourSlots() throws Exception {
        sixteenThreads(0, 4);
    }

    @Test
    void sixteenThreadsOverADaemonThreadPoolOfEight() throws Exception {
        sixteenThreads(8, 8);
    }

    /** 16 threads × 100 mixed requests over {@code slots} slots, the daemon with this thread pool. */
    private void sixteenThreads(int threadPool, int slots) throws Exception {
        byte[] content = new byte[1 << 20];
        new Random(7 + threadPool).nextBytes(content);
        Files.write(dir.resolve("f.bin"), content);
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir, VirtiofsdFixture.options().threadPoolSize(threadPool)
                        .logLevel(VirtiofsdLauncher.LogLevel.INFO).build(),
                VirtiofsdFixture.TEST_CONFIG.toBuilder().maxInFlight(slots).queueSize(2 * slots).build())) {
            VhostUserTransport t = f.transport();
            RawFuse.initialize(t);
            long node = ConcurrentWorkload.lookup(t, "f.bin");
            long fh = ConcurrentWorkload.open(t, node);
            int mode = (Integer) Files.getAttribute(dir, "unix:mode");
            ConcurrentWorkload.run(t, "f.bin", content, node, fh, mode, 16, 100);
            assertEquals(null, t.failure());
            assertTrue(f.daemon().isAlive(), "the daemon survived: " + f.daemon().describe());
        }
    }
}
