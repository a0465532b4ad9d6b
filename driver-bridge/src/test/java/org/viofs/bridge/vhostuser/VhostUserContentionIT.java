package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.RawFuse;
import org.viofs.bridge.testing.VirtiofsdFixture;

/**
 * More threads than slots: callers queue for slots, and leadership of the used ring passes between
 * them. (virtiofsd's {@code --thread-pool-size=N}, which would complete out of order, is not used:
 * on this machine the 7.2 binary's seccomp filter kills pool threads on sched_getaffinity (SIGSYS,
 * seen in the kernel audit log), so out-of-order completion is injected in {@link VhostUserFailureIT}.)
 */
class VhostUserContentionIT {
    @TempDir
    Path dir;

    @Test
    void sixteenThreadsShareFourSlots() throws Exception {
        byte[] content = new byte[1 << 20];
        new Random(7).nextBytes(content);
        Files.write(dir.resolve("f.bin"), content);
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir, VirtiofsdFixture.options().logLevel(VirtiofsdLauncher.LogLevel.INFO).build(),
                VirtiofsdFixture.TEST_CONFIG.withMaxInFlight(4).withQueueSize(8))) {
            VhostUserTransport t = f.transport();
            RawFuse.initialize(t);
            long node = ConcurrentWorkload.lookup(t, "f.bin");
            long fh = ConcurrentWorkload.open(t, node);
            int mode = (Integer) Files.getAttribute(dir, "unix:mode");
            ConcurrentWorkload.run(t, "f.bin", content, node, fh, mode, 16, 100);
            assertEquals(null, t.failure());
        }
    }
}
