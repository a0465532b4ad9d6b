package org.viofs.conformance;

import org.viofs.volume.FileContext;

import org.viofs.conformance.OpenFileTable.FileNode;

/**
 * An open handle of the {@link Win32Facade}: one file object and one volume context, from
 * Create/Open to Cleanup and Close, with what the FSD keeps per file object (granted access,
 * share mode, the file pointer, delete-on-close, what the Cleanup at its close must ask for, the
 * EA enumeration cursor). The fields are the facade's; callers only read the name, kind and access.
 *
 * <p>Thread safety: as the facade's.
 */
public final class Handle {
    final FileNode node;
    final FileContext context;
    final int grantedAccess;
    final int shareAccess;
    final boolean shareAccounted;
    final int createOptions;
    final boolean directory;
    final Handle mainHandle;
    String name;
    boolean deleteOnClose;
    long pointer;
    /** FO_FILE_MODIFIED: a write or SetFileSize through this handle succeeded ({@link CleanupRule}). */
    boolean modified;
    /** FSP_FILE_DESC.DidSetMetadata: SetBasicInfo, SetSecurity or a reparse-point FSCTL succeeded. */
    boolean didSetMetadata;
    /** FSP_FILE_DESC.DidSetFileAttributes: a SetBasicInfo with an attribute word succeeded. */
    boolean didSetFileAttributes;
    /** FSP_FILE_DESC.DidSetSecurity: a SetSecurity succeeded. */
    boolean didSetSecurity;
    /** FSP_FILE_DESC.DidSetCreationTime. */
    boolean didSetCreationTime;
    /** FSP_FILE_DESC.DidSetLastAccessTime. */
    boolean didSetLastAccessTime;
    /** FSP_FILE_DESC.DidSetLastWriteTime: a SetBasicInfo with a write time (not 0, not -1) succeeded. */
    boolean didSetLastWriteTime;
    /** FSP_FILE_DESC.DidSetChangeTime. */
    boolean didSetChangeTime;
    boolean closed;
    boolean accountedRead;
    boolean accountedWrite;
    boolean accountedDelete;
    /** Opened with FILE_FLAG_OVERLAPPED: reads at end of file fail with ERROR_HANDLE_EOF. */
    boolean overlapped;
    /** FSP_FILE_DESC.EaIndex: the 1-based EA NtQueryEaFile continues from (0 = not started). */
    int eaIndex;
    /** FSP_FILE_DESC.EaChangeCount: the file's count when {@link #eaIndex} was last set. */
    int eaChangeCount;

    Handle(FileNode node, FileContext context, int grantedAccess, int shareAccess, boolean shareAccounted,
           int createOptions, boolean directory, String name, Handle mainHandle) {
        this.node = node;
        this.context = context;
        this.grantedAccess = grantedAccess;
        this.shareAccess = shareAccess;
        this.shareAccounted = shareAccounted;
        this.createOptions = createOptions;
        this.directory = directory;
        this.name = name;
        this.mainHandle = mainHandle;
    }

    /** The name the FSD keeps for this file object (FileNameInformation, final path name). */
    public String name() {
        return name;
    }

    public boolean isDirectory() {
        return directory;
    }

    public int grantedAccess() {
        return grantedAccess;
    }
}
