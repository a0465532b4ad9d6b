package org.viofs.service;

/** Where one share stands (issue 8 §1). */
public enum ShareState {
    /** Opening the device, FUSE INIT, WinFsp mount. */
    MOUNTING,
    /** Mounted on its drive letter and serving requests. */
    MOUNTED,
    /** The daemon or device went away while mounted: unmounted, a retry is scheduled. */
    LOST,
    /** Opening or mounting failed: a retry is scheduled. */
    FAILED,
    /** Windows asked to remove the device: unmounted and handle closed, waiting for removal or its failure. */
    REMOVE_PENDING,
    /** The device is gone; it is mounted again when it returns. */
    REMOVED,
    /** The tag's settings say Disabled: the device stays closed. */
    DISABLED,
    /** The service stopped: unmounted. */
    STOPPED
}
