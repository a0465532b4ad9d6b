package org.viofs.volume;

/**
 * Host stat → Windows {@link FileInfo}, and the time conversions both ways. One place for these
 * rules (issue 3 §2):
 * <ul>
 * <li>Attributes: DIRECTORY for directories; REPARSE_POINT with IO_REPARSE_TAG_SYMLINK for symlinks;
 *     ARCHIVE for every other file (what NTFS shows for new files); READONLY when no write bit is
 *     set (directories excepted: Windows ignores READONLY on them for access); HIDDEN for names
 *     starting with "." when the volume asks for it. Sockets, FIFOs and devices are plain files
 *     (the anchor made them directories, §4.2).</li>
 * <li>FileSize: st_size (0 for directories); AllocationSize: st_blocks·512 rounded up to the
 *     4096-byte cluster, and never below FileSize rounded up.</li>
 * <li>Times: FILETIME = 100 ns since 1601 = Unix·10^7 + 116444736000000000. CreationTime is the
 *     older of ctime and mtime (FUSE has no birth time).</li>
 * <li>IndexNumber = st_ino; HardLinks = st_nlink.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class FileInfoMapper {
    private FileInfoMapper() {
    }

    /** 1970-01-01 in FILETIME units (docs/winfsp-native.md §2.1). */
    public static final long UNIX_EPOCH_AS_FILETIME = 116444736000000000L;
    /** The cluster size the volume reports (SectorSize 4096 × 1, docs/viofs-anchor.md §4.1). */
    public static final long CLUSTER = 4096;
    /** IO_REPARSE_TAG_SYMLINK (winnt.h). */
    public static final int IO_REPARSE_TAG_SYMLINK = 0xA000000C;

    public static long toFileTime(long sec, int nsec) {
        return sec * 10_000_000L + nsec / 100 + UNIX_EPOCH_AS_FILETIME;
    }

    /** FILETIME → {seconds, nanoseconds} since the Unix epoch (nanoseconds always 0..999,999,999). */
    public static long[] toUnixTime(long fileTime) {
        long t = fileTime - UNIX_EPOCH_AS_FILETIME;
        long sec = Math.floorDiv(t, 10_000_000L);
        long nsec = Math.floorMod(t, 10_000_000L) * 100;
        return new long[] {sec, nsec};
    }

    public static long roundUpToCluster(long n) {
        return (n + CLUSTER - 1) / CLUSTER * CLUSTER;
    }

    /**
     * @param hostName      the host name of the file (for HIDDEN), or null for the root
     * @param hideDotFiles  whether names starting with "." show HIDDEN
     */
    public static FileInfo toFileInfo(HostStat st, String hostName, boolean hideDotFiles) {
        int attrs;
        int tag = 0;
        long size;
        long alloc;
        if (st.isDirectory()) {
            attrs = FileAttributes.DIRECTORY;
            size = 0;
            alloc = 0;
        } else if (st.isSymlink()) {
            attrs = FileAttributes.REPARSE_POINT;
            tag = IO_REPARSE_TAG_SYMLINK;
            size = 0;
            alloc = 0;
        } else {
            attrs = FileAttributes.ARCHIVE;
            if ((st.mode() & 0222) == 0) {
                attrs |= FileAttributes.READONLY;
            }
            size = st.size();
            alloc = Math.max(roundUpToCluster(Math.max(0, st.blocks()) * 512), roundUpToCluster(size));
        }
        if (hideDotFiles && hostName != null && hostName.startsWith(".")) {
            attrs |= FileAttributes.HIDDEN;
        }
        long atime = toFileTime(st.atime(), st.atimeNsec());
        long mtime = toFileTime(st.mtime(), st.mtimeNsec());
        long ctime = toFileTime(st.ctime(), st.ctimeNsec());
        return new FileInfo(attrs, tag, alloc, size, Math.min(ctime, mtime), atime, mtime, ctime,
                st.ino(), Math.max(1, st.nlink()), 0);
    }
}
