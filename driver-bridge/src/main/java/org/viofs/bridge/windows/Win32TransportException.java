package org.viofs.bridge.windows;

import org.viofs.bridge.TransportException;

/**
 * viofs.sys failed a request with a Win32 error that does not mean the device is gone (those give
 * {@link org.viofs.bridge.DeviceRemovedException}). The message names the error and what it usually
 * means for this driver; {@link #win32Error()} gives the number.
 */
public class Win32TransportException extends TransportException {
    private static final long serialVersionUID = 1L;
    private final int win32Error;

    public Win32TransportException(String message, int win32Error, Throwable cause) {
        super(message, cause);
        this.win32Error = win32Error;
    }

    /** The Win32 error number returned by the failing call. */
    public int win32Error() {
        return win32Error;
    }
}
