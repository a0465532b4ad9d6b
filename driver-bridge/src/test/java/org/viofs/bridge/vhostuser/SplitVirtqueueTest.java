package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.viofs.bridge.TransportException;

/** The driver side of a split virtqueue, with the device side played by {@link Device} (virtio 1.x §2.7). */
class SplitVirtqueueTest {
    private static final long GPA = 0x1_0000_0000L;

    /** The device's view: pops avail entries, walks chains, pushes used elements with a release store. */
    static final class Device {
        private static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
        final ByteBuffer mem;
        final SplitVirtqueue q;
        int lastAvail;
        int usedIdx;

        Device(ByteBuffer mem, SplitVirtqueue q) {
            this.mem = mem.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            this.q = q;
        }

        /** Heads made available since the last call. */
        List<Integer> pop() {
            int availIdx = Short.toUnsignedInt((short) U16.getAcquire(mem, q.availOffset() + 2));
            List<Integer> heads = new ArrayList<>();
            while ((lastAvail & 0xffff) != availIdx) {
                heads.add(Short.toUnsignedInt(mem.getShort(q.availOffset() + 4 + 2 * (lastAvail % q.size()))));
                lastAvail++;
            }
            return heads;
        }

        /** The chain from {@code head}: {addr, len, flags} per descriptor. */
        List<long[]> chain(int head) {
            List<long[]> out = new ArrayList<>();
            int d = head;
            while (true) {
                int o = q.descOffset() + 16 * d;
                int flags = mem.getShort(o + 12);
                out.add(new long[] {mem.getLong(o), mem.getInt(o + 8), flags});
                if ((flags & SplitVirtqueue.VIRTQ_DESC_F_NEXT) == 0) {
                    return out;
                }
                d = mem.getShort(o + 14);
            }
        }

        void complete(int id, int len) {
            int e = q.usedOffset() + 4 + 8 * (usedIdx % q.size());
            mem.putInt(e, id).putInt(e + 4, len);
            usedIdx++;
            U16.setRelease(mem, q.usedOffset() + 2, (short) usedIdx);
        }
    }

    private static ByteBuffer memory(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Publishes a readable + writable pair; returns the head. */
    private static int publishPair(SplitVirtqueue q, long readAddr, int readLen, long writeAddr, int writeLen) {
        int h = q.allocate();
        int w = q.allocate();
        q.writeDescriptor(h, readAddr, readLen, SplitVirtqueue.VIRTQ_DESC_F_NEXT, w);
        q.writeDescriptor(w, writeAddr, writeLen, SplitVirtqueue.VIRTQ_DESC_F_WRITE, 0);
        q.publish(h);
        return h;
    }

    @Test
    void layoutFollowsTheSpecSizesAndAlignments() {
        int n = 256;
        SplitVirtqueue q = new SplitVirtqueue("t", memory(SplitVirtqueue.bytesNeeded(n) + 4096), 4096, n);
        assertEquals(4096, q.descOffset());
        assertEquals(4096 + 16 * n, q.availOffset(), "available ring right after 16·N descriptor bytes");
        // avail ends at 4096 + 4096 + 6 + 512 = 8710; the used ring starts at the next multiple of 64
        assertEquals(64, SplitVirtqueue.USED_ALIGN);
        assertEquals(8768, q.usedOffset(), "used ring after avail's 6 + 2·N bytes, 64-aligned");
        assertEquals(0, q.usedOffset() % 4, "used ring 4-aligned (virtio 1.x)");
        // 4672 bytes of descriptors and avail ring, then 6 + 8·N = 2054 used-ring bytes, rounded up to 64
        assertEquals(6784, SplitVirtqueue.bytesNeeded(n), "bytesNeeded covers the used ring");
        assertEquals(n, q.freeCount());
    }

    @Test
    void constructorRejectsBadSizesAndOffsets() {
        ByteBuffer m = memory(1 << 20);
        assertThrows(IllegalArgumentException.class, () -> new SplitVirtqueue("t", m, 0, 48), "not a power of two");
        assertThrows(IllegalArgumentException.class, () -> new SplitVirtqueue("t", m, 0, 2048), "over 1024");
        assertThrows(IllegalArgumentException.class, () -> new SplitVirtqueue("t", m, 8, 16), "descriptor table misaligned");
        assertThrows(IllegalArgumentException.class, () -> new SplitVirtqueue("t", memory(100), 0, 16), "buffer too small");
    }

    @Test
    void deviceSeesTheChainAsPublished() {
        ByteBuffer mem = memory(SplitVirtqueue.bytesNeeded(8));
        SplitVirtqueue q = new SplitVirtqueue("t", mem, 0, 8);
        Device dev = new Device(mem, q);
        assertEquals(List.of(), dev.pop(), "nothing before publish");
        int head = publishPair(q, GPA + 0x1000, 48, GPA + 0x2000, 120);
        assertEquals(List.of(head), dev.pop());
        List<long[]> chain = dev.chain(head);
        assertEquals(2, chain.size(), "flat layout: two descriptors");
        assertEquals(GPA + 0x1000, chain.get(0)[0]);
        assertEquals(48, chain.get(0)[1]);
        assertEquals(SplitVirtqueue.VIRTQ_DESC_F_NEXT, chain.get(0)[2], "readable first, chained");
        assertEquals(GPA + 0x2000, chain.get(1)[0]);
        assertEquals(120, chain.get(1)[1]);
        assertEquals(SplitVirtqueue.VIRTQ_DESC_F_WRITE, chain.get(1)[2], "then writable, end of chain");
        assertEquals(1, q.availIndex());
        assertEquals(6, q.freeCount());
    }

    @Test
    void completionsOutOfOrderAreReapedByHeadAndFreeTheirDescriptors() {
        ByteBuffer mem = memory(SplitVirtqueue.bytesNeeded(8));
        SplitVirtqueue q = new SplitVirtqueue("t", mem, 0, 8);
        Device dev = new Device(mem, q);
        int a = publishPair(q, GPA, 40, GPA + 64, 16);
        int b = publishPair(q, GPA, 40, GPA + 64, 16);
        int c = publishPair(q, GPA, 40, GPA + 64, 16);
        assertEquals(3, dev.pop().size());
        assertEquals(-1, q.pollUsed(), "nothing completed yet");
        assertFalse(q.hasUsed());
        dev.complete(b, 16);
        dev.complete(a, 0);
        assertTrue(q.hasUsed());
        assertEquals((long) b << 32 | 16, q.pollUsed(), "first used element: b with 16 bytes");
        assertEquals((long) a << 32, q.pollUsed(), "then a with 0 bytes");
        assertEquals(-1, q.pollUsed());
        assertEquals(1, q.inFlightCount(), "c still in flight");
        assertEquals(6, q.freeCount(), "a's and b's descriptors are back");
        dev.complete(c, 16);
        assertEquals((long) c << 32 | 16, q.pollUsed());
        assertEquals(8, q.freeCount());
    }

    @Test
    void headNotInFlightIsAProtocolError() {
        ByteBuffer mem = memory(SplitVirtqueue.bytesNeeded(8));
        SplitVirtqueue q = new SplitVirtqueue("req", mem, 0, 8);
        Device dev = new Device(mem, q);
        int h = publishPair(q, GPA, 40, GPA + 64, 16);
        dev.complete(h + 1, 16); // the writable descriptor, not a head
        TransportException e = assertThrows(TransportException.class, q::pollUsed);
        assertTrue(e.getMessage().contains("req queue") && e.getMessage().contains("not in flight"), e.getMessage());
    }

    @Test
    void headBeyondTheQueueIsAProtocolError() {
        ByteBuffer mem = memory(SplitVirtqueue.bytesNeeded(8));
        SplitVirtqueue q = new SplitVirtqueue("req", mem, 0, 8);
        Device dev = new Device(mem, q);
        publishPair(q, GPA, 40, GPA + 64, 16);
        dev.complete(4711, 16);
        TransportException e = assertThrows(TransportException.class, q::pollUsed);
        assertTrue(e.getMessage().contains("4711") && e.getMessage().contains("queue size 8"), e.getMessage());
    }

    @Test
    void usedIndexRunningAheadOfTheQueueIsAProtocolError() {
        ByteBuffer mem = memory(SplitVirtqueue.bytesNeeded(8));
        SplitVirtqueue q = new SplitVirtqueue("req", mem, 0, 8);
        mem.putShort(q.usedOffset() + 2, (short) 9);
        TransportException e = assertThrows(TransportException.class, q::pollUsed);
        assertTrue(e.getMessage().contains("more than the queue size"), e.getMessage());
    }

    @Test
    void freeRunningIndicesWrapAroundU16() {
        ByteBuffer mem = memory(SplitVirtqueue.bytesNeeded(4));
        SplitVirtqueue q = new SplitVirtqueue("t", mem, 0, 4);
        Device dev = new Device(mem, q);
        for (int i = 0; i < 70_000; i++) {
            int h = publishPair(q, GPA + i, 40, GPA, 16);
            List<Integer> popped = dev.pop();
            assertEquals(List.of(h), popped, "round " + i);
            assertEquals(GPA + i, dev.chain(h).get(0)[0], "descriptor of round " + i);
            dev.complete(h, i & 0xff);
            assertEquals((long) h << 32 | (i & 0xff), q.pollUsed(), "round " + i);
        }
        assertEquals(70_000 & 0xffff, q.availIndex());
        assertEquals(4, q.freeCount());
    }

    @Test
    void allocateReturnsMinusOneWhenExhausted() {
        SplitVirtqueue q = new SplitVirtqueue("t", memory(SplitVirtqueue.bytesNeeded(2)), 0, 2);
        assertEquals(0, q.allocate(), "the lowest free head first");
        assertEquals(1, q.allocate());
        assertEquals(-1, q.allocate());
    }

    @Test
    void noInterruptFlagIsBitZeroOfAvailFlags() {
        ByteBuffer mem = memory(SplitVirtqueue.bytesNeeded(4));
        SplitVirtqueue q = new SplitVirtqueue("t", mem, 0, 4);
        q.setNoInterrupt(true);
        assertEquals(1, mem.getShort(q.availOffset()));
        q.setNoInterrupt(false);
        assertEquals(0, mem.getShort(q.availOffset()));
    }

    @Test
    void aConcurrentDeviceThreadSeesRequestsAndTheDriverSeesReplies() throws Exception {
        int n = 16;
        int data = SplitVirtqueue.bytesNeeded(n);
        ByteBuffer mem = memory(data + n * 16);
        SplitVirtqueue q = new SplitVirtqueue("t", mem, 0, n);
        Device dev = new Device(mem, q);
        int total = 5_000;
        Thread device = new Thread(() -> {
            int done = 0;
            while (done < total) {
                for (int head : dev.pop()) {
                    long[] rd = dev.chain(head).get(0);
                    long[] wr = dev.chain(head).get(1);
                    long value = mem.getLong((int) rd[0]);
                    mem.putLong((int) wr[0], ~value); // the "reply"
                    dev.complete(head, 8);
                    done++;
                }
                Thread.yield(); // two cores shared with other work: do not hog one

            }
        });
        device.setDaemon(true);
        device.start();
        int sent = 0;
        int received = 0;
        long[] expect = new long[n];
        while (received < total) {
            while (sent < total && q.freeCount() >= 2) {
                int h = q.allocate();
                int w = q.allocate();
                int slot = h; // a buffer per head
                int reqOff = data + slot * 16;
                mem.putLong(reqOff, sent);
                expect[slot] = ~(long) sent;
                q.writeDescriptor(h, reqOff, 8, SplitVirtqueue.VIRTQ_DESC_F_NEXT, w);
                q.writeDescriptor(w, reqOff + 8, 8, SplitVirtqueue.VIRTQ_DESC_F_WRITE, 0);
                q.publish(h);
                sent++;
            }
            long e = q.pollUsed();
            if (e == -1) {
                Thread.yield();
                continue;
            }
            int h = (int) (e >>> 32);
            assertEquals(expect[h], mem.getLong(data + h * 16 + 8), "reply of head " + h);
            received++;
        }
        device.join(5000);
        assertFalse(device.isAlive());
        assertEquals(n, q.freeCount());
    }
}
