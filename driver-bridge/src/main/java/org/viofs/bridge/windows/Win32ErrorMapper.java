package org.viofs.bridge.windows;

import java.util.Set;
import org.viofs.bridge.DeviceRemovedException;
import org.viofs.bridge.TransportException;

/**
 * Turns a failed Win32 call on a viofs.sys handle into the transport's exception, with a message that
 * says what the error means for this driver (docs/viofs-anchor.md §1.7). Pure: no native calls.
 */
public final class Win32ErrorMapper {
    private Win32ErrorMapper() {
    }

    /**
     * Errors meaning the device or its handle is no longer usable: the interface vanished
     * (surprise removal, driver disabled or updated), so the only way on is to find it again.
     */
    static final Set<Integer> DEVICE_GONE = Set.of(
            Win32Error.ERROR_FILE_NOT_FOUND,
            Win32Error.ERROR_PATH_NOT_FOUND,
            Win32Error.ERROR_INVALID_HANDLE,
            Win32Error.ERROR_NOT_READY,
            Win32Error.ERROR_BAD_COMMAND,
            Win32Error.ERROR_DEV_NOT_EXIST,
            Win32Error.ERROR_NO_SUCH_DEVICE,
            Win32Error.ERROR_DEVICE_NOT_CONNECTED,
            Win32Error.ERROR_DEVICE_REMOVED);

    /** Whether this error means the device is gone rather than the request being refused. */
    public static boolean isDeviceGone(int win32Error) {
        return DEVICE_GONE.contains(win32Error);
    }

    /**
     * @param failure    the failed call
     * @param devicePath the device interface path, for the message
     */
    public static TransportException map(Win32CallException failure, String devicePath) {
        int code = failure.error();
        String head = "viofs.sys device " + devicePath + ": " + failure.getMessage();
        if (isDeviceGone(code)) {
            return new DeviceRemovedException(head + "; the device is gone (removed, disabled or its driver"
                    + " reloaded) and must be found again", failure);
        }
        String why = switch (code) {
            case Win32Error.ERROR_INVALID_FUNCTION ->
                    "the driver does not know this IOCTL code: viofs.sys and this service are from"
                            + " incompatible generations (update the virtio-win driver)";
            case Win32Error.ERROR_GEN_FAILURE ->
                    "the driver could not queue the request on the virtqueue (too many 4 KiB fragments for"
                            + " the device's queue, or a DMA/scatter-gather failure); start QEMU's vhost-user-fs"
                            + " device with queue-size=1024";
            case Win32Error.ERROR_INSUFFICIENT_BUFFER ->
                    "a buffer was below the driver's minimum (request >= 40 bytes, reply >= 16 bytes); this"
                            + " is a bug in viofs";
            case Win32Error.ERROR_OPERATION_ABORTED ->
                    "the request was cancelled or the driver purged its queue (device stopping); it may or"
                            + " may not have reached the host";
            case Win32Error.ERROR_NO_SYSTEM_RESOURCES ->
                    "the guest kernel ran out of resources to lock the buffers (MDL allocation); smaller"
                            + " requests or a retry later may succeed";
            case Win32Error.ERROR_ACCESS_DENIED ->
                    "access to the device was refused (another process holds it exclusively, or this"
                            + " account may not open it)";
            default -> "unexpected error from viofs.sys";
        };
        return new Win32TransportException(head + "; " + why, code, failure);
    }
}
