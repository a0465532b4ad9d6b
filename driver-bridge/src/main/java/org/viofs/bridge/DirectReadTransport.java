package org.viofs.bridge;

import java.nio.ByteBuffer;

/**
 * Optional extension of {@link FuseTransport} for transports that can let the device write the
 * data of a FUSE READ straight into the caller's memory (viofs.sys's zero-copy READ IOCTL,
 * viofs-anchor.md §1.5). A client checks {@code transport instanceof DirectReadTransport} and
 * otherwise uses {@link FuseTransport#exchange}.
 *
 * <p>Usage: build the READ request as for {@code exchange} (fuse_in_header + fuse_read_in), pass
 * the destination (a <b>direct</b> buffer; the data lands from its position, at most
 * {@code remaining()} bytes, which must not be less than the READ size) and a handler. The handler
 * gets the 16-byte {@code fuse_out_header} whose {@code len} is 16 plus the bytes written to the
 * destination; on a FUSE error nothing is written. Positions and limits are left unchanged.
 *
 * <p>Implementations fall back to an ordinary exchange plus a copy when the device does not accept
 * the zero-copy path, so callers need not care which one ran. Thread-safe like the transport.
 */
public interface DirectReadTransport extends FuseTransport {

    /**
     * Carries one FUSE READ with the data written into {@code destination}.
     *
     * @throws IllegalArgumentException if {@code destination} is not direct
     * @throws TransportException       as {@link FuseTransport#exchange}
     */
    <T> T exchangeRead(ByteBuffer[] request, ByteBuffer destination, ReplyHandler<T> handler);

    /**
     * Whether the zero-copy path is in use: {@code null} until the first READ has probed it, then
     * true or false for good.
     */
    Boolean directReadAccepted();

    /**
     * Carries a FUSE READ into {@code destination} over any transport: through
     * {@link #exchangeRead} when {@code transport} offers it, otherwise as an ordinary exchange whose
     * data is copied into {@code destination}. Same contract as {@link #exchangeRead}, except that the
     * destination may be a heap buffer on the copying path.
     */
    static <T> T readInto(FuseTransport transport, ByteBuffer[] request, ByteBuffer destination,
                          ReplyHandler<T> handler) {
        if (transport instanceof DirectReadTransport d && destination.isDirect()) {
            return d.exchangeRead(request, destination, handler);
        }
        int room = destination.remaining();
        return transport.exchange(request, OUT_HEADER_BYTES + room, reply -> {
            int data = reply.remaining() - OUT_HEADER_BYTES;
            if (data >= 0 && reply.getInt(reply.position()) != reply.remaining()) {
                throw new TransportException("READ reply header says len "
                        + Integer.toUnsignedString(reply.getInt(reply.position())) + " but " + reply.remaining()
                        + " bytes were written");
            }
            // data beyond the destination is never copied: the handler sees the header's len and refuses it
            if (data > 0 && data <= room) {
                ByteBuffer src = reply.duplicate();
                src.position(reply.position() + OUT_HEADER_BYTES);
                destination.duplicate().put(src);
            }
            ByteBuffer header = reply.duplicate();
            header.limit(Math.min(reply.limit(), reply.position() + OUT_HEADER_BYTES));
            return handler.handle(header.slice().asReadOnlyBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN));
        });
    }

    /** {@code sizeof(struct fuse_out_header)}. */
    int OUT_HEADER_BYTES = 16;
}
