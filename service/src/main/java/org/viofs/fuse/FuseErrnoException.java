package org.viofs.fuse;

/**
 * The daemon answered a request with an error: {@code fuse_out_header.error} was {@code -errno}.
 * The connection is fine; only this request failed. The raw number is kept even when it is not in
 * {@link Errno}.
 *
 * <p>Message: {@code "ENOENT (2) from LOOKUP on node 1"}.
 */
public class FuseErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errnoNumber;
    private final Opcode opcode;
    private final long nodeId;

    /**
     * @param errnoNumber the positive Linux errno
     * @param opcode      the request that failed
     * @param nodeId      the request's {@code fuse_in_header.nodeid}
     */
    public FuseErrnoException(int errnoNumber, Opcode opcode, long nodeId) {
        super(Errno.describe(errnoNumber) + " from " + opcode + " on node " + nodeId);
        this.errnoNumber = errnoNumber;
        this.opcode = opcode;
        this.nodeId = nodeId;
    }

    /** The errno, or {@code null} when the number is not in {@link Errno} (see {@link #errnoNumber()}). */
    public Errno errno() {
        return Errno.of(errnoNumber);
    }

    /** The positive Linux errno number as the daemon sent it. */
    public int errnoNumber() {
        return errnoNumber;
    }

    /** Whether this is that errno. */
    public boolean is(Errno e) {
        return e.number() == errnoNumber;
    }

    public Opcode opcode() {
        return opcode;
    }

    public long nodeId() {
        return nodeId;
    }
}
