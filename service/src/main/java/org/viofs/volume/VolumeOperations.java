package org.viofs.volume;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * WinFsp's file-system callback contract ({@code FSP_FILE_SYSTEM_INTERFACE}, docs/winfsp-native.md §2)
 * with Java types. The WinFsp binding adapts native calls to it; the conformance facade calls it
 * directly, in the order WinFsp's FSD and DLL would.
 *
 * <p>Every method reports failure by throwing {@link NtStatusException}; any other exception is a bug
 * and the caller maps it to {@link NtStatus#UNEXPECTED_IO_ERROR}. File names are Windows paths
 * relative to the volume root, starting with a backslash ({@code \dir\file.txt}), possibly with a
 * {@code :stream} suffix on the last component.
 *
 * <p>Thread safety: implementations are called from many dispatcher threads at once, with the
 * locking of WinFsp's FINE guard strategy (§2.1) and nothing more.
 */
public interface VolumeOperations {

    /** Slot 0. Sizes and label of the volume. */
    VolumeInfo getVolumeInfo();

    /** Slot 1. Sets the label (at most {@link VolumeInfo#MAX_LABEL_CHARS}) and reports the volume. */
    VolumeInfo setVolumeLabel(String volumeLabel);

    /**
     * Slot 2. Attributes and security descriptor of a file by name, for the DLL's access check. The
     * buffer-size protocol (§2.2) is the binding's job: this returns the whole descriptor.
     */
    SecurityByName getSecurityByName(String fileName);

    /** Slot 3. Creates a file or directory (FILE_DIRECTORY_FILE in createOptions) and opens it. */
    OpenResult create(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                      byte[] securityDescriptor, long allocationSize);

    /** Slot 4. Opens an existing file or directory. */
    OpenResult open(String fileName, int createOptions, int grantedAccess);

    /**
     * Slot 5. Truncates an open file to zero for FILE_OVERWRITE(_IF)/FILE_SUPERSEDE; replaces the
     * attributes (SUPERSEDE) or ORs them in (OVERWRITE).
     */
    FileInfo overwrite(FileContext context, int fileAttributes, boolean replaceFileAttributes, long allocationSize);

    /**
     * Slot 6. The last handle of a file object closed. {@code fileName} is non-null only with
     * {@link CleanupFlags#DELETE}. Cannot fail: problems are logged.
     */
    void cleanup(FileContext context, String fileName, int flags);

    /** Slot 7. The context is released; the last call for it. */
    void close(FileContext context);

    /**
     * Slot 8. Reads up to {@code length} bytes at {@code offset} into {@code buffer} (from its
     * position 0).
     *
     * @return bytes read; {@link NtStatus#END_OF_FILE} is thrown at or past the end of the file
     */
    int read(FileContext context, ByteBuffer buffer, long offset, int length);

    /**
     * Slot 9. Writes {@code length} bytes from {@code buffer} (from position 0). With
     * writeToEndOfFile the offset is ignored and the data is appended; with constrainedIo the file
     * size never changes (the write is clipped to it).
     */
    WriteResult write(FileContext context, ByteBuffer buffer, long offset, int length,
                      boolean writeToEndOfFile, boolean constrainedIo);

    /**
     * Slot 10. Makes the file's data durable on the host. With a null context, flushes the volume
     * and returns null.
     */
    FileInfo flush(FileContext context);

    /** Slot 11. */
    FileInfo getFileInfo(FileContext context);

    /**
     * Slot 12. {@link FileAttributes#INVALID_FILE_ATTRIBUTES} and time 0 mean "leave unchanged".
     */
    FileInfo setBasicInfo(FileContext context, int fileAttributes, long creationTime, long lastAccessTime,
                          long lastWriteTime, long changeTime);

    /** Slot 13. End of file (setAllocationSize false) or allocation size (true). */
    FileInfo setFileSize(FileContext context, long newSize, boolean setAllocationSize);

    /** Slot 14. Throws if the file may not be deleted (e.g. a non-empty directory); deletes nothing. */
    void canDelete(FileContext context, String fileName);

    /** Slot 15. Renames the open file; a directory is never replaced. */
    void rename(FileContext context, String fileName, String newFileName, boolean replaceIfExists);

    /** Slot 16. The file's self-relative security descriptor. */
    byte[] getSecurity(FileContext context);

    /**
     * Slot 17. Applies the parts named by securityInformation (OWNER 1, GROUP 2, DACL 4, SACL 8) of
     * the self-relative modification descriptor.
     */
    void setSecurity(FileContext context, int securityInformation, byte[] modificationDescriptor);

    /**
     * Slot 18. Lists the directory, starting strictly after {@code marker} (null: from the start,
     * with "." and ".." first for every directory but the root), into {@code sink} until it refuses
     * an entry.
     *
     * @param pattern a Windows wildcard pattern, or null for all (the FSD filters again anyway)
     * @return true if the listing ended (every remaining entry was accepted), so the binding adds the
     *         end-of-listing record
     */
    boolean readDirectory(FileContext context, String pattern, String marker, DirSink sink);

    /** Slot 19. Resolves symlinks in the path; throws on a loop or a dangling link. */
    ReparseResolution resolveReparsePoints(String fileName, int reparsePointIndex, boolean resolveLastPathComponent);

    /** Slot 20. The reparse data buffer of the open reparse point. */
    byte[] getReparsePoint(FileContext context, String fileName);

    /** Slot 21. Turns the open (empty) file into a reparse point with this data. */
    void setReparsePoint(FileContext context, String fileName, byte[] reparseData);

    /** Slot 22. Removes the reparse point whose tag matches the given data. */
    void deleteReparsePoint(FileContext context, String fileName, byte[] reparseData);

    /** Slot 23. The file's streams, the main one (name "") first. */
    List<StreamInfo> getStreamInfo(FileContext context);

    /**
     * Slot 24. One entry of the open directory by exact (or, on case-insensitive volumes, any-case)
     * name; throws OBJECT_NAME_NOT_FOUND when absent.
     */
    DirInfo getDirInfoByName(FileContext parentDirectory, String fileName);

    /** Slot 26. Marks (or unmarks) the file for deletion at its last Cleanup, after the same checks as CanDelete. */
    void setDelete(FileContext context, String fileName, boolean deleteFile);

    // ------------------------------------------------------------------ extended attributes (slots 27–30)

    /**
     * Whether this volume keeps extended attributes. When true the binding sets VOLUME_PARAMS
     * ExtendedAttributes and installs CreateEx, OverwriteEx, GetEa and SetEa; when false the four
     * methods below are never called and the FSD answers EA requests itself: a create with an EA
     * buffer gets STATUS_EAS_NOT_SUPPORTED, NtQueryEaFile and NtSetEaFile STATUS_INVALID_DEVICE_REQUEST
     * (WinFsp src/sys/create.c and ea.c).
     */
    default boolean supportsEas() {
        return false;
    }

    /**
     * Slot 27 with an EA buffer (ExtraBufferIsReparsePoint false): {@link #create} that also sets the
     * given EAs on the new file ({@link #setEa} rules; entries with an empty value are ignored). The
     * file's {@link FileInfo#eaSize()} counts them. With an empty list it is exactly {@link #create}.
     */
    default OpenResult createWithEas(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                                     byte[] securityDescriptor, long allocationSize, List<Ea> eas) {
        if (!eas.isEmpty()) {
            throw new NtStatusException(NtStatus.EAS_NOT_SUPPORTED, "this volume keeps no extended attributes");
        }
        return create(fileName, createOptions, grantedAccess, fileAttributes, securityDescriptor, allocationSize);
    }

    /**
     * Whether the volume is read-only (asked once, when the file system is created): WinFsp then
     * sets VOLUME_PARAMS ReadOnlyVolume, so Windows reports FILE_READ_ONLY_VOLUME; the modifying
     * callbacks answer MEDIA_WRITE_PROTECTED as NTFS does on write-protected media.
     */
    default boolean isReadOnly() {
        return false;
    }

    /**
     * Slot 27 with reparse data (CreateEx's ExtraBufferIsReparsePoint): the file is created by {@link
     * #create} and made a reparse point on the new context (as WinFsp's passthrough sample does with
     * FSCTL_SET_REPARSE_POINT after NtCreateFile); the result reports the file as it is then. On
     * failure the file is removed the way WinFsp would remove it, Cleanup with the Delete flag and then
     * Close (WinFsp sends neither for a failed create), so no half-made file stays behind; the original
     * failure is what the caller gets.
     */
    default OpenResult createWithReparsePoint(String fileName, int createOptions, int grantedAccess,
                                              int fileAttributes, byte[] securityDescriptor, long allocationSize,
                                              byte[] reparseData) {
        OpenResult created = create(fileName, createOptions, grantedAccess, fileAttributes, securityDescriptor,
                allocationSize);
        FileContext context = created.context();
        try {
            setReparsePoint(context, fileName, reparseData);
            FileInfo now = getFileInfo(context);
            return new OpenResult(context, new OpenFileInfo(now, created.openFileInfo().normalizedName()));
        } catch (RuntimeException | Error t) {
            try {
                cleanup(context, fileName, CleanupFlags.DELETE);
            } catch (RuntimeException | Error u) {
                t.addSuppressed(u);
            }
            try {
                close(context);
            } catch (RuntimeException | Error u) {
                t.addSuppressed(u);
            }
            throw t;
        }
    }

    /**
     * Slot 28. {@link #overwrite} that also replaces all of the file's EAs by {@code eas} (an empty
     * list removes them all, as NTFS does on supersede and overwrite); entries with an empty value are
     * ignored. On a named-stream handle the file's EAs stay and the given ones are added (as memfs
     * does): rewriting {@code file:Zone.Identifier} must not wipe the file's EAs.
     */
    default FileInfo overwriteWithEas(FileContext context, int fileAttributes, boolean replaceFileAttributes,
                                      long allocationSize, List<Ea> eas) {
        if (!eas.isEmpty()) {
            throw new NtStatusException(NtStatus.EAS_NOT_SUPPORTED, "this volume keeps no extended attributes");
        }
        return overwrite(context, fileAttributes, replaceFileAttributes, allocationSize);
    }

    /**
     * Slot 29. Every EA of the file (names upper-case, as stored), in a stable order; empty when it
     * has none. The binding packs them with FspFileSystemAddEa; the FSD does the NtQueryEaFile
     * filtering (name lists, index, single entry, restart) itself.
     */
    default List<Ea> getEa(FileContext context) {
        throw new NtStatusException(NtStatus.EAS_NOT_SUPPORTED, "this volume keeps no extended attributes");
    }

    /**
     * Slot 30. Applies the EAs in order: a name is compared without case and stored upper-case; an
     * entry with an empty value deletes that EA (no error if absent); any other adds or replaces it,
     * flags included. Invalid names give {@link NtStatus#INVALID_EA_NAME} and change nothing; a set
     * the host cannot hold gives {@link NtStatus#EA_TOO_LARGE} or DISK_FULL and changes nothing.
     *
     * @return the file's information afterwards ({@link FileInfo#eaSize()} updated)
     */
    default FileInfo setEa(FileContext context, List<Ea> eas) {
        throw new NtStatusException(NtStatus.EAS_NOT_SUPPORTED, "this volume keeps no extended attributes");
    }
}
