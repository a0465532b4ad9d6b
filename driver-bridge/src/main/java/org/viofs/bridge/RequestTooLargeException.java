package org.viofs.bridge;

/**
 * The device refused a request because of its size, and the transport has lowered
 * {@link FuseTransport#maxRequestBytes()} / {@link FuseTransport#maxReplyBytes()} to what it now
 * believes the device carries. Nothing reached the daemon, so the caller may retry the same
 * operation in pieces that fit the new limits (e.g. split one FUSE READ or WRITE into several).
 *
 * <p>Unlike its parent, this exception does <i>not</i> mean the connection is lost. The limits it
 * reports are the transport's at the time of the failure; they only ever go down.
 */
public class RequestTooLargeException extends TransportException {
    private static final long serialVersionUID = 1L;
    private final int maxRequestBytes;
    private final int maxReplyBytes;

    public RequestTooLargeException(String message, int maxRequestBytes, int maxReplyBytes) {
        super(message + " (retry with requests of at most " + maxRequestBytes + " bytes and replies of at most "
                + maxReplyBytes + " bytes)");
        this.maxRequestBytes = maxRequestBytes;
        this.maxReplyBytes = maxReplyBytes;
    }

    /** The new largest request (device-readable part) in bytes. */
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /** The new largest reply capacity (device-writable part) in bytes. */
    public int maxReplyBytes() {
        return maxReplyBytes;
    }
}
