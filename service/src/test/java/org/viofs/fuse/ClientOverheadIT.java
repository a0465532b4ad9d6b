package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;

/**
 * What FuseClient costs on top of the raw transport, measured interleaved (raw, client, raw, …) so that
 * load from other processes hits both alike: GETATTR latency at queue depth 1 and sequential 1 MiB READ
 * throughput. Targets: ≤ 20% each. Wall time is never asserted (it depends on the machine's load): the
 * figures are printed, and {@code viofs bench} reports the same comparison for the notes. What is
 * asserted is that both paths carry the same bytes.
 */
class ClientOverheadIT {
    static final int FILE_MIB = 64;
    static final int ROUNDS = 7;

    @TempDir
    static Path shared;
    static VirtiofsdFixture fixture;
    static FuseClient client;
    static FuseTransport raw;

    @BeforeAll
    static void start() throws Exception {
        Files.write(shared.resolve("big"), new byte[FILE_MIB << 20]);
        fixture = VirtiofsdFixture.start(shared,
                VirtiofsdFixture.options().logLevel(VirtiofsdLauncher.LogLevel.WARN).build(), VirtiofsdFixture.TEST_CONFIG);
        raw = fixture.transport();
        client = FuseClient.init(raw);
    }

    @AfterAll
    static void stop() {
        try {
            client.close();
        } finally {
            fixture.close();
        }
    }

    private static ByteBuffer rawRequest(int opcode, long nodeId, int argsLen) {
        ByteBuffer b = ByteBuffer.allocate(InHeader.SIZE + argsLen).order(ByteOrder.LITTLE_ENDIAN);
        new InHeader(InHeader.SIZE + argsLen, opcode, 1L << 40, nodeId, 0, 0, 0).encode(b);
        return b;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Runs {@code variants} once each per round, in an order rotated every round; returns seconds [variant][round]. */
    private static double[][] interleaved(int rounds, Runnable... variants) {
        for (Runnable v : variants) {
            v.run(); // warm-up
        }
        double[][] sec = new double[variants.length][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < variants.length; k++) {
                int v = (round + k) % variants.length;
                long t0 = System.nanoTime();
                variants[v].run();
                sec[v][round] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return sec;
    }

    /** Median over rounds of a[round] / b[round]: each ratio compares runs made moments apart. */
    private static double medianRatio(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return median(r);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    @Test
    void getattrLatency() {
        ByteBuffer req = rawRequest(Opcode.GETATTR.code(), FuseFlags.ROOT_ID, GetattrIn.SIZE);
        new GetattrIn(0, 0).encode(req);
        ByteBuffer[] rawReq = {req.flip()};
        int n = 500;
        int[] modes = new int[2];
        double[][] sec = interleaved(31, () -> {
            for (int i = 0; i < n; i++) {
                modes[0] = raw.exchange(rawReq, OutHeader.SIZE + AttrOut.SIZE, r -> r.getInt(OutHeader.SIZE + 16 + 60));
            }
        }, () -> {
            for (int i = 0; i < n; i++) {
                modes[1] = client.getattr(FuseFlags.ROOT_ID).attr().mode();
            }
        });
        assertEquals(modes[0], modes[1], "both paths see the root's mode");
        assertTrue(FileMode.isDirectory(modes[1]));
        double ratio = medianRatio(sec[1], sec[0]);
        System.out.printf("ClientOverheadIT GETATTR qd1: raw median %.2f µs (best %.2f), FuseClient median %.2f µs "
                + "(best %.2f); median per-round ratio %.3f (%+.0f%%)%n", median(sec[0]) * 1e6 / n, min(sec[0]) * 1e6 / n,
                median(sec[1]) * 1e6 / n, min(sec[1]) * 1e6 / n, ratio, (ratio - 1) * 100);
    }

    @Test
    void sequentialReadThroughput() {
        long node = client.lookup(FuseFlags.ROOT_ID, "big").nodeId();
        long fh = client.open(node, OpenFlags.O_RDONLY).fh();
        int chunk = 1 << 20;
        ByteBuffer req = rawRequest(Opcode.READ.code(), node, ReadIn.SIZE);
        ByteBuffer[] rawReq = {req};
        long total = (long) FILE_MIB << 20;
        ByteBuffer dst = ByteBuffer.allocateDirect(FILE_MIB << 20);
        long[] got = new long[3];
        double[][] sec = interleaved(9, () -> {
            got[0] = 0;
            for (long off = 0; off < total; off += chunk) {
                req.clear().position(InHeader.SIZE);
                new ReadIn(fh, off, chunk, 0, 0, 0).encode(req);
                req.flip();
                got[0] += raw.exchange(rawReq, OutHeader.SIZE + chunk, r -> r.remaining() - OutHeader.SIZE);
            }
        }, () -> {
            long[] seen = {0};
            got[1] = client.read(node, fh, 0, total, (off, data) -> seen[0] += data.remaining());
            assertEquals(got[1], seen[0]);
        }, () -> {
            dst.clear();
            got[2] = client.read(node, fh, 0, dst);
        });
        assertEquals(total, got[0]);
        assertEquals(total, got[1]);
        assertEquals(total, got[2]);
        client.release(node, fh, OpenFlags.O_RDONLY);
        client.forget(node, 1);
        double zc = medianRatio(sec[0], sec[1]); // throughput ratio = inverse time ratio
        double cp = medianRatio(sec[0], sec[2]);
        System.out.printf("ClientOverheadIT READ 1 MiB qd1: raw median %.0f MiB/s, FuseClient zero-copy %.0f MiB/s "
                + "(median per-round ratio %.3f), into a direct buffer %.0f MiB/s (ratio %.3f)%n", FILE_MIB / median(sec[0]),
                FILE_MIB / median(sec[1]), zc, FILE_MIB / median(sec[2]), cp);
    }
}
