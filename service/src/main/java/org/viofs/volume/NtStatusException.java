package org.viofs.volume;

/**
 * A volume operation failed with this NTSTATUS. The message starts with the status name, so logs
 * and test failures read "STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034): \dir\file".
 */
public class NtStatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public NtStatusException(int status) {
        this(status, null, null);
    }

    public NtStatusException(int status, String detail) {
        this(status, detail, null);
    }

    public NtStatusException(int status, String detail, Throwable cause) {
        super(NtStatus.describe(status) + (detail == null ? "" : ": " + detail), cause);
        this.status = status;
    }

    /** The NTSTATUS to report to Windows. */
    public int status() {
        return status;
    }
}
