package org.viofs.fuse;

/**
 * File type and permission bits of {@code fuse_attr.mode} ({@code S_IF*}, octal, Linux
 * {@code include/uapi/linux/stat.h}), and the directory entry types of {@code fuse_dirent.type}
 * ({@code DT_*}, {@code include/linux/fs_types.h}: {@code DT_x = S_IFx >> 12}).
 */
public final class FileMode {
    private FileMode() {
    }

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 060000;
    public static final int S_IFDIR = 040000;
    public static final int S_IFCHR = 020000;
    public static final int S_IFIFO = 010000;
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;
    /** The nine rwx permission bits. */
    public static final int PERMISSION_BITS = 0777;

    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;

    public static boolean isDirectory(int mode) {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public static boolean isRegular(int mode) {
        return (mode & S_IFMT) == S_IFREG;
    }

    public static boolean isSymlink(int mode) {
        return (mode & S_IFMT) == S_IFLNK;
    }
}
