package org.viofs.fuse;

/**
 * The smaller flag words of FUSE requests and replies, each named as in Linux
 * {@code include/uapi/linux/fuse.h} unless another source is given.
 */
public final class FuseFlags {
    private FuseFlags() {
    }

    /** The root directory's node id ({@code FUSE_ROOT_ID}). */
    public static final long ROOT_ID = 1;

    // fuse_open_out.open_flags
    public static final int FOPEN_DIRECT_IO = 1 << 0;
    public static final int FOPEN_KEEP_CACHE = 1 << 1;
    public static final int FOPEN_NONSEEKABLE = 1 << 2;
    public static final int FOPEN_CACHE_DIR = 1 << 3;
    public static final int FOPEN_STREAM = 1 << 4;
    public static final int FOPEN_NOFLUSH = 1 << 5;
    public static final int FOPEN_PARALLEL_DIRECT_WRITES = 1 << 6;

    // fuse_getattr_in.getattr_flags
    /** {@code fuse_getattr_in.fh} is valid. */
    public static final int GETATTR_FH = 1 << 0;

    // fuse_release_in.release_flags
    public static final int RELEASE_FLUSH = 1 << 0;
    public static final int RELEASE_FLOCK_UNLOCK = 1 << 1;

    // fuse_write_in.write_flags
    public static final int WRITE_CACHE = 1 << 0;
    public static final int WRITE_LOCKOWNER = 1 << 1;
    public static final int WRITE_KILL_SUIDGID = 1 << 2;

    // fuse_fsync_in.fsync_flags
    /** Sync data only, like {@code fdatasync(2)}. */
    public static final int FSYNC_FDATASYNC = 1 << 0;

    // rename2 flags (include/uapi/linux/fs.h)
    public static final int RENAME_NOREPLACE = 1 << 0;
    public static final int RENAME_EXCHANGE = 1 << 1;
    public static final int RENAME_WHITEOUT = 1 << 2;

    // fallocate modes (include/uapi/linux/falloc.h)
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;

    // lseek whence (include/uapi/linux/fs.h)
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    // setxattr flags (include/uapi/linux/xattr.h)
    public static final int XATTR_CREATE = 0x1;
    public static final int XATTR_REPLACE = 0x2;
}
