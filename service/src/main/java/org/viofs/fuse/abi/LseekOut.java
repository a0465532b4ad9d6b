package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_lseek_out} (8): {@code 0 offset u64}, the resulting file offset.
 */
public record LseekOut(long offset) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        b.putLong(offset);
    }

    public static LseekOut decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_lseek_out");
        return new LseekOut(b.getLong());
    }
}
