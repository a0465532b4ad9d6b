package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_batch_forget_in} (8): {@code 0 count u32 | 4 dummy u32}; {@code count} {@link ForgetOne} entries follow.
 */
public record BatchForgetIn(int count) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        encode(b, count);
    }

    /** Writes the argument without allocating. */
    public static void encode(ByteBuffer b, int count) {
        b.putInt(count).putInt(0);
    }

    public static BatchForgetIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_batch_forget_in");
        BatchForgetIn r = new BatchForgetIn(b.getInt());
        b.getInt();
        return r;
    }
}
