package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_rename2_in} (16): {@code 0 newdir u64 | 8 flags u32 (RENAME_*) | 12 padding u32}; names follow as in RENAME.
 */
public record Rename2In(long newDir, int flags) {
    public static final int SIZE = 16;

    public void encode(ByteBuffer b) {
        b.putLong(newDir).putInt(flags).putInt(0);
    }

    public static Rename2In decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_rename2_in");
        Rename2In r = new Rename2In(b.getLong(), b.getInt());
        b.getInt();
        return r;
    }
}
