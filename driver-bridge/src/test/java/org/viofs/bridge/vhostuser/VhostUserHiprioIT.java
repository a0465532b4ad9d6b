package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.RawFuse;
import org.viofs.bridge.testing.VirtiofsdFixture;

/** The hiprio queue: BATCH_FORGET returns references in one request; oversized ones never leave. */
class VhostUserHiprioIT {
    @TempDir
    Path dir;

    private static long fds(long pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        }
    }

    @Test
    void batchForgetReturnsEveryReferenceAtOnce() throws Exception {
        int files = 30;
        for (int i = 0; i < files; i++) {
            Files.writeString(dir.resolve("b" + i), "y");
        }
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir, VirtiofsdFixture.optionsWithInodeFds().build(),
                VirtiofsdFixture.TEST_CONFIG)) {
            VhostUserTransport t = f.transport();
            RawFuse.initialize(t);
            long pid = f.daemonPid();
            long baseline = fds(pid);
            long[] nodes = new long[files];
            long[] counts = new long[files];
            for (int i = 0; i < files; i++) {
                nodes[i] = ConcurrentWorkload.lookup(t, "b" + i);
                assertEquals(nodes[i], ConcurrentWorkload.lookup(t, "b" + i), "second lookup, same node");
                counts[i] = 2;
            }
            assertEquals(baseline + files, fds(pid), "one fd per inode while referenced");
            t.sendNoReply(RawFuse.of(RawFuse.batchForget(nodes, counts)));
            assertEquals(baseline, fds(pid), "all " + files + " inodes released by one BATCH_FORGET");
            // the nodes are dead now: virtiofsd answers EBADF (§7.5)
            var req = RawFuse.getattr(nodes[0]);
            int error = t.exchange(RawFuse.of(req), RawFuse.GETATTR_REPLY, r -> RawFuse.outError(RawFuse.checkReply(req, r)));
            assertEquals(-9, error, "GETATTR of a forgotten node: -EBADF");
        }
    }

    @Test
    void hiprioRequestOverItsBufferIsRejectedBeforeSending() {
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir)) {
            VhostUserTransport t = f.transport();
            RawFuse.initialize(t);
            int entries = (t.maxNoReplyBytes() - RawFuse.IN_HEADER_SIZE - 8) / 16 + 1;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.sendNoReply(RawFuse.of(RawFuse.batchForget(new long[entries], new long[entries]))));
            assertTrue(e.getMessage().contains("hiprio request"), e.getMessage());
            assertTrue(f.daemon().isAlive(), f.daemon().describe());
            assertEquals(0040000, RawFuse.getattrMode(t, RawFuse.ROOT_ID) & 0170000, "transport still fine");
        }
    }
}
