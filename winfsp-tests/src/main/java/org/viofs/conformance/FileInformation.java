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
     * no times, closes. kernelbase adds FILE_ATTRIBUTE_NORMAL, so the FSD always sends an attribute
     * word (0 clears every attribute): FILE_ATTRIBUTE_NORMAL alone means "no attributes", the
     * DIRECTORY bit follows the file's kind. The close's Cleanup then asks for the change time.
     */
    boolean setFileAttributes(String path, int attributes) {
        Handle h = open(path, Win32.FILE_WRITE_ATTRIBUTES | Win32.SYNCHRONIZE, SHARE_ALL,
                CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT | CreateOptions.FILE_OPEN_REPARSE_POINT);
        if (h == null) {
            return false;
        }
        boolean ok = basicInfo(h, attributes | Win32.FILE_ATTRIBUTE_NORMAL, 0, 0, 0, 0);
        return facade.closeAndReport(h, ok);
    }

    /**
     * SetFileTime: SetFileInformationByHandle(FileBasicInfo) with attributes 0 and the given times
     * (a null argument is 0, "unchanged"; -1 is "do not update for this handle", which the FSD also
     * sends as 0). Needs FILE_WRITE_ATTRIBUTES.
     */
    boolean setFileTime(Handle h, Long creationTime, Long lastAccessTime, Long lastWriteTime) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        return setBasicInfo(h, 0, creationTime == null ? 0 : creationTime, lastAccessTime == null ? 0 : lastAccessTime,
                lastWriteTime == null ? 0 : lastWriteTime, 0);
    }

    /**
     * SetFileInformationByHandle(FileBasicInfo): needs FILE_WRITE_ATTRIBUTES; the FSD
     * (src/sys/fileinfo.c FspFsvolSetBasicInformation) sends attributes 0 as "unchanged"
     * (INVALID_FILE_ATTRIBUTES), clears NORMAL and sets DIRECTORY by the file's kind, and sends each
     * time of -1 as 0 ("unchanged"). On success it remembers for the handle's Cleanup what was set
     * ({@link CleanupRule}): the attributes if a word was sent, each time that was sent, and that
     * metadata was set at all.
     */
    boolean setBasicInfo(Handle h, int attributes, long creation, long access, long write, long change) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        if ((h.grantedAccess & Win32.FILE_WRITE_ATTRIBUTES) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        return basicInfo(h, attributes, creation, access, write, change);
    }

    private boolean basicInfo(Handle h, int attributes, long creation, long access, long write, long change) {
        int a = attributes == 0 ? Win32.INVALID_FILE_ATTRIBUTES
                : attributes & ~(Win32.FILE_ATTRIBUTE_NORMAL | Win32.FILE_ATTRIBUTE_DIRECTORY)
                        | (h.directory ? Win32.FILE_ATTRIBUTE_DIRECTORY : 0);
        long c = unchangedIfMinusOne(creation);
        long la = unchangedIfMinusOne(access);
        long lw = unchangedIfMinusOne(write);
        long ch = unchangedIfMinusOne(change);
        try {
            FileInfo info = OpenFileTable.underMain(h.node, () -> volume.setBasicInfo(h.context, a, c, la, lw, ch));
            synchronized (facade.table()) {
                OpenFileTable.takeFileInfo(h.node, info, false, options.allocationUnit());
            }
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
        h.didSetFileAttributes |= a != Win32.INVALID_FILE_ATTRIBUTES;
        h.didSetCreationTime |= c != 0;
        h.didSetLastAccessTime |= la != 0;
        h.didSetLastWriteTime |= lw != 0;
        h.didSetChangeTime |= ch != 0;
        h.didSetMetadata = true;
        succeed();
        return true;
    }

    private static long unchangedIfMinusOne(long time) {
        return time == -1 ? 0 : time;
    }

    /** SetEndOfFile: SetFileSize(file pointer, setAllocationSize=false). Needs FILE_WRITE_DATA. */
    boolean setEndOfFile(Handle h) {
        return setFileSize(h, h.pointer, false);
    }

    /**
     * SetFileInformationByHandle(FileEndOfFileInfo / FileAllocationInfo): SetFileSize; the FSD rounds
     * an allocation size up to the allocation unit first. Needs FILE_WRITE_DATA. On success the
     * handle counts as modified (FO_FILE_MODIFIED) and the FSD takes the reply's FileInfo with
     * truncate on close ({@link CleanupRule}).
     */
    boolean setFileSize(Handle h, long size, boolean allocation) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        if ((h.grantedAccess & Win32.FILE_WRITE_DATA) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        long sent = allocation ? CleanupRule.roundUp(size, options.allocationUnit()) : size;
        try {
            FileInfo info = OpenFileTable.underMain(h.node, () -> volume.setFileSize(h.context, sent, allocation));
            synchronized (facade.table()) {
                OpenFileTable.takeFileInfo(h.node, info, true, options.allocationUnit());
            }
            h.modified = true;
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }
}
