package org.viofs.bridge.vhostuser;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.viofs.bridge.DaemonExitedException;
import org.viofs.bridge.DeviceInfo;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.TransportTimeoutException;
import org.viofs.bridge.linux.LibC;
import org.viofs.bridge.vhostuser.VhostUserMessage.Request;

/**
 * A {@link FuseTransport} that plays QEMU's part for a real virtiofsd: it connects to the daemon's
 * vhost-user socket, shares one memfd with it, and drives the two split virtqueues itself
 * (docs/vhost-user-frontend.md §1-§8): queue 0 (hiprio, {@link HiprioQueue}) carries FORGET/BATCH_FORGET,
 * queue 1 every other request. Bring-up is {@link VhostUserBringup}; sizes and bounds are a
 * {@link VhostUserConfig}. This class is the request/slot protocol.
 *
 * <p><b>Bytes only.</b> The transport copies request bytes in and hands the reply bytes the device
 * wrote (however many, even none) to the {@link ReplyHandler}; it never reads a FUSE header. Every
 * FUSE check is the client's.
 *
 * <p><b>Memory.</b> Rings, a small buffer per hiprio descriptor and one <i>slot</i> per request in flight
 * live in the shared region. A slot is a request area of {@link VhostUserConfig#maxRequestBytes()} and a
 * reply area of {@link VhostUserConfig#maxReplyBytes()}; each request is a flat chain of two descriptors,
 * one device-readable (the request, copied in once) and one device-writable (the reply, which the daemon
 * writes in place and the handler reads in place through a read-only view: no copy, no allocation per
 * request).
 *
 * <p><b>Threads.</b> Thread-safe. Up to {@link VhostUserConfig#maxInFlight()} exchanges run at once. No
 * thread carries requests for callers: a waiting caller becomes the <i>leader</i>, reaps the used ring for
 * everyone and blocks in {@code read} on the request queue's call eventfd; the others park until the
 * leader completes them or hands leadership over. At queue depth 1 the caller itself wakes up on the
 * daemon's signal (kick {@code write}, call {@code read}: two syscalls per request). One daemon
 * watchdog thread per transport polls the socket, so a dead daemon is noticed even while idle, and
 * wakes a leader whose deadline passed or who was interrupted.
 *
 * <p><b>Failures.</b> Every wait (slot, completion, control reply) is bounded by
 * {@link VhostUserConfig#timeout()}. When the daemon closes the socket (exit, crash, SIGKILL) every
 * pending and later call fails with {@link DaemonExitedException}. The device is not trusted: a used
 * element that {@link SplitVirtqueue} refuses (unknown or not-in-flight id, more bytes than offered)
 * breaks the transport at once: every pending caller wakes and fails with a {@link TransportException},
 * every slot is released, and every later call fails without waiting.
 *
 * <p><b>Lifecycle.</b> The creator closes it: {@link #close()} stops both queues (GET_VRING_BASE), closes
 * the socket (the daemon then exits) and unmaps the memory. It does not send FUSE_DESTROY; the FUSE
 * client does that before closing.
 */
public final class VhostUserTransport implements FuseTransport {
    private static final System.Logger LOG = System.getLogger(VhostUserTransport.class.getName());

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
    /** Atomic access to the words of {@link #takenSlots}. */
    private static final VarHandle TAKEN_WORD = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            SLOT_STATE = MethodHandles.lookup().findVarHandle(Slot.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
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
        /** Abandoned because the daemon did not answer within the timeout (not by an interrupt). */
        volatile boolean timedOut;

        Slot(int index, int requestOffset, int replyOffset, ByteBuffer replyView) {
            this.index = index;
            this.requestOffset = requestOffset;
            this.replyOffset = replyOffset;
            this.replyView = replyView;
        }
    }

    private final VhostUserConfig config;
    private final long timeoutNanos;
    private final ControlChannel control;
    private final SharedMemoryRegion region;
    private final ByteBuffer mem;
    private final DeviceInfo device;

    // request queue: submission under ringLock, reaping by the leader (reapLock)
    private final SplitVirtqueue requestQueue;
    private final Slot[] slots;
    private final Slot[] slotByHead;
    /**
     * Which slots are taken, one bit per slot (bit i of word i/64), set and cleared with atomic
     * instructions: no lock on the way in or out. {@link #slotPermits} counts the clear bits, so a caller
     * holding a permit always finds one.
     */
    private final long[] takenSlots;
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

    private final HiprioQueue hiprio;
    private final int requestKickFd;
    private final int requestCallFd;
    private final int hiprioCallFd;
    private final int hiprioKickFd;
    private final Memory eventfdOne = new Memory(8);

    private volatile TransportException broken;
    private volatile boolean closed;
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final Object closeLock = new Object();

    private VhostUserTransport(VhostUserConfig config, VhostUserBringup.Link link) {
        this.config = config;
        this.timeoutNanos = config.timeout().toNanos();
        this.control = link.control();
        this.region = link.region();
        this.mem = region.buffer();
        this.device = new DeviceInfo("vhost-user", config.tag(), control.path().toString());
        this.hiprioKickFd = link.hiprioKickFd();
        this.hiprioCallFd = link.hiprioCallFd();
        this.requestKickFd = link.requestKickFd();
        this.requestCallFd = link.requestCallFd();
        this.eventfdOne.setLong(0, 1);
        this.requestQueue = link.requestQueue();
        this.hiprio = new HiprioQueue(this, link.hiprioQueue(), mem, config.hiprioBufferOffset(),
                config.hiprioRequestBytes(), hiprioKickFd, hiprioCallFd, control.fd());
        int n = config.maxInFlight();
        this.slots = new Slot[n];
        for (int i = 0; i < n; i++) {
            int req = config.slotsOffset() + i * config.slotStride();
            int rep = req + config.requestArea();
            ByteBuffer view = mem.slice(rep, config.maxReplyBytes()).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
            slots[i] = new Slot(i, req, rep, view);
        }
        this.takenSlots = new long[(n + 63) / 64];
        if (n % 64 != 0) {
            // bits past the last slot stay set forever, so they are never handed out
            takenSlots[takenSlots.length - 1] = -1L << (n % 64);
        }
        this.slotPermits = new Semaphore(n);
        this.slotByHead = new Slot[config.queueSize()];
        this.reaped = new Slot[config.queueSize()];
        this.reapedLength = new int[config.queueSize()];
        watchdogPollFd.clear();
        watchdogPollFd.setInt(LibC.POLLFD_FD_OFF, control.fd());
        watchdogPollFd.setShort(LibC.POLLFD_EVENTS_OFF, LibC.POLLIN);
        this.watchdog = new Thread(this::watch, "viofs-vhost-user-watchdog " + control.path());
        this.watchdog.setDaemon(true);
    }

    /**
     * Connects to a virtiofsd listening on {@code socket} and brings both queues up
     * ({@link VhostUserBringup}). FUSE_INIT is the caller's.
     *
     * @throws TransportException naming the step when the backend refuses or exits during bring-up
     * @throws IllegalArgumentException for an invalid configuration
     */
    public static VhostUserTransport connect(Path socket, VhostUserConfig config) {
        config.validate();
        VhostUserTransport t = new VhostUserTransport(config, VhostUserBringup.connect(socket, config));
        t.watchdog.start();
        return t;
    }

    // ------------------------------------------------------------------------------- requests

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        int length = requestLength(request, config.maxRequestBytes(), "request");
        if (replyCapacity < OUT_HEADER_BYTES || replyCapacity > config.maxReplyBytes()) {
            throw new IllegalArgumentException("reply capacity must be in " + OUT_HEADER_BYTES + ".."
                    + config.maxReplyBytes() + " bytes, got " + replyCapacity);
        }
        Objects.requireNonNull(handler, "handler");
        enter();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            Slot slot = acquireSlot(deadline);
            boolean submitted = false;
            try {
                copyRequest(mem, request, slot.requestOffset);
                slot.usedLength = 0;
                slot.waiter = Thread.currentThread();
                slot.state = SLOT_PENDING;
                submitted = true;
                submit(slot, length, replyCapacity);
                if (!awaitCompletion(slot, deadline)) {
                    // abandoned: the leader frees the slot when the device is done with it
                    throw new TransportTimeoutException("no reply within " + config.timeout().toMillis() + " ms from "
                            + device.path() + control.diagnostics());
                }
                // the queue checked used.len against the reply capacity offered: these bytes are all ours
                ByteBuffer view = slot.replyView;
                view.clear().limit(slot.usedLength);
                view.order(ByteOrder.LITTLE_ENDIAN);
                return handler.handle(view);
            } finally {
                slot.waiter = null;
                // a slot the device may still write into is never reused while the transport works: an
                // ABANDONED one is freed by the leader that reaps it. On a broken transport every slot goes
                // back at once (no later call can use it, but none stays taken).
                if (!submitted || (int) SLOT_STATE.getVolatile(slot) == SLOT_DONE
                        || broken != null && SLOT_STATE.compareAndSet(slot, SLOT_PENDING, SLOT_FREE)) {
                    releaseSlot(slot);
                }
            }
        } finally {
            leave();
        }
    }

    private static int requestLength(ByteBuffer[] request, int max, String what) {
        long length = 0;
        for (ByteBuffer b : request) {
            length += b.remaining();
        }
        if (length < IN_HEADER_BYTES) {
            throw new IllegalArgumentException(what + " of " + length + " bytes is shorter than the "
                    + IN_HEADER_BYTES + "-byte fuse_in_header (virtiofsd aborts on it)");
        }
        if (length > max) {
            throw new IllegalArgumentException(what + " of " + length + " bytes exceeds the limit of " + max
                    + " bytes (virtiofsd aborts on a request over max_write + 4 KiB); nothing was sent");
        }
        return (int) length;
    }

    /** Copies the request buffers back to back into shared memory at {@code offset}; positions unchanged. */
    static void copyRequest(ByteBuffer mem, ByteBuffer[] request, int offset) {
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
        // the permit guarantees a clear bit; a failed CAS means another caller took a slot meanwhile, so
        // each retry follows someone else's progress
        while (true) {
            for (int w = 0; w < takenSlots.length; w++) {
                long word = (long) TAKEN_WORD.getVolatile(takenSlots, w);
                while (word != -1L) {
                    int bit = Long.numberOfTrailingZeros(~word);
                    long was = (long) TAKEN_WORD.compareAndExchange(takenSlots, w, word, word | 1L << bit);
                    if (was == word) {
                        return slots[w * 64 + bit];
                    }
                    word = was;
                }
            }
            // only on a broken transport (markBroken hands out permits without slots)
            checkBroken();
            if (deadline - System.nanoTime() <= 0) {
                throw new TransportTimeoutException("no free request slot within " + config.timeout().toMillis()
                        + " ms on " + device.path());
            }
            Thread.onSpinWait();
        }
    }

    private void releaseSlot(Slot slot) {
        slot.timedOut = false;
        slot.state = SLOT_FREE;
        TAKEN_WORD.getAndBitwiseAnd(takenSlots, slot.index >>> 6, ~(1L << slot.index));
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
            requestQueue.writeDescriptor(head, VhostUserBringup.GPA_BASE + slot.requestOffset, length, SplitVirtqueue.VIRTQ_DESC_F_NEXT, reply);
            requestQueue.writeDescriptor(reply, VhostUserBringup.GPA_BASE + slot.replyOffset, replyCapacity,
                    SplitVirtqueue.VIRTQ_DESC_F_WRITE, 0);
            slotByHead[head] = slot;
            requestQueue.publish(head);
        } finally {
            ringLock.unlock();
        }
        kick(requestKickFd, "request");
    }

    void kick(int fd, String queue) {
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
                        slot.timedOut = true;
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
        leaderThread = Thread.currentThread();
        leaderDeadline = deadline;
        while (true) {
            // only the leader consumes the used ring, so it may look at it without the ring lock
            if (requestQueue.hasUsed()) {
                reapRequests();
            }
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

    void checkSocket(short events, Memory scratch) {
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
            s.usedLength = reapedLength[i];
            if (SLOT_STATE.compareAndSet(s, SLOT_PENDING, SLOT_DONE)) {
                Thread w = s.waiter;
                if (w != null && w != me) {
                    LockSupport.unpark(w);
                }
            } else if (SLOT_STATE.compareAndSet(s, SLOT_ABANDONED, SLOT_FREE)) {
                releaseSlot(s);
            }
        }
    }

    /** Wakes one pending caller so that someone leads. */
    private void handOff() {
        int n = slots.length;
        if (slotPermits.availablePermits() >= n - 1) {
            return; // no slot but the caller's own is taken (depth 1): nobody to wake
        }
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
     * <p>Here: on the hiprio queue ({@link HiprioQueue}); returns once the daemon has completed the
     * request, so a FORGET has taken effect. At most {@link #maxNoReplyBytes()} bytes.
     *
     * @throws IllegalArgumentException if the request is shorter than the in header or over the limit
     */
    @Override
    public void sendNoReply(ByteBuffer[] request) {
        int length = requestLength(request, config.hiprioRequestBytes(), "hiprio request");
        enter();
        try {
            hiprio.send(request, length, System.nanoTime() + timeoutNanos);
        } finally {
            leave();
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

    void checkBroken() {
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

    void markBroken(TransportException e) {
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
            // nobody reaps an abandoned slot any more; its caller left long ago
            if (SLOT_STATE.compareAndSet(s, SLOT_ABANDONED, SLOT_FREE)) {
                releaseSlot(s);
            }
        }
        slotPermits.release(Integer.MAX_VALUE / 2); // every caller waiting for a slot wakes and sees the failure
        // wake a leader blocked in read() and a hiprio sender in poll() (the eventfds are ours, still open)
        LibC.write(requestCallFd, eventfdOne, 8);
        LibC.write(hiprioCallFd, eventfdOne, 8);
    }

    /** Some request timed out and the daemon has not completed it since (checked before close frees it). */
    private boolean owesTimedOutReply() {
        for (Slot s : slots) {
            if (s.timedOut && (int) SLOT_STATE.getVolatile(s) == SLOT_ABANDONED) {
                return true;
            }
        }
        return false;
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
        return hiprio.maxRequestBytes();
    }

    /** The daemon's diagnostics for failure messages ("" when none). */
    String diagnostics() {
        return control.diagnostics();
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

    /** Request slots free right now. */
    int freeSlotsForTest() {
        int taken = 0;
        for (int w = 0; w < takenSlots.length; w++) {
            taken += Long.bitCount((long) TAKEN_WORD.getVolatile(takenSlots, w));
        }
        return slots.length - (taken - (64 * takenSlots.length - slots.length));
    }

    /** Signals the request queue's call eventfd, as the device does after completing. */
    void signalRequestCallForTest() {
        LibC.write(requestCallFd, eventfdOne, 8);
    }

    /** The configuration this transport was connected with. */
    public VhostUserConfig config() {
        return config;
    }

    /**
     * Fails pending callers, stops both queues with GET_VRING_BASE (unless the daemon is already gone,
     * or still owes the answer to a request that timed out: a daemon that stopped answering would hold
     * close() for two more waits), closes the socket and eventfds and unmaps the memory. Waits at most
     * the timeout for callers to leave; if one does not (a handler that never returns), the memory
     * stays mapped rather than risk a crash. Idempotent.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean noAnswerExpected = broken instanceof DaemonExitedException || owesTimedOutReply();
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
        if (!noAnswerExpected && quiet) {
            try {
                for (int q : new int[] {VhostUserBringup.HIPRIO_QUEUE, VhostUserBringup.REQUEST_QUEUE}) {
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
