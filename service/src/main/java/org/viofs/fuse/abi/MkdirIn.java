package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_mkdir_in} (8): {@code 0 mode u32 | 4 umask u32}; the name follows.
 */
public record MkdirIn(int mode, int umask) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        b.putInt(mode).putInt(umask);
    }

    public static MkdirIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_mkdir_in");
        return new MkdirIn(b.getInt(), b.getInt());
    }
}
