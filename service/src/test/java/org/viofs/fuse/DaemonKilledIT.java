package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.DaemonExitedException;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;

/**
 * The daemon is SIGKILLed while 8 threads have requests in flight: every thread ends with a
 * TransportException (none is left waiting), later calls fail fast, and close() does not hang.
 */
class DaemonKilledIT {
    static final int THREADS = 8;

    @TempDir
    Path shared;

    @Test
    void pendingAndLaterCallsFailFastAndCloseReturns() throws Exception {
        Files.write(shared.resolve("big"), new byte[4 << 20]);
        try (VirtiofsdFixture f = VirtiofsdFixture.start(shared,
                VirtiofsdFixture.options().logLevel(VirtiofsdLauncher.LogLevel.INFO).build(), VirtiofsdFixture.TEST_CONFIG)) {
            FuseClient client = FuseClient.init(f.transport());
            EntryOut big = client.lookup(FuseFlags.ROOT_ID, "big");
            OpenOut fh = client.open(big.nodeId(), OpenFlags.O_RDONLY);
            AtomicReferenceArray<Throwable> endedWith = new AtomicReferenceArray<>(THREADS);
            AtomicLong okCalls = new AtomicLong();
            CountDownLatch running = new CountDownLatch(THREADS);
            CountDownLatch flowing = new CountDownLatch(200);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                    running.countDown();
                    try {
                        while (true) {
                            if (id % 2 == 0) {
                                client.getattr(FuseFlags.ROOT_ID);
                            } else {
                                buf.clear();
                                client.read(big.nodeId(), fh.fh(), 0, buf);
                            }
                            okCalls.incrementAndGet();
                            flowing.countDown();
                        }
                    } catch (Throwable e) {
                        endedWith.set(id, e);
                    }
                }, "fuse-worker-" + t);
                th.setDaemon(true);
                th.start();
                threads.add(th);
            }
            running.await();
            assertTrue(flowing.await(5, TimeUnit.SECONDS), "200 requests flowed before the kill: " + okCalls.get());

            long killedAt = System.nanoTime();
            f.killDaemon();
            for (Thread th : threads) {
                th.join(15_000);
                assertFalse(th.isAlive(), th.getName() + " is still waiting 15 s after the kill");
            }
            long allEndedMs = (System.nanoTime() - killedAt) / 1_000_000;
            for (int t = 0; t < THREADS; t++) {
                Throwable e = endedWith.get(t);
                assertInstanceOf(DaemonExitedException.class, e, "thread " + t + " ended with " + e);
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a message says why");
            }
            // the transport notices the dead daemon by its socket, well before its 10 s timeout
            assertTrue(allEndedMs < 5_000, "all threads ended " + allEndedMs + " ms after the kill");

            long t0 = System.nanoTime();
            TransportException later = assertThrows(TransportException.class, () -> client.lookup(1, "big"));
            long laterMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(laterMs < 1_000, "a call after the death failed in " + laterMs + " ms: " + later.getMessage());
            assertThrows(TransportException.class, () -> client.forget(big.nodeId(), 1),
                    "FORGET on a dead connection fails too, not silently");

            t0 = System.nanoTime();
            client.close();
            long closeMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(closeMs < 5_000, "close took " + closeMs + " ms");
            assertTrue(client.isClosed());
            assertEquals(0, client.nodes().size(), "close clears the table");
            System.out.println("DaemonKilledIT: a pending call failed with " + endedWith.get(0));
            System.out.println("DaemonKilledIT: a later call failed with " + later);
            System.out.printf("DaemonKilledIT: %d calls before the kill; all %d threads failed within %d ms; "
                    + "a later call in %d ms; close in %d ms%n", okCalls.get(), THREADS, allEndedMs, laterMs, closeMs);
        }
    }
}
