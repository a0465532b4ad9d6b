package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_write_in} (40); exactly {@code size} data bytes follow (virtiofsd answers EIO otherwise): {@code 0 fh u64 | 8 offset u64 | 16 size u32 | 20 write_flags u32 | 24 lock_owner u64 | 32 flags u32 | 36 padding u32}.
 */
public record WriteIn(long fh, long offset, int size, int writeFlags, long lockOwner, int flags) {
    public static final int SIZE = 40;

    public void encode(ByteBuffer b) {
        encode(b, fh, offset, size, writeFlags, lockOwner, flags);
    }

    /** Writes the arguments without allocating. */
    public static void encode(ByteBuffer b, long fh, long offset, int size, int writeFlags, long lockOwner, int flags) {
        b.putLong(fh).putLong(offset).putInt(size).putInt(writeFlags).putLong(lockOwner).putInt(flags).putInt(0);
    }

    public static WriteIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_write_in");
        WriteIn r = new WriteIn(b.getLong(), b.getLong(), b.getInt(), b.getInt(), b.getLong(), b.getInt());
        b.getInt();
        return r;
    }
}
