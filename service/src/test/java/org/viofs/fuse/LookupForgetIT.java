package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;

/**
 * Lookup counting against the daemon's real resources: virtiofsd keeps one O_PATH fd per referenced
 * inode, so after N lookups and the matching forgets {@code /proc/PID/fd} of the fd-holding daemon
 * process is back where it started. FORGET has no reply, so the return is polled (bounded).
 */
class LookupForgetIT {
    static final int FILES = 100;

    @TempDir
    static Path shared;
    static VirtiofsdFixture fixture;
    static FuseClient client;

    @BeforeAll
    static void start() throws IOException {
        for (int i = 0; i < FILES; i++) {
            Files.writeString(shared.resolve("f" + i), "x");
        }
        fixture = VirtiofsdFixture.start(shared,
                VirtiofsdFixture.options().logLevel(VirtiofsdLauncher.LogLevel.INFO).build(), VirtiofsdFixture.TEST_CONFIG);
        client = FuseClient.init(fixture.transport());
    }

    @AfterAll
    static void stop() {
        try {
            client.close();
        } finally {
            fixture.close();
        }
    }

    private static long daemonFds() {
        Path fdDir = Path.of("/proc", Long.toString(fixture.daemonPid()), "fd");
        try (Stream<Path> s = Files.list(fdDir)) {
            return s.count();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + fdDir + ": " + e, e);
        }
    }

    /** Polls the daemon's fd count for up to 5 s until it satisfies {@code ok}; returns the last count. */
    private static long awaitFds(LongPredicate ok) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long n = daemonFds();
        while (!ok.test(n) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            n = daemonFds();
        }
        return n;
    }

    @Test
    void lookupsHoldFdsUntilEveryReferenceIsForgotten() throws Exception {
        long baseline = awaitFds(n -> true);
        List<Long> nodes = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            nodes.add(client.lookup(FuseFlags.ROOT_ID, "f" + i).nodeId());
        }
        for (int i = 0; i < FILES; i++) {
            assertEquals(nodes.get(i), client.lookup(FuseFlags.ROOT_ID, "f" + i).nodeId(), "same inode, same node");
            assertEquals(2, client.nodes().lookups(nodes.get(i)));
        }
        long held = daemonFds();
        assertEquals(baseline + FILES, held, "one fd per looked-up inode (baseline " + baseline + ")");

        // drop one of the two references of every node (one BATCH_FORGET), then f0's second one alone:
        // the daemon serves hiprio in order, so once f0's fd is gone the batch has been handled too
        for (long n : nodes) {
            client.nodes().forgetLater(n, 1);
        }
        client.nodes().flush();
        client.forget(nodes.get(0), 1);
        long afterBatch = awaitFds(n -> n <= baseline + FILES - 1);
        assertEquals(baseline + FILES - 1, afterBatch,
                "one reference left per inode keeps its fd; only f0, forgotten twice, gave its fd back");

        // drop the last ones (as single FORGETs this time): back to the baseline
        for (long n : nodes.subList(1, FILES)) {
            client.forget(n, 1);
        }
        assertEquals(0, client.nodes().size());
        long after = awaitFds(n -> n <= baseline);
        assertEquals(baseline, after, "fds after the last forgets (baseline " + baseline + ")");
    }

    @Test
    void withoutXattrOptionXattrOpsAreEnosys() {
        // virtiofsd 7.2 without -o xattr answers every xattr opcode with ENOSYS; the volume falls back on it
        long n = client.lookup(FuseFlags.ROOT_ID, "f0").nodeId();
        try {
            for (org.junit.jupiter.api.function.Executable op : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> client.getxattrSize(n, "user.a"), () -> client.listxattrSize(n),
                    () -> client.setxattr(n, "user.a", new byte[] {1}, 0), () -> client.removexattr(n, "user.a"))) {
                FuseErrnoException e = org.junit.jupiter.api.Assertions.assertThrows(FuseErrnoException.class, op);
                assertEquals(Errno.ENOSYS, e.errno(), e.getMessage());
            }
        } finally {
            client.forget(n, 1);
        }
    }

    @Test
    void readdirplusReferencesAreReturnedByBatchForget() throws Exception {
        long baseline = awaitFds(n -> true);
        OpenOut dh = client.opendir(FuseFlags.ROOT_ID);
        List<Long> nodes = new ArrayList<>();
        long cookie = 0;
        for (List<DirentPlus> b; !(b = client.readdirplus(FuseFlags.ROOT_ID, dh.fh(), cookie)).isEmpty(); ) {
            for (DirentPlus e : b) {
                if (e.nodeId() != 0) {
                    nodes.add(e.nodeId());
                }
            }
            cookie = b.get(b.size() - 1).off();
        }
        client.releasedir(FuseFlags.ROOT_ID, dh.fh());
        assertEquals(FILES, nodes.size());
        assertEquals(FILES, client.nodes().totalLookups());
        long held = daemonFds();
        assertEquals(baseline + FILES, held, "one fd per entry READDIRPLUS looked up (baseline " + baseline + ")");
        for (long n : nodes) {
            client.nodes().forgetLater(n, 1);
        }
        client.nodes().flush();
        assertEquals(0, client.nodes().totalLookups());
        long after = awaitFds(n -> n <= baseline);
        assertEquals(baseline, after, "fds after one BATCH_FORGET of " + FILES);
    }
}
