package org.viofs.fuse;

import java.nio.ByteBuffer;

/**
 * {@code fuse_out_header} (16 bytes), the start of every reply.
 *
 * <pre>
 *  0 len u32 (header included) | 4 error i32 (0 or -errno) | 8 unique u64
 * </pre>
 */
public record OutHeader(int len, int error, long unique) {
    public static final int SIZE = 16;

    public void encode(ByteBuffer b) {
        b.putInt(len).putInt(error).putLong(unique);
    }

    public static OutHeader decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_out_header");
        return new OutHeader(b.getInt(), b.getInt(), b.getLong());
    }
}
