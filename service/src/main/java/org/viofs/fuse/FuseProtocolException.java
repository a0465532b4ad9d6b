package org.viofs.fuse;

/**
 * A reply broke the FUSE protocol: wrong {@code unique}, a {@code len} that disagrees with the bytes
 * written or the reply's structure, a positive {@code error}, a directory entry running past the end,
 * an INIT answer we cannot speak. The connection is suspect: the daemon or the transport is not doing
 * what FUSE requires.
 */
public class FuseProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FuseProtocolException(String message) {
        super(message);
    }
}
