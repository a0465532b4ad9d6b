package org.viofs.bridge;

import java.nio.ByteBuffer;

/**
 * Moves complete FUSE requests to the device and their replies back.
 *
 * <p>A request is the device-readable part of one virtio-fs exchange: {@code fuse_in_header}
 * followed by the operation's arguments and data, given as one or more buffers that are read from
 * their position to their limit and sent back to back, unchanged (the codec in the service module
 * builds them; the transport never looks inside). The reply is the device-writable part:
 * {@code fuse_out_header} followed by the reply body; the transport hands the handler exactly the bytes
 * the device wrote, however many, and checks none of them: every FUSE check is the client's.
 *
 * <p><b>Thread safety.</b> Implementations are thread-safe. Up to {@link #maxInFlight()} exchanges
 * proceed concurrently; further callers wait (bounded by the transport's timeout). Each caller waits
 * for its own completion only.
 *
 * <p><b>Failures.</b> Every method throws {@link TransportException} (or a subclass) when the device
 * or daemon is gone, a wait timed out, or the device broke the transport protocol. A FUSE error reply
 * (negative {@code error} in the out header) is <i>not</i> a transport failure: it is handed to the
 * reply handler like any other reply.
 *
 * <p><b>Lifecycle.</b> The creator closes it. After {@link #close()} every call fails with a
 * {@link TransportException}.
 */
public interface FuseTransport extends AutoCloseable {
    /**
     * {@code sizeof(struct fuse_in_header)}: every request starts with it, and virtiofsd aborts on a
     * device-readable part shorter than this (docs/vhost-user-frontend.md §7.1). The one definition of
     * the FUSE header sizes; the client's wire records ({@code org.viofs.fuse.abi}) use these.
     */
    int IN_HEADER_BYTES = 40;
    /**
     * {@code sizeof(struct fuse_out_header)}: the least reply capacity a request may offer (viofs.sys
     * refuses less, docs/viofs-anchor.md §1.8). Transports never read the header; the client does.
     */
    int OUT_HEADER_BYTES = 16;

    /**
     * Sends one request on the request queue and waits for its reply.
     *
     * @param request the request bytes, in order; each buffer is read from position to limit, and
     *                positions are left unchanged
     * @param replyCapacity how many bytes the device may write: at least 16 plus the largest reply
     *                      the request can produce (virtiofsd fails a READ with E2BIG, and writes
     *                      nothing at all for other opcodes, when this is too small)
     * @param handler called once with the reply: a read-only little-endian buffer from position 0 to
     *                the number of bytes the device wrote (possibly fewer than a header, even 0). The
     *                buffer is valid only during the call (it may be shared memory that is reused
     *                afterwards)
     * @return what the handler returned
     * @throws TransportException if the exchange could not be completed
     */
    <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler);

    /**
     * Sends one request that has no reply (FUSE_FORGET, FUSE_BATCH_FORGET) on the high-priority
     * queue. Returns once the device has taken it.
     *
     * @throws TransportException if the request could not be delivered
     */
    void sendNoReply(ByteBuffer[] request);

    /** How many exchanges this transport carries at once (viofs.sys: 1; vhost-user: queue-bound). */
    int maxInFlight();

    /**
     * The largest device-readable part (header + arguments + data) one request may have, in bytes.
     * Before FUSE_INIT the client must stay within the FUSE minimum; after it, within
     * {@code min(this, max_write + 4096)}.
     */
    int maxRequestBytes();

    /** The largest device-writable part (reply capacity) one request may have, in bytes. */
    int maxReplyBytes();

    /** What this transport is connected to (kind, mount tag, path). */
    DeviceInfo device();

    /** Releases the device; pending and later exchanges fail. Idempotent. */
    @Override
    void close();
}
