package org.viofs.bridge;

import java.nio.ByteBuffer;

/**
 * Optional extension of {@link FuseTransport} for transports that can let the device write the
 * data of a FUSE READ straight into the caller's memory (viofs.sys's zero-copy READ IOCTL,
 * docs/viofs-anchor.md §1.5). The FUSE client checks {@code transport instanceof DirectReadTransport}
 * and otherwise uses {@link FuseTransport#exchange}.
 *
 * <p>Usage: build the READ request as for {@code exchange} (fuse_in_header + fuse_read_in), pass the
 * destination (a <b>direct</b> buffer; the data may land from its position, at most {@code remaining()}
 * bytes, which must not be less than the READ size) and a handler. The transport moves bytes only and
 * tells the handler which way they went:
 * <ul>
 *   <li>{@code dataInDestination == true}: the zero-copy IOCTL ran. {@code reply} is what the device
 *       returned in the output buffer (the {@code fuse_out_header}); the data, if any, is in the
 *       destination and only {@code len} in that header says how much.</li>
 *   <li>{@code dataInDestination == false}: the device does not take the zero-copy IOCTL, and the
 *       request went as an ordinary exchange with a reply capacity of {@code 16 + remaining()}.
 *       {@code reply} is the whole reply as written (header and data); nothing is in the destination.</li>
 * </ul>
 * Positions and limits are left unchanged. Thread-safe like the transport.
 */
public interface DirectReadTransport extends FuseTransport {

    /** Consumes the reply of one {@link #exchangeRead}. */
    @FunctionalInterface
    interface ReadReplyHandler<T> {
        /**
         * @param reply             read-only, little-endian, position 0, limit = bytes the device
         *                          returned; valid only during the call
         * @param dataInDestination whether the data went straight into the destination (see the type)
         */
        T handle(ByteBuffer reply, boolean dataInDestination);
    }

    /**
     * Carries one FUSE READ, with the data written into {@code destination} when the device can.
     *
     * @throws IllegalArgumentException if {@code destination} is not direct
     * @throws TransportException       as {@link FuseTransport#exchange}
     */
    <T> T exchangeRead(ByteBuffer[] request, ByteBuffer destination, ReadReplyHandler<T> handler);

    /**
     * Whether the zero-copy path is in use: {@code null} until the first READ has probed it, then
     * true or false for good.
     */
    Boolean directReadAccepted();
}
