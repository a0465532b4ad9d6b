package org.viofs.bridge.vhostuser;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.viofs.bridge.testing.RawFuse;
import org.viofs.bridge.testing.VirtiofsdFixture;

/**
 * Manual benchmark (not a test): GETATTR round trip at queue depth 1 and sequential 1 MiB READ
 * through {@link VhostUserTransport}, for comparison with the probe figures of
 * vhost-user-frontend.md §10. Run: {@code java -cp <test classpath> ...TransportBench [spinNanos] [fileMiB] [dir with big.bin]}.
 */
public final class TransportBench {
    private TransportBench() {
    }

    public static void main(String[] args) throws Exception {
        long spin = args.length > 0 ? Long.parseLong(args[0]) : 0;
        int fileMiB = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        boolean own = args.length < 3;
        Path dir = own ? Files.createTempDirectory("viofs-bench") : Path.of(args[2]);
        Path big = dir.resolve("big.bin");
        if (own) {
            byte[] mib = new byte[1 << 20];
            new Random(1).nextBytes(mib);
            try (var out = Files.newOutputStream(big)) {
                for (int i = 0; i < fileMiB; i++) {
                    out.write(mib);
                }
            }
        }
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir,
                VirtiofsdFixture.options().logLevel(VirtiofsdLauncher.LogLevel.ERR).build(),
                VirtiofsdFixture.TEST_CONFIG.withSpinNanos(spin))) {
            VhostUserTransport t = f.transport();
            RawFuse.initialize(t);
            ByteBuffer lk = RawFuse.lookup(RawFuse.ROOT_ID, "big.bin");
            long node = t.exchange(RawFuse.of(lk), RawFuse.LOOKUP_REPLY, r -> r.getLong(16));
            ByteBuffer op = RawFuse.open(node);
            long fh = t.exchange(RawFuse.of(op), RawFuse.OPEN_REPLY, r -> r.getLong(16));
            ByteBuffer[] req = RawFuse.of(RawFuse.getattr(node));
            for (int round = 0; round < 3; round++) {
                long[] lat = new long[10000];
                for (int i = -2000; i < lat.length; i++) {
                    long t0 = System.nanoTime();
                    t.exchange(req, RawFuse.GETATTR_REPLY, r -> r.getInt(4));
                    if (i >= 0) {
                        lat[i] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(lat);
                System.out.printf("GETATTR qd1 spin=%d ns: median %.1f us p99 %.1f us%n", spin,
                        lat[lat.length / 2] / 1e3, lat[lat.length * 99 / 100] / 1e3);
            }
            int chunk = 1 << 20;
            long size = (long) fileMiB << 20;
            ByteBuffer[] rd = RawFuse.of(RawFuse.read(node, fh, 0, chunk));
            for (int pass = 0; pass < 4; pass++) {
                long t0 = System.nanoTime();
                long total = 0;
                for (long off = 0; off < size; off += chunk) {
                    rd[0].putLong(48, off);
                    total += t.exchange(rd, 16 + chunk, r -> r.limit() - 16);
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                System.out.printf("READ 1 MiB qd1 pass %d: %.0f MiB/s (%d MiB)%n", pass, total / sec / (1 << 20),
                        total >> 20);
            }
        } finally {
            if (own) {
                Files.deleteIfExists(big);
                Files.deleteIfExists(dir);
            }
        }
    }
}
