package org.viofs.fuse.abi;

import java.nio.ByteBuffer;
import org.viofs.fuse.InitFlags;

/**
 * {@code fuse_setxattr_in} without {@link InitFlags#SETXATTR_EXT} (8): {@code 0 size u32 | 4 flags u32 (XATTR_CREATE/REPLACE)}; the NUL-terminated name and {@code size} value bytes follow.
 */
public record SetxattrIn(int size, int flags) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        b.putInt(size).putInt(flags);
    }

    public static SetxattrIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_setxattr_in");
        return new SetxattrIn(b.getInt(), b.getInt());
    }
}
