package org.viofs.fuse;

/**
 * Capability bits of {@code fuse_init_in.flags} / {@code fuse_init_out.flags} (Linux
 * {@code include/uapi/linux/fuse.h}, {@code FUSE_*} "INIT request/reply flags"). What virtiofsd 7.2
 * grants is in docs/vhost-user-frontend.md §7.4.
 */
public final class InitFlags {
    private InitFlags() {
    }

    public static final int ASYNC_READ = 1 << 0;
    public static final int POSIX_LOCKS = 1 << 1;
    public static final int FILE_OPS = 1 << 2;
    public static final int ATOMIC_O_TRUNC = 1 << 3;
    public static final int EXPORT_SUPPORT = 1 << 4;
    public static final int BIG_WRITES = 1 << 5;
    public static final int DONT_MASK = 1 << 6;
    public static final int SPLICE_WRITE = 1 << 7;
    public static final int SPLICE_MOVE = 1 << 8;
    public static final int SPLICE_READ = 1 << 9;
    public static final int FLOCK_LOCKS = 1 << 10;
    public static final int HAS_IOCTL_DIR = 1 << 11;
    public static final int AUTO_INVAL_DATA = 1 << 12;
    public static final int DO_READDIRPLUS = 1 << 13;
    public static final int READDIRPLUS_AUTO = 1 << 14;
    public static final int ASYNC_DIO = 1 << 15;
    public static final int WRITEBACK_CACHE = 1 << 16;
    public static final int NO_OPEN_SUPPORT = 1 << 17;
    public static final int PARALLEL_DIROPS = 1 << 18;
    public static final int HANDLE_KILLPRIV = 1 << 19;
    public static final int POSIX_ACL = 1 << 20;
    public static final int ABORT_ERROR = 1 << 21;
    /** Without it virtiofsd caps max_write at 128 KiB (docs/vhost-user-frontend.md §7.4). */
    public static final int MAX_PAGES = 1 << 22;
    public static final int CACHE_SYMLINKS = 1 << 23;
    public static final int NO_OPENDIR_SUPPORT = 1 << 24;
    public static final int EXPLICIT_INVAL_DATA = 1 << 25;
    public static final int MAP_ALIGNMENT = 1 << 26;
    public static final int SUBMOUNTS = 1 << 27;
    public static final int HANDLE_KILLPRIV_V2 = 1 << 28;
    /** Changes fuse_setxattr_in to 16 bytes; viofs does not offer it and sends the 8-byte form. */
    public static final int SETXATTR_EXT = 1 << 29;
    /** {@code fuse_init_in} is the 64-byte form with {@code flags2}. */
    public static final int INIT_EXT = 1 << 30;

    /**
     * What viofs offers by default: the set virtiofsd 7.2 grants without extra {@code -o} options
     * (0x44f039, docs/vhost-user-frontend.md §7.4) plus INIT_EXT. No WRITEBACK_CACHE: the guest has no
     * page cache of its own here, and every write must reach the host.
     */
    public static final int VIOFS_DEFAULT = ASYNC_READ | ATOMIC_O_TRUNC | EXPORT_SUPPORT | BIG_WRITES
            | AUTO_INVAL_DATA | DO_READDIRPLUS | READDIRPLUS_AUTO | ASYNC_DIO | PARALLEL_DIROPS | MAX_PAGES
            | INIT_EXT;
}
