package org.viofs.bridge.windows;

import java.util.Map;

/** The Win32 error numbers (winerror.h) this layer reacts to, with their SDK names for messages. */
public final class Win32Error {
    private Win32Error() {
    }

    public static final int ERROR_SUCCESS = 0;
    /** STATUS_INVALID_DEVICE_REQUEST: the driver does not know this IOCTL code. */
    public static final int ERROR_INVALID_FUNCTION = 1;
    public static final int ERROR_FILE_NOT_FOUND = 2;
    public static final int ERROR_PATH_NOT_FOUND = 3;
    public static final int ERROR_ACCESS_DENIED = 5;
    public static final int ERROR_INVALID_HANDLE = 6;
    public static final int ERROR_NOT_READY = 21;
    public static final int ERROR_BAD_COMMAND = 22;
    /** STATUS_UNSUCCESSFUL: viofs.sys could not queue the request (too many fragments, DMA, SG). */
    public static final int ERROR_GEN_FAILURE = 31;
    public static final int ERROR_SHARING_VIOLATION = 32;
    public static final int ERROR_DEV_NOT_EXIST = 55;
    public static final int ERROR_INVALID_PARAMETER = 87;
    /** STATUS_BUFFER_TOO_SMALL: input or output below the driver's minimum. */
    public static final int ERROR_INSUFFICIENT_BUFFER = 122;
    /** SetupDiEnumDeviceInterfaces past the last member. */
    public static final int ERROR_NO_MORE_ITEMS = 259;
    public static final int ERROR_NO_SUCH_DEVICE = 433;
    /** STATUS_CANCELLED: CancelIoEx or a purge of the driver's queue. */
    public static final int ERROR_OPERATION_ABORTED = 995;
    public static final int ERROR_DEVICE_NOT_CONNECTED = 1167;
    /** STATUS_INSUFFICIENT_RESOURCES: MDL allocation failed in the driver. */
    public static final int ERROR_NO_SYSTEM_RESOURCES = 1450;
    public static final int ERROR_DEVICE_REMOVED = 1617;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(ERROR_SUCCESS, "ERROR_SUCCESS"),
            Map.entry(ERROR_INVALID_FUNCTION, "ERROR_INVALID_FUNCTION"),
            Map.entry(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND"),
            Map.entry(ERROR_PATH_NOT_FOUND, "ERROR_PATH_NOT_FOUND"),
            Map.entry(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED"),
            Map.entry(ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE"),
            Map.entry(ERROR_NOT_READY, "ERROR_NOT_READY"),
            Map.entry(ERROR_BAD_COMMAND, "ERROR_BAD_COMMAND"),
            Map.entry(ERROR_GEN_FAILURE, "ERROR_GEN_FAILURE"),
            Map.entry(ERROR_SHARING_VIOLATION, "ERROR_SHARING_VIOLATION"),
            Map.entry(ERROR_DEV_NOT_EXIST, "ERROR_DEV_NOT_EXIST"),
            Map.entry(ERROR_INVALID_PARAMETER, "ERROR_INVALID_PARAMETER"),
            Map.entry(ERROR_INSUFFICIENT_BUFFER, "ERROR_INSUFFICIENT_BUFFER"),
            Map.entry(ERROR_NO_MORE_ITEMS, "ERROR_NO_MORE_ITEMS"),
            Map.entry(ERROR_NO_SUCH_DEVICE, "ERROR_NO_SUCH_DEVICE"),
            Map.entry(ERROR_OPERATION_ABORTED, "ERROR_OPERATION_ABORTED"),
            Map.entry(ERROR_DEVICE_NOT_CONNECTED, "ERROR_DEVICE_NOT_CONNECTED"),
            Map.entry(ERROR_NO_SYSTEM_RESOURCES, "ERROR_NO_SYSTEM_RESOURCES"),
            Map.entry(ERROR_DEVICE_REMOVED, "ERROR_DEVICE_REMOVED"));

    /** "ERROR_GEN_FAILURE (31)", or "Win32 error 4711" for numbers not listed here. */
    public static String describe(int code) {
        String name = NAMES.get(code);
        return name == null ? "Win32 error " + code : name + " (" + code + ")";
    }
}
