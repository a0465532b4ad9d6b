package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.CountingTransport;
import org.viofs.bridge.testing.VirtiofsdFixture;

/** 8 threads × mixed operations on one client against a real virtiofsd; every result checked. */
class ConcurrencyIT {
    static final int THREADS = 8;
    static final int ROUNDS = 40;

    @TempDir
    Path shared;

    @Test
    void eightThreadsMixedOperations() throws Exception {
        try (VirtiofsdFixture f = VirtiofsdFixture.start(shared, VirtiofsdFixture.options().logLevel(org.viofs.bridge.vhostuser.VirtiofsdLauncher.LogLevel.INFO).build(), VirtiofsdFixture.TEST_CONFIG)) {
            CountingTransport counting = new CountingTransport(f.transport());
            FuseClient client = FuseClient.init(counting);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int id = t;
                    results.add(pool.submit(() -> worker(client, id)));
                }
                int done = 0;
                for (Future<Integer> r : results) {
                    done += r.get(90, TimeUnit.SECONDS);
                }
                assertEquals(THREADS * ROUNDS, done);
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "workers ended");
            }
            // every worker returned all its references; only the per-thread directories remain
            assertEquals(THREADS, client.nodes().totalLookups(), client.nodes().snapshot().toString());
            assertTrue(counting.count(Opcode.WRITE.code()) >= THREADS * ROUNDS);
            for (int t = 0; t < THREADS; t++) {
                try (var s = Files.list(shared.resolve("t" + t))) {
                    assertEquals(List.of(shared.resolve("t" + t).resolve("keep")), s.toList(),
                            "only the kept file is left in t" + t);
                }
            }
            client.close();
        }
    }

    private int worker(FuseClient c, int id) throws Exception {
        Random rnd = new Random(id);
        long dir = c.mkdir(FuseFlags.ROOT_ID, "t" + id, 0755, 0).nodeId();
        CreateOut keep = c.create(dir, "keep", OpenFlags.O_RDWR, 0644, 0);
        int rounds = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] data = new byte[1 + rnd.nextInt(300_000)];
            rnd.nextBytes(data);
            CreateOut cr = c.create(dir, "f" + i, OpenFlags.O_RDWR, 0600, 0);
            long node = cr.entry().nodeId();
            long fh = cr.open().fh();
            assertEquals(data.length, c.write(node, fh, 0, ByteBuffer.wrap(data)));
            assertEquals(data.length, c.getattr(node, fh).attr().size());
            ByteBuffer back = ByteBuffer.allocate(data.length);
            assertEquals(data.length, c.read(node, fh, 0, back));
            assertArrayEquals(data, back.array(), "thread " + id + " round " + i);
            c.release(node, fh, OpenFlags.O_RDWR);

            c.rename(dir, "f" + i, dir, "g" + i, FuseFlags.RENAME_NOREPLACE);
            EntryOut found = c.lookup(dir, "g" + i);
            assertEquals(node, found.nodeId(), "rename keeps the node");
            assertEquals(data.length, found.attr().size());

            // interleave with the shared file: positional writes of this round's marker
            assertEquals(8, c.write(keep.entry().nodeId(), keep.open().fh(), 8L * i,
                    ByteBuffer.allocate(8).putLong(0, ((long) id << 32) | i)));

            OpenOut dh = c.opendir(dir);
            List<DirentPlus> entries = c.readdirplus(dir, dh.fh(), 0);
            c.releasedir(dir, dh.fh());
            List<String> names = entries.stream().map(DirentPlus::name).sorted().toList();
            assertEquals(List.of(".", "..", "g" + i, "keep"), names, "thread " + id + " round " + i);
            for (DirentPlus e : entries) {
                if (e.nodeId() != 0) {
                    c.nodes().forgetLater(e.nodeId(), 1);
                }
            }
            c.unlink(dir, "g" + i);
            c.nodes().forget(node, 2); // CREATE + LOOKUP
            rounds++;
        }
        c.release(keep.entry().nodeId(), keep.open().fh(), OpenFlags.O_RDWR);
        ByteBuffer markers = ByteBuffer.allocate(8 * ROUNDS);
        long kn = keep.entry().nodeId();
        OpenOut ko = c.open(kn, OpenFlags.O_RDONLY);
        assertEquals(8 * ROUNDS, c.read(kn, ko.fh(), 0, markers));
        for (int i = 0; i < ROUNDS; i++) {
            assertEquals(((long) id << 32) | i, markers.getLong(8 * i));
        }
        c.release(kn, ko.fh(), OpenFlags.O_RDONLY);
        c.nodes().forget(kn, 1);
        c.nodes().flush();
        return rounds;
    }
}
