package org.viofs.volume;

/**
 * The host's view of a file, as the FUSE {@code fuse_attr} carries it: the volume's input for
 * {@link FileInfoMapper}. Times are seconds and nanoseconds since the Unix epoch.
 */
public record HostStat(long ino, long size, long blocks, long atime, int atimeNsec, long mtime, int mtimeNsec,
                       long ctime, int ctimeNsec, int mode, int nlink, int uid, int gid) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    public boolean isRegular() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /**
     * What a write that ended at {@code end} made of these attributes, as the host does it: the size
     * grows to {@code end} (blocks with it), mtime and ctime become {@code nowMillis}.
     */
    HostStat afterWrite(long end, long nowMillis) {
        long sec = Math.floorDiv(nowMillis, 1000);
        int nsec = Math.floorMod(nowMillis, 1000) * 1_000_000;
        long newSize = Math.max(size, end);
        return new HostStat(ino, newSize, Math.max(blocks, (newSize + 511) / 512), atime, atimeNsec, sec, nsec,
                sec, nsec, mode, nlink, uid, gid);
    }
}
