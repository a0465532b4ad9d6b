package org.viofs.conformance;

import java.util.HashMap;
import java.util.Map;

import org.viofs.volume.NtStatus;

/**
 * NTSTATUS → Win32 error, as {@code RtlNtStatusToDosError} maps the codes the facade can meet
 * (ntdll's table, restated from its documented pairs: e.g. STATUS_OBJECT_NAME_NOT_FOUND →
 * ERROR_FILE_NOT_FOUND, STATUS_DELETE_PENDING → ERROR_ACCESS_DENIED). A code that table does not
 * know becomes ERROR_MR_MID_NOT_FOUND (317), as ntdll does.
 *
 * <p>Context sometimes changes the Win32 code: CreateFile with CREATE_NEW reports
 * ERROR_FILE_EXISTS (80) for STATUS_OBJECT_NAME_COLLISION where MoveFileEx reports
 * ERROR_ALREADY_EXISTS (183); kernelbase does that translation, so {@link Win32Facade} does it at
 * the call site.
 */
public final class NtStatusToWin32 {
    private NtStatusToWin32() {
    }

    private static final Map<Integer, Integer> TABLE = new HashMap<>();

    private static void map(int status, int error) {
        TABLE.put(status, error);
    }

    static {
        map(NtStatus.SUCCESS, Win32.ERROR_SUCCESS);
        map(NtStatus.BUFFER_OVERFLOW, Win32.ERROR_MORE_DATA);
        map(NtStatus.NO_MORE_FILES, Win32.ERROR_NO_MORE_FILES);
        map(NtStatus.UNSUCCESSFUL, Win32.ERROR_GEN_FAILURE);
        map(NtStatus.NOT_IMPLEMENTED, Win32.ERROR_INVALID_FUNCTION);
        map(NtStatus.INVALID_INFO_CLASS, Win32.ERROR_INVALID_PARAMETER);
        map(NtStatus.INFO_LENGTH_MISMATCH, Win32.ERROR_BAD_LENGTH);
        map(NtStatus.INVALID_HANDLE, Win32.ERROR_INVALID_HANDLE);
        map(NtStatus.INVALID_PARAMETER, Win32.ERROR_INVALID_PARAMETER);
        map(NtStatus.NO_SUCH_FILE, Win32.ERROR_FILE_NOT_FOUND);
        map(NtStatus.INVALID_DEVICE_REQUEST, Win32.ERROR_INVALID_FUNCTION);
        map(NtStatus.END_OF_FILE, Win32.ERROR_HANDLE_EOF);
        map(NtStatus.NO_MEMORY, Win32.ERROR_NOT_ENOUGH_MEMORY);
        map(NtStatus.ACCESS_DENIED, Win32.ERROR_ACCESS_DENIED);
        map(NtStatus.BUFFER_TOO_SMALL, Win32.ERROR_INSUFFICIENT_BUFFER);
        map(NtStatus.OBJECT_NAME_INVALID, Win32.ERROR_INVALID_NAME);
        map(NtStatus.OBJECT_NAME_NOT_FOUND, Win32.ERROR_FILE_NOT_FOUND);
        map(NtStatus.OBJECT_NAME_COLLISION, Win32.ERROR_ALREADY_EXISTS);
        map(NtStatus.OBJECT_PATH_INVALID, Win32.ERROR_BAD_PATHNAME);
        map(NtStatus.OBJECT_PATH_NOT_FOUND, Win32.ERROR_PATH_NOT_FOUND);
        map(NtStatus.OBJECT_PATH_SYNTAX_BAD, Win32.ERROR_BAD_PATHNAME);
        map(NtStatus.SHARING_VIOLATION, Win32.ERROR_SHARING_VIOLATION);
        map(NtStatus.QUOTA_EXCEEDED, Win32.ERROR_NOT_ENOUGH_QUOTA);
        map(NtStatus.DELETE_PENDING, Win32.ERROR_ACCESS_DENIED);
        map(NtStatus.PRIVILEGE_NOT_HELD, Win32.ERROR_PRIVILEGE_NOT_HELD);
        map(NtStatus.DISK_FULL, Win32.ERROR_DISK_FULL);
        map(NtStatus.INSUFFICIENT_RESOURCES, Win32.ERROR_NO_SYSTEM_RESOURCES);
        map(NtStatus.MEDIA_WRITE_PROTECTED, Win32.ERROR_WRITE_PROTECT);
        map(NtStatus.FILE_IS_A_DIRECTORY, Win32.ERROR_ACCESS_DENIED);
        map(NtStatus.NOT_SUPPORTED, Win32.ERROR_NOT_SUPPORTED);
        map(NtStatus.IO_TIMEOUT, Win32.ERROR_SEM_TIMEOUT);
        map(NtStatus.UNEXPECTED_IO_ERROR, Win32.ERROR_IO_DEVICE);
        map(NtStatus.IO_DEVICE_ERROR, Win32.ERROR_IO_DEVICE);
        map(NtStatus.DIRECTORY_NOT_EMPTY, Win32.ERROR_DIR_NOT_EMPTY);
        map(NtStatus.FILE_CORRUPT_ERROR, Win32.ERROR_FILE_CORRUPT);
        map(NtStatus.NOT_A_DIRECTORY, Win32.ERROR_DIRECTORY);
        map(NtStatus.NAME_TOO_LONG, Win32.ERROR_FILENAME_EXCED_RANGE);
        map(NtStatus.CANNOT_DELETE, Win32.ERROR_ACCESS_DENIED);
        map(NtStatus.FILE_DELETED, Win32.ERROR_ACCESS_DENIED);
        map(NtStatus.TOO_MANY_LINKS, Win32.ERROR_TOO_MANY_LINKS);
        map(NtStatus.FILE_TOO_LARGE, Win32.ERROR_FILE_TOO_LARGE);
        map(NtStatus.NOT_A_REPARSE_POINT, Win32.ERROR_NOT_A_REPARSE_POINT);
        map(NtStatus.IO_REPARSE_TAG_INVALID, Win32.ERROR_REPARSE_TAG_INVALID);
        map(NtStatus.IO_REPARSE_TAG_MISMATCH, Win32.ERROR_REPARSE_TAG_MISMATCH);
        map(NtStatus.IO_REPARSE_DATA_INVALID, Win32.ERROR_INVALID_REPARSE_DATA);
        map(NtStatus.REPARSE_POINT_NOT_RESOLVED, Win32.ERROR_CANT_RESOLVE_FILENAME);
        map(Win32Facade.STATUS_IO_REPARSE_TAG_NOT_HANDLED, Win32.ERROR_CANT_ACCESS_FILE);
        map(NtStatus.EAS_NOT_SUPPORTED, Win32.ERROR_EAS_NOT_SUPPORTED);
        // the EA statuses of ea-test.c (ntdll's table: the entry errors all read as a corrupt file)
        map(NtStatus.INVALID_EA_NAME, Win32.ERROR_INVALID_EA_NAME);
        map(NtStatus.EA_LIST_INCONSISTENT, Win32.ERROR_EA_LIST_INCONSISTENT);
        map(NtStatus.NO_MORE_EAS, Win32.ERROR_NO_MORE_ITEMS);
        map(NtStatus.EA_TOO_LARGE, Win32.ERROR_EA_LIST_INCONSISTENT);
        map(NtStatus.NONEXISTENT_EA_ENTRY, Win32.ERROR_FILE_CORRUPT);
        map(NtStatus.NO_EAS_ON_FILE, Win32.ERROR_FILE_CORRUPT);
        map(NtStatus.EA_CORRUPT_ERROR, Win32.ERROR_FILE_CORRUPT);
        map(NtStatus.DEVICE_NOT_READY, 21 /* ERROR_NOT_READY */);
        map(NtStatus.CONNECTION_DISCONNECTED, Win32.ERROR_NETNAME_DELETED);
        map(NtStatus.INVALID_DEVICE_STATE, Win32.ERROR_BAD_COMMAND);
    }

    /** The Win32 error for this NTSTATUS (317 ERROR_MR_MID_NOT_FOUND when unmapped). */
    public static int map(int status) {
        Integer error = TABLE.get(status);
        return error == null ? Win32.ERROR_MR_MID_NOT_FOUND : error;
    }

    /** Every status this table knows, for tests. */
    static Map<Integer, Integer> table() {
        return Map.copyOf(TABLE);
    }
}
