package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_statfs_out} = {@code fuse_kstatfs} (80 bytes), the answer to STATFS. Block counts are
 * in units of {@code frsize} (Linux statvfs); {@code bsize} is the preferred I/O size.
 *
 * <pre>
 *  0 blocks | 8 bfree | 16 bavail | 24 files | 32 ffree (u64)
 * 40 bsize | 44 namelen | 48 frsize | 52 padding | 56 spare[6] (u32)
 * </pre>
 */
public record StatfsOut(long blocks, long bfree, long bavail, long files, long ffree, int bsize, int namelen,
                        int frsize) {
    public static final int SIZE = 80;

    public void encode(ByteBuffer b) {
        b.putLong(blocks).putLong(bfree).putLong(bavail).putLong(files).putLong(ffree).putInt(bsize)
                .putInt(namelen).putInt(frsize);
        for (int i = 0; i < 7; i++) {
            b.putInt(0);
        }
    }

    public static StatfsOut decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_statfs_out");
        StatfsOut r = new StatfsOut(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getInt(),
                b.getInt(), b.getInt());
        Wire.skip(b, 28);
        return r;
    }
}
