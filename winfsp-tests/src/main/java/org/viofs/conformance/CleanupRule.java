package org.viofs.conformance;

import org.viofs.volume.CleanupFlags;
import org.viofs.volume.FileInfo;

/**
 * When WinFsp's FSD sends which Cleanup flag (docs/winfsp-native.md §1, "Cleanup flags"; §2.1
 * "Cleanup"), restated from the FSD's source (src/sys/cleanup.c FspFsvolCleanup, src/sys/file.c
 * FspFileNodeCleanup and FspFileNodeSetFileInfo, src/sys/fileinfo.c, src/sys/write.c,
 * src/sys/security.c, src/sys/fsctl.c) and the DLL's (src/dll/fsop.c FspFileSystemOpCleanup,
 * which passes the six bits on unchanged). Pure and thread-safe.
 *
 * <p>What the FSD remembers per file object (FSP_FILE_DESC and the file object's flags), kept in
 * {@link Handle}:
 * <ul>
 * <li>FO_FILE_MODIFIED ({@link Handle#modified}): set by every successful WriteFile and by every
 *     successful SetFileInformation(EndOfFile) and SetFileInformation(Allocation). Not by an
 *     overwrite or supersede at open, not by SetBasicInfo.</li>
 * <li>DidSetMetadata: set by a successful SetBasicInfo (whatever it changed), SetSecurity, and
 *     FSCTL_SET/DELETE_REPARSE_POINT. Not by SetEa.</li>
 * <li>DidSetFileAttributes, DidSetCreationTime, DidSetLastAccessTime, DidSetLastWriteTime,
 *     DidSetChangeTime: set by a successful SetBasicInfo whose attribute word is not 0 (the FSD
 *     sends 0 as "unchanged") or whose time is neither 0 nor -1 (-1, "do not update this time for
 *     this handle", reaches the volume as 0 and sets nothing).</li>
 * <li>DidSetSecurity: set by a successful SetSecurity.</li>
 * </ul>
 * What it remembers per open file (FSP_FILE_NODE), kept in {@link OpenFileTable.FileNode}:
 * DeletePending, the open handle count, and TruncateOnClose, which is set when a FileInfo that the
 * FSD takes "with truncate on close" (the reply to a Create that created the file, to an
 * Overwrite, to a Write, to SetFileSize of either kind) shows an allocation size (rounded up to
 * the allocation unit, at least the file size rounded up) or a file size other than the ones the
 * FSD knew; the last Cleanup clears it.
 *
 * <p>The flags of the Cleanup of one file object (the last handle of it closing):
 * <ul>
 * <li>{@code Delete}: this is the file's last open handle and the file is delete-pending (a
 *     FILE_DELETE_ON_CLOSE handle makes it delete-pending at its own Cleanup). The file name is
 *     passed only then.</li>
 * <li>{@code SetAllocationSize}: this is the last open handle, the file is not delete-pending, and
 *     TruncateOnClose is set.</li>
 * <li>{@code SetArchiveBit}: (FO_FILE_MODIFIED or DidSetSecurity) and not DidSetFileAttributes.</li>
 * <li>{@code SetLastAccessTime}: not DidSetLastAccessTime — on every Cleanup otherwise, also of a
 *     handle that only read, and also together with Delete.</li>
 * <li>{@code SetLastWriteTime}: FO_FILE_MODIFIED and not DidSetLastWriteTime.</li>
 * <li>{@code SetChangeTime}: (FO_FILE_MODIFIED or DidSetMetadata) and not DidSetChangeTime.</li>
 * </ul>
 * With PostCleanupWhenModifiedOnly (which the WinFsp binding sets, VOLUME_PARAMS bit 10) the FSD
 * sends no Cleanup at all when none of Delete, SetAllocationSize, SetArchiveBit, SetLastWriteTime
 * and SetChangeTime is set (SetLastAccessTime alone does not count); Close follows either way. A
 * create that fails after the volume opened the file (sharing violation) gets Close only.
 */
final class CleanupRule {

    /** The flags that make the FSD post a Cleanup under PostCleanupWhenModifiedOnly. */
    static final int POSTED_WHEN_MODIFIED_ONLY = CleanupFlags.DELETE | CleanupFlags.SET_ALLOCATION_SIZE
            | CleanupFlags.SET_ARCHIVE_BIT | CleanupFlags.SET_LAST_WRITE_TIME | CleanupFlags.SET_CHANGE_TIME;

    private CleanupRule() {
    }

    /**
     * The Cleanup flags for the file object {@code h} closing.
     *
     * @param lastHandle    no other handle of the file is open (the FSD's HandleCount is 1)
     * @param deletePending the file is delete-pending, counting {@code h}'s own FILE_DELETE_ON_CLOSE
     * @param truncateOnClose the file's TruncateOnClose
     */
    static int flags(Handle h, boolean lastHandle, boolean deletePending, boolean truncateOnClose) {
        int flags = 0;
        if (lastHandle && deletePending) {
            flags |= CleanupFlags.DELETE;
        }
        if (lastHandle && !deletePending && truncateOnClose) {
            flags |= CleanupFlags.SET_ALLOCATION_SIZE;
        }
        if ((h.modified || h.didSetSecurity) && !h.didSetFileAttributes) {
            flags |= CleanupFlags.SET_ARCHIVE_BIT;
        }
        if (!h.didSetLastAccessTime) {
            flags |= CleanupFlags.SET_LAST_ACCESS_TIME;
        }
        if (h.modified && !h.didSetLastWriteTime) {
            flags |= CleanupFlags.SET_LAST_WRITE_TIME;
        }
        if ((h.modified || h.didSetMetadata) && !h.didSetChangeTime) {
            flags |= CleanupFlags.SET_CHANGE_TIME;
        }
        return flags;
    }

    /** Whether the FSD posts a Cleanup with these flags to the file system at all. */
    static boolean posted(int flags, boolean postCleanupWhenModifiedOnly) {
        return !postCleanupWhenModifiedOnly || (flags & POSTED_WHEN_MODIFIED_ONLY) != 0;
    }

    /**
     * FspFileNodeSetFileInfo with TruncateOnClose: whether the file's allocation or size differs from
     * what the FSD knew ({@code knownAllocation}, {@code knownSize}); the caller then stores the new
     * values ({@link #allocationOf}).
     */
    static boolean changesSize(FileInfo info, long knownAllocation, long knownSize, long allocationUnit) {
        return allocationOf(info, allocationUnit) != knownAllocation || info.fileSize() != knownSize;
    }

    /** The allocation size the FSD keeps for a FileInfo: max(allocation, size) rounded up to the unit. */
    static long allocationOf(FileInfo info, long allocationUnit) {
        long a = Math.max(info.allocationSize(), info.fileSize());
        return roundUp(a, allocationUnit);
    }

    /** Rounds up to a multiple of the allocation unit (SectorSize × SectorsPerAllocationUnit). */
    static long roundUp(long value, long allocationUnit) {
        return (value + allocationUnit - 1) / allocationUnit * allocationUnit;
    }
}
