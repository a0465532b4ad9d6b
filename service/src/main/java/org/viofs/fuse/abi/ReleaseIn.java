package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_release_in} (24), sent by RELEASE and RELEASEDIR: {@code 0 fh u64 | 8 flags u32 | 12 release_flags u32 | 16 lock_owner u64}.
 */
public record ReleaseIn(long fh, int flags, int releaseFlags, long lockOwner) {
    public static final int SIZE = 24;

    public void encode(ByteBuffer b) {
        b.putLong(fh).putInt(flags).putInt(releaseFlags).putLong(lockOwner);
    }

    public static ReleaseIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_release_in");
        return new ReleaseIn(b.getLong(), b.getInt(), b.getInt(), b.getLong());
    }
}
