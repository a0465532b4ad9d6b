package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.testing.RawFuse;

/**
 * Many threads × many mixed exchanges on one transport, each reply checked against the host: READ of
 * random ranges against the file's bytes, GETATTR of the root against its mode, LOOKUP + FORGET (hiprio).
 */
final class ConcurrentWorkload {
    private ConcurrentWorkload() {
    }

    /** Runs the workload; the file {@code name} holds {@code content}; the node is open as {@code fh}. */
    static void run(FuseTransport t, String name, byte[] content, long node, long fh, int rootMode, int threads,
                    int perThread) throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger done = new AtomicInteger();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int seed = i;
            Thread th = new Thread(() -> {
                Random rnd = new Random(seed);
                try {
                    for (int k = 0; k < perThread; k++) {
                        switch (k % 4) {
                            case 0 -> {
                                int size = 1 + rnd.nextInt(64 * 1024);
                                int off = rnd.nextInt(content.length);
                                ByteBuffer read = RawFuse.read(node, fh, off, size);
                                byte[] got = t.exchange(RawFuse.of(read), 16 + size, r -> {
                                    assertEquals(0, RawFuse.outError(RawFuse.checkReply(read, r)), "READ error");
                                    byte[] b = new byte[r.limit() - 16];
                                    r.get(16, b);
                                    return b;
                                });
                                int expected = Math.min(size, content.length - off);
                                assertEquals(expected, got.length, "READ length at " + off);
                                assertArrayEquals(Arrays.copyOfRange(content, off, off + expected), got,
                                        "READ of " + size + " bytes at " + off);
                            }
                            case 1 -> {
                                assertEquals(node, lookup(t, name), "LOOKUP gives the same node id");
                                t.sendNoReply(RawFuse.of(RawFuse.forget(node, 1)));
                            }
                            default -> assertEquals(Integer.toOctalString(rootMode & 07777),
                                    Integer.toOctalString(RawFuse.getattrMode(t, RawFuse.ROOT_ID) & 07777), "root mode");
                        }
                        done.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "exchanger-" + i);
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join(60_000);
            assertFalse(th.isAlive(), th.getName() + " did not finish within 60 s");
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " thread(s) failed; first: " + failures.peek());
            failures.forEach(e::addSuppressed);
            throw e;
        }
        assertEquals(threads * perThread, done.get(), "exchanges completed");
    }

    static long lookup(FuseTransport t, String name) {
        ByteBuffer lookup = RawFuse.lookup(RawFuse.ROOT_ID, name);
        return t.exchange(RawFuse.of(lookup), RawFuse.LOOKUP_REPLY, r -> {
            RawFuse.checkReply(lookup, r);
            assertEquals(0, RawFuse.outError(r), "LOOKUP " + name);
            return r.getLong(16);
        });
    }

    static long open(FuseTransport t, long node) {
        ByteBuffer open = RawFuse.open(node);
        return t.exchange(RawFuse.of(open), RawFuse.OPEN_REPLY, r -> {
            assertEquals(0, RawFuse.outError(RawFuse.checkReply(open, r)), "OPEN error");
            return r.getLong(16);
        });
    }
}
