package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_fallocate_in} (32): {@code 0 fh u64 | 8 offset u64 | 16 length u64 | 24 mode u32 (FALLOC_FL_*) | 28 padding u32}.
 */
public record FallocateIn(long fh, long offset, long length, int mode) {
    public static final int SIZE = 32;

    public void encode(ByteBuffer b) {
        b.putLong(fh).putLong(offset).putLong(length).putInt(mode).putInt(0);
    }

    public static FallocateIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_fallocate_in");
        FallocateIn r = new FallocateIn(b.getLong(), b.getLong(), b.getLong(), b.getInt());
        b.getInt();
        return r;
    }
}
