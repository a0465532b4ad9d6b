package org.viofs.bridge.windows;

/**
 * The IOCTL codes of viofs.sys (docs/viofs-anchor.md §1.4), computed the way winioctl.h's
 * {@code CTL_CODE} macro does: {@code DeviceType << 16 | Access << 14 | Function << 2 | Method}.
 */
public final class ViofsIoctl {
    private ViofsIoctl() {
    }

    /** winioctl.h {@code FILE_DEVICE_UNKNOWN}. */
    public static final int FILE_DEVICE_UNKNOWN = 0x22;
    /** winioctl.h {@code METHOD_BUFFERED}: both buffers copied through one system buffer. */
    public static final int METHOD_BUFFERED = 0;
    /** winioctl.h {@code METHOD_OUT_DIRECT}: input copied, output locked down as an MDL. */
    public static final int METHOD_OUT_DIRECT = 2;
    /** winioctl.h {@code FILE_READ_ACCESS}. */
    public static final int FILE_READ_ACCESS = 1;
    /** winioctl.h {@code FILE_WRITE_ACCESS}. */
    public static final int FILE_WRITE_ACCESS = 2;

    /** Function number of GET_VOLUME_NAME (virtiofs.h). */
    public static final int FUNCTION_GET_VOLUME_NAME = 0x800;
    /** Function number of FUSE_REQUEST (virtiofs.h). */
    public static final int FUNCTION_FUSE_REQUEST = 0x801;
    /** Function number of FUSE_REQUEST_READ, the zero-copy read (virtiofs.h, added 2026-03-05). */
    public static final int FUNCTION_FUSE_REQUEST_READ = 0x802;

    /** {@code IOCTL_VIRTFS_GET_VOLUME_NAME}: the mount tag as NUL-terminated UTF-16. */
    public static final int GET_VOLUME_NAME =
            ctlCode(FILE_DEVICE_UNKNOWN, FUNCTION_GET_VOLUME_NAME, METHOD_BUFFERED, FILE_READ_ACCESS);

    /** {@code IOCTL_VIRTFS_FUSE_REQUEST} of current drivers (METHOD_OUT_DIRECT, since commit de7f625d). */
    public static final int FUSE_REQUEST =
            ctlCode(FILE_DEVICE_UNKNOWN, FUNCTION_FUSE_REQUEST, METHOD_OUT_DIRECT, FILE_READ_ACCESS | FILE_WRITE_ACCESS);

    /** {@code IOCTL_VIRTFS_FUSE_REQUEST} of drivers built before 2026-03-05 (METHOD_BUFFERED). */
    public static final int FUSE_REQUEST_BUFFERED =
            ctlCode(FILE_DEVICE_UNKNOWN, FUNCTION_FUSE_REQUEST, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS);

    /** {@code IOCTL_VIRTFS_FUSE_REQUEST_READ}: data written straight into the caller's buffer. */
    public static final int FUSE_REQUEST_READ =
            ctlCode(FILE_DEVICE_UNKNOWN, FUNCTION_FUSE_REQUEST_READ, METHOD_OUT_DIRECT, FILE_READ_ACCESS | FILE_WRITE_ACCESS);

    /** winioctl.h {@code CTL_CODE}. */
    public static int ctlCode(int deviceType, int function, int method, int access) {
        return (deviceType << 16) | (access << 14) | (function << 2) | method;
    }

    /** "FUSE_REQUEST (0x0022E006)" for logs and messages. */
    public static String describe(int code) {
        String name;
        if (code == GET_VOLUME_NAME) {
            name = "GET_VOLUME_NAME";
        } else if (code == FUSE_REQUEST) {
            name = "FUSE_REQUEST";
        } else if (code == FUSE_REQUEST_BUFFERED) {
            name = "FUSE_REQUEST (buffered, pre-2026-03 drivers)";
        } else if (code == FUSE_REQUEST_READ) {
            name = "FUSE_REQUEST_READ";
        } else {
            name = "IOCTL";
        }
        return String.format("%s (0x%08X)", name, code);
    }
}
