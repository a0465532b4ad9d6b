package org.viofs.fuse.abi;

import java.nio.ByteBuffer;
import org.viofs.fuse.FileMode;

/**
 * {@code fuse_attr} (88 bytes): a host file's attributes. Times are seconds since the Unix epoch plus
 * nanoseconds; {@code ino} is the host inode number (not the FUSE node id).
 *
 * <pre>
 *  0 ino | 8 size | 16 blocks | 24 atime | 32 mtime | 40 ctime (u64)
 * 48 atimensec | 52 mtimensec | 56 ctimensec | 60 mode | 64 nlink | 68 uid | 72 gid | 76 rdev
 * 80 blksize | 84 flags (u32)
 * </pre>
 */
public record Attr(long ino, long size, long blocks, long atime, long mtime, long ctime, int atimeNsec,
                   int mtimeNsec, int ctimeNsec, int mode, int nlink, int uid, int gid, int rdev, int blksize,
                   int flags) {
    public static final int SIZE = 88;

    public void encode(ByteBuffer b) {
        b.putLong(ino).putLong(size).putLong(blocks).putLong(atime).putLong(mtime).putLong(ctime)
                .putInt(atimeNsec).putInt(mtimeNsec).putInt(ctimeNsec).putInt(mode).putInt(nlink).putInt(uid)
                .putInt(gid).putInt(rdev).putInt(blksize).putInt(flags);
    }

    public static Attr decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_attr");
        // nanoseconds are clamped where they enter (the package's rule for numbers out of range)
        return new Attr(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(),
                Wire.nanos(b.getInt()), Wire.nanos(b.getInt()), Wire.nanos(b.getInt()), b.getInt(), b.getInt(),
                b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt());
    }

    public boolean isDirectory() {
        return FileMode.isDirectory(mode);
    }

    public boolean isRegular() {
        return FileMode.isRegular(mode);
    }

    public boolean isSymlink() {
        return FileMode.isSymlink(mode);
    }
}
