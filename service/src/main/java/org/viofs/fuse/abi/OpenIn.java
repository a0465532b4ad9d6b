package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_open_in} (8): {@code 0 flags u32 (O_*) | 4 open_flags u32}. Sent by OPEN and OPENDIR.
 */
public record OpenIn(int flags, int openFlags) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        b.putInt(flags).putInt(openFlags);
    }

    public static OpenIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_open_in");
        return new OpenIn(b.getInt(), b.getInt());
    }
}
