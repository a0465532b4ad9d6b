package org.viofs.bridge.vhostuser;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.viofs.bridge.DaemonExitedException;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.linux.LibC;
import org.viofs.bridge.vhostuser.VhostUserMessage.MemoryRegion;
import org.viofs.bridge.vhostuser.VhostUserMessage.Request;

/**
 * The vhost-user bring-up of a {@link VhostUserTransport} (docs/vhost-user-frontend.md §3): features,
 * protocol features (MQ, REPLY_ACK), owner, memory table, then per queue NUM, BASE, ADDR, CALL, KICK,
 * ENABLE, each acknowledged (NEED_REPLY) when the backend offers REPLY_ACK. Every control exchange is
 * bounded by the configured timeout, and a failure names the step. Used once per connection, by one
 * thread.
 */
final class VhostUserBringup {
    /** Virtqueue index of the high-priority queue (virtio-fs: queue 0). */
    static final int HIPRIO_QUEUE = 0;
    /** Virtqueue index of the single request queue of virtiofsd 7.2 (virtio-fs: queues 1..n; §6). */
    static final int REQUEST_QUEUE = 1;
    /** Queues the backend must have: hiprio + one request queue (GET_QUEUE_NUM, §6). */
    static final int QUEUES_NEEDED = 2;
    /**
     * Guest-physical base address of the region: any value works, it is only the translation key for
     * descriptor addresses; chosen unlike any mmap address to keep the two address spaces apart (§4).
     */
    static final long GPA_BASE = 0x1_0000_0000L;

    /** What a finished bring-up hands to the transport, which owns it from then on. */
    record Link(ControlChannel control, SharedMemoryRegion region, SplitVirtqueue hiprioQueue,
                SplitVirtqueue requestQueue, int hiprioKickFd, int hiprioCallFd, int requestKickFd,
                int requestCallFd) {
    }

    private final ControlChannel control;
    private final long timeoutNanos;
    private boolean replyAck;

    private VhostUserBringup(ControlChannel control, long timeoutNanos) {
        this.control = control;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Connects to the backend at {@code socket} and brings both queues up. FUSE_INIT is the caller's.
     *
     * @throws TransportException naming the step when the backend refuses or exits during bring-up
     */
    static Link connect(Path socket, VhostUserConfig config) {
        ControlChannel control = ControlChannel.connect(socket, config.diagnostics());
        SharedMemoryRegion region = null;
        int[] eventfds = {-1, -1, -1, -1};
        try {
            VhostUserBringup b = new VhostUserBringup(control, config.timeout().toNanos());
            boolean protocolFeatures = b.negotiate(socket);
            long total = config.regionBytes();
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
            ByteBuffer mem = region.buffer();
            SplitVirtqueue hiprio = new SplitVirtqueue("hiprio", mem, config.hiprioOffset(), config.hiprioQueueSize());
            SplitVirtqueue request = new SplitVirtqueue("request", mem, config.requestOffset(), config.queueSize());
            b.startQueue(region, HIPRIO_QUEUE, hiprio, eventfds[0], eventfds[1], protocolFeatures);
            b.startQueue(region, REQUEST_QUEUE, request, eventfds[2], eventfds[3], protocolFeatures);
            return new Link(control, region, hiprio, request, eventfds[0], eventfds[1], eventfds[2], eventfds[3]);
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

    /** Features, protocol features, queue count, owner; returns whether protocol features are in use. */
    private boolean negotiate(Path socket) {
        long features = getU64(Request.GET_FEATURES);
        if ((features & VhostUserMessage.VIRTIO_F_VERSION_1) == 0) {
            throw new TransportException("backend at " + socket + " does not offer VIRTIO_F_VERSION_1 (features 0x"
                    + Long.toHexString(features) + ")");
        }
        boolean protocolFeatures = (features & VhostUserMessage.VHOST_USER_F_PROTOCOL_FEATURES) != 0;
        if (protocolFeatures) {
            long offered = getU64(Request.GET_PROTOCOL_FEATURES);
            long wanted = offered & (VhostUserMessage.PROTOCOL_F_MQ | VhostUserMessage.PROTOCOL_F_REPLY_ACK);
            // not acknowledged itself: REPLY_ACK applies to the messages after it (§3)
            control.send(Request.SET_PROTOCOL_FEATURES, false, VhostUserMessage.u64(wanted));
            replyAck = (wanted & VhostUserMessage.PROTOCOL_F_REPLY_ACK) != 0;
            if ((wanted & VhostUserMessage.PROTOCOL_F_MQ) != 0) {
                long queues = getU64(Request.GET_QUEUE_NUM);
                if (queues < QUEUES_NEEDED) {
                    throw new TransportException("backend at " + socket + " has " + queues + " queues, "
                            + QUEUES_NEEDED + " needed (hiprio + request)");
                }
            }
        }
        setup(Request.SET_OWNER, null);
        setup(Request.SET_FEATURES, VhostUserMessage.u64(VhostUserMessage.VIRTIO_F_VERSION_1
                | (protocolFeatures ? VhostUserMessage.VHOST_USER_F_PROTOCOL_FEATURES : 0)));
        return protocolFeatures;
    }

    private void startQueue(SharedMemoryRegion region, int index, SplitVirtqueue q, int kickFd, int callFd,
                            boolean enable) {
        long base = region.address();
        setup(Request.SET_VRING_NUM, VhostUserMessage.vringState(index, q.size()));
        setup(Request.SET_VRING_BASE, VhostUserMessage.vringState(index, 0));
        setup(Request.SET_VRING_ADDR, VhostUserMessage.vringAddr(index, base + q.descOffset(),
                base + q.usedOffset(), base + q.availOffset()));
        // the call fd is effectively mandatory (pitfall 4); it gets one spurious signal right away (§2.2)
        setup(Request.SET_VRING_CALL, VhostUserMessage.vringFile(index, false), callFd);
        // KICK starts the daemon's queue thread: everything above must be in place first (§3)
        setup(Request.SET_VRING_KICK, VhostUserMessage.vringFile(index, false), kickFd);
        if (enable) {
            setup(Request.SET_VRING_ENABLE, VhostUserMessage.vringState(index, 1));
        }
    }

    private long getU64(Request r) {
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

    private void setup(Request r, ByteBuffer payload, int... fds) {
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
