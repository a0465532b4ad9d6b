package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_lseek_in} (24): {@code 0 fh u64 | 8 offset u64 | 16 whence u32 (SEEK_*) | 20 padding u32}.
 */
public record LseekIn(long fh, long offset, int whence) {
    public static final int SIZE = 24;

    public void encode(ByteBuffer b) {
        b.putLong(fh).putLong(offset).putInt(whence).putInt(0);
    }

    public static LseekIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_lseek_in");
        LseekIn r = new LseekIn(b.getLong(), b.getLong(), b.getInt());
        b.getInt();
        return r;
    }
}
