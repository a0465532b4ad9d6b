package org.viofs.bridge.windows;

/**
 * Which FUSE request IOCTL this driver takes (docs/viofs-anchor.md §1.4): current drivers accept only
 * {@link ViofsIoctl#FUSE_REQUEST} (METHOD_OUT_DIRECT), drivers built before 2026-03-05 only
 * {@link ViofsIoctl#FUSE_REQUEST_BUFFERED}; each fails the other with ERROR_INVALID_FUNCTION before
 * queueing anything, so the first request itself is the probe and is simply resent. The zero-copy
 * {@link ViofsIoctl#FUSE_REQUEST_READ} is probed the same way on the first READ. Each answer is kept
 * for the life of the handle. Pure Java; not thread-safe (used under the transport's lock), except
 * {@link #readAccepted()}, which any thread may read.
 */
public final class RequestIoctlProbe {
    private static final int[] CANDIDATES = {ViofsIoctl.FUSE_REQUEST, ViofsIoctl.FUSE_REQUEST_BUFFERED};

    private int index;
    private boolean settled;
    private volatile Boolean readAccepted;

    /** The request IOCTL to use next. */
    public int requestCode() {
        return CANDIDATES[index];
    }

    /** Whether a request has succeeded with {@link #requestCode()}. */
    public boolean settled() {
        return settled;
    }

    /** The request succeeded: keep this code. */
    public void accepted() {
        settled = true;
    }

    /**
     * The driver failed {@link #requestCode()} with ERROR_INVALID_FUNCTION.
     *
     * @return true if there is another code to try with the same request; false if the driver knows
     *         neither (or the code had already worked, so the error means something else)
     */
    public boolean rejected() {
        if (settled || index + 1 >= CANDIDATES.length) {
            return false;
        }
        index++;
        return true;
    }

    /** null until the zero-copy READ was tried; then whether the driver accepted it. */
    public Boolean readAccepted() {
        return readAccepted;
    }

    /** Records the outcome of the first zero-copy READ. */
    public void readProbed(boolean accepted) {
        if (readAccepted == null) {
            readAccepted = accepted;
        }
    }
}
