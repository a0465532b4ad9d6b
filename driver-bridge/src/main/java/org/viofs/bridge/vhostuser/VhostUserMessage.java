package org.viofs.bridge.vhostuser;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The vhost-user control messages a frontend sends to virtiofsd: codes, header flags, feature bits
 * and payload layouts (docs/vhost-user-frontend.md §2, after QEMU's {@code docs/interop/vhost-user.rst}).
 *
 * <pre>
 *  0        4        8        12
 *  +--------+--------+--------+---------------------+
 *  |request | flags  |  size  | payload (size bytes)|
 *  +--------+--------+--------+---------------------+
 *  all u32/u64 little-endian (native order on x86_64)
 * </pre>
 *
 * <p>Encoders return fresh little-endian buffers positioned at 0 (control path only, never per FUSE
 * request). Stateless and thread-safe.
 */
public final class VhostUserMessage {
    private VhostUserMessage() {
    }

    /** Header bytes before the payload. */
    public static final int HEADER_SIZE = 12;
    /** Header flags bits 0-1: protocol version 1. */
    public static final int FLAG_VERSION_1 = 0x1;
    /** Header flags mask of the version bits. */
    public static final int FLAG_VERSION_MASK = 0x3;
    /** Header flags bit 2: set by the backend on replies. */
    public static final int FLAG_REPLY = 0x4;
    /** Header flags bit 3: ask for an ack (REPLY_ACK protocol feature). */
    public static final int FLAG_NEED_REPLY = 0x8;

    /** Virtio feature bit 24 VIRTIO_F_NOTIFY_ON_EMPTY (never acked here, §8). */
    public static final long VIRTIO_F_NOTIFY_ON_EMPTY = 1L << 24;
    /** Virtio feature bit 28 VIRTIO_RING_F_INDIRECT_DESC. */
    public static final long VIRTIO_RING_F_INDIRECT_DESC = 1L << 28;
    /** Virtio feature bit 29 VIRTIO_RING_F_EVENT_IDX. */
    public static final long VIRTIO_RING_F_EVENT_IDX = 1L << 29;
    /** Feature bit 30 VHOST_USER_F_PROTOCOL_FEATURES. */
    public static final long VHOST_USER_F_PROTOCOL_FEATURES = 1L << 30;
    /** Virtio feature bit 32 VIRTIO_F_VERSION_1: mandatory for virtiofsd (§2.2, pitfall 3). */
    public static final long VIRTIO_F_VERSION_1 = 1L << 32;

    /** Protocol feature bit 0 VHOST_USER_PROTOCOL_F_MQ. */
    public static final long PROTOCOL_F_MQ = 1L << 0;
    /** Protocol feature bit 3 VHOST_USER_PROTOCOL_F_REPLY_ACK. */
    public static final long PROTOCOL_F_REPLY_ACK = 1L << 3;

    /** Vring file payload: bits 0-7 are the queue index. */
    public static final long VRING_FILE_INDEX_MASK = 0xff;
    /** Vring file payload bit 8: no fd attached. */
    public static final long VRING_FILE_NOFD = 0x100;

    /** Payload size of a u64. */
    public static final int U64_SIZE = 8;
    /** Payload size of a vring state {u32 index, u32 num}. */
    public static final int VRING_STATE_SIZE = 8;
    /** Payload size of a vring address {u32 index, u32 flags, u64 desc, u64 used, u64 avail, u64 log}. */
    public static final int VRING_ADDR_SIZE = 40;
    /** Memory table: {u32 nregions, u32 padding} before the regions. */
    public static final int MEM_TABLE_HEADER_SIZE = 8;
    /** Memory table: one region {u64 gpa, u64 size, u64 uva, u64 mmap_offset}. */
    public static final int MEM_REGION_SIZE = 32;
    /** Memory table: the most regions (and fds) one SET_MEM_TABLE may carry (VHOST_MEMORY_BASELINE_NREGIONS). */
    public static final int MAX_MEM_REGIONS = 8;

    /** Message codes, frontend to backend (§2.2). */
    public enum Request {
        NONE(0), GET_FEATURES(1), SET_FEATURES(2), SET_OWNER(3), SET_MEM_TABLE(5), SET_VRING_NUM(8),
        SET_VRING_ADDR(9), SET_VRING_BASE(10), GET_VRING_BASE(11), SET_VRING_KICK(12), SET_VRING_CALL(13),
        GET_PROTOCOL_FEATURES(15), SET_PROTOCOL_FEATURES(16), GET_QUEUE_NUM(17), SET_VRING_ENABLE(18);

        /** The wire code. */
        public final int code;

        Request(int code) {
            this.code = code;
        }

        /** The request with this code, or null. */
        public static Request of(int code) {
            for (Request r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            return null;
        }
    }

    /** One SET_MEM_TABLE region. Addresses and sizes in bytes. */
    public record MemoryRegion(long guestPhysAddr, long size, long userAddr, long mmapOffset) {
    }

    /** A decoded message header. */
    public record Header(int request, int flags, int size) {
        /** Reads a header from {@code b} at absolute index {@code off}. */
        public static Header decode(ByteBuffer b, int off) {
            ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            return new Header(le.getInt(off), le.getInt(off + 4), le.getInt(off + 8));
        }

        /** True if the REPLY bit is set. */
        public boolean isReply() {
            return (flags & FLAG_REPLY) != 0;
        }

        /** The protocol version bits. */
        public int version() {
            return flags & FLAG_VERSION_MASK;
        }

        /** The request name for messages, or {@code code N} if unknown. */
        public String requestName() {
            Request r = Request.of(request);
            return r == null ? "code " + request : r.name();
        }
    }

    /** A whole message: header (version 1, optional NEED_REPLY) followed by {@code payload} (may be null). */
    public static ByteBuffer encode(Request request, boolean needReply, ByteBuffer payload) {
        int size = payload == null ? 0 : payload.remaining();
        ByteBuffer b = le(HEADER_SIZE + size);
        b.putInt(0, request.code);
        b.putInt(4, FLAG_VERSION_1 | (needReply ? FLAG_NEED_REPLY : 0));
        b.putInt(8, size);
        if (payload != null) {
            b.put(HEADER_SIZE, payload, payload.position(), size);
        }
        return b;
    }

    /** A u64 payload. */
    public static ByteBuffer u64(long value) {
        return le(U64_SIZE).putLong(0, value);
    }

    /** A vring state payload. */
    public static ByteBuffer vringState(int index, int num) {
        return le(VRING_STATE_SIZE).putInt(0, index).putInt(4, num);
    }

    /** A vring address payload; note the wire order desc, <b>used</b>, avail (pitfall 1). */
    public static ByteBuffer vringAddr(int index, long descUserAddr, long usedUserAddr, long availUserAddr) {
        return le(VRING_ADDR_SIZE).putInt(0, index).putInt(4, 0).putLong(8, descUserAddr)
                .putLong(16, usedUserAddr).putLong(24, availUserAddr).putLong(32, 0);
    }

    /** A vring file payload (KICK, CALL, ERR): the queue index, plus NOFD when no fd is attached. */
    public static ByteBuffer vringFile(int index, boolean noFd) {
        if (index < 0 || index > VRING_FILE_INDEX_MASK) {
            throw new IllegalArgumentException("queue index " + index + " out of range 0.." + VRING_FILE_INDEX_MASK);
        }
        return u64(index | (noFd ? VRING_FILE_NOFD : 0));
    }

    /** A memory table payload; the caller sends one fd per region, in order. */
    public static ByteBuffer memTable(List<MemoryRegion> regions) {
        if (regions.isEmpty() || regions.size() > MAX_MEM_REGIONS) {
            throw new IllegalArgumentException("a memory table holds 1.." + MAX_MEM_REGIONS + " regions, got "
                    + regions.size());
        }
        ByteBuffer b = le(MEM_TABLE_HEADER_SIZE + MEM_REGION_SIZE * regions.size());
        b.putInt(0, regions.size()).putInt(4, 0);
        int off = MEM_TABLE_HEADER_SIZE;
        for (MemoryRegion r : regions) {
            b.putLong(off, r.guestPhysAddr()).putLong(off + 8, r.size()).putLong(off + 16, r.userAddr())
                    .putLong(off + 24, r.mmapOffset());
            off += MEM_REGION_SIZE;
        }
        return b;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
