package org.viofs.conformance;

import java.util.function.Function;

import org.viofs.volume.CreateOptions;
import org.viofs.volume.FileInfo;
import org.viofs.volume.NtStatus;

import org.viofs.conformance.Win32Structs.ByHandleFileInformation;
import org.viofs.conformance.Win32Structs.BasicInfo;
import org.viofs.conformance.Win32Structs.StandardInfo;
import org.viofs.conformance.Win32Structs.AttributeTagInfo;
import org.viofs.conformance.Win32Structs.FileNameInfo;

/**
 * The information calls: queries answered from one GetFileInfo (or from the FSD's own name), the
 * by-name attribute calls, and the set calls (SetBasicInfo, SetFileSize) with the access each
 * needs; the set calls record on the handle what the Cleanup at its close must do.
 */
final class FileInformation extends FacadeSection {

    FileInformation(Win32Facade facade) {
        super(facade);
    }

    private FileInfo info(Handle h) {
        return volume.getFileInfo(h.context);
    }

    /**
     * A query the FSD answers from one GetFileInfo: the result, with success as the last error, or null
     * with the failure's Win32 code.
     */
    private <T> T fromInfo(Handle h, Function<FileInfo, T> result) {
        try {
            T r = result.apply(info(h));
            succeed();
            return r;
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /** GetFileInformationByHandle: one GetFileInfo. Null on failure. */
    ByHandleFileInformation getFileInformationByHandle(Handle h) {
        return fromInfo(h, i -> new ByHandleFileInformation(reported(i.fileAttributes()), i.creationTime(),
                i.lastAccessTime(), i.lastWriteTime(), options.volumeSerialNumber(), i.fileSize(),
                Math.max(1, i.hardLinks()), i.indexNumber()));
    }

    /** GetFileInformationByHandleEx(FileBasicInfo). */
    BasicInfo getBasicInfo(Handle h) {
        return fromInfo(h, i -> new BasicInfo(i.creationTime(), i.lastAccessTime(), i.lastWriteTime(), i.changeTime(),
                reported(i.fileAttributes())));
    }

    /** GetFileInformationByHandleEx(FileStandardInfo); links are 1 (WinFsp leaves HardLinks unimplemented). */
    StandardInfo getStandardInfo(Handle h) {
        return fromInfo(h, i -> new StandardInfo(i.allocationSize(), i.fileSize(), 1, h.node.deletePending, h.directory));
    }

    /** GetFileInformationByHandleEx(FileAttributeTagInfo). */
    AttributeTagInfo getAttributeTagInfo(Handle h) {
        return fromInfo(h, i -> new AttributeTagInfo(reported(i.fileAttributes()), i.reparseTag()));
    }

    /**
     * GetFileInformationByHandleEx(FileNameInfo) into a buffer of {@code bufferSize} bytes: the FSD
     * answers from its own file name (no callback). FILE_NAME_INFO is a 4-byte length then the name;
     * a short buffer fails with ERROR_MORE_DATA but still carries the full length.
     */
    FileNameInfo getFileNameInfo(Handle h, int bufferSize) {
        String name = h.name;
        int needed = 4 + 2 * name.length();
        int fit = Math.max(0, (bufferSize - 4) / 2);
        FileNameInfo r = new FileNameInfo(2 * name.length(), name.substring(0, Math.min(fit, name.length())));
        if (bufferSize < needed) {
            fail(NtStatus.BUFFER_OVERFLOW);
        } else {
            succeed();
        }
        return r;
    }

    /** GetFinalPathNameByHandleW(VOLUME_NAME_NONE): the FSD's name for the file object. */
    String getFinalPathNameByHandle(Handle h) {
        succeed();
        return h.name;
    }

    /**
     * GetFileAttributesW: opens with FILE_READ_ATTRIBUTES (share all, backup intent, reparse point
     * itself), GetFileInfo, closes. INVALID_FILE_ATTRIBUTES on failure.
     */
    int getFileAttributes(String path) {
        Handle h = facade.ntCreateFile(path, Win32.FILE_READ_ATTRIBUTES,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT | CreateOptions.FILE_OPEN_REPARSE_POINT, 0, 0);
        if (h == null) {
            return Win32.INVALID_FILE_ATTRIBUTES;
        }
        try {
            int a = reported(info(h).fileAttributes());
            release(h);
            succeed();
            return a;
        } catch (RuntimeException e) {
            int status = statusOf(e);
            release(h);
            fail(status);
            return Win32.INVALID_FILE_ATTRIBUTES;
        }
    }

    /**
     * SetFileAttributesW: opens with FILE_WRITE_ATTRIBUTES, SetBasicInfo with the attributes and
     * no times, closes. The FSD's mapping: FILE_ATTRIBUTE_NORMAL alone means "no attributes", the
     * DIRECTORY bit follows the file's kind.
     */
    boolean setFileAttributes(String path, int attributes) {
        Handle h = facade.ntCreateFile(path, Win32.FILE_WRITE_ATTRIBUTES | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT | CreateOptions.FILE_OPEN_REPARSE_POINT, 0, 0);
        if (h == null) {
            return false;
        }
        int a = attributes & ~Win32.FILE_ATTRIBUTE_NORMAL;
        a = h.directory ? a | Win32.FILE_ATTRIBUTE_DIRECTORY : a & ~Win32.FILE_ATTRIBUTE_DIRECTORY;
        try {
            volume.setBasicInfo(h.context, a, 0, 0, 0, 0);
        } catch (RuntimeException e) {
            int status = statusOf(e);
            release(h);
            return fail(status);
        }
        release(h);
        succeed();
        return true;
    }

    /**
     * SetFileTime: SetBasicInfo with INVALID_FILE_ATTRIBUTES and the given times (0 = unchanged;
     * a null argument is 0). Needs FILE_WRITE_ATTRIBUTES. An explicit write time keeps the FSD from
     * setting it again at Cleanup.
     */
    boolean setFileTime(Handle h, Long creationTime, Long lastAccessTime, Long lastWriteTime) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        if ((h.grantedAccess & Win32.FILE_WRITE_ATTRIBUTES) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        try {
            volume.setBasicInfo(h.context, Win32.INVALID_FILE_ATTRIBUTES,
                    creationTime == null ? 0 : creationTime, lastAccessTime == null ? 0 : lastAccessTime,
                    lastWriteTime == null ? 0 : lastWriteTime, 0);
            if (lastWriteTime != null && lastWriteTime != 0) {
                h.explicitWriteTime = true;
            }
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    /** SetFileInformationByHandle(FileBasicInfo): SetBasicInfo as given (attributes 0 = unchanged). */
    boolean setBasicInfo(Handle h, int attributes, long creation, long access, long write, long change) {
        if ((h.grantedAccess & Win32.FILE_WRITE_ATTRIBUTES) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        int a = attributes == 0 ? Win32.INVALID_FILE_ATTRIBUTES : attributes & ~Win32.FILE_ATTRIBUTE_NORMAL;
        if (a != Win32.INVALID_FILE_ATTRIBUTES) {
            a = h.directory ? a | Win32.FILE_ATTRIBUTE_DIRECTORY : a & ~Win32.FILE_ATTRIBUTE_DIRECTORY;
        }
        try {
            volume.setBasicInfo(h.context, a, creation, access, write, change);
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    /** SetEndOfFile: SetFileSize(file pointer, setAllocationSize=false). Needs FILE_WRITE_DATA. */
    boolean setEndOfFile(Handle h) {
        return setFileSize(h, h.pointer, false);
    }

    /** SetFileInformationByHandle(FileEndOfFileInfo / FileAllocationInfo): SetFileSize. */
    boolean setFileSize(Handle h, long size, boolean allocation) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        if ((h.grantedAccess & Win32.FILE_WRITE_DATA) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        try {
            volume.setFileSize(h.context, size, allocation);
            h.modified = true;
            h.node.truncateOnClose |= allocation;
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }
}
