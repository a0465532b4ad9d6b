package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_read_in} (40), sent by READ, READDIR and READDIRPLUS: {@code 0 fh u64 | 8 offset u64 | 16 size u32 | 20 read_flags u32 | 24 lock_owner u64 | 32 flags u32 | 36 padding u32}.
 */
public record ReadIn(long fh, long offset, int size, int readFlags, long lockOwner, int flags) {
    public static final int SIZE = 40;

    public void encode(ByteBuffer b) {
        encode(b, fh, offset, size, readFlags, lockOwner, flags);
    }

    /** Writes the arguments without allocating. */
    public static void encode(ByteBuffer b, long fh, long offset, int size, int readFlags, long lockOwner, int flags) {
        b.putLong(fh).putLong(offset).putInt(size).putInt(readFlags).putLong(lockOwner).putInt(flags).putInt(0);
    }

    public static ReadIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_read_in");
        ReadIn r = new ReadIn(b.getLong(), b.getLong(), b.getInt(), b.getInt(), b.getLong(), b.getInt());
        b.getInt();
        return r;
    }
}
