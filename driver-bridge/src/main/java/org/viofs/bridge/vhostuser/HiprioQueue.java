package org.viofs.bridge.vhostuser;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.TransportTimeoutException;
import org.viofs.bridge.linux.LibC;

/**
 * The high-priority queue (virtio-fs queue 0) of a {@link VhostUserTransport}: carries requests without
 * a reply (FORGET, BATCH_FORGET). Each request is copied into the buffer of its one device-readable
 * descriptor, published, kicked, and waited for (bounded) until the daemon has completed it, so a
 * FORGET has taken effect when {@link #send} returns. Sends are serialised by one lock; the sending
 * caller drives the queue itself (no thread of its own). Failures are reported through the owning
 * transport, which the whole connection shares.
 */
final class HiprioQueue {
    private final VhostUserTransport owner;
    private final SplitVirtqueue queue;
    private final ByteBuffer mem;
    private final int bufferOffset;
    private final int bufferBytes;
    private final int kickFd;
    private final int callFd;
    private final ReentrantLock lock = new ReentrantLock();
    private final Memory pollFds = new Memory(2L * LibC.POLLFD_SIZE);
    private final Memory scratch = new Memory(8);

    HiprioQueue(VhostUserTransport owner, SplitVirtqueue queue, ByteBuffer mem, int bufferOffset, int bufferBytes,
                int kickFd, int callFd, int socketFd) {
        this.owner = owner;
        this.queue = queue;
        this.mem = mem;
        this.bufferOffset = bufferOffset;
        this.bufferBytes = bufferBytes;
        this.kickFd = kickFd;
        this.callFd = callFd;
        pollFds.clear();
        pollFds.setInt(LibC.POLLFD_FD_OFF, callFd);
        pollFds.setShort(LibC.POLLFD_EVENTS_OFF, LibC.POLLIN);
        pollFds.setInt(LibC.POLLFD_SIZE + LibC.POLLFD_FD_OFF, socketFd);
        pollFds.setShort(LibC.POLLFD_SIZE + LibC.POLLFD_EVENTS_OFF, LibC.POLLIN);
    }

    /** Largest request {@link #send} takes, in bytes. */
    int maxRequestBytes() {
        return bufferBytes;
    }

    /**
     * Sends one request of {@code length} bytes and waits until the daemon has completed it.
     *
     * @param deadline {@link System#nanoTime()} bound of every wait
     */
    void send(ByteBuffer[] request, int length, long deadline) {
        lock.lock();
        try {
            owner.checkBroken();
            int d;
            while (true) {
                reap();
                owner.checkBroken();
                d = queue.allocate();
                if (d >= 0) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TransportTimeoutException("the daemon took no hiprio request within "
                            + owner.config().timeout().toMillis() + " ms (" + queue.size() + " pending on "
                            + owner.device().path() + ")" + owner.diagnostics());
                }
                waitForSignal(left);
            }
            int off = bufferOffset + d * bufferBytes;
            VhostUserTransport.copyRequest(mem, request, off);
            queue.writeDescriptor(d, VhostUserBringup.GPA_BASE + off, length, 0, 0);
            queue.publish(d);
            owner.kick(kickFd, "hiprio");
            // wait until the daemon has processed it (used element, len 0): a FORGET's effect is then
            // visible, and a dead daemon is noticed here rather than by a later caller
            while (true) {
                reap();
                owner.checkBroken();
                if (!queue.isInFlight(d)) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TransportTimeoutException("the daemon did not complete a hiprio request within "
                            + owner.config().timeout().toMillis() + " ms on " + owner.device().path()
                            + owner.diagnostics());
                }
                waitForSignal(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Reaps completions; a used element the queue refuses (bad id, len over the 0 offered) breaks the transport. */
    private void reap() {
        try {
            while (queue.pollUsed() != -1) {
                // nothing to hand back: the request has no reply
            }
        } catch (TransportException te) {
            owner.markBroken(new TransportException(te.getMessage() + " on " + owner.device().path()
                    + ": the device broke the virtqueue protocol"));
        }
    }

    /** One bounded poll on the call eventfd and the socket; drains the eventfd; detects a dead daemon. */
    private void waitForSignal(long leftNanos) {
        pollFds.setShort(LibC.POLLFD_REVENTS_OFF, (short) 0);
        pollFds.setShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS_OFF, (short) 0);
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (leftNanos + 999_999) / 1_000_000));
        int r = LibC.poll(pollFds, 2, millis);
        if (r < 0) {
            int e = Native.getLastError();
            if (e != LibC.EINTR) {
                owner.markBroken(new TransportException("poll on the call eventfd failed: " + LibC.strerror(e)));
            }
            return;
        }
        if (r == 0) {
            return;
        }
        short sockEvents = pollFds.getShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS_OFF);
        if (sockEvents != 0) {
            owner.checkSocket(sockEvents, scratch);
        }
        if ((pollFds.getShort(LibC.POLLFD_REVENTS_OFF) & LibC.POLLIN) != 0) {
            LibC.read(callFd, scratch, 8); // resets the counter; EAGAIN is harmless
        }
    }
}
