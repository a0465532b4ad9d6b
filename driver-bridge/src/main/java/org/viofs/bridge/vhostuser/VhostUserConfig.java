package org.viofs.bridge.vhostuser;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.viofs.bridge.FuseTransport;

/**
 * How a {@link VhostUserTransport} is sized and bounded, and where its parts sit in the shared region.
 * Sizes in bytes. Immutable; build one with {@link #builder()} (every field has a default) or change a
 * copy with {@link #toBuilder()}.
 *
 * <p>Shared region, in this order, each part page-aligned: the hiprio queue's rings, the request
 * queue's rings, one buffer per hiprio descriptor, then one slot per request in flight (request area
 * of {@link #maxRequestBytes()}, reply area of {@link #maxReplyBytes()}).
 */
public final class VhostUserConfig {
    /** Largest FUSE_WRITE payload virtiofsd 7.2 negotiates with MAX_PAGES: 256 pages (docs/vhost-user-frontend.md §7.4). */
    public static final int DAEMON_MAX_WRITE = 1 << 20;
    /** Page size that virtiofsd adds to max_write for its session buffer (§7.1). */
    public static final int PAGE_SIZE = 4096;
    /** Largest readable part virtiofsd 7.2 accepts: max_write + 4 KiB; more makes it abort (pitfall 6). */
    public static final int DAEMON_MAX_REQUEST_BYTES = DAEMON_MAX_WRITE + PAGE_SIZE;
    /** Reply area for a READ of max_write bytes, with the out header and a page to spare. */
    public static final int DEFAULT_MAX_REPLY_BYTES = FuseTransport.OUT_HEADER_BYTES + DAEMON_MAX_WRITE + PAGE_SIZE;
    /** Reply area INIT needs: out header + {@code fuse_init_out} (64 bytes, §7.4). */
    public static final int MIN_REPLY_BYTES = FuseTransport.OUT_HEADER_BYTES + 64;

    private final int queueSize;
    private final int maxInFlight;
    private final int maxRequestBytes;
    private final int maxReplyBytes;
    private final int hiprioQueueSize;
    private final int hiprioRequestBytes;
    private final Duration timeout;
    private final long spinNanos;
    private final String tag;
    private final Supplier<String> diagnostics;

    private VhostUserConfig(Builder b) {
        this.queueSize = b.queueSize;
        this.maxInFlight = b.maxInFlight;
        this.maxRequestBytes = b.maxRequestBytes;
        this.maxReplyBytes = b.maxReplyBytes;
        this.hiprioQueueSize = b.hiprioQueueSize;
        this.hiprioRequestBytes = b.hiprioRequestBytes;
        this.timeout = b.timeout;
        this.spinNanos = b.spinNanos;
        this.tag = b.tag;
        this.diagnostics = b.diagnostics;
    }

    /** The defaults: 64-entry request queue, 16 slots for 1 MiB I/O, 30 s timeout, no spinning. */
    public static VhostUserConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.queueSize = queueSize;
        b.maxInFlight = maxInFlight;
        b.maxRequestBytes = maxRequestBytes;
        b.maxReplyBytes = maxReplyBytes;
        b.hiprioQueueSize = hiprioQueueSize;
        b.hiprioRequestBytes = hiprioRequestBytes;
        b.timeout = timeout;
        b.spinNanos = spinNanos;
        b.tag = tag;
        b.diagnostics = diagnostics;
        return b;
    }

    /** Request queue size, a power of two ≤ 1024; each request takes 2 descriptors. */
    public int queueSize() {
        return queueSize;
    }

    /** Request slots = exchanges at once; 2 × maxInFlight ≤ queueSize. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Request area per slot (header + args + data), ≤ {@link #DAEMON_MAX_REQUEST_BYTES}. */
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /** Reply area per slot, ≥ {@link #MIN_REPLY_BYTES}. */
    public int maxReplyBytes() {
        return maxReplyBytes;
    }

    /** Hiprio queue size (power of two): FORGETs not yet taken by the daemon. */
    public int hiprioQueueSize() {
        return hiprioQueueSize;
    }

    /** Buffer per hiprio descriptor: the largest BATCH_FORGET. */
    public int hiprioRequestBytes() {
        return hiprioRequestBytes;
    }

    /** Bound of every wait. */
    public Duration timeout() {
        return timeout;
    }

    /** How long a leader busy-polls the used ring before blocking (0 = never). */
    public long spinNanos() {
        return spinNanos;
    }

    /** Mount tag reported by {@link VhostUserTransport#device()} (virtiofsd has no config space). */
    public String tag() {
        return tag;
    }

    /** Appended to failure messages (e.g. the daemon's exit status and log tail); may be null. */
    public Supplier<String> diagnostics() {
        return diagnostics;
    }

    // ------------------------------------------------------------------ layout of the shared region

    /** Offset of the hiprio queue's descriptor table. */
    int hiprioOffset() {
        return 0;
    }

    /** Offset of the request queue's descriptor table. */
    int requestOffset() {
        return SplitVirtqueue.align(SplitVirtqueue.bytesNeeded(hiprioQueueSize), PAGE_SIZE);
    }

    /** Offset of the first hiprio buffer. */
    int hiprioBufferOffset() {
        return requestOffset() + SplitVirtqueue.align(SplitVirtqueue.bytesNeeded(queueSize), PAGE_SIZE);
    }

    /** Offset of the first request slot. */
    int slotsOffset() {
        return hiprioBufferOffset() + SplitVirtqueue.align(hiprioQueueSize * hiprioRequestBytes, PAGE_SIZE);
    }

    /** Bytes from one slot to the next: page-aligned request area + page-aligned reply area. */
    int slotStride() {
        return requestArea() + SplitVirtqueue.align(maxReplyBytes, PAGE_SIZE);
    }

    /** Page-aligned request area of a slot; the reply area follows it. */
    int requestArea() {
        return SplitVirtqueue.align(maxRequestBytes, PAGE_SIZE);
    }

    /** Bytes of the whole shared region. */
    long regionBytes() {
        return slotsOffset() + (long) maxInFlight * slotStride();
    }

    /**
     * @throws IllegalArgumentException naming the field and its bounds
     */
    void validate() {
        pow2("queueSize", queueSize);
        pow2("hiprioQueueSize", hiprioQueueSize);
        if (maxInFlight < 1 || 2 * maxInFlight > queueSize) {
            throw new IllegalArgumentException("maxInFlight must be in 1..queueSize/2 (" + queueSize / 2
                    + ", two descriptors per request), got " + maxInFlight);
        }
        if (maxRequestBytes < FuseTransport.IN_HEADER_BYTES || maxRequestBytes > DAEMON_MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("maxRequestBytes must be in " + FuseTransport.IN_HEADER_BYTES + ".."
                    + DAEMON_MAX_REQUEST_BYTES + " (virtiofsd aborts on more), got " + maxRequestBytes);
        }
        if (maxReplyBytes < MIN_REPLY_BYTES) {
            throw new IllegalArgumentException("maxReplyBytes must be at least " + MIN_REPLY_BYTES
                    + " (the INIT reply), got " + maxReplyBytes);
        }
        if (hiprioRequestBytes < FuseTransport.IN_HEADER_BYTES) {
            throw new IllegalArgumentException("hiprioRequestBytes must be at least " + FuseTransport.IN_HEADER_BYTES
                    + ", got " + hiprioRequestBytes);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos must be >= 0, got " + spinNanos);
        }
        long total = regionBytes();
        if (total > Integer.MAX_VALUE - PAGE_SIZE) {
            throw new IllegalArgumentException("shared region of " + total + " bytes exceeds 2 GiB; lower maxInFlight ("
                    + maxInFlight + ") or the slot sizes");
        }
    }

    private static void pow2(String what, int n) {
        if (n < 2 || n > SplitVirtqueue.MAX_QUEUE_SIZE || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException(what + " must be a power of two in 2.."
                    + SplitVirtqueue.MAX_QUEUE_SIZE + " (libvhost-user VIRTQUEUE_MAX_SIZE), got " + n);
        }
    }

    @Override
    public String toString() {
        return "VhostUserConfig[queueSize=" + queueSize + ", maxInFlight=" + maxInFlight + ", maxRequestBytes="
                + maxRequestBytes + ", maxReplyBytes=" + maxReplyBytes + ", hiprioQueueSize=" + hiprioQueueSize
                + ", hiprioRequestBytes=" + hiprioRequestBytes + ", timeout=" + timeout + ", spinNanos=" + spinNanos
                + ", tag=" + tag + "]";
    }

    /** Collects the fields; {@link #build()} checks nothing (connecting validates). Not thread-safe. */
    public static final class Builder {
        private int queueSize = 64;
        private int maxInFlight = 16;
        private int maxRequestBytes = DAEMON_MAX_REQUEST_BYTES;
        private int maxReplyBytes = DEFAULT_MAX_REPLY_BYTES;
        private int hiprioQueueSize = 16;
        private int hiprioRequestBytes = 16 * 1024;
        private Duration timeout = Duration.ofSeconds(30);
        private long spinNanos;
        private String tag = "viofs";
        private Supplier<String> diagnostics;

        private Builder() {
        }

        public Builder queueSize(int v) {
            queueSize = v;
            return this;
        }

        public Builder maxInFlight(int v) {
            maxInFlight = v;
            return this;
        }

        public Builder maxRequestBytes(int v) {
            maxRequestBytes = v;
            return this;
        }

        public Builder maxReplyBytes(int v) {
            maxReplyBytes = v;
            return this;
        }

        public Builder hiprioQueueSize(int v) {
            hiprioQueueSize = v;
            return this;
        }

        public Builder hiprioRequestBytes(int v) {
            hiprioRequestBytes = v;
            return this;
        }

        public Builder timeout(Duration v) {
            timeout = Objects.requireNonNull(v, "timeout");
            return this;
        }

        public Builder spinNanos(long v) {
            spinNanos = v;
            return this;
        }

        public Builder tag(String v) {
            tag = Objects.requireNonNull(v, "tag");
            return this;
        }

        /** Appended to failure messages; may be null. */
        public Builder diagnostics(Supplier<String> v) {
            diagnostics = v;
            return this;
        }

        public VhostUserConfig build() {
            return new VhostUserConfig(this);
        }
    }
}
