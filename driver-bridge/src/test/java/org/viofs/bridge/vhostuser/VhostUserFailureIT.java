package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.DaemonExitedException;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.TransportTimeoutException;
import org.viofs.bridge.testing.RawFuse;
import org.viofs.bridge.testing.VirtiofsdFixture;

/**
 * Failure paths against a real virtiofsd, one daemon per test: a reply area too small, an oversized
 * request, the daemon killed with requests pending, timeouts, close, and (injected into the used ring,
 * since a real daemon never sends them) an unknown head id and an over-long completion.
 */
class VhostUserFailureIT {
    /** Bound for anything that must "fail fast": far below the transport timeout. */
    private static final Duration FAST = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    VirtiofsdFixture fixture;

    private VirtiofsdFixture start(VhostUserConfig config) {
        fixture = VirtiofsdFixture.start(dir, VirtiofsdFixture.options().build(), config);
        RawFuse.initialize(fixture.transport());
        return fixture;
    }

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.resumeDaemonQuietly();
            fixture.close();
        }
    }

    @Test
    void replyAreaTooSmallHandsTheEmptyReplyOnAndTheConnectionLives() {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG).transport();
        ByteBuffer req = RawFuse.getattr(RawFuse.ROOT_ID);
        if (VirtiofsdFixture.daemonUnderTest().flavour() == VirtiofsdBinary.Flavour.RUST) {
            // the Rust daemon (1.14.0) cannot encode the reply into the room given and exits: the
            // transport says so, with the daemon's own line (our FuseClient never sends such a request)
            TransportException e = assertThrows(TransportException.class,
                    () -> t.exchange(RawFuse.of(req), RawFuse.OUT_HEADER_SIZE + 50, r -> r.remaining()));
            assertTrue(e.getMessage().contains("exited with status 1"), e.getMessage());
            assertTrue(e.getMessage().contains("failed to write whole buffer"), e.getMessage());
            return;
        }
        // virtiofsd writes nothing when the reply does not fit; the transport passes those 0 bytes on
        // unjudged (the FUSE client turns them into a protocol error)
        int written = t.exchange(RawFuse.of(req), RawFuse.OUT_HEADER_SIZE + 50, r -> r.remaining());
        assertEquals(0, written, "bytes the daemon wrote into a 66-byte reply area for GETATTR (needs 120)");
        // the connection is fine: the daemon answered "nothing" and the next call works
        assertEquals(0040000, RawFuse.getattrMode(t, RawFuse.ROOT_ID) & 0170000, "root is a directory");
    }

    @Test
    void oversizedRequestIsRejectedBeforeSendingAndTheDaemonLives() {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG).transport();
        int max = t.maxRequestBytes();
        assertEquals(VhostUserConfig.DAEMON_MAX_REQUEST_BYTES, max, "default limit = max_write + 4 KiB");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.exchange(RawFuse.of(RawFuse.padded(RawFuse.ROOT_ID, max + 1)), 200, r -> r));
        assertTrue(e.getMessage().contains(String.valueOf(max + 1)), e.getMessage());
        ByteBuffer[] split = {RawFuse.getattr(RawFuse.ROOT_ID), ByteBuffer.allocate(max)};
        assertThrows(IllegalArgumentException.class, () -> t.exchange(split, 200, r -> r),
                "the limit applies to the sum of the buffers");
        assertThrows(IllegalArgumentException.class,
                () -> t.exchange(RawFuse.of(ByteBuffer.allocate(RawFuse.IN_HEADER_SIZE - 1)), 200, r -> r),
                "shorter than fuse_in_header (virtiofsd aborts on it)");
        // exactly at the limit is accepted by the daemon
        ByteBuffer atLimit = RawFuse.padded(RawFuse.ROOT_ID, max);
        int error = t.exchange(RawFuse.of(atLimit), RawFuse.GETATTR_REPLY, r -> RawFuse.outError(RawFuse.checkReply(atLimit, r)));
        assertEquals(0, error, "GETATTR padded to exactly " + max + " bytes");
        assertTrue(fixture.daemon().isAlive(), "daemon still running: " + fixture.daemon().describe());
        assertEquals(0040000, RawFuse.getattrMode(t, RawFuse.ROOT_ID) & 0170000);
    }

    @Test
    void daemonKilledWithRequestsPendingFailsEveryCallFast() throws Exception {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG).transport();
        fixture.pauseDaemon();
        int n = t.maxInFlight() + 4; // some wait for a slot, some for a completion
        ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        int before = availIndex(t);
        for (int i = 0; i < n; i++) {
            Thread th = new Thread(() -> {
                try {
                    RawFuse.getattrMode(t, RawFuse.ROOT_ID);
                    outcomes.add(new AssertionError("GETATTR succeeded on a stopped daemon"));
                } catch (Throwable e) {
                    outcomes.add(e);
                }
            }, "pending-" + i);
            th.start();
            threads.add(th);
        }
        awaitAvailIndex(t, before + t.maxInFlight());
        long t0 = System.nanoTime();
        fixture.killDaemon();
        for (Thread th : threads) {
            th.join(FAST.toMillis());
            assertFalse(th.isAlive(), th.getName() + " still waiting " + FAST + " after the daemon was killed");
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(n, outcomes.size());
        for (Throwable e : outcomes) {
            assertInstanceOf(DaemonExitedException.class, e, "every pending call: " + e);
            assertTrue(e.getMessage().contains("closed the vhost-user socket"), e.getMessage());
        }
        assertTrue(elapsedMs < FAST.toMillis(), "failed after " + elapsedMs + " ms");
        // later calls fail at once too, on both queues
        assertThrows(DaemonExitedException.class, () -> RawFuse.getattrMode(t, RawFuse.ROOT_ID));
        assertThrows(DaemonExitedException.class, () -> t.sendNoReply(RawFuse.of(RawFuse.forget(2, 1))));
        assertInstanceOf(DaemonExitedException.class, t.failure());
    }

    @Test
    void daemonKilledWhileIdleFailsTheNextCallOfEitherQueue() {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG).transport();
        fixture.killDaemon();
        long t0 = System.nanoTime();
        DaemonExitedException e = assertThrows(DaemonExitedException.class, () -> RawFuse.getattrMode(t, RawFuse.ROOT_ID));
        assertTrue(e.getMessage().contains("exited with status"), "names the daemon's exit: " + e.getMessage());
        assertThrows(DaemonExitedException.class, () -> t.sendNoReply(RawFuse.of(RawFuse.forget(2, 1))));
        assertTrue(System.nanoTime() - t0 < FAST.toNanos(), "took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    void hiprioNoticesADeadDaemonOnItsOwn() {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG).transport();
        fixture.killDaemon();
        assertThrows(DaemonExitedException.class, () -> t.sendNoReply(RawFuse.of(RawFuse.forget(2, 1))));
    }

    @Test
    void timedOutCallIsAbandonedAndItsSlotComesBack() {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG.toBuilder().timeout(Duration.ofMillis(300)).build()).transport();
        fixture.pauseDaemon();
        long t0 = System.nanoTime();
        TransportTimeoutException e = assertThrows(TransportTimeoutException.class,
                () -> RawFuse.getattrMode(t, RawFuse.ROOT_ID));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 290 && ms < 2000, "timed out after " + ms + " ms, bound 300 ms");
        assertTrue(e.getMessage().contains("no reply within 300 ms"), e.getMessage());
        fixture.resumeDaemon();
        // more calls than slots: the abandoned slot must be recycled when its late reply is reaped
        for (int i = 0; i < 3 * t.maxInFlight(); i++) {
            assertEquals(0040000, RawFuse.getattrMode(t, RawFuse.ROOT_ID) & 0170000, "call " + i);
        }
        assertEquals(null, t.failure(), "a timeout does not break the transport");
    }

    @Test
    void closeAfterATimedOutCallDoesNotWaitOnTheDaemonThatOwesTheReply() {
        Duration timeout = Duration.ofSeconds(3);
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG.toBuilder().timeout(timeout).build()).transport();
        fixture.pauseDaemon();
        try {
            assertThrows(TransportTimeoutException.class, () -> RawFuse.getattrMode(t, RawFuse.ROOT_ID));
            long t0 = System.nanoTime();
            t.close();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            // asking the frozen daemon to stop both queues (GET_VRING_BASE) waited min(timeout, 5 s) per
            // queue: twice the timeout; a hang guard, not a speed check
            assertTrue(ms < timeout.toMillis(), "close() took " + ms + " ms after a timeout of " + timeout.toMillis() + " ms");
            assertThrows(TransportException.class, () -> RawFuse.getattrMode(t, RawFuse.ROOT_ID));
        } finally {
            fixture.resumeDaemonQuietly();
        }
    }

    @Test
    void closeFailsPendingCallersAndLaterCalls() throws Exception {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG.toBuilder().timeout(Duration.ofSeconds(2)).build()).transport();
        fixture.pauseDaemon();
        ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
        Thread th = new Thread(() -> {
            try {
                RawFuse.getattrMode(t, RawFuse.ROOT_ID);
            } catch (Throwable e) {
                outcomes.add(e);
            }
        });
        int before = availIndex(t);
        th.start();
        awaitAvailIndex(t, before + 1);
        fixture.resumeDaemonQuietly(); // let close() talk to it
        // the reply may race close(); what matters is that nobody hangs
        t.close();
        th.join(FAST.toMillis());
        assertFalse(th.isAlive(), "pending caller still waiting after close()");
        TransportException after = assertThrows(TransportException.class, () -> RawFuse.getattrMode(t, RawFuse.ROOT_ID));
        assertTrue(after.getMessage().contains("closed"), after.getMessage());
        assertThrows(TransportException.class, () -> t.sendNoReply(RawFuse.of(RawFuse.forget(2, 1))));
        t.close(); // idempotent
        assertTrue(fixture.daemon().waitFor(Duration.ofSeconds(5)), "virtiofsd exits once the socket is closed");
        assertEquals(0, fixture.daemon().exitCode().getAsInt(), "orderly exit: " + fixture.daemon().describe());
    }

    @Test
    void closeOfAnIdleTransportStopsTheQueuesAndTheDaemonExitsCleanly() {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG).transport();
        RawFuse.getattrMode(t, RawFuse.ROOT_ID);
        long t0 = System.nanoTime();
        t.close();
        assertTrue(System.nanoTime() - t0 < FAST.toNanos(), "close took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(fixture.daemon().waitFor(Duration.ofSeconds(5)), "virtiofsd exits once the socket is closed");
        assertEquals(0, fixture.daemon().exitCode().getAsInt(), fixture.daemon().describe());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(th -> th.getName().endsWith(fixture.daemon().socketPath().toString())),
                "the transport's watchdog thread ended with close()");
    }

    @Test
    void interruptedCallerGivesUpWithoutCorruptingOthers() throws Exception {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG).transport();
        fixture.pauseDaemon();
        ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        int before = availIndex(t);
        Thread th = new Thread(() -> {
            try {
                RawFuse.getattrMode(t, RawFuse.ROOT_ID);
            } catch (Throwable e) {
                outcomes.add(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        th.start();
        awaitAvailIndex(t, before + 1);
        th.interrupt();
        th.join(FAST.toMillis());
        assertFalse(th.isAlive(), "interrupted caller still waiting");
        Throwable e = outcomes.poll();
        assertInstanceOf(TransportException.class, e);
        assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
        assertTrue(stillInterrupted.get(), "the interrupt status is kept");
        fixture.resumeDaemon();
        // the abandoned slot must not be handed out before its late reply is reaped
        for (int i = 0; i < 3 * t.maxInFlight(); i++) {
            assertEquals(0040000, RawFuse.getattrMode(t, RawFuse.ROOT_ID) & 0170000, "call " + i);
        }
        assertEquals(null, t.failure());
    }

    @Test
    void unknownHeadIdFromTheDeviceBreaksTheTransport() throws Exception {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG).transport();
        fixture.pauseDaemon();
        Throwable e = pendingCallWithInjectedCompletion(t, head -> head + 1, len -> 16);
        assertInstanceOf(TransportException.class, e);
        assertTrue(e.getMessage().contains("descriptor head id"), e.getMessage());
        TransportException later = assertThrows(TransportException.class, () -> RawFuse.getattrMode(t, RawFuse.ROOT_ID));
        assertTrue(later.getMessage().contains("head id"), "later calls name the original cause: " + later.getMessage());
    }

    @Test
    void completionLongerThanTheReplyAreaBreaksTheTransport() throws Exception {
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG).transport();
        fixture.pauseDaemon();
        Throwable e = pendingCallWithInjectedCompletion(t, head -> head, len -> RawFuse.GETATTR_REPLY + 1);
        assertInstanceOf(TransportException.class, e);
        assertTrue(e.getMessage().contains("reported " + (RawFuse.GETATTR_REPLY + 1) + " bytes written for head"),
                e.getMessage());
        assertTrue(e.getMessage().contains("offered " + RawFuse.GETATTR_REPLY + " writable bytes"), e.getMessage());
    }

    @Test
    void outOfOrderCompletionsReachTheirOwnCallers() throws Exception {
        // virtiofsd 7.2 completes in order without a thread pool; play the device to complete in reverse
        VhostUserTransport t = start(VirtiofsdFixture.TEST_CONFIG).transport();
        fixture.pauseDaemon();
        int before = availIndex(t);
        int callers = 3;
        java.util.Map<Long, Integer> modeByUnique = new java.util.concurrent.ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread th = new Thread(() -> {
                ByteBuffer req = RawFuse.getattr(RawFuse.ROOT_ID);
                try {
                    int mode = t.exchange(RawFuse.of(req), RawFuse.GETATTR_REPLY, r -> RawFuse.checkReply(req, r)
                            .getInt(RawFuse.OUT_HEADER_SIZE + RawFuse.ATTR_OUT_ATTR_OFF + RawFuse.ATTR_MODE_OFF));
                    modeByUnique.put(RawFuse.unique(req), mode);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            th.start();
            threads.add(th);
        }
        awaitAvailIndex(t, before + callers);
        SplitVirtqueue q = t.requestQueueForTest();
        ByteBuffer mem = t.sharedMemoryForTest();
        int n = q.size();
        int usedIdx = Short.toUnsignedInt(mem.getShort(q.usedOffset() + 2));
        java.util.Map<Long, Integer> injected = new java.util.HashMap<>();
        for (int k = callers - 1; k >= 0; k--) { // newest first
            int head = Short.toUnsignedInt(mem.getShort(q.availOffset() + 4 + 2 * ((before + k) % n)));
            int d0 = q.descOffset() + 16 * head;
            int requestAt = (int) (mem.getLong(d0) - VhostUserBringup.GPA_BASE);
            int reply = Short.toUnsignedInt(mem.getShort(d0 + 14));
            int replyAt = (int) (mem.getLong(q.descOffset() + 16 * reply) - VhostUserBringup.GPA_BASE);
            long unique = mem.getLong(requestAt + 8);
            int mode = 0100000 | k; // a distinct "mode" per request
            injected.put(unique, mode);
            mem.putInt(replyAt, RawFuse.GETATTR_REPLY).putInt(replyAt + 4, 0).putLong(replyAt + 8, unique);
            mem.putInt(replyAt + RawFuse.OUT_HEADER_SIZE + RawFuse.ATTR_OUT_ATTR_OFF + RawFuse.ATTR_MODE_OFF, mode);
            int e = q.usedOffset() + 4 + 8 * (usedIdx % n);
            mem.putInt(e, head).putInt(e + 4, RawFuse.GETATTR_REPLY);
            usedIdx++;
            mem.putShort(q.usedOffset() + 2, (short) usedIdx);
        }
        t.signalRequestCallForTest();
        for (Thread th : threads) {
            th.join(FAST.toMillis());
            assertFalse(th.isAlive(), "caller still waiting after its completion was injected");
        }
        assertTrue(failures.isEmpty(), "failures: " + failures);
        assertEquals(injected, modeByUnique, "each caller got the reply written for its own request");
        fixture.killDaemon(); // it would now complete the same heads a second time
    }

    /**
     * With the daemon stopped, starts one GETATTR, then plays the device: writes a used element (head
     * and length mapped by the functions) and signals the call eventfd. Returns what the caller got.
     */
    private Throwable pendingCallWithInjectedCompletion(VhostUserTransport t,
            java.util.function.IntUnaryOperator headOf, java.util.function.IntUnaryOperator lenOf) throws Exception {
        ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
        int before = availIndex(t);
        Thread th = new Thread(() -> {
            try {
                RawFuse.getattrMode(t, RawFuse.ROOT_ID);
                outcomes.add(new AssertionError("GETATTR succeeded on a stopped daemon"));
            } catch (Throwable e) {
                outcomes.add(e);
            }
        });
        th.start();
        awaitAvailIndex(t, before + 1);
        SplitVirtqueue q = t.requestQueueForTest();
        ByteBuffer mem = t.sharedMemoryForTest();
        int n = q.size();
        int head = Short.toUnsignedInt(mem.getShort(q.availOffset() + 4 + 2 * (before % n)));
        int usedIdx = Short.toUnsignedInt(mem.getShort(q.usedOffset() + 2));
        int e = q.usedOffset() + 4 + 8 * (usedIdx % n);
        mem.putInt(e, headOf.applyAsInt(head));
        mem.putInt(e + 4, lenOf.applyAsInt(RawFuse.GETATTR_REPLY));
        mem.putShort(q.usedOffset() + 2, (short) (usedIdx + 1));
        t.signalRequestCallForTest();
        th.join(FAST.toMillis());
        assertFalse(th.isAlive(), "caller still waiting after the injected completion");
        Throwable out = outcomes.poll();
        assertNotNull(out);
        return out;
    }

    private static int availIndex(VhostUserTransport t) {
        ByteBuffer mem = t.sharedMemoryForTest();
        return Short.toUnsignedInt(mem.getShort(t.requestQueueForTest().availOffset() + 2));
    }

    /** Waits (bounded) until the transport has published requests up to {@code index}. */
    private static void awaitAvailIndex(VhostUserTransport t, int index) throws InterruptedException {
        long deadline = System.nanoTime() + FAST.toNanos();
        while (availIndex(t) < index) {
            if (System.nanoTime() > deadline) {
                fail("only " + availIndex(t) + " of " + index + " requests published within " + FAST);
            }
            Thread.sleep(1);
        }
    }
}
