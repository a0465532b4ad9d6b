package org.viofs.bridge.vhostuser;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.viofs.bridge.TransportException;

/**
 * The driver side of one virtio 1.x split virtqueue, laid out in a region of a shared
 * {@link ByteBuffer} (docs/vhost-user-frontend.md §5; virtio 1.x "Split Virtqueues").
 *
 * <pre>
 *  offset                      size        written by
 *  +0       descriptor table   16 * N      driver   {u64 addr (GPA), u32 len, u16 flags, u16 next}
 *  avail    available ring     6 + 2 * N   driver   {u16 flags, u16 idx, u16 ring[N], u16 used_event}
 *  used     used ring          6 + 8 * N   device   {u16 flags, u16 idx, {u32 id, u32 len}[N], u16 avail_event}
 * </pre>
 *
 * <p>Descriptors are handed out from a free list ({@link #allocate()}) and return to it when their
 * chain's completion is reaped ({@link #pollUsed()}). Publishing stores {@code avail.idx} with release
 * semantics after the descriptors and ring entry; reaping loads {@code used.idx} with acquire semantics
 * before reading the used elements. No event index, no indirect descriptors.
 *
 * <p><b>The device is not trusted.</b> The descriptor table and both rings are shared memory the daemon
 * can write. The queue keeps a private record of every chain it published (each descriptor's successor
 * and the device-writable bytes offered) and frees chains from that record, never from {@code next} or
 * {@code flags} read back from the table. A used element that names an id outside the queue, an id not
 * in flight, or a {@code len} beyond the writable bytes offered, and a {@code used.idx} that runs more
 * than the queue size ahead, are {@link TransportException}s; the element is not consumed and nothing is
 * freed, so the owner can only declare the queue broken (docs/vhost-user-frontend.md §5).
 *
 * <p><b>Not thread-safe</b>: the owner serialises every call with one lock. It allocates nothing after
 * construction. The buffer is owned by the caller and must outlive the queue.
 */
public final class SplitVirtqueue {
    /** Bytes per descriptor. */
    public static final int DESC_SIZE = 16;
    /** Descriptor flag: the chain continues at {@code next}. */
    public static final int VIRTQ_DESC_F_NEXT = 1;
    /** Descriptor flag: device-writable buffer. */
    public static final int VIRTQ_DESC_F_WRITE = 2;
    /** Available-ring flag: the driver does not want completion interrupts. */
    public static final int VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
    /** Largest queue size libvhost-user accepts (VIRTQUEUE_MAX_SIZE, §2.2 SET_VRING_NUM). */
    public static final int MAX_QUEUE_SIZE = 1024;
    /** Bytes per used element {u32 id, u32 len}. */
    public static final int USED_ELEM_SIZE = 8;
    /** Alignment of the descriptor table required by virtio 1.x. */
    public static final int DESC_ALIGN = 16;
    /** Alignment this class uses for the used ring: virtio requires 4; 64 keeps it off the driver's cache lines. */
    public static final int USED_ALIGN = 64;

    private static final int RING_IDX_OFF = 2;
    private static final int RING_ENTRIES_OFF = 4;
    private static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final ByteBuffer mem;
    private final int size;
    private final int descOff;
    private final int availOff;
    private final int usedOff;
    private final int[] freeStack;
    private int freeCount;
    private final boolean[] inFlight;
    /** Private record of what was written: the successor of each descriptor in its chain, -1 at the end. */
    private final int[] chainNext;
    /** Private record: device-writable bytes of each descriptor as written. */
    private final int[] writable;
    /** Device-writable bytes the chain starting at each published head offered. */
    private final long[] offered;
    private short availIdx;
    private short lastUsedIdx;

    /**
     * @param name   for messages ("hiprio", "request")
     * @param mem    the shared memory, any byte order (the queue uses absolute little-endian access)
     * @param offset where the descriptor table starts, a multiple of {@link #DESC_ALIGN}
     * @param size   queue size N, a power of two ≤ {@link #MAX_QUEUE_SIZE}
     */
    public SplitVirtqueue(String name, ByteBuffer mem, int offset, int size) {
        if (size < 1 || size > MAX_QUEUE_SIZE || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("queue size must be a power of two in 1.." + MAX_QUEUE_SIZE
                    + ", got " + size);
        }
        if (offset < 0 || offset % DESC_ALIGN != 0) {
            throw new IllegalArgumentException("descriptor table offset must be a non-negative multiple of "
                    + DESC_ALIGN + ", got " + offset);
        }
        if ((long) offset + bytesNeeded(size) > mem.capacity()) {
            throw new IllegalArgumentException("queue of size " + size + " at " + offset + " needs "
                    + bytesNeeded(size) + " bytes, the buffer has " + mem.capacity());
        }
        this.name = name;
        this.mem = mem.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.size = size;
        this.descOff = offset;
        this.availOff = offset + DESC_SIZE * size;
        this.usedOff = align(availOff + 6 + 2 * size, USED_ALIGN);
        this.freeStack = new int[size];
        this.inFlight = new boolean[size];
        this.chainNext = new int[size];
        this.writable = new int[size];
        this.offered = new long[size];
        for (int i = 0; i < size; i++) {
            freeStack[i] = size - 1 - i;
        }
        this.freeCount = size;
        for (int i = 0; i < bytesNeeded(size); i++) {
            this.mem.put(offset + i, (byte) 0);
        }
    }

    /** Bytes one queue of this size occupies, from the descriptor table to the end of the used ring. */
    public static int bytesNeeded(int size) {
        int avail = DESC_SIZE * size;
        int used = align(avail + 6 + 2 * size, USED_ALIGN);
        return align(used + 6 + USED_ELEM_SIZE * size, USED_ALIGN);
    }

    static int align(int x, int a) {
        return (x + a - 1) & -a;
    }

    /** Queue size N. */
    public int size() {
        return size;
    }

    /** Offset of the descriptor table in the buffer. */
    public int descOffset() {
        return descOff;
    }

    /** Offset of the available ring in the buffer. */
    public int availOffset() {
        return availOff;
    }

    /** Offset of the used ring in the buffer. */
    public int usedOffset() {
        return usedOff;
    }

    /** Descriptors on the free list. */
    public int freeCount() {
        return freeCount;
    }

    /** Takes a descriptor from the free list; -1 if none is free. */
    public int allocate() {
        return freeCount == 0 ? -1 : freeStack[--freeCount];
    }

    /**
     * Writes descriptor {@code index} (one taken with {@link #allocate()}); {@code addr} is the
     * guest-physical address the device translates. The successor and writable length are also kept
     * privately: they, not the shared table, decide what is freed and what a completion may report.
     */
    public void writeDescriptor(int index, long addr, int len, int flags, int next) {
        if ((flags & VIRTQ_DESC_F_NEXT) != 0 && (next < 0 || next >= size || next == index)) {
            throw new IllegalArgumentException(name + " queue: descriptor " + index + " chained to " + next);
        }
        chainNext[index] = (flags & VIRTQ_DESC_F_NEXT) != 0 ? next : -1;
        writable[index] = (flags & VIRTQ_DESC_F_WRITE) != 0 ? len : 0;
        int o = descOff + DESC_SIZE * index;
        mem.putLong(o, addr);
        mem.putInt(o + 8, len);
        mem.putShort(o + 12, (short) flags);
        mem.putShort(o + 14, (short) next);
    }

    /**
     * Makes the chain starting at {@code head} available to the device: ring entry, then
     * {@code avail.idx} with a release store. The caller kicks afterwards.
     */
    public void publish(int head) {
        long bytes = 0;
        int d = head;
        for (int n = 0; d >= 0; n++) {
            if (n == size) {
                throw new IllegalStateException(name + " queue: the chain written from head " + head + " loops");
            }
            bytes += Integer.toUnsignedLong(writable[d]);
            d = chainNext[d];
        }
        offered[head] = bytes;
        inFlight[head] = true;
        mem.putShort(availOff + RING_ENTRIES_OFF + 2 * (Short.toUnsignedInt(availIdx) & (size - 1)), (short) head);
        availIdx++;
        U16.setRelease(mem, availOff + RING_IDX_OFF, availIdx);
    }

    /** Sets or clears VIRTQ_AVAIL_F_NO_INTERRUPT. */
    public void setNoInterrupt(boolean noInterrupt) {
        U16.setRelease(mem, availOff, (short) (noInterrupt ? VIRTQ_AVAIL_F_NO_INTERRUPT : 0));
    }

    /** True if the device has completed chains not yet reaped (acquire load of {@code used.idx}). */
    public boolean hasUsed() {
        return (short) U16.getAcquire(mem, usedOff + RING_IDX_OFF) != lastUsedIdx;
    }

    /** Chains published and not yet reaped. */
    public int inFlightCount() {
        int n = 0;
        for (boolean b : inFlight) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** True if the chain starting at {@code head} was published and not yet reaped. */
    public boolean isInFlight(int head) {
        return inFlight[head];
    }

    /** The next avail index to be published (free-running u16). */
    public int availIndex() {
        return Short.toUnsignedInt(availIdx);
    }

    /**
     * Reaps the next used element, if any: returns {@code (long) id << 32 | len} (both unsigned
     * 32-bit) and puts the chain's descriptors back on the free list; returns -1 if the device has
     * completed nothing new.
     *
     * @throws TransportException if the device completed a head that is not in flight or out of range,
     *                            reported more bytes than the chain offered, or ran {@code used.idx} ahead
     */
    public long pollUsed() {
        short deviceIdx = (short) U16.getAcquire(mem, usedOff + RING_IDX_OFF);
        if (deviceIdx == lastUsedIdx) {
            return -1;
        }
        int pending = Short.toUnsignedInt((short) (deviceIdx - lastUsedIdx));
        if (pending > size) {
            throw new TransportException(name + " queue: device moved used.idx from "
                    + Short.toUnsignedInt(lastUsedIdx) + " to " + Short.toUnsignedInt(deviceIdx)
                    + ", more than the queue size " + size);
        }
        int e = usedOff + RING_ENTRIES_OFF + USED_ELEM_SIZE * (Short.toUnsignedInt(lastUsedIdx) & (size - 1));
        long id = Integer.toUnsignedLong(mem.getInt(e));
        long len = Integer.toUnsignedLong(mem.getInt(e + 4));
        if (id >= size || !inFlight[(int) id]) {
            throw new TransportException(name + " queue: device completed descriptor head id " + id
                    + (id >= size ? " (queue size " + size + ")" : ", which is not in flight"));
        }
        if (len > offered[(int) id]) {
            throw new TransportException(name + " queue: device reported " + len + " bytes written for head " + id
                    + ", whose chain offered " + offered[(int) id] + " writable bytes");
        }
        lastUsedIdx++;
        inFlight[(int) id] = false;
        freeChain((int) id);
        return id << 32 | len;
    }

    /** Frees the chain from the private record; the chain was checked for loops when it was published. */
    private void freeChain(int head) {
        for (int d = head; d >= 0; d = chainNext[d]) {
            freeStack[freeCount++] = d;
        }
    }

    /** Name given at construction. */
    @Override
    public String toString() {
        return name + " queue (size " + size + ", " + freeCount + " descriptors free)";
    }
}
