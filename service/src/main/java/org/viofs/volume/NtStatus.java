package org.viofs.volume;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * NTSTATUS values used by viofs, with their Windows SDK names ({@code ntstatus.h}).
 * {@link #describe(int)} turns a value into "NAME (0xC0000034)" for logs and assertions.
 */
public final class NtStatus {
    private NtStatus() {
    }

    public static final int SUCCESS = 0x00000000;
    public static final int PENDING = 0x00000103;
    public static final int REPARSE = 0x00000104;
    public static final int BUFFER_OVERFLOW = 0x80000005;
    public static final int NO_MORE_FILES = 0x80000006;
    public static final int NO_MORE_EAS = 0x80000012;
    public static final int INVALID_EA_NAME = 0x80000013;
    public static final int EA_LIST_INCONSISTENT = 0x80000014;
    public static final int UNSUCCESSFUL = 0xC0000001;
    public static final int NOT_IMPLEMENTED = 0xC0000002;
    public static final int INVALID_INFO_CLASS = 0xC0000003;
    public static final int INFO_LENGTH_MISMATCH = 0xC0000004;
    public static final int INVALID_HANDLE = 0xC0000008;
    public static final int INVALID_PARAMETER = 0xC000000D;
    public static final int NO_SUCH_FILE = 0xC000000F;
    public static final int INVALID_DEVICE_REQUEST = 0xC0000010;
    public static final int END_OF_FILE = 0xC0000011;
    public static final int NO_MEMORY = 0xC0000017;
    public static final int ACCESS_DENIED = 0xC0000022;
    public static final int BUFFER_TOO_SMALL = 0xC0000023;
    public static final int OBJECT_NAME_INVALID = 0xC0000033;
    public static final int OBJECT_NAME_NOT_FOUND = 0xC0000034;
    public static final int OBJECT_NAME_COLLISION = 0xC0000035;
    public static final int OBJECT_PATH_INVALID = 0xC0000039;
    public static final int OBJECT_PATH_NOT_FOUND = 0xC000003A;
    public static final int OBJECT_PATH_SYNTAX_BAD = 0xC000003B;
    public static final int SHARING_VIOLATION = 0xC0000043;
    public static final int EA_TOO_LARGE = 0xC0000050;
    public static final int NONEXISTENT_EA_ENTRY = 0xC0000051;
    public static final int NO_EAS_ON_FILE = 0xC0000052;
    public static final int EA_CORRUPT_ERROR = 0xC0000053;
    public static final int EAS_NOT_SUPPORTED = 0xC000004F;
    public static final int DELETE_PENDING = 0xC0000056;
    public static final int PRIVILEGE_NOT_HELD = 0xC0000061;
    public static final int DISK_FULL = 0xC000007F;
    public static final int INSUFFICIENT_RESOURCES = 0xC000009A;
    public static final int MEDIA_WRITE_PROTECTED = 0xC00000A2;
    public static final int FILE_IS_A_DIRECTORY = 0xC00000BA;
    public static final int NOT_SUPPORTED = 0xC00000BB;
    public static final int INTERNAL_ERROR = 0xC00000E5;
    public static final int UNEXPECTED_IO_ERROR = 0xC00000E9;
    public static final int IO_DEVICE_ERROR = 0xC0000185;
    public static final int DIRECTORY_NOT_EMPTY = 0xC0000101;
    public static final int FILE_CORRUPT_ERROR = 0xC0000102;
    public static final int NOT_A_DIRECTORY = 0xC0000103;
    public static final int NAME_TOO_LONG = 0xC0000106;
    public static final int FILES_OPEN = 0xC0000107;
    public static final int TOO_MANY_OPENED_FILES = 0xC000011F;
    public static final int CANNOT_DELETE = 0xC0000121;
    public static final int FILE_DELETED = 0xC0000123;
    public static final int FILE_CLOSED = 0xC0000128;
    public static final int INVALID_LEVEL = 0xC0000148;
    public static final int TOO_MANY_LINKS = 0xC0000265;
    public static final int FILE_TOO_LARGE = 0xC0000904;
    public static final int NOT_A_REPARSE_POINT = 0xC0000275;
    public static final int IO_REPARSE_TAG_INVALID = 0xC0000276;
    public static final int IO_REPARSE_TAG_MISMATCH = 0xC0000277;
    public static final int IO_REPARSE_DATA_INVALID = 0xC0000278;
    public static final int REPARSE_POINT_NOT_RESOLVED = 0xC0000280;
    public static final int DIRECTORY_IS_A_REPARSE_POINT = 0xC0000281;
    public static final int STOPPED_ON_SYMLINK = 0x8000002D;
    public static final int QUOTA_EXCEEDED = 0xC0000044;
    public static final int FILE_INVALID = 0xC0000098;
    public static final int IO_TIMEOUT = 0xC00000B5;
    public static final int DEVICE_NOT_READY = 0xC00000A3;
    public static final int DEVICE_DOES_NOT_EXIST = 0xC00000C0;
    public static final int NO_SUCH_DEVICE = 0xC000000E;
    public static final int CONNECTION_DISCONNECTED = 0xC000020C;
    public static final int INVALID_DEVICE_STATE = 0xC0000184;
    public static final int STOPPED_ON_SYMLINK_LOOP = 0xC0000280; // same code as REPARSE_POINT_NOT_RESOLVED
    public static final int CANT_WAIT = 0xC00000D8;
    public static final int OBJECT_NAME_EXISTS = 0x40000000;
    public static final int MORE_ENTRIES = 0x00000105;
    // Added by the volume (issue 3); ntstatus.h values.
    public static final int NOT_SAME_DEVICE = 0xC00000D4;
    public static final int POSSIBLE_DEADLOCK = 0xC0000194;
    public static final int DISK_QUOTA_EXCEEDED = 0xC0000802;
    public static final int CANCELLED = 0xC0000120;
    public static final int INVALID_SECURITY_DESCR = 0xC0000079;
    public static final int INVALID_SID = 0xC0000078;
    public static final int INVALID_ACL = 0xC0000077;
    public static final int INVALID_OWNER = 0xC000005A;
    public static final int CONNECTION_RESET = 0xC000020D;
    public static final int CONNECTION_REFUSED = 0xC0000236;
    public static final int INVALID_PRIMARY_GROUP = 0xC000005B;

    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        for (Field f : NtStatus.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                try {
                    NAMES.putIfAbsent(f.getInt(null), "STATUS_" + f.getName());
                } catch (IllegalAccessException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
        }
    }

    /** True for success and informational values (NT_SUCCESS). */
    public static boolean isSuccess(int status) {
        return status >= 0;
    }

    /** The SDK name, or null if this class does not know the value. */
    public static String name(int status) {
        return NAMES.get(status);
    }

    /** "STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)", or "0x12345678" for an unknown value. */
    public static String describe(int status) {
        String hex = String.format("0x%08X", status);
        String name = NAMES.get(status);
        return name == null ? hex : name + " (" + hex + ")";
    }
}
