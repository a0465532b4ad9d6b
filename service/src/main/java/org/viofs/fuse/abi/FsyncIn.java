package org.viofs.fuse.abi;

import java.nio.ByteBuffer;
import org.viofs.fuse.FuseFlags;

/**
 * {@code fuse_fsync_in} (16), sent by FSYNC and FSYNCDIR: {@code 0 fh u64 | 8 fsync_flags u32 ({@link FuseFlags#FSYNC_FDATASYNC}) | 12 padding u32}.
 */
public record FsyncIn(long fh, int fsyncFlags) {
    public static final int SIZE = 16;

    public void encode(ByteBuffer b) {
        b.putLong(fh).putInt(fsyncFlags).putInt(0);
    }

    public static FsyncIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_fsync_in");
        FsyncIn r = new FsyncIn(b.getLong(), b.getInt());
        b.getInt();
        return r;
    }
}
