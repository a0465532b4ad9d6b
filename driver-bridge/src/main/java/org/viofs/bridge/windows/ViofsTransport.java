package org.viofs.bridge.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.viofs.bridge.DeviceInfo;
import org.viofs.bridge.DeviceRemovedException;
import org.viofs.bridge.DirectReadTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.bridge.RequestTooLargeException;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.TransportTimeoutException;

/**
 * {@link org.viofs.bridge.FuseTransport} over one viofs.sys device handle (docs/viofs-anchor.md §1).
 *
 * <p>All decisions live here and in the pure classes it uses; the handle only makes the calls, so
 * this class runs on Linux against a fake handle. Per exchange: the request buffers are gathered into
 * one page-aligned native input buffer, the reply lands in a page-aligned native output buffer, and
 * the handler sees that output read-only. Requests are serialized (the driver's queue is sequential
 * and the handle synchronous: {@link #maxInFlight()} is 1); waiting callers give up after the lock
 * timeout. A DeviceIoControl in progress cannot be timed out (synchronous handle, as in the anchor).
 *
 * <p><b>IOCTL choice.</b> {@link RequestIoctlProbe}: the first request tries FUSE_REQUEST
 * 0x0022E006 and on ERROR_INVALID_FUNCTION is resent with 0x0022E004. The zero-copy READ IOCTL
 * 0x0022E00A is tried on the first {@link #exchangeRead} and used only if accepted; it runs under the
 * same lock, so strictly one at a time per handle (§1.8).
 *
 * <p><b>Size.</b> {@link ChunkPolicy}: every request is checked against the fragment budget before
 * it is sent. When the device fails one with ERROR_GEN_FAILURE because its queue is shorter than the
 * driver's 1,024 fragments, the budget and with it {@link #maxRequestBytes()} and
 * {@link #maxReplyBytes()} go down, a warning says why (once per step), and the caller gets a
 * {@link RequestTooLargeException}: nothing reached the daemon, so it retries in smaller pieces.
 *
 * <p>Thread-safe. The creator closes it; closing closes the handle.
 */
public final class ViofsTransport implements DirectReadTransport {
    /**
     * {@code sizeof(struct fuse_out_for_read)}: the out header + the data buffer's address (virtiofs.h,
     * docs/viofs-anchor.md §1.5). The driver's minimum request and reply are the FUSE header sizes
     * ({@link #IN_HEADER_BYTES}, {@link #OUT_HEADER_BYTES}, FORGET included).
     */
    public static final int OUT_FOR_READ_BYTES = OUT_HEADER_BYTES + 8;
    /** Offset of {@code original_pointer} in {@code fuse_out_for_read}. */
    static final int OUT_FOR_READ_POINTER_OFFSET = 16;
    /** Default bound on waiting for the device while another request holds it. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(5);

    private static final System.Logger LOG = System.getLogger(ViofsTransport.class.getName());

    private final ViofsDeviceHandle handle;
    private final DeviceInfo device;
    private final long lockTimeoutNanos;
    private final ReentrantLock lock = new ReentrantLock(true);
    // guarded by lock
    private final ChunkPolicy policy;
    private final RequestIoctlProbe probe = new RequestIoctlProbe();
    private Memory inBlock;
    private Pointer inAligned;
    private long inCapacity;
    private Memory outBlock;
    private Pointer outAligned;
    private long outCapacity;
    // read without the lock
    private volatile int maxRequestBytes;
    private volatile int maxReplyBytes;
    private volatile boolean closed;
    private volatile String goneBecause;

    /**
     * @param handle      an open device; owned by the transport from now on
     * @param tag         the device's mount tag ({@link #readTag})
     * @param policy      the size policy (a fresh {@link ChunkPolicy} or one with a remembered budget)
     * @param lockTimeout how long a caller waits while another request holds the device
     */
    public ViofsTransport(ViofsDeviceHandle handle, String tag, ChunkPolicy policy, Duration lockTimeout) {
        this.handle = handle;
        this.device = new DeviceInfo("viofs.sys", tag, handle.path());
        this.policy = policy;
        this.lockTimeoutNanos = lockTimeout.toNanos();
        this.maxRequestBytes = policy.maxRequestBytes();
        this.maxReplyBytes = policy.maxReplyBytes();
    }

    /**
     * Reads the mount tag with GET_VOLUME_NAME (a 37-WCHAR buffer).
     *
     * @throws Win32CallException when the IOCTL fails (the anchor then uses {@link MountTag#FALLBACK})
     */
    public static String readTag(ViofsDeviceHandle handle) throws Win32CallException {
        try (Memory out = new Memory(MountTag.BUFFER_BYTES)) {
            out.clear();
            int n = handle.deviceIoControl(ViofsIoctl.GET_VOLUME_NAME, null, 0, out, MountTag.BUFFER_BYTES);
            return MountTag.decode(out.getByteArray(0, MountTag.BUFFER_BYTES), n);
        }
    }

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        if (replyCapacity < OUT_HEADER_BYTES) {
            throw new IllegalArgumentException("reply capacity " + replyCapacity + " is below the "
                    + OUT_HEADER_BYTES + "-byte fuse_out_header viofs.sys requires");
        }
        int inLength = length(request);
        acquire();
        try {
            int fragments = Fragments.worstCase(inLength) + Fragments.worstCase(replyCapacity);
            checkSize(inLength, replyCapacity, fragments);
            Pointer in = gather(request, inLength);
            Pointer out = output(replyCapacity);
            int returned = carry(in, inLength, out, replyCapacity, fragments);
            if (returned < 0 || returned > replyCapacity) {
                throw new TransportException("viofs.sys device " + handle.path() + " reported " + returned
                        + " reply bytes for a " + replyCapacity + "-byte buffer");
            }
            return handler.handle(readOnly(out, returned));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void sendNoReply(ByteBuffer[] request) {
        int inLength = length(request);
        acquire();
        try {
            // viofs.sys refuses FUSE_REQUEST with less than a fuse_out_header of output, FORGET
            // included; the device writes nothing into it (docs/viofs-anchor.md §1.8).
            int fragments = Fragments.worstCase(inLength) + Fragments.worstCase(OUT_HEADER_BYTES);
            checkSize(inLength, OUT_HEADER_BYTES, fragments);
            Pointer in = gather(request, inLength);
            Pointer out = output(OUT_HEADER_BYTES);
            carry(in, inLength, out, OUT_HEADER_BYTES, fragments);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> T exchangeRead(ByteBuffer[] request, ByteBuffer destination, ReadReplyHandler<T> handler) {
        if (!destination.isDirect()) {
            throw new IllegalArgumentException("the zero-copy READ needs a direct destination buffer");
        }
        int capacity = destination.remaining();
        if (!Boolean.FALSE.equals(directReadAccepted())) {
            int inLength = length(request);
            acquire();
            try {
                if (!Boolean.FALSE.equals(probe.readAccepted())) {
                    return directRead(request, inLength, destination, capacity, handler);
                }
            } catch (DirectReadRefused refused) {
                // fall through to the copying path, outside the lock
            } finally {
                lock.unlock();
            }
        }
        return exchange(request, OUT_HEADER_BYTES + capacity, reply -> handler.handle(reply, false));
    }

    /** Signals, under the lock, that the driver does not know the READ IOCTL. */
    private static final class DirectReadRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DirectReadRefused() {
            super(null, null, false, false);
        }
    }

    private <T> T directRead(ByteBuffer[] request, int inLength, ByteBuffer destination, int capacity,
                             ReadReplyHandler<T> handler) {
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(destination)) + destination.position();
        int fragments = Fragments.worstCase(inLength) + Fragments.worstCase(OUT_FOR_READ_BYTES)
                + Fragments.span(address, capacity);
        checkSize(inLength, OUT_HEADER_BYTES + capacity, fragments);
        Pointer in = gather(request, inLength);
        Pointer out = output(OUT_FOR_READ_BYTES);
        out.clear(OUT_FOR_READ_BYTES);
        // hdr.len = capacity of the data buffer; original_pointer = its address in this process (§1.5)
        out.setInt(0, capacity);
        out.setLong(OUT_FOR_READ_POINTER_OFFSET, address);
        int returned;
        try {
            returned = handle.deviceIoControl(ViofsIoctl.FUSE_REQUEST_READ, in, inLength, out, OUT_FOR_READ_BYTES);
        } catch (Win32CallException e) {
            if (e.error() == Win32Error.ERROR_INVALID_FUNCTION && probe.readAccepted() == null) {
                probe.readProbed(false);
                LOG.log(Level.INFO, "viofs.sys at {0} does not support the zero-copy {1}; READs are copied",
                        handle.path(), ViofsIoctl.describe(ViofsIoctl.FUSE_REQUEST_READ));
                throw new DirectReadRefused();
            }
            throw failure(e, fragments);
        }
        if (probe.readAccepted() == null) {
            probe.readProbed(true);
            LOG.log(Level.INFO, "viofs.sys at {0} accepts the zero-copy {1}", handle.path(),
                    ViofsIoctl.describe(ViofsIoctl.FUSE_REQUEST_READ));
        }
        // BytesReturned is 16 for this IOCTL (the header; the data length is hdr.len - 16). What came back is
        // handed on unchecked: the FUSE client checks the header and the length, as on every other path.
        if (returned < 0 || returned > OUT_FOR_READ_BYTES) {
            throw new TransportException("viofs.sys device " + handle.path() + " reported " + returned
                    + " bytes returned for the " + OUT_FOR_READ_BYTES + "-byte zero-copy READ output buffer");
        }
        return handler.handle(readOnly(out, Math.min(returned, OUT_HEADER_BYTES)), true);
    }

    @Override
    public Boolean directReadAccepted() {
        return probe.readAccepted();
    }

    /** Sends with the probed request IOCTL, resending once with the older code if the driver asks. */
    private int carry(Pointer in, int inLength, Pointer out, int outLength, int fragments) {
        while (true) {
            int code = probe.requestCode();
            try {
                int returned = handle.deviceIoControl(code, in, inLength, out, outLength);
                if (!probe.settled()) {
                    probe.accepted();
                    LOG.log(Level.INFO, "viofs.sys at {0} takes {1}", handle.path(), ViofsIoctl.describe(code));
                }
                return returned;
            } catch (Win32CallException e) {
                if (e.error() == Win32Error.ERROR_INVALID_FUNCTION && !probe.settled()) {
                    if (probe.rejected()) {
                        continue;
                    }
                    throw new Win32TransportException("viofs.sys device " + handle.path() + " accepts neither "
                            + ViofsIoctl.describe(ViofsIoctl.FUSE_REQUEST) + " nor "
                            + ViofsIoctl.describe(ViofsIoctl.FUSE_REQUEST_BUFFERED)
                            + ": not a viofs.sys device, or a driver generation this service does not know",
                            e.error(), e);
                }
                throw failure(e, fragments);
            }
        }
    }

    private TransportException failure(Win32CallException e, int fragments) {
        if (e.error() == Win32Error.ERROR_GEN_FAILURE) {
            OptionalInt lowered = policy.afterGenFailure(fragments);
            if (lowered.isPresent()) {
                maxRequestBytes = policy.maxRequestBytes();
                maxReplyBytes = policy.maxReplyBytes();
                LOG.log(Level.WARNING, "viofs.sys at {0} refused a request of {1} fragments with {2}; the host''s"
                                + " virtqueue is probably shorter than the driver''s {3} (QEMU''s default queue-size is"
                                + " {4}; set queue-size=1024 on the vhost-user-fs device). Requests are now limited to"
                                + " {5} fragments: {6} bytes each way",
                        handle.path(), fragments, Win32Error.describe(e.error()), Fragments.DRIVER_MAX_FRAGMENTS,
                        ChunkPolicy.QEMU_DEFAULT_QUEUE_SIZE, lowered.getAsInt(), maxRequestBytes);
                return new RequestTooLargeException("viofs.sys device " + handle.path() + " refused a request of "
                        + fragments + " fragments (" + Win32Error.describe(e.error()) + ")", maxRequestBytes,
                        maxReplyBytes);
            }
        }
        TransportException mapped = Win32ErrorMapper.map(e, handle.path());
        if (mapped instanceof DeviceRemovedException) {
            goneBecause = mapped.getMessage();
        }
        return mapped;
    }

    private void checkSize(int inLength, int outLength, int fragments) {
        if (inLength < IN_HEADER_BYTES) {
            throw new IllegalArgumentException("a FUSE request has at least the " + IN_HEADER_BYTES
                    + "-byte fuse_in_header, got " + inLength + " bytes");
        }
        if (inLength > maxRequestBytes || outLength > maxReplyBytes || !policy.fits(fragments)) {
            throw new RequestTooLargeException("request of " + inLength + " bytes with " + outLength
                    + " reply bytes (" + fragments + " fragments) exceeds the current limit of " + policy.budget()
                    + " fragments", maxRequestBytes, maxReplyBytes);
        }
    }

    private static int length(ByteBuffer[] request) {
        long total = 0;
        for (ByteBuffer b : request) {
            total += b.remaining();
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("request of " + total + " bytes");
        }
        return (int) total;
    }

    private Pointer gather(ByteBuffer[] request, int inLength) {
        if (inCapacity < inLength) {
            closeQuietly(inBlock);
            inCapacity = roundUpToPage(inLength);
            inBlock = new Memory(inCapacity + Fragments.PAGE_SIZE);
            inAligned = inBlock.align(Fragments.PAGE_SIZE);
        }
        ByteBuffer target = inAligned.getByteBuffer(0, inLength);
        for (ByteBuffer b : request) {
            target.put(b.duplicate());
        }
        return inAligned;
    }

    private Pointer output(int outLength) {
        if (outCapacity < outLength) {
            closeQuietly(outBlock);
            outCapacity = roundUpToPage(outLength);
            outBlock = new Memory(outCapacity + Fragments.PAGE_SIZE);
            outAligned = outBlock.align(Fragments.PAGE_SIZE);
        }
        return outAligned;
    }

    private static ByteBuffer readOnly(Pointer p, int length) {
        return p.getByteBuffer(0, length).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long roundUpToPage(long n) {
        return (n + Fragments.PAGE_SIZE - 1) / Fragments.PAGE_SIZE * Fragments.PAGE_SIZE;
    }

    private static void closeQuietly(Memory m) {
        if (m != null) {
            m.close();
        }
    }

    private void acquire() {
        checkOpen();
        try {
            if (!lock.tryLock(lockTimeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new TransportTimeoutException("waited " + Duration.ofNanos(lockTimeoutNanos)
                        + " for viofs.sys device " + handle.path() + ", which carries one request at a time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for viofs.sys device " + handle.path(), e);
        }
        try {
            checkOpen();
        } catch (TransportException e) {
            lock.unlock();
            throw e;
        }
    }

    private void checkOpen() {
        String gone = goneBecause;
        if (gone != null) {
            throw new DeviceRemovedException("viofs.sys transport for " + handle.path() + " lost its device: " + gone);
        }
        if (closed) {
            throw new TransportException("viofs.sys transport for " + handle.path() + " is closed");
        }
    }

    @Override
    public int maxInFlight() {
        return 1;
    }

    @Override
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    @Override
    public int maxReplyBytes() {
        return maxReplyBytes;
    }

    @Override
    public DeviceInfo device() {
        return device;
    }

    /** The current fragment budget, so a reconnect can start from what worked. */
    public int fragmentBudget() {
        lock.lock();
        try {
            return policy.budget();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        boolean locked = false;
        try {
            locked = lock.tryLock(lockTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            handle.close();
            if (locked) {
                closeQuietly(inBlock);
                closeQuietly(outBlock);
                inBlock = null;
                outBlock = null;
                inCapacity = 0;
                outCapacity = 0;
            }
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }
}
