package org.viofs.conformance;

import org.viofs.volume.CreateOptions;
import org.viofs.volume.FileInfo;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.SecurityByName;

/**
 * Delete and rename: the disposition (SetDelete under the DLL's shared guard, delete-pending in
 * the FSD's table), DeleteFile and RemoveDirectory, MoveFileEx and FileRenameInformation (the FSD's
 * checks on open files, the DLL's check on the target, Rename under the FSD's rename lock and the
 * DLL's exclusive guard, then the table renamed).
 */
final class RenameAndDelete extends FacadeSection {

    RenameAndDelete(Win32Facade facade) {
        super(facade);
    }

    /**
     * SetFileInformationByHandle(FileDispositionInfo). Needs DELETE on the handle. The DLL first
     * calls GetFileInfo and refuses a READONLY file with CANNOT_DELETE, then SetDelete decides
     * (docs/winfsp-native.md §2.1 "SetInformation mapping"); on success the FSD marks the file
     * delete-pending (or clears it).
     */
    boolean setDisposition(Handle h, boolean deleteFile) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        if ((h.grantedAccess & Win32.DELETE) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        try {
            if (deleteFile) {
                FileInfo info = facade.guard().run(OperationGuard.Kind.SHARED, () -> volume.getFileInfo(h.context));
                if ((info.fileAttributes() & Win32.FILE_ATTRIBUTE_READONLY) != 0) {
                    return fail(NtStatus.CANNOT_DELETE);
                }
            }
            facade.guard().run(OperationGuard.Kind.SHARED,
                    () -> volume.setDelete(h.context, h.node.volumeName, deleteFile));
            synchronized (facade.table()) {
                h.node.deletePending = deleteFile;
            }
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    /**
     * DeleteFileW: NtOpenFile(DELETE|FILE_READ_ATTRIBUTES — no SYNCHRONIZE —, share all,
     * FILE_NON_DIRECTORY_FILE|FILE_OPEN_FOR_BACKUP_INTENT|FILE_OPEN_REPARSE_POINT), again with DELETE
     * alone if that is ACCESS_DENIED, then disposition,
     * close (the close's Cleanup carries DELETE when no other handle is open).
     */
    boolean deleteFile(String path) {
        return deleteByName(path, CreateOptions.FILE_NON_DIRECTORY_FILE);
    }

    /** RemoveDirectoryW: as {@link #deleteFile} with FILE_DIRECTORY_FILE. */
    boolean removeDirectory(String path) {
        return deleteByName(path, CreateOptions.FILE_DIRECTORY_FILE);
    }

    private boolean deleteByName(String path, int kind) {
        int share = Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE;
        int options = kind | CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT | CreateOptions.FILE_OPEN_REPARSE_POINT;
        Handle h = facade.ntCreateFile(path, Win32.DELETE | Win32.FILE_READ_ATTRIBUTES, share, null, CreateOptions.FILE_OPEN,
                options, 0, 0);
        if (h == null && lastStatus() == NtStatus.ACCESS_DENIED) {
            // kernelbase retries with DELETE alone when the attributes may not be read
            h = facade.ntCreateFile(path, Win32.DELETE, share, null, CreateOptions.FILE_OPEN, options, 0, 0);
        }
        if (h == null) {
            return false;
        }
        return facade.closeAndReport(h, setDisposition(h, true));
    }

    /**
     * MoveFileExW within the volume: NtOpenFile(source, DELETE|FILE_READ_ATTRIBUTES, share all,
     * FILE_OPEN_FOR_BACKUP_INTENT|FILE_OPEN_REPARSE_POINT), FileRenameInformation
     * ({@link #setRenameInformation}), close. OBJECT_NAME_COLLISION is ERROR_ALREADY_EXISTS here.
     */
    boolean moveFileEx(String from, String to, int flags) {
        Handle h = facade.ntCreateFile(from, Win32.DELETE | Win32.FILE_READ_ATTRIBUTES | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT | CreateOptions.FILE_OPEN_REPARSE_POINT, 0, 0);
        if (h == null) {
            return false;
        }
        return facade.closeAndReport(h, setRenameInformation(h, to, (flags & Win32.MOVEFILE_REPLACE_EXISTING) != 0));
    }

    /**
     * NtSetInformationFile(FileRenameInformation). FSD: the handle needs DELETE; the new name is
     * checked like a create name (one trailing backslash tolerated); a directory with open files
     * below it, or a target (or anything below it) that is open, gives ACCESS_DENIED. DLL: with
     * ReplaceIfExists, GetSecurityByName on an existing target and a DELETE check on it
     * (docs/winfsp-native.md §2.1). Then Rename; on success the FSD renames its open file nodes.
     *
     * @param newName an absolute volume path, or a bare name (no backslash) meaning "in the same directory"
     */
    boolean setRenameInformation(Handle h, String newName, boolean replaceIfExists) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        facade.renameLock().writeLock().lock();
        try {
            if ((h.grantedAccess & Win32.DELETE) == 0) {
                throw nt(NtStatus.ACCESS_DENIED, "rename without DELETE access");
            }
            if (h.mainHandle != null) {
                throw nt(NtStatus.INVALID_PARAMETER, "stream rename is not supported");
            }
            String parent = NameResolver.parentOf(h.node.volumeName);
            String target = newName.startsWith("\\") ? newName
                    : parent.concat(parent.equals("\\") ? "" : "\\").concat(newName);
            if (target.length() >= 2 && target.endsWith("\\")) {
                target = target.substring(0, target.length() - 1);
            }
            WinName t = WinName.parse(target, options.maxComponentLength());
            if (t.stream() != null) {
                throw nt(NtStatus.INVALID_PARAMETER, "rename to a stream is not supported");
            }
            String source = h.node.volumeName;
            String sourceKey = h.node.key;
            String targetKey = t.key(options.caseSensitive());
            boolean sameNode = sourceKey.equals(targetKey);
            synchronized (facade.table()) {
                facade.table().checkRenamable(h.node, targetKey);
            }
            facade.guard().run(OperationGuard.Kind.EXCLUSIVE, () -> {
                if (replaceIfExists && !sameNode) {
                    checkRenameTarget(t);
                }
                volume.rename(h.context, source, t.main(), replaceIfExists);
            });
            synchronized (facade.table()) {
                facade.table().rename(sourceKey, source, targetKey, t.main());
            }
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        } finally {
            facade.renameLock().writeLock().unlock();
        }
    }

    /**
     * fsop.c FspFileSystemRenameCheck: DELETE on an existing target, with the READONLY check of
     * FILE_DELETE_ON_CLOSE forced; a missing target passes.
     */
    private void checkRenameTarget(WinName t) {
        try {
            SecurityByName existing = volume.getSecurityByName(t.main());
            if ((existing.fileAttributes() & Win32.FILE_ATTRIBUTE_READONLY) != 0) {
                throw nt(NtStatus.CANNOT_DELETE, "READONLY rename target: " + t.main());
            }
            facade.access().checkAccess(t.main(), t.parent(), existing, Win32.DELETE, 0);
        } catch (NtStatusException e) {
            if (e.status() != NtStatus.OBJECT_NAME_NOT_FOUND) {
                throw e;
            }
        }
    }
}
