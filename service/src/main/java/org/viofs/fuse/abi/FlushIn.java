package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_flush_in} (24): {@code 0 fh u64 | 8 unused u32 | 12 padding u32 | 16 lock_owner u64}.
 */
public record FlushIn(long fh, long lockOwner) {
    public static final int SIZE = 24;

    public void encode(ByteBuffer b) {
        b.putLong(fh).putInt(0).putInt(0).putLong(lockOwner);
    }

    public static FlushIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_flush_in");
        long fh = b.getLong();
        b.getLong();
        return new FlushIn(fh, b.getLong());
    }
}
