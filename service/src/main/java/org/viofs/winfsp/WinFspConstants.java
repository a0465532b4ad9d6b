package org.viofs.winfsp;

/** Names and limits from WinFsp's headers (docs/winfsp-native.md §1.1). */
public final class WinFspConstants {
    private WinFspConstants() {
    }

    /** {@code FSP_FSCTL_DISK_DEVICE_NAME}. */
    public static final String DISK_DEVICE_NAME = "WinFsp.Disk";
    /** {@code FSP_FSCTL_NET_DEVICE_NAME}. */
    public static final String NET_DEVICE_NAME = "WinFsp.Net";
    /** Slots in {@code FSP_FILE_SYSTEM_INTERFACE}; 8 bytes each. */
    public static final int INTERFACE_SLOTS = 64;
    /** {@code FSP_FSCTL_TRANSACT_PATH_SIZEMAX} in bytes. */
    public static final int TRANSACT_PATH_SIZEMAX = 2048;
    /** Room for the name in GetDirInfoByName's DIR_INFO, in WCHAR. */
    public static final int DIR_INFO_BY_NAME_MAX_CHARS = 255;
    /** FspFileSystemSetDebugLogF: every transact kind. */
    public static final int DEBUG_LOG_ALL = 0xFFFFFFFF;
}
