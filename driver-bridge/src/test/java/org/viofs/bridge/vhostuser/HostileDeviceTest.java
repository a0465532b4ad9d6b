package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.TransportException;

/**
 * The request queue against a hostile device: a thread of this test plays the device side over the
 * transport's own shared memory (the daemon can write all of it) and rewrites descriptors or writes
 * used elements that name nothing in flight. The transport must free only what it submitted, and an
 * inconsistency must fail every pending call at once, give every slot back, and fail later calls
 * without waiting. The transport's timeout is 60 s; each test is bounded far below it, so a caller
 * that waited for the timeout fails the test.
 */
@Timeout(30)
class HostileDeviceTest {
    private static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int SLOTS = 4;
    private static final int QUEUE = 8;

    @TempDir
    Path dir;
    private FakeBackend backend;
    private VhostUserTransport t;
    private Thread device;
    private volatile boolean stop;

    @AfterEach
    void tearDown() throws Exception {
        stop = true;
        if (device != null) {
            device.join(5000);
        }
        if (t != null) {
            t.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void connect() throws Exception {
        backend = new FakeBackend(dir, FakeBackend.virtiofsdLike(code -> null));
        t = VhostUserTransport.connect(backend.socket, VhostUserConfig.builder().maxInFlight(SLOTS).queueSize(QUEUE)
                .timeout(Duration.ofSeconds(60)).build());
    }

    /** The device side: calls {@code onHead} for every head the driver makes available, in order. */
    private void playDevice(IntConsumer onHead) {
        ByteBuffer mem = t.sharedMemoryForTest().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        SplitVirtqueue q = t.requestQueueForTest();
        device = new Thread(() -> {
            int seen = 0;
            while (!stop) {
                int avail = Short.toUnsignedInt((short) U16.getAcquire(mem, q.availOffset() + 2));
                while ((seen & 0xffff) != avail) {
                    onHead.accept(Short.toUnsignedInt(mem.getShort(q.availOffset() + 4 + 2 * (seen % q.size()))));
                    seen++;
                }
                LockSupport.parkNanos(50_000);
            }
        }, "hostile-device");
        device.setDaemon(true);
        device.start();
    }

    private int usedIdx;

    /** Pushes a used element with a release store of used.idx and signals the driver. */
    private void complete(int id, int len) {
        ByteBuffer mem = t.sharedMemoryForTest().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        SplitVirtqueue q = t.requestQueueForTest();
        int e = q.usedOffset() + 4 + 8 * (usedIdx % q.size());
        mem.putInt(e, id).putInt(e + 4, len);
        usedIdx++;
        U16.setRelease(mem, q.usedOffset() + 2, (short) usedIdx);
        t.signalRequestCallForTest();
    }

    private static ByteBuffer[] request(long unique) {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(40).putInt(3).putLong(unique).putLong(1);
        return new ByteBuffer[] {b.position(0)};
    }

    /** Starts {@code n} callers; each slot of the result is what its call threw, or null. */
    private AtomicReferenceArray<Throwable> callers(int n, CountDownLatch done) {
        AtomicReferenceArray<Throwable> thrown = new AtomicReferenceArray<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            Thread c = new Thread(() -> {
                try {
                    t.exchange(request(100 + k), 120, r -> r.remaining());
                } catch (Throwable e) {
                    thrown.set(k, e);
                } finally {
                    done.countDown();
                }
            }, "caller-" + i);
            c.setDaemon(true);
            c.start();
        }
        return thrown;
    }

    @Test
    void usedIdNotInFlightFailsEveryPendingCallAtOnceAndGivesEverySlotBack() throws Exception {
        connect();
        ByteBuffer mem = t.sharedMemoryForTest().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        SplitVirtqueue q = t.requestQueueForTest();
        List<Integer> heads = new ArrayList<>();
        playDevice(head -> {
            heads.add(head);
            if (heads.size() == SLOTS) {
                // the daemon rewrites every chain into a loop, then completes a reply descriptor's id
                for (int d = 0; d < QUEUE; d++) {
                    mem.putShort(q.descOffset() + 16 * d + 12, (short) SplitVirtqueue.VIRTQ_DESC_F_NEXT);
                    mem.putShort(q.descOffset() + 16 * d + 14, (short) d);
                }
                complete(heads.get(0) + 1, 16);
            }
        });
        CountDownLatch done = new CountDownLatch(SLOTS);
        AtomicReferenceArray<Throwable> thrown = callers(SLOTS, done);
        assertTrue(done.await(20, TimeUnit.SECONDS), "every pending call ends long before the 60 s timeout");
        for (int i = 0; i < SLOTS; i++) {
            Throwable e = thrown.get(i);
            assertInstanceOf(TransportException.class, e, "caller " + i);
            assertTrue(e.getMessage().contains("which is not in flight"), e.getMessage());
        }
        assertEquals(SLOTS, t.freeSlotsForTest(), "no slot stays taken");
        TransportException later = assertThrows(TransportException.class, () -> t.exchange(request(1), 120, r -> 0));
        assertTrue(later.getMessage().contains("the device broke the virtqueue protocol"), later.getMessage());
        assertEquals(SLOTS, t.freeSlotsForTest(), "a later call takes no slot either");
    }

    @Test
    void usedLengthBeyondTheReplyAreaFailsEveryPendingCall() throws Exception {
        connect();
        List<Integer> heads = new ArrayList<>();
        playDevice(head -> {
            heads.add(head);
            if (heads.size() == SLOTS) {
                complete(heads.get(SLOTS - 1), 121);
            }
        });
        CountDownLatch done = new CountDownLatch(SLOTS);
        AtomicReferenceArray<Throwable> thrown = callers(SLOTS, done);
        assertTrue(done.await(20, TimeUnit.SECONDS), "every pending call ends long before the 60 s timeout");
        for (int i = 0; i < SLOTS; i++) {
            assertInstanceOf(TransportException.class, thrown.get(i), "caller " + i);
            assertTrue(thrown.get(i).getMessage().contains("121 bytes written"), thrown.get(i).getMessage());
        }
        assertEquals(SLOTS, t.freeSlotsForTest());
    }

    @Test
    void descriptorsTheDeviceRewritesDoNotChangeWhatIsFreed() throws Exception {
        connect();
        ByteBuffer mem = t.sharedMemoryForTest().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        SplitVirtqueue q = t.requestQueueForTest();
        playDevice(head -> {
            int d0 = q.descOffset() + 16 * head;
            int reply = Short.toUnsignedInt(mem.getShort(d0 + 14));
            int requestAt = (int) (mem.getLong(d0) - VhostUserBringup.GPA_BASE);
            int replyAt = (int) (mem.getLong(q.descOffset() + 16 * reply) - VhostUserBringup.GPA_BASE);
            // a valid reply, but first the whole table becomes one chain through every descriptor
            mem.putInt(replyAt, 16).putInt(replyAt + 4, 0).putLong(replyAt + 8, mem.getLong(requestAt + 8));
            for (int d = 0; d < QUEUE; d++) {
                mem.putShort(q.descOffset() + 16 * d + 12,
                        (short) (SplitVirtqueue.VIRTQ_DESC_F_NEXT | SplitVirtqueue.VIRTQ_DESC_F_WRITE));
                mem.putShort(q.descOffset() + 16 * d + 14, (short) ((d + 1) % QUEUE));
            }
            complete(head, 16);
        });
        int rounds = 50;
        CountDownLatch done = new CountDownLatch(SLOTS * rounds);
        for (int r = 0; r < rounds; r++) {
            CountDownLatch round = new CountDownLatch(SLOTS);
            AtomicReferenceArray<Throwable> thrown = callers(SLOTS, round);
            assertTrue(round.await(20, TimeUnit.SECONDS), "round " + r);
            for (int i = 0; i < SLOTS; i++) {
                assertNull(thrown.get(i), "round " + r + " caller " + i);
                done.countDown();
            }
        }
        assertEquals(0, done.getCount());
        assertNull(t.failure(), "the transport still works");
        assertEquals(QUEUE, q.freeCount(), "every descriptor free again, none twice");
        assertEquals(SLOTS, t.freeSlotsForTest());
    }
}
