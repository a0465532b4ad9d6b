package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 threads × 1,000 mixed operations on 12 shared names. Files reach a shared name only by a rename
 * of a complete private file, so whatever a reader finds must be one whole payload: every byte is
 * checked against the generator named in its header.
 */
class StressIT {
    static final int THREADS = 8;
    static final int OPS = 1000;
    static final int SHARED = 12;
    static final Set<Integer> RACE_STATUSES = Set.of(NtStatus.OBJECT_NAME_NOT_FOUND, NtStatus.OBJECT_NAME_COLLISION,
            NtStatus.OBJECT_PATH_NOT_FOUND, NtStatus.FILE_DELETED);

    @TempDir
    Path dir;

    /** 12-byte header (seed, length) then bytes from Random(seed). */
    static byte[] payload(long seed, int length) {
        byte[] b = new byte[length];
        ByteBuffer.wrap(b).putLong(seed).putInt(length);
        Random r = new Random(seed);
        for (int i = 12; i < length; i++) {
            b[i] = (byte) r.nextInt();
        }
        return b;
    }

    static void verify(byte[] data, String where) {
        if (data.length < 12) {
            fail(where + ": " + data.length + " bytes, shorter than the header");
        }
        ByteBuffer bb = ByteBuffer.wrap(data);
        long seed = bb.getLong();
        int len = bb.getInt();
        if (len != data.length) {
            fail(where + ": header says " + len + " bytes, file has " + data.length);
        }
        byte[] want = payload(seed, len);
        for (int i = 0; i < len; i++) {
            if (want[i] != data[i]) {
                fail(where + ": byte " + i + " is " + data[i] + ", expected " + want[i] + " (seed " + seed + ")");
            }
        }
    }

    @Test
    void eightThreadsOfMixedOperations() throws Exception {
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("stress").build())) {
            FuseVolume v = h.volume;
            ConcurrentLinkedQueue<String> raced = new ConcurrentLinkedQueue<>();
            AtomicLong verifiedBytes = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> futures = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    Random rnd = new Random(1000 + id);
                    for (int op = 0; op < OPS; op++) {
                        String shared = "\\s" + rnd.nextInt(SHARED);
                        int kind = rnd.nextInt(10);
                        try {
                            if (kind < 4) {
                                // create privately, write, read back through the handle, publish by rename
                                String tmp = "\\tmp-" + id + "-" + op;
                                long seed = ((long) id << 32) | op;
                                byte[] data = payload(seed, 12 + rnd.nextInt(20_000));
                                FileContext c = h.create(tmp);
                                try {
                                    assertEquals(data.length, h.write(c, 0, data), "bytes written to " + tmp);
                                    byte[] back = h.read(c, 0, data.length + 10);
                                    verify(back, tmp + " read back");
                                    verifiedBytes.addAndGet(back.length);
                                } finally {
                                    h.closeModified(c);
                                }
                                h.rename(tmp, shared, true);
                            } else if (kind < 7) {
                                FileContext c = h.open(shared, VolumeHarness.R);
                                try {
                                    long size = v.getFileInfo(c).fileSize();
                                    byte[] back = h.read(c, 0, (int) size + 100);
                                    verify(back, shared + " read");
                                    verifiedBytes.addAndGet(back.length);
                                } finally {
                                    h.close(c);
                                }
                            } else if (kind < 9) {
                                h.rename(shared, "\\s" + rnd.nextInt(SHARED), rnd.nextBoolean());
                            } else {
                                h.delete(shared);
                            }
                        } catch (NtStatusException e) {
                            if (!RACE_STATUSES.contains(e.status())) {
                                throw new AssertionError("thread " + id + " op " + op + " (kind " + kind + ") on "
                                        + shared + ": " + e.getMessage(), e);
                            }
                            raced.add(NtStatus.describe(e.status()));
                        }
                    }
                    return null;
                }));
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "8×1000 operations finished in time");
            for (Future<?> f : futures) {
                f.get();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("stress: " + ms + " ms, " + verifiedBytes.get() + " bytes verified, " + raced.size()
                    + " expected races, requests " + h.counting.snapshot());
            // the host holds only whole payloads under shared names, and no private file was left behind
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String n = p.getFileName().toString();
                    assertTrue(n.matches("s\\d+"), "unexpected host file " + n);
                    verify(Files.readAllBytes(p), "host " + n);
                }
            }
            assertTrue(verifiedBytes.get() > 1_000_000, "enough data was checked: " + verifiedBytes.get());
            v.dropCaches();
            assertEquals(0, v.client().nodes().totalLookups(), "every lookup reference returned: "
                    + v.client().nodes().snapshot());
        }
    }
}
