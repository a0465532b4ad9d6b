package org.viofs.winfsp;

import org.viofs.volume.NtStatus;

/** A WinFsp function returned a failure NTSTATUS; the message names the function and the status. */
public class WinFspException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public WinFspException(String function, int status, String detail) {
        super(function + " failed with " + NtStatus.describe(status) + (detail == null ? "" : ": " + detail));
        this.status = status;
    }

    /** The NTSTATUS. */
    public int status() {
        return status;
    }
}
