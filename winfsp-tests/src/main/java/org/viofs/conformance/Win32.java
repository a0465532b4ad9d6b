package org.viofs.conformance;

/**
 * Win32 constants the facade and the restated cases use, with their SDK values ({@code winnt.h},
 * {@code winbase.h}, {@code fileapi.h}, {@code winerror.h}). Names keep the SDK spelling so a
 * restated assertion reads like the upstream one.
 */
public final class Win32 {
    private Win32() {
    }

    // --- access rights (winnt.h) ---
    public static final int FILE_READ_DATA = 0x0001;
    public static final int FILE_LIST_DIRECTORY = 0x0001;
    public static final int FILE_WRITE_DATA = 0x0002;
    public static final int FILE_ADD_FILE = 0x0002;
    public static final int FILE_APPEND_DATA = 0x0004;
    public static final int FILE_ADD_SUBDIRECTORY = 0x0004;
    public static final int FILE_READ_EA = 0x0008;
    public static final int FILE_WRITE_EA = 0x0010;
    public static final int FILE_EXECUTE = 0x0020;
    public static final int FILE_TRAVERSE = 0x0020;
    public static final int FILE_DELETE_CHILD = 0x0040;
    public static final int FILE_READ_ATTRIBUTES = 0x0080;
    public static final int FILE_WRITE_ATTRIBUTES = 0x0100;
    public static final int DELETE = 0x00010000;
    public static final int READ_CONTROL = 0x00020000;
    public static final int WRITE_DAC = 0x00040000;
    public static final int WRITE_OWNER = 0x00080000;
    public static final int SYNCHRONIZE = 0x00100000;
    public static final int ACCESS_SYSTEM_SECURITY = 0x01000000;
    public static final int MAXIMUM_ALLOWED = 0x02000000;
    public static final int GENERIC_ALL = 0x10000000;
    public static final int GENERIC_EXECUTE = 0x20000000;
    public static final int GENERIC_WRITE = 0x40000000;
    public static final int GENERIC_READ = 0x80000000;
    /** FILE_GENERIC_READ: STANDARD_RIGHTS_READ | FILE_READ_DATA | FILE_READ_ATTRIBUTES | FILE_READ_EA | SYNCHRONIZE. */
    public static final int FILE_GENERIC_READ = 0x00120089;
    /** FILE_GENERIC_WRITE: STANDARD_RIGHTS_WRITE | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA | FILE_APPEND_DATA | SYNCHRONIZE. */
    public static final int FILE_GENERIC_WRITE = 0x00120116;
    /** FILE_GENERIC_EXECUTE: STANDARD_RIGHTS_EXECUTE | FILE_READ_ATTRIBUTES | FILE_EXECUTE | SYNCHRONIZE. */
    public static final int FILE_GENERIC_EXECUTE = 0x001200A0;
    /** FILE_ALL_ACCESS: STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x1FF. */
    public static final int FILE_ALL_ACCESS = 0x001F01FF;

    // --- share modes ---
    public static final int FILE_SHARE_READ = 0x1;
    public static final int FILE_SHARE_WRITE = 0x2;
    public static final int FILE_SHARE_DELETE = 0x4;

    // --- CreateFile dispositions ---
    public static final int CREATE_NEW = 1;
    public static final int CREATE_ALWAYS = 2;
    public static final int OPEN_EXISTING = 3;
    public static final int OPEN_ALWAYS = 4;
    public static final int TRUNCATE_EXISTING = 5;

    // --- CreateFile flags (high bits of dwFlagsAndAttributes) ---
    public static final int FILE_FLAG_WRITE_THROUGH = 0x80000000;
    public static final int FILE_FLAG_OVERLAPPED = 0x40000000;
    public static final int FILE_FLAG_NO_BUFFERING = 0x20000000;
    public static final int FILE_FLAG_RANDOM_ACCESS = 0x10000000;
    public static final int FILE_FLAG_SEQUENTIAL_SCAN = 0x08000000;
    public static final int FILE_FLAG_DELETE_ON_CLOSE = 0x04000000;
    public static final int FILE_FLAG_BACKUP_SEMANTICS = 0x02000000;
    public static final int FILE_FLAG_POSIX_SEMANTICS = 0x01000000;
    public static final int FILE_FLAG_OPEN_REPARSE_POINT = 0x00200000;

    /** NtCreateFile option FILE_NO_EA_KNOWLEDGE (wdm.h): the caller does not understand FILE_NEED_EA. */
    public static final int FILE_NO_EA_KNOWLEDGE = 0x00000200;

    // --- attributes (same bits as org.viofs.volume.FileAttributes) ---
    public static final int FILE_ATTRIBUTE_READONLY = 0x01;
    public static final int FILE_ATTRIBUTE_HIDDEN = 0x02;
    public static final int FILE_ATTRIBUTE_SYSTEM = 0x04;
    public static final int FILE_ATTRIBUTE_DIRECTORY = 0x10;
    public static final int FILE_ATTRIBUTE_ARCHIVE = 0x20;
    public static final int FILE_ATTRIBUTE_NORMAL = 0x80;
    public static final int FILE_ATTRIBUTE_TEMPORARY = 0x100;
    public static final int FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
    public static final int INVALID_FILE_ATTRIBUTES = 0xFFFFFFFF;

    // --- MoveFileEx ---
    public static final int MOVEFILE_REPLACE_EXISTING = 0x1;

    // --- SetFilePointer ---
    public static final int FILE_BEGIN = 0;
    public static final int FILE_CURRENT = 1;
    public static final int FILE_END = 2;

    // --- CreateSymbolicLink ---
    public static final int SYMBOLIC_LINK_FLAG_DIRECTORY = 0x1;
    public static final int SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE = 0x2;

    // --- reparse tags (winnt.h) ---
    public static final int IO_REPARSE_TAG_SYMLINK = 0xA000000C;
    public static final int IO_REPARSE_TAG_NFS = 0x80000014;
    public static final int SYMLINK_FLAG_RELATIVE = 0x1;

    // --- security information ---
    public static final int OWNER_SECURITY_INFORMATION = 0x1;
    public static final int GROUP_SECURITY_INFORMATION = 0x2;
    public static final int DACL_SECURITY_INFORMATION = 0x4;
    public static final int SACL_SECURITY_INFORMATION = 0x8;

    // --- GetVolumeInformation file system flags (winnt.h) ---
    public static final int FILE_CASE_SENSITIVE_SEARCH = 0x00000001;
    public static final int FILE_CASE_PRESERVED_NAMES = 0x00000002;
    public static final int FILE_UNICODE_ON_DISK = 0x00000004;
    public static final int FILE_PERSISTENT_ACLS = 0x00000008;
    public static final int FILE_SUPPORTS_REPARSE_POINTS = 0x00000080;
    public static final int FILE_SUPPORTS_POSIX_UNLINK_RENAME = 0x00000400;
    public static final int FILE_NAMED_STREAMS = 0x00040000;

    // --- Win32 error codes (winerror.h) ---
    public static final int ERROR_SUCCESS = 0;
    public static final int ERROR_INVALID_FUNCTION = 1;
    public static final int ERROR_FILE_NOT_FOUND = 2;
    public static final int ERROR_PATH_NOT_FOUND = 3;
    public static final int ERROR_ACCESS_DENIED = 5;
    public static final int ERROR_INVALID_HANDLE = 6;
    public static final int ERROR_NOT_ENOUGH_MEMORY = 8;
    public static final int ERROR_NO_MORE_FILES = 18;
    public static final int ERROR_WRITE_PROTECT = 19;
    public static final int ERROR_BAD_COMMAND = 22;
    public static final int ERROR_BAD_LENGTH = 24;
    public static final int ERROR_GEN_FAILURE = 31;
    public static final int ERROR_SHARING_VIOLATION = 32;
    public static final int ERROR_LOCK_VIOLATION = 33;
    public static final int ERROR_HANDLE_EOF = 38;
    public static final int ERROR_NOT_SUPPORTED = 50;
    public static final int ERROR_NETNAME_DELETED = 64;
    public static final int ERROR_FILE_EXISTS = 80;
    public static final int ERROR_INVALID_PARAMETER = 87;
    public static final int ERROR_DISK_FULL = 112;
    public static final int ERROR_SEM_TIMEOUT = 121;
    public static final int ERROR_INSUFFICIENT_BUFFER = 122;
    public static final int ERROR_INVALID_NAME = 123;
    public static final int ERROR_NEGATIVE_SEEK = 131;
    public static final int ERROR_DIR_NOT_EMPTY = 145;
    public static final int ERROR_BAD_PATHNAME = 161;
    public static final int ERROR_ALREADY_EXISTS = 183;
    public static final int ERROR_FILENAME_EXCED_RANGE = 206;
    public static final int ERROR_FILE_TOO_LARGE = 223;
    public static final int ERROR_MORE_DATA = 234;
    public static final int ERROR_DIRECTORY = 267;
    public static final int ERROR_INVALID_EA_NAME = 254;
    public static final int ERROR_EA_LIST_INCONSISTENT = 255;
    public static final int ERROR_NO_MORE_ITEMS = 259;
    public static final int ERROR_EAS_NOT_SUPPORTED = 282;
    public static final int ERROR_MR_MID_NOT_FOUND = 317;
    public static final int ERROR_IO_DEVICE = 1117;
    public static final int ERROR_TOO_MANY_LINKS = 1142;
    public static final int ERROR_PRIVILEGE_NOT_HELD = 1314;
    public static final int ERROR_FILE_CORRUPT = 1392;
    public static final int ERROR_NO_SYSTEM_RESOURCES = 1450;
    public static final int ERROR_NOT_ENOUGH_QUOTA = 1816;
    public static final int ERROR_CANT_ACCESS_FILE = 1920;
    public static final int ERROR_CANT_RESOLVE_FILENAME = 1921;
    public static final int ERROR_NOT_A_REPARSE_POINT = 4390;
    public static final int ERROR_REPARSE_ATTRIBUTE_CONFLICT = 4391;
    public static final int ERROR_INVALID_REPARSE_DATA = 4392;
    public static final int ERROR_REPARSE_TAG_INVALID = 4393;
    public static final int ERROR_REPARSE_TAG_MISMATCH = 4394;
}
