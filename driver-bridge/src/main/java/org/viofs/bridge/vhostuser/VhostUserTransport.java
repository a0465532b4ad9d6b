package org.viofs.bridge.vhostuser;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.viofs.bridge.DaemonExitedException;
import org.viofs.bridge.DeviceInfo;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.TransportTimeoutException;
import org.viofs.bridge.linux.LibC;
import org.viofs.bridge.vhostuser.VhostUserMessage.MemoryRegion;
import org.viofs.bridge.vhostuser.VhostUserMessage.Request;

/**
 * A {@link FuseTransport} that plays QEMU's part for a real virtiofsd: it connects to the daemon's
 * vhost-user socket, shares one memfd with it, and drives the two split virtqueues itself
 * (vhost-user-frontend.md §1-§8): queue 0 (hiprio) carries FORGET/BATCH_FORGET, queue 1 every other
 * request.
 *
 * <p><b>Memory.</b> Rings, a small buffer per hiprio descriptor and one <i>slot</i> per request in flight
 * live in the shared region. A slot is a request area of {@link Config#maxRequestBytes()} and a reply area
 * of {@link Config#maxReplyBytes()}; each request is a flat chain of two descriptors, one device-readable
 * (the request, copied in once) and one device-writable (the reply, which the daemon writes in place and
 * the {@link ReplyHandler} reads in place through a read-only view: no copy, no allocation per request).
 *
 * <p><b>Threads.</b> Thread-safe. Up to {@link Config#maxInFlight()} exchanges run at once. No thread
 * carries requests for callers: a waiting caller becomes the <i>leader</i>, reaps the used ring for
 * everyone and blocks in {@code read} on the request queue's call eventfd; the others park until the
 * leader completes them or hands leadership over. At queue depth 1 the caller itself wakes up on the
 * daemon's signal (kick {@code write}, call {@code read}: two syscalls per request). One daemon
 * watchdog thread per transport polls the socket, so a dead daemon is noticed even while idle, and
 * wakes a leader whose deadline passed or who was interrupted. The hiprio queue is driven under its
 * own lock by the sending caller.
 *
 * <p><b>Failures.</b> Every wait (slot, completion, control reply) is bounded by {@link Config#timeout()}.
 * When the daemon closes the socket (exit, crash, SIGKILL) every pending and later call fails with
 * {@link DaemonExitedException}; a device that completes an unknown descriptor or reports more bytes than
 * the reply area holds breaks the transport with a {@link TransportException}.
 *
 * <p><b>Lifecycle.</b> The creator closes it: {@link #close()} stops both queues (GET_VRING_BASE), closes
 * the socket (the daemon then exits) and unmaps the memory. It does not send FUSE_DESTROY; the FUSE
 * client does that before closing.
 */
public final class VhostUserTransport implements FuseTransport {
    private static final System.Logger LOG = System.getLogger(VhostUserTransport.class.getName());

    /** Virtqueue index of the high-priority queue (virtio-fs: queue 0). */
    public static final int HIPRIO_QUEUE = 0;
    /** Virtqueue index of the single request queue of virtiofsd 7.2 (virtio-fs: queues 1..n; §6). */
    public static final int REQUEST_QUEUE = 1;
    /** Queues the backend must have: hiprio + one request queue (GET_QUEUE_NUM, §6). */
    public static final int QUEUES_NEEDED = 2;
    /**
     * Guest-physical base address of the region: any value works, it is only the translation key for
     * descriptor addresses; chosen unlike any mmap address to keep the two address spaces apart (§4).
     */
    public static final long GPA_BASE = 0x1_0000_0000L;
    /** {@code sizeof(struct fuse_in_header)}; virtiofsd aborts on a readable part shorter than this (§7.1). */
    public static final int FUSE_IN_HEADER_SIZE = 40;
    /** {@code sizeof(struct fuse_out_header)}. */
    public static final int FUSE_OUT_HEADER_SIZE = 16;
    /** Largest FUSE_WRITE payload virtiofsd 7.2 negotiates with MAX_PAGES: 256 pages (§7.4). */
    public static final int DAEMON_MAX_WRITE = 1 << 20;
    /** Page size that virtiofsd adds to max_write for its session buffer (§7.1). */
    public static final int PAGE_SIZE = 4096;
    /**
     * Largest readable part virtiofsd 7.2 accepts: max_write + 4 KiB; more makes it abort
     * (pitfall 6).
     */
    public static final int DAEMON_MAX_REQUEST_BYTES = DAEMON_MAX_WRITE + PAGE_SIZE;
    /** Reply area for a READ of max_write bytes, with the out header and a page to spare. */
    public static final int DEFAULT_MAX_REPLY_BYTES = FUSE_OUT_HEADER_SIZE + DAEMON_MAX_WRITE + PAGE_SIZE;
    /** Reply area INIT needs: out header + {@code fuse_init_out} (§7.4). */
    public static final int MIN_REPLY_BYTES = FUSE_OUT_HEADER_SIZE + 64;

    /**
     * Bound on each GET_VRING_BASE reply during close(): a live daemon answers at once (it only joins
     * its queue thread); a stuck one must not hold close() for the full request timeout.
     */
    private static final long CLOSE_REPLY_TIMEOUT_NANOS = 5_000_000_000L;

    private static final int SLOT_FREE = 0;
    private static final int SLOT_PENDING = 1;
    private static final int SLOT_DONE = 2;
    private static final int SLOT_ABANDONED = 3;
    private static final VarHandle SLOT_STATE;

    static {
        try {
            SLOT_STATE = MethodHandles.lookup().findVarHandle(Slot.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * How the transport is sized and bounded. Sizes in bytes.
     *
     * @param queueSize          request queue size, a power of two ≤ 1024; each request takes 2 descriptors
     * @param maxInFlight        request slots = exchanges at once; 2 × maxInFlight ≤ queueSize
     * @param maxRequestBytes    request area per slot (header + args + data), ≤ {@link #DAEMON_MAX_REQUEST_BYTES}
     * @param maxReplyBytes      reply area per slot, ≥ {@link #MIN_REPLY_BYTES}
     * @param hiprioQueueSize    hiprio queue size (power of two): FORGETs not yet taken by the daemon
     * @param hiprioRequestBytes buffer per hiprio descriptor: the largest BATCH_FORGET
     * @param timeout            bound of every wait
     * @param spinNanos          how long a leader busy-polls the used ring before blocking (0 = never)
     * @param tag                mount tag reported by {@link #device()} (virtiofsd has no config space)
     * @param diagnostics        appended to failure messages, e.g. the daemon's exit status and log
     *                           tail; may be null
     */
    public record Config(int queueSize, int maxInFlight, int maxRequestBytes, int maxReplyBytes,
                         int hiprioQueueSize, int hiprioRequestBytes, Duration timeout, long spinNanos,
                         String tag, Supplier<String> diagnostics) {
        public Config {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(tag, "tag");
        }

        /** 64-entry request queue, 16 slots for 1 MiB I/O, 30 s timeout, no spinning. */
        public static Config defaults() {
            return new Config(64, 16, DAEMON_MAX_REQUEST_BYTES, DEFAULT_MAX_REPLY_BYTES, 16, 16 * 1024,
                    Duration.ofSeconds(30), 0, "viofs", null);
        }

        public Config withQueueSize(int v) {
            return new Config(v, maxInFlight, maxRequestBytes, maxReplyBytes, hiprioQueueSize, hiprioRequestBytes,
                    timeout, spinNanos, tag, diagnostics);
        }

        public Config withMaxInFlight(int v) {
            return new Config(queueSize, v, maxRequestBytes, maxReplyBytes, hiprioQueueSize, hiprioRequestBytes,
                    timeout, spinNanos, tag, diagnostics);
        }

        public Config withMaxRequestBytes(int v) {
            return new Config(queueSize, maxInFlight, v, maxReplyBytes, hiprioQueueSize, hiprioRequestBytes,
                    timeout, spinNanos, tag, diagnostics);
        }

        public Config withMaxReplyBytes(int v) {
            return new Config(queueSize, maxInFlight, maxRequestBytes, v, hiprioQueueSize, hiprioRequestBytes,
                    timeout, spinNanos, tag, diagnostics);
        }

        public Config withHiprioQueueSize(int v) {
            return new Config(queueSize, maxInFlight, maxRequestBytes, maxReplyBytes, v, hiprioRequestBytes,
                    timeout, spinNanos, tag, diagnostics);
        }

        public Config withHiprioRequestBytes(int v) {
            return new Config(queueSize, maxInFlight, maxRequestBytes, maxReplyBytes, hiprioQueueSize, v,
                    timeout, spinNanos, tag, diagnostics);
        }

        public Config withTimeout(Duration v) {
            return new Config(queueSize, maxInFlight, maxRequestBytes, maxReplyBytes, hiprioQueueSize,
                    hiprioRequestBytes, v, spinNanos, tag, diagnostics);
        }

        public Config withSpinNanos(long v) {
            return new Config(queueSize, maxInFlight, maxRequestBytes, maxReplyBytes, hiprioQueueSize,
                    hiprioRequestBytes, timeout, v, tag, diagnostics);
        }

        public Config withTag(String v) {
            return new Config(queueSize, maxInFlight, maxRequestBytes, maxReplyBytes, hiprioQueueSize,
                    hiprioRequestBytes, timeout, spinNanos, v, diagnostics);
        }

        public Config withDiagnostics(Supplier<String> v) {
            return new Config(queueSize, maxInFlight, maxRequestBytes, maxReplyBytes, hiprioQueueSize,
                    hiprioRequestBytes, timeout, spinNanos, tag, v);
        }

        void validate() {
            pow2("queueSize", queueSize);
            pow2("hiprioQueueSize", hiprioQueueSize);
            if (maxInFlight < 1 || 2 * maxInFlight > queueSize) {
                throw new IllegalArgumentException("maxInFlight must be in 1..queueSize/2 (" + queueSize / 2
                        + ", two descriptors per request), got " + maxInFlight);
            }
            if (maxRequestBytes < FUSE_IN_HEADER_SIZE || maxRequestBytes > DAEMON_MAX_REQUEST_BYTES) {
                throw new IllegalArgumentException("maxRequestBytes must be in " + FUSE_IN_HEADER_SIZE + ".."
                        + DAEMON_MAX_REQUEST_BYTES + " (virtiofsd aborts on more), got " + maxRequestBytes);
            }
            if (maxReplyBytes < MIN_REPLY_BYTES) {
                throw new IllegalArgumentException("maxReplyBytes must be at least " + MIN_REPLY_BYTES
                        + " (the INIT reply), got " + maxReplyBytes);
            }
            if (hiprioRequestBytes < FUSE_IN_HEADER_SIZE) {
                throw new IllegalArgumentException("hiprioRequestBytes must be at least " + FUSE_IN_HEADER_SIZE
                        + ", got " + hiprioRequestBytes);
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            if (spinNanos < 0) {
                throw new IllegalArgumentException("spinNanos must be >= 0, got " + spinNanos);
            }
        }

        private static void pow2(String what, int n) {
            if (n < 2 || n > SplitVirtqueue.MAX_QUEUE_SIZE || Integer.bitCount(n) != 1) {
                throw new IllegalArgumentException(what + " must be a power of two in 2.."
                        + SplitVirtqueue.MAX_QUEUE_SIZE + " (libvhost-user VIRTQUEUE_MAX_SIZE), got " + n);
            }
        }
    }

    /** One request in flight: its buffers and who waits for it. */
    private static final class Slot {
        final int index;
        final int requestOffset;
        final int replyOffset;
        final ByteBuffer replyView;
        volatile int state;
        volatile Thread waiter;
        /** Written by the leader before {@code state} becomes DONE. */
        int usedLength;
        int capacity;

        Slot(int index, int requestOffset, int replyOffset, ByteBuffer replyView) {
            this.index = index;
            this.requestOffset = requestOffset;
            this.replyOffset = replyOffset;
            this.replyView = replyView;
        }
    }

    private final Config config;
    private final long timeoutNanos;
    private final ControlChannel control;
    private final SharedMemoryRegion region;
    private final ByteBuffer mem;
    private final DeviceInfo device;

    // request queue: submission under ringLock, reaping by the leader (reapLock)
    private final SplitVirtqueue requestQueue;
    private final Slot[] slots;
    private final Slot[] slotByHead;
    private final int[] freeSlots;
    private int freeSlotCount;
    private final Semaphore slotPermits;
    private final ReentrantLock ringLock = new ReentrantLock();
    private final ReentrantLock reapLock = new ReentrantLock();
    private final Slot[] reaped;
    private final int[] reapedLength;
    /** Deadline of the leader blocked in read(call fd), valid while {@link #leaderBlocked}. */
    private volatile long leaderDeadline;
    private volatile boolean leaderBlocked;
    private volatile Thread leaderThread;
    private final Thread watchdog;
    private final Memory watchdogPollFd = new Memory(LibC.POLLFD_SIZE);
    private final Memory watchdogScratch = new Memory(8);
    private final Memory leaderScratch = new Memory(8);
    private int handOffCursor;

    // hiprio queue: everything under hiprioLock
    private final SplitVirtqueue hiprioQueue;
    private final int hiprioBufferOffset;
    private final ReentrantLock hiprioLock = new ReentrantLock();
    private final Memory hiprioPollFds = new Memory(2L * LibC.POLLFD_SIZE);
    private final Memory hiprioScratch = new Memory(8);

    private final int requestKickFd;
    private final int requestCallFd;
    private final int hiprioKickFd;
    private final int hiprioCallFd;
    private final Memory eventfdOne = new Memory(8);

    private volatile TransportException broken;
    private volatile boolean closed;
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final Object closeLock = new Object();

    private VhostUserTransport(Config config, ControlChannel control, SharedMemoryRegion region, int[] eventfds,
                               int hiprioOffset, int requestOffset, int hiprioBufferOffset, int slotsOffset) {
        this.config = config;
        this.timeoutNanos = config.timeout().toNanos();
        this.control = control;
        this.region = region;
        this.mem = region.buffer();
        this.device = new DeviceInfo("vhost-user", config.tag(), control.path().toString());
        this.hiprioKickFd = eventfds[0];
        this.hiprioCallFd = eventfds[1];
        this.requestKickFd = eventfds[2];
        this.requestCallFd = eventfds[3];
        this.eventfdOne.setLong(0, 1);
        this.hiprioQueue = new SplitVirtqueue("hiprio", mem, hiprioOffset, config.hiprioQueueSize());
        this.requestQueue = new SplitVirtqueue("request", mem, requestOffset, config.queueSize());
        this.hiprioBufferOffset = hiprioBufferOffset;
        int n = config.maxInFlight();
        this.slots = new Slot[n];
        this.freeSlots = new int[n];
        int stride = slotStride(config);
        int requestArea = SplitVirtqueue.align(config.maxRequestBytes(), PAGE_SIZE);
        for (int i = 0; i < n; i++) {
            int req = slotsOffset + i * stride;
            int rep = req + requestArea;
            ByteBuffer view = mem.slice(rep, config.maxReplyBytes()).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
            slots[i] = new Slot(i, req, rep, view);
            freeSlots[i] = n - 1 - i;
        }
        this.freeSlotCount = n;
        this.slotPermits = new Semaphore(n);
        this.slotByHead = new Slot[config.queueSize()];
        this.reaped = new Slot[config.queueSize()];
        this.reapedLength = new int[config.queueSize()];
        watchdogPollFd.clear();
        watchdogPollFd.setInt(LibC.POLLFD_FD_OFF, control.fd());
        watchdogPollFd.setShort(LibC.POLLFD_EVENTS_OFF, LibC.POLLIN);
        this.watchdog = new Thread(this::watch, "viofs-vhost-user-watchdog " + control.path());
        this.watchdog.setDaemon(true);
        initPollFds(hiprioPollFds, hiprioCallFd, control.fd());
    }

    private static void initPollFds(Memory m, int callFd, int sock) {
        m.clear();
        m.setInt(LibC.POLLFD_FD_OFF, callFd);
        m.setShort(LibC.POLLFD_EVENTS_OFF, LibC.POLLIN);
        m.setInt(LibC.POLLFD_SIZE + LibC.POLLFD_FD_OFF, sock);
        m.setShort(LibC.POLLFD_SIZE + LibC.POLLFD_EVENTS_OFF, LibC.POLLIN);
    }

    private static int slotStride(Config c) {
        return SplitVirtqueue.align(c.maxRequestBytes(), PAGE_SIZE) + SplitVirtqueue.align(c.maxReplyBytes(), PAGE_SIZE);
    }

    /**
     * Connects to a virtiofsd listening on {@code socket} and brings both queues up (§3): features,
     * protocol features (MQ, REPLY_ACK), owner, memory table, then per queue NUM, BASE, ADDR, CALL, KICK,
     * ENABLE, each acknowledged (NEED_REPLY) when the backend offers REPLY_ACK. FUSE_INIT is the caller's.
     *
     * @throws TransportException naming the step when the backend refuses or exits during bring-up
     * @throws IllegalArgumentException for an invalid configuration
     */
    public static VhostUserTransport connect(Path socket, Config config) {
        config.validate();
        int hiprioOffset = 0;
        int requestOffset = SplitVirtqueue.align(SplitVirtqueue.bytesNeeded(config.hiprioQueueSize()), PAGE_SIZE);
        int hiprioBufferOffset = requestOffset
                + SplitVirtqueue.align(SplitVirtqueue.bytesNeeded(config.queueSize()), PAGE_SIZE);
        int slotsOffset = hiprioBufferOffset
                + SplitVirtqueue.align(config.hiprioQueueSize() * config.hiprioRequestBytes(), PAGE_SIZE);
        long total = slotsOffset + (long) config.maxInFlight() * slotStride(config);
        if (total > Integer.MAX_VALUE - PAGE_SIZE) {
            throw new IllegalArgumentException("shared region of " + total + " bytes exceeds 2 GiB; lower maxInFlight ("
                    + config.maxInFlight() + ") or the slot sizes");
        }
        ControlChannel control = ControlChannel.connect(socket, config.diagnostics());
        SharedMemoryRegion region = null;
        int[] eventfds = {-1, -1, -1, -1};
        try {
            Bringup b = new Bringup(control, config.timeout().toNanos());
            long features = b.getU64(Request.GET_FEATURES);
            if ((features & VhostUserMessage.VIRTIO_F_VERSION_1) == 0) {
                throw new TransportException("backend at " + socket + " does not offer VIRTIO_F_VERSION_1 (features 0x"
                        + Long.toHexString(features) + ")");
            }
            boolean protocolFeatures = (features & VhostUserMessage.VHOST_USER_F_PROTOCOL_FEATURES) != 0;
            if (protocolFeatures) {
                long offered = b.getU64(Request.GET_PROTOCOL_FEATURES);
                long wanted = offered & (VhostUserMessage.PROTOCOL_F_MQ | VhostUserMessage.PROTOCOL_F_REPLY_ACK);
                // not acknowledged itself: REPLY_ACK applies to the messages after it (§3)
                control.send(Request.SET_PROTOCOL_FEATURES, false, VhostUserMessage.u64(wanted));
                b.replyAck = (wanted & VhostUserMessage.PROTOCOL_F_REPLY_ACK) != 0;
                if ((wanted & VhostUserMessage.PROTOCOL_F_MQ) != 0) {
                    long queues = b.getU64(Request.GET_QUEUE_NUM);
                    if (queues < QUEUES_NEEDED) {
                        throw new TransportException("backend at " + socket + " has " + queues + " queues, "
                                + QUEUES_NEEDED + " needed (hiprio + request)");
                    }
                }
            }
            b.setup(Request.SET_OWNER, null);
            b.setup(Request.SET_FEATURES, VhostUserMessage.u64(VhostUserMessage.VIRTIO_F_VERSION_1
                    | (protocolFeatures ? VhostUserMessage.VHOST_USER_F_PROTOCOL_FEATURES : 0)));
            region = SharedMemoryRegion.create("viofs-vhost-user", (int) total);
            b.setup(Request.SET_MEM_TABLE, VhostUserMessage.memTable(List.of(
                    new MemoryRegion(GPA_BASE, total, region.address(), 0))), region.fd());
            region.closeFd();
            for (int i = 0; i < eventfds.length; i++) {
                // the request call fd blocks: the leader sleeps in read() on it (one syscall per wait)
                eventfds[i] = LibC.eventfd(0, LibC.EFD_CLOEXEC | (i == 3 ? 0 : LibC.EFD_NONBLOCK));
                if (eventfds[i] < 0) {
                    throw new TransportException("eventfd failed: " + SharedMemoryRegion.errno());
                }
            }
            VhostUserTransport t = new VhostUserTransport(config, control, region, eventfds, hiprioOffset,
                    requestOffset, hiprioBufferOffset, slotsOffset);
            t.startQueue(b, HIPRIO_QUEUE, t.hiprioQueue, t.hiprioKickFd, t.hiprioCallFd, protocolFeatures);
            t.startQueue(b, REQUEST_QUEUE, t.requestQueue, t.requestKickFd, t.requestCallFd, protocolFeatures);
            t.watchdog.start();
            return t;
        } catch (RuntimeException e) {
            control.close();
            for (int fd : eventfds) {
                if (fd >= 0) {
                    LibC.close(fd);
                }
            }
            if (region != null) {
                region.close();
            }
            throw e;
        }
    }

    private void startQueue(Bringup b, int index, SplitVirtqueue q, int kickFd, int callFd, boolean enable) {
        long base = region.address();
        b.setup(Request.SET_VRING_NUM, VhostUserMessage.vringState(index, q.size()));
        b.setup(Request.SET_VRING_BASE, VhostUserMessage.vringState(index, 0));
        b.setup(Request.SET_VRING_ADDR, VhostUserMessage.vringAddr(index, base + q.descOffset(),
                base + q.usedOffset(), base + q.availOffset()));
        // the call fd is effectively mandatory (pitfall 4); it gets one spurious signal right away (§2.2)
        b.setup(Request.SET_VRING_CALL, VhostUserMessage.vringFile(index, false), callFd);
        // KICK starts the daemon's queue thread: everything above must be in place first (§3)
        b.setup(Request.SET_VRING_KICK, VhostUserMessage.vringFile(index, false), kickFd);
        if (enable) {
            b.setup(Request.SET_VRING_ENABLE, VhostUserMessage.vringState(index, 1));
        }
    }

    /** Bring-up helper: bounded control exchanges with messages naming the step. */
    private static final class Bringup {
        final ControlChannel control;
        final long timeoutNanos;
        boolean replyAck;

        Bringup(ControlChannel control, long timeoutNanos) {
            this.control = control;
            this.timeoutNanos = timeoutNanos;
        }

        long getU64(Request r) {
            try {
                control.send(r, false, null);
                ByteBuffer p = control.receiveReply(r, System.nanoTime() + timeoutNanos);
                if (p.remaining() != VhostUserMessage.U64_SIZE) {
                    throw new TransportException("reply to " + r + " has " + p.remaining() + " payload bytes, expected "
                            + VhostUserMessage.U64_SIZE);
                }
                return p.getLong(0);
            } catch (DaemonExitedException e) {
                throw new DaemonExitedException("vhost-user bring-up failed at " + r + ": " + e.getMessage(), e);
            }
        }

        void setup(Request r, ByteBuffer payload, int... fds) {
            String step = r + (payload != null && payload.remaining() >= 4 && r != Request.SET_OWNER
                    && r != Request.SET_FEATURES && r != Request.SET_MEM_TABLE ? " (queue " + payload.getInt(0) + ")" : "");
            try {
                control.send(r, replyAck, payload, fds);
                if (replyAck) {
                    ByteBuffer p = control.receiveReply(r, System.nanoTime() + timeoutNanos);
                    long status = p.remaining() >= 8 ? p.getLong(0) : -1;
                    if (status != 0) {
                        throw new TransportException("backend rejected " + step + ": REPLY_ACK status " + status
                                + control.diagnostics());
                    }
                }
            } catch (DaemonExitedException e) {
                throw new DaemonExitedException("vhost-user bring-up failed at " + step + ": " + e.getMessage(), e);
            }
        }
    }

    // ------------------------------------------------------------------------------- requests

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        int length = requestLength(request, config.maxRequestBytes(), "request");
        if (replyCapacity < FUSE_OUT_HEADER_SIZE || replyCapacity > config.maxReplyBytes()) {
            throw new IllegalArgumentException("reply capacity must be in " + FUSE_OUT_HEADER_SIZE + ".."
                    + config.maxReplyBytes() + " bytes, got " + replyCapacity);
        }
        Objects.requireNonNull(handler, "handler");
        enter();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            Slot slot = acquireSlot(deadline);
            boolean submitted = false;
            try {
                copyRequest(request, slot.requestOffset);
                slot.capacity = replyCapacity;
                slot.usedLength = 0;
                slot.waiter = Thread.currentThread();
                slot.state = SLOT_PENDING;
                submitted = true;
                submit(slot, length, replyCapacity);
                if (!awaitCompletion(slot, deadline)) {
                    // abandoned: the leader frees the slot when the device is done with it
                    throw new TransportTimeoutException("no reply to FUSE opcode " + opcode(request) + " within "
                            + config.timeout().toMillis() + " ms from " + device.path() + control.diagnostics());
                }
                int used = slot.usedLength;
                if (used < FUSE_OUT_HEADER_SIZE) {
                    throw new TransportException("the device wrote " + used + " bytes for FUSE opcode " + opcode(request)
                            + ", less than the " + FUSE_OUT_HEADER_SIZE + "-byte fuse_out_header: reply capacity "
                            + replyCapacity + " is too small for this reply (virtiofsd writes nothing when it does not fit)");
                }
                ByteBuffer view = slot.replyView;
                view.clear().limit(used);
                view.order(ByteOrder.LITTLE_ENDIAN);
                return handler.handle(view);
            } finally {
                slot.waiter = null;
                // a slot the device may still write into is never reused: an ABANDONED one is freed by
                // the leader that reaps it, a PENDING one only exists on a broken transport
                if (!submitted || (int) SLOT_STATE.getVolatile(slot) == SLOT_DONE) {
                    releaseSlot(slot);
                }
            }
        } finally {
            leave();
        }
    }

    private static int opcode(ByteBuffer[] request) {
        ByteBuffer h = request[0];
        return h.remaining() >= 8 ? h.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(h.position() + 4) : -1;
    }

    private static int requestLength(ByteBuffer[] request, int max, String what) {
        long length = 0;
        for (ByteBuffer b : request) {
            length += b.remaining();
        }
        if (length < FUSE_IN_HEADER_SIZE) {
            throw new IllegalArgumentException(what + " of " + length + " bytes is shorter than the "
                    + FUSE_IN_HEADER_SIZE + "-byte fuse_in_header (virtiofsd aborts on it)");
        }
        if (length > max) {
            throw new IllegalArgumentException(what + " of " + length + " bytes exceeds the limit of " + max
                    + " bytes (virtiofsd aborts on a request over max_write + 4 KiB); nothing was sent");
        }
        return (int) length;
    }

    private void copyRequest(ByteBuffer[] request, int offset) {
        int at = offset;
        for (ByteBuffer b : request) {
            int n = b.remaining();
            mem.put(at, b, b.position(), n);
            at += n;
        }
    }

    private Slot acquireSlot(long deadline) {
        try {
            if (!slotPermits.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new TransportTimeoutException("no free request slot within " + config.timeout().toMillis()
                        + " ms (" + config.maxInFlight() + " requests in flight on " + device.path() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for a free request slot", e);
        }
        checkBroken();
        ringLock.lock();
        try {
            return slots[freeSlots[--freeSlotCount]];
        } finally {
            ringLock.unlock();
        }
    }

    private void releaseSlot(Slot slot) {
        slot.state = SLOT_FREE;
        ringLock.lock();
        try {
            freeSlots[freeSlotCount++] = slot.index;
        } finally {
            ringLock.unlock();
        }
        slotPermits.release();
    }

    private void submit(Slot slot, int length, int replyCapacity) {
        ringLock.lock();
        try {
            int head = requestQueue.allocate();
            int reply = requestQueue.allocate();
            if (head < 0 || reply < 0) {
                throw new IllegalStateException("request queue out of descriptors with a free slot: " + requestQueue);
            }
            requestQueue.writeDescriptor(head, GPA_BASE + slot.requestOffset, length, SplitVirtqueue.VIRTQ_DESC_F_NEXT, reply);
            requestQueue.writeDescriptor(reply, GPA_BASE + slot.replyOffset, replyCapacity,
                    SplitVirtqueue.VIRTQ_DESC_F_WRITE, 0);
            slotByHead[head] = slot;
            requestQueue.publish(head);
        } finally {
            ringLock.unlock();
        }
        kick(requestKickFd, "request");
    }

    private void kick(int fd, String queue) {
        long n = LibC.write(fd, eventfdOne, 8);
        if (n != 8) {
            throw new TransportException("kick of the " + queue + " queue failed: " + SharedMemoryRegion.errno());
        }
    }

    /** Waits until the slot is DONE (true) or the deadline passes and the slot is abandoned (false). */
    private boolean awaitCompletion(Slot slot, long deadline) {
        boolean parked = false;
        try {
            while (true) {
                if ((int) SLOT_STATE.getVolatile(slot) == SLOT_DONE) {
                    return true;
                }
                checkBroken();
                long left = deadline - System.nanoTime();
                boolean interrupted = Thread.currentThread().isInterrupted();
                if (left <= 0 || interrupted) {
                    if (SLOT_STATE.compareAndSet(slot, SLOT_PENDING, SLOT_ABANDONED)) {
                        if (interrupted) { // the interrupt status stays set for the caller
                            throw new TransportException("interrupted while waiting for a reply from " + device.path());
                        }
                        return false;
                    }
                    continue; // it completed meanwhile
                }
                if (reapLock.tryLock()) {
                    try {
                        lead(slot, deadline);
                    } finally {
                        reapLock.unlock();
                        handOff();
                    }
                } else {
                    parked = true;
                    LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            if (parked && !reapLock.isLocked()) {
                handOff();
            }
        }
    }

    /** Leader loop: reaps for everyone, blocks on the call eventfd and the socket. */
    private void lead(Slot mine, long deadline) {
        boolean spun = config.spinNanos() == 0;
        while (true) {
            reapRequests();
            if ((int) SLOT_STATE.getVolatile(mine) == SLOT_DONE || broken != null) {
                return;
            }
            if (!spun) {
                spun = true;
                // while we watch the ring ourselves the daemon need not signal (§8 "spin")
                requestQueue.setNoInterrupt(true);
                long end = System.nanoTime() + config.spinNanos();
                while (!requestQueue.hasUsed() && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                requestQueue.setNoInterrupt(false);
                // store flags -> load used.idx: the daemon either sees interrupts back on or we see its completion
                VarHandle.fullFence();
                continue;
            }
            if (deadline - System.nanoTime() <= 0 || Thread.currentThread().isInterrupted()) {
                return;
            }
            // blocks until the daemon signals a completion, or the watchdog wakes us (death, deadline, close)
            leaderDeadline = deadline;
            leaderThread = Thread.currentThread();
            leaderBlocked = true;
            long r = LibC.read(requestCallFd, leaderScratch, 8);
            leaderBlocked = false;
            if (r < 0) {
                int e = Native.getLastError();
                if (e != LibC.EINTR && e != LibC.EAGAIN) {
                    markBroken(new TransportException("read of the request call eventfd failed: " + LibC.strerror(e)));
                }
            }
        }
    }

    /** Watchdog period: how late a timeout may fire, and how often an idle transport looks at the socket. */
    private long watchdogTickMillis() {
        return Math.max(1, Math.min(WATCHDOG_TICK_MAX_MILLIS, config.timeout().toMillis() / 10));
    }

    /** Longest watchdog period in milliseconds. */
    private static final long WATCHDOG_TICK_MAX_MILLIS = 20;

    /**
     * Watchdog thread: polls the socket for the daemon's exit (so a dead daemon is noticed even while
     * idle) and wakes a leader blocked in read() when its deadline has passed or it was interrupted.
     * Never touches the rings.
     */
    private void watch() {
        try {
            watchLoop();
        } catch (RuntimeException | Error e) {
            markBroken(new TransportException("the transport's watchdog failed: " + e, e));
        }
    }

    private void watchLoop() {
        int tick = (int) watchdogTickMillis();
        while (!closed && broken == null) {
            watchdogPollFd.setShort(LibC.POLLFD_REVENTS_OFF, (short) 0);
            int r = LibC.poll(watchdogPollFd, 1, tick);
            if (closed) {
                return;
            }
            if (r > 0) {
                short ev = watchdogPollFd.getShort(LibC.POLLFD_REVENTS_OFF);
                if (ev != 0) {
                    checkSocket(ev, watchdogScratch);
                }
            }
            Thread leader = leaderThread;
            if (leaderBlocked && (leaderDeadline - System.nanoTime() <= 0 || leader != null && leader.isInterrupted())) {
                LibC.write(requestCallFd, eventfdOne, 8);
            }
        }
    }

    /** One bounded poll on a call eventfd and the socket; drains the eventfd; detects a dead daemon. */
    private void waitForSignal(Memory pollFds, Memory scratch, int callFd, long leftNanos) {
        pollFds.setShort(LibC.POLLFD_REVENTS_OFF, (short) 0);
        pollFds.setShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS_OFF, (short) 0);
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (leftNanos + 999_999) / 1_000_000));
        int r = LibC.poll(pollFds, 2, millis);
        if (r < 0) {
            int e = Native.getLastError();
            if (e != LibC.EINTR) {
                markBroken(new TransportException("poll on the call eventfd failed: " + LibC.strerror(e)));
            }
            return;
        }
        if (r == 0) {
            return;
        }
        short sockEvents = pollFds.getShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS_OFF);
        if (sockEvents != 0) {
            checkSocket(sockEvents, scratch);
        }
        if ((pollFds.getShort(LibC.POLLFD_REVENTS_OFF) & LibC.POLLIN) != 0) {
            LibC.read(callFd, scratch, 8); // resets the counter; EAGAIN is harmless
        }
    }

    private void checkSocket(short events, Memory scratch) {
        String how = null;
        if ((events & (LibC.POLLHUP | LibC.POLLERR | LibC.POLLNVAL)) != 0) {
            how = "poll reported " + ((events & LibC.POLLHUP) != 0 ? "POLLHUP" : (events & LibC.POLLERR) != 0
                    ? "POLLERR" : "POLLNVAL");
        } else if ((events & LibC.POLLIN) != 0) {
            long k = LibC.recv(control.fd(), scratch, 1, LibC.MSG_PEEK | LibC.MSG_DONTWAIT);
            if (k == 0) {
                how = "end of file";
            } else if (k < 0) {
                int e = Native.getLastError();
                if (e == LibC.EAGAIN || e == LibC.EINTR) {
                    return;
                }
                how = "recv: " + LibC.strerror(e);
            } else {
                markBroken(new TransportException("virtiofsd sent an unsolicited vhost-user message on "
                        + device.path() + " (no backend requests were negotiated)"));
                return;
            }
        }
        if (how != null) {
            markBroken(new DaemonExitedException("virtiofsd closed the vhost-user socket " + device.path() + " ("
                    + how + "): the daemon exited or crashed" + control.diagnostics()));
        }
    }

    /** Leader only: moves every completed request to DONE and wakes its caller. */
    private void reapRequests() {
        int n = 0;
        ringLock.lock();
        try {
            long e;
            while ((e = requestQueue.pollUsed()) != -1) {
                int head = (int) (e >>> 32);
                Slot s = slotByHead[head];
                slotByHead[head] = null;
                reaped[n] = s;
                reapedLength[n] = (int) Math.min(Integer.MAX_VALUE, e & 0xffff_ffffL);
                n++;
            }
        } catch (TransportException te) {
            markBroken(new TransportException(te.getMessage() + " on " + device.path()
                    + ": the device broke the virtqueue protocol"));
        } finally {
            ringLock.unlock();
        }
        Thread me = Thread.currentThread();
        for (int i = 0; i < n; i++) {
            Slot s = reaped[i];
            reaped[i] = null;
            int len = reapedLength[i];
            if (len > s.capacity) {
                markBroken(new TransportException("the device reported " + len + " bytes written into a reply area of "
                        + s.capacity + " bytes (slot " + s.index + ") on " + device.path()));
                return;
            }
            s.usedLength = len;
            if (SLOT_STATE.compareAndSet(s, SLOT_PENDING, SLOT_DONE)) {
                Thread w = s.waiter;
                if (w != null && w != me) {
                    LockSupport.unpark(w);
                }
            } else if ((int) SLOT_STATE.getVolatile(s) == SLOT_ABANDONED) {
                releaseSlot(s);
            }
        }
    }

    /** Wakes one pending caller so that someone leads. */
    private void handOff() {
        int n = slots.length;
        int start = handOffCursor;
        for (int i = 0; i < n; i++) {
            Slot s = slots[(start + i) % n];
            if ((int) SLOT_STATE.getVolatile(s) == SLOT_PENDING) {
                Thread w = s.waiter;
                if (w != null && w != Thread.currentThread()) {
                    handOffCursor = (start + i + 1) % n;
                    LockSupport.unpark(w);
                    return;
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: copies the request into a hiprio buffer, publishes one device-readable descriptor on queue
     * 0, kicks, and waits (bounded) until the daemon has completed it ({@code used.len} 0), so a FORGET
     * has taken effect when this returns. Hiprio sends are serialised (one lock; FORGETs are batched by
     * the client). At most {@link #maxNoReplyBytes()} bytes.
     *
     * @throws IllegalArgumentException if the request is shorter than the in header or over the limit
     */
    @Override
    public void sendNoReply(ByteBuffer[] request) {
        int length = requestLength(request, config.hiprioRequestBytes(), "hiprio request");
        enter();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            hiprioLock.lock();
            try {
                checkBroken();
                int d;
                while (true) {
                    reapHiprio();
                    checkBroken();
                    d = hiprioQueue.allocate();
                    if (d >= 0) {
                        break;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TransportTimeoutException("the daemon took no hiprio request within "
                                + config.timeout().toMillis() + " ms (" + config.hiprioQueueSize() + " pending on "
                                + device.path() + ")" + control.diagnostics());
                    }
                    waitForSignal(hiprioPollFds, hiprioScratch, hiprioCallFd, left);
                }
                int off = hiprioBufferOffset + d * config.hiprioRequestBytes();
                copyRequest(request, off);
                hiprioQueue.writeDescriptor(d, GPA_BASE + off, length, 0, 0);
                hiprioQueue.publish(d);
                kick(hiprioKickFd, "hiprio");
                // wait until the daemon has processed it (used element, len 0): a FORGET's effect is then
                // visible, and a dead daemon is noticed here rather than by a later caller
                while (true) {
                    reapHiprio();
                    checkBroken();
                    if (!hiprioQueue.isInFlight(d)) {
                        return;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TransportTimeoutException("the daemon did not complete a hiprio request (FUSE opcode "
                                + opcode(request) + ") within " + config.timeout().toMillis() + " ms on "
                                + device.path() + control.diagnostics());
                    }
                    waitForSignal(hiprioPollFds, hiprioScratch, hiprioCallFd, left);
                }
            } finally {
                hiprioLock.unlock();
            }
        } finally {
            leave();
        }
    }

    private void reapHiprio() {
        try {
            long e;
            while ((e = hiprioQueue.pollUsed()) != -1) {
                long len = e & 0xffff_ffffL;
                if (len != 0) {
                    markBroken(new TransportException("the device reported " + len
                            + " bytes written for a hiprio request that has no writable part, on " + device.path()));
                    return;
                }
            }
        } catch (TransportException te) {
            markBroken(new TransportException(te.getMessage() + " on " + device.path()
                    + ": the device broke the virtqueue protocol"));
        }
    }

    // ------------------------------------------------------------------------------- state

    private void enter() {
        activeCalls.incrementAndGet();
        if (closed) {
            activeCalls.decrementAndGet();
            throw new TransportException("transport to " + device.path() + " is closed");
        }
        TransportException b = broken;
        if (b != null) {
            activeCalls.decrementAndGet();
            throw rethrow(b);
        }
    }

    private void leave() {
        activeCalls.decrementAndGet();
    }

    private void checkBroken() {
        TransportException b = broken;
        if (b != null) {
            throw rethrow(b);
        }
    }

    /** A fresh exception of the same kind, so each caller gets its own stack trace with the cause. */
    private static TransportException rethrow(TransportException b) {
        if (b instanceof DaemonExitedException) {
            return new DaemonExitedException(b.getMessage(), b);
        }
        return new TransportException(b.getMessage(), b);
    }

    private void markBroken(TransportException e) {
        synchronized (closeLock) {
            if (broken != null) {
                return;
            }
            broken = e;
        }
        LOG.log(System.Logger.Level.DEBUG, "transport broken: {0}", e.getMessage());
        for (Slot s : slots) {
            Thread w = s.waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
        slotPermits.release(Integer.MAX_VALUE / 2); // every caller waiting for a slot wakes and sees the failure
        // wake a leader blocked in read() and a hiprio sender in poll() (the eventfds are ours, still open)
        LibC.write(requestCallFd, eventfdOne, 8);
        LibC.write(hiprioCallFd, eventfdOne, 8);
    }

    /**
     * Why the transport stopped working (daemon exited, protocol error, closed), or null while it works.
     */
    public TransportException failure() {
        return broken;
    }

    @Override
    public int maxInFlight() {
        return config.maxInFlight();
    }

    @Override
    public int maxRequestBytes() {
        return config.maxRequestBytes();
    }

    @Override
    public int maxReplyBytes() {
        return config.maxReplyBytes();
    }

    /** Largest request {@link #sendNoReply} takes, in bytes. */
    public int maxNoReplyBytes() {
        return config.hiprioRequestBytes();
    }

    @Override
    public DeviceInfo device() {
        return device;
    }

    // test hooks: inject what a real daemon never sends (same package only)

    ByteBuffer sharedMemoryForTest() {
        return mem;
    }

    SplitVirtqueue requestQueueForTest() {
        return requestQueue;
    }

    /** Signals the request queue's call eventfd, as the device does after completing. */
    void signalRequestCallForTest() {
        LibC.write(requestCallFd, eventfdOne, 8);
    }

    /** The configuration this transport was connected with. */
    public Config config() {
        return config;
    }

    /**
     * Fails pending callers, stops both queues with GET_VRING_BASE (unless the daemon is already gone),
     * closes the socket and eventfds and unmaps the memory. Waits at most the timeout for callers to
     * leave; if one does not (a handler that never returns), the memory stays mapped rather than risk a
     * crash. Idempotent.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean daemonGone = broken instanceof DaemonExitedException;
        markBroken(new TransportException("transport to " + device.path() + " was closed"));
        try {
            watchdog.join(Math.max(1000, 10 * watchdogTickMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (activeCalls.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        boolean quiet = activeCalls.get() == 0;
        if (!daemonGone && quiet) {
            try {
                for (int q : new int[] {HIPRIO_QUEUE, REQUEST_QUEUE}) {
                    control.send(Request.GET_VRING_BASE, false, VhostUserMessage.vringState(q, 0));
                    control.receiveReply(Request.GET_VRING_BASE,
                            System.nanoTime() + Math.min(timeoutNanos, CLOSE_REPLY_TIMEOUT_NANOS));
                }
            } catch (TransportException e) {
                LOG.log(System.Logger.Level.DEBUG, "GET_VRING_BASE during close failed: {0}", e.getMessage());
            }
        }
        control.close();
        LibC.close(requestKickFd);
        LibC.close(requestCallFd);
        LibC.close(hiprioKickFd);
        LibC.close(hiprioCallFd);
        if (quiet) {
            region.close();
        } else {
            region.closeFd();
            LOG.log(System.Logger.Level.WARNING, "{0} call(s) still inside the transport after {1} ms; leaving the "
                    + "shared memory mapped", activeCalls.get(), config.timeout().toMillis());
        }
    }
}
