package org.viofs.fuse;

import java.nio.ByteBuffer;

/**
 * Receives the data of one READ reply without a copy, for {@link FuseClient#read(long, long, long, long,
 * ReadChunkConsumer)}.
 */
@FunctionalInterface
public interface ReadChunkConsumer {
    /**
     * @param offset file offset of the first byte
     * @param data   read-only view of the reply's data, position 0, limit = bytes read (never 0); valid
     *               only during this call, because it may be the transport's shared memory
     */
    void accept(long offset, ByteBuffer data);
}
