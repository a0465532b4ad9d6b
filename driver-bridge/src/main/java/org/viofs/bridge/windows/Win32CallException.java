package org.viofs.bridge.windows;

/**
 * A Win32 call returned failure; carries {@code GetLastError()} as read right after the call.
 * Checked on purpose: every caller in this package must decide what the code means
 * ({@link Win32ErrorMapper}).
 */
public final class Win32CallException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int error;
    private final String call;

    public Win32CallException(String call, int error) {
        super(call + " failed with " + Win32Error.describe(error));
        this.call = call;
        this.error = error;
    }

    /** The Win32 error number ({@code GetLastError()}). */
    public int error() {
        return error;
    }

    /** The function that failed, e.g. "DeviceIoControl(FUSE_REQUEST (0x0022E006))". */
    public String call() {
        return call;
    }
}
