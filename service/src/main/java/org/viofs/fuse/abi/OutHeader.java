package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

import org.viofs.bridge.FuseTransport;

/**
 * {@code fuse_out_header} (16 bytes), the start of every reply.
 *
 * <pre>
 *  0 len u32 (header included) | 4 error i32 (0 or -errno) | 8 unique u64
 * </pre>
 */
public record OutHeader(int len, int error, long unique) {
    /** The one definition lives with the transport contract, which needs it too. */
    public static final int SIZE = FuseTransport.OUT_HEADER_BYTES;

    /** {@code len} of the header at {@code b}'s position (absolute read, position unchanged). */
    public static int len(ByteBuffer b) {
        return b.getInt(b.position());
    }

    /** {@code error} of the header at {@code b}'s position. */
    public static int error(ByteBuffer b) {
        return b.getInt(b.position() + 4);
    }

    /** {@code unique} of the header at {@code b}'s position. */
    public static long unique(ByteBuffer b) {
        return b.getLong(b.position() + 8);
    }

    public void encode(ByteBuffer b) {
        b.putInt(len).putInt(error).putLong(unique);
    }

    public static OutHeader decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_out_header");
        return new OutHeader(b.getInt(), b.getInt(), b.getLong());
    }
}
