package org.viofs.winfsp;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/**
 * {@code FSP_FILE_SYSTEM_INTERFACE} (docs/winfsp-native.md §2): one JNA callback type per slot, in table
 * order, with the C argument types mapped to fixed widths (ULONG → {@code int}, UINT64 and SIZE_T →
 * {@code long}, BOOLEAN → {@code byte}, pointers → {@link Pointer}), and the slot numbers. The
 * table is 64 slots of 8 bytes; a slot's offset is 8 × its number. {@link FspCallbacks} implements
 * them over a volume. Declarations only.
 */
public final class FspInterface {
    private FspInterface() {
    }

    /** Slot 0. */
    public interface GetVolumeInfo extends Callback {
        int invoke(Pointer fileSystem, Pointer volumeInfo);
    }

    /** Slot 1. */
    public interface SetVolumeLabel extends Callback {
        int invoke(Pointer fileSystem, Pointer volumeLabel, Pointer volumeInfo);
    }

    /** Slot 2. */
    public interface GetSecurityByName extends Callback {
        int invoke(Pointer fileSystem, Pointer fileName, Pointer pFileAttributes, Pointer securityDescriptor,
                   Pointer pSecurityDescriptorSize);
    }

    /** Slot 3. */
    public interface Create extends Callback {
        int invoke(Pointer fileSystem, Pointer fileName, int createOptions, int grantedAccess, int fileAttributes,
                   Pointer securityDescriptor, long allocationSize, Pointer pFileContext, Pointer openFileInfo);
    }

    /** Slot 4. */
    public interface Open extends Callback {
        int invoke(Pointer fileSystem, Pointer fileName, int createOptions, int grantedAccess, Pointer pFileContext,
                   Pointer openFileInfo);
    }

    /** Slot 5. */
    public interface Overwrite extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, int fileAttributes, byte replaceFileAttributes,
                   long allocationSize, Pointer fileInfo);
    }

    /** Slot 6. */
    public interface Cleanup extends Callback {
        void invoke(Pointer fileSystem, Pointer fileContext, Pointer fileName, int flags);
    }

    /** Slot 7. */
    public interface Close extends Callback {
        void invoke(Pointer fileSystem, Pointer fileContext);
    }

    /** Slot 8. */
    public interface Read extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer buffer, long offset, int length,
                   Pointer pBytesTransferred);
    }

    /** Slot 9. */
    public interface Write extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer buffer, long offset, int length,
                   byte writeToEndOfFile, byte constrainedIo, Pointer pBytesTransferred, Pointer fileInfo);
    }

    /** Slot 10 (Flush) and slot 11 (GetFileInfo). */
    public interface FileInfoOnly extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer fileInfo);
    }

    /** Slot 12. */
    public interface SetBasicInfo extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, int fileAttributes, long creationTime,
                   long lastAccessTime, long lastWriteTime, long changeTime, Pointer fileInfo);
    }

    /** Slot 13. */
    public interface SetFileSize extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, long newSize, byte setAllocationSize, Pointer fileInfo);
    }

    /** Slot 14. */
    public interface CanDelete extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer fileName);
    }

    /** Slot 15. */
    public interface Rename extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer fileName, Pointer newFileName,
                   byte replaceIfExists);
    }

    /** Slot 16. */
    public interface GetSecurity extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer securityDescriptor,
                   Pointer pSecurityDescriptorSize);
    }

    /** Slot 17. */
    public interface SetSecurity extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, int securityInformation, Pointer modificationDescriptor);
    }

    /** Slot 18. */
    public interface ReadDirectory extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer pattern, Pointer marker, Pointer buffer,
                   int length, Pointer pBytesTransferred);
    }

    /** Slot 19. */
    public interface ResolveReparsePoints extends Callback {
        int invoke(Pointer fileSystem, Pointer fileName, int reparsePointIndex, byte resolveLastPathComponent,
                   Pointer pIoStatus, Pointer buffer, Pointer pSize);
    }

    /** Slot 20. */
    public interface GetReparsePoint extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer fileName, Pointer buffer, Pointer pSize);
    }

    /** Slots 21 and 22. */
    public interface ReparsePointData extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer fileName, Pointer buffer, long size);
    }

    /** Slot 23. */
    public interface GetStreamInfo extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer buffer, int length, Pointer pBytesTransferred);
    }

    /** Slot 24. */
    public interface GetDirInfoByName extends Callback {
        int invoke(Pointer fileSystem, Pointer parentDirectory, Pointer fileName, Pointer dirInfo);
    }

    /** Slot 26. */
    public interface SetDelete extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer fileName, byte deleteFile);
    }

    /** Slot 27: Create with an extra buffer of EAs or, with extraBufferIsReparsePoint, reparse data. */
    public interface CreateEx extends Callback {
        int invoke(Pointer fileSystem, Pointer fileName, int createOptions, int grantedAccess, int fileAttributes,
                   Pointer securityDescriptor, long allocationSize, Pointer extraBuffer, int extraLength,
                   byte extraBufferIsReparsePoint, Pointer pFileContext, Pointer openFileInfo);
    }

    /** Slot 28: Overwrite with the EAs that replace the file's (Ea may be NULL). */
    public interface OverwriteEx extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, int fileAttributes, byte replaceFileAttributes,
                   long allocationSize, Pointer ea, int eaLength, Pointer fileInfo);
    }

    /** Slot 29. */
    public interface GetEa extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer ea, int eaLength, Pointer pBytesTransferred);
    }

    /** Slot 30. */
    public interface SetEa extends Callback {
        int invoke(Pointer fileSystem, Pointer fileContext, Pointer ea, int eaLength, Pointer fileInfo);
    }

    /** Interface slot numbers (docs/winfsp-native.md §2); the slot's offset is 8 × slot. */
    public static final int SLOT_GET_VOLUME_INFO = 0;
    public static final int SLOT_SET_VOLUME_LABEL = 1;
    public static final int SLOT_GET_SECURITY_BY_NAME = 2;
    public static final int SLOT_CREATE = 3;
    public static final int SLOT_OPEN = 4;
    public static final int SLOT_OVERWRITE = 5;
    public static final int SLOT_CLEANUP = 6;
    public static final int SLOT_CLOSE = 7;
    public static final int SLOT_READ = 8;
    public static final int SLOT_WRITE = 9;
    public static final int SLOT_FLUSH = 10;
    public static final int SLOT_GET_FILE_INFO = 11;
    public static final int SLOT_SET_BASIC_INFO = 12;
    public static final int SLOT_SET_FILE_SIZE = 13;
    public static final int SLOT_CAN_DELETE = 14;
    public static final int SLOT_RENAME = 15;
    public static final int SLOT_GET_SECURITY = 16;
    public static final int SLOT_SET_SECURITY = 17;
    public static final int SLOT_READ_DIRECTORY = 18;
    public static final int SLOT_RESOLVE_REPARSE_POINTS = 19;
    public static final int SLOT_GET_REPARSE_POINT = 20;
    public static final int SLOT_SET_REPARSE_POINT = 21;
    public static final int SLOT_DELETE_REPARSE_POINT = 22;
    public static final int SLOT_GET_STREAM_INFO = 23;
    public static final int SLOT_GET_DIR_INFO_BY_NAME = 24;
    public static final int SLOT_SET_DELETE = 26;
    public static final int SLOT_CREATE_EX = 27;
    public static final int SLOT_OVERWRITE_EX = 28;
    public static final int SLOT_GET_EA = 29;
    public static final int SLOT_SET_EA = 30;
}
