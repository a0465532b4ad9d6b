package org.viofs.bridge;

import java.nio.ByteBuffer;

/**
 * Consumes one FUSE reply while the transport still holds it.
 *
 * @param <T> what the handler makes of the reply
 */
@FunctionalInterface
public interface ReplyHandler<T> {
    /**
     * @param reply read-only, little-endian, position 0, limit = bytes the device wrote; valid only
     *              during this call
     */
    T handle(ByteBuffer reply);
}
