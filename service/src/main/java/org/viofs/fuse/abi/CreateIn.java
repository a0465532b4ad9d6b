package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_create_in} (16): {@code 0 flags u32 (O_*) | 4 mode u32 | 8 umask u32 | 12 open_flags u32}; the name follows.
 */
public record CreateIn(int flags, int mode, int umask, int openFlags) {
    public static final int SIZE = 16;

    public void encode(ByteBuffer b) {
        b.putInt(flags).putInt(mode).putInt(umask).putInt(openFlags);
    }

    public static CreateIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_create_in");
        return new CreateIn(b.getInt(), b.getInt(), b.getInt(), b.getInt());
    }
}
