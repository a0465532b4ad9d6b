package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_rename_in} (8): {@code 0 newdir u64}; old name and new name follow, each NUL-terminated.
 */
public record RenameIn(long newDir) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        b.putLong(newDir);
    }

    public static RenameIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_rename_in");
        return new RenameIn(b.getLong());
    }
}
