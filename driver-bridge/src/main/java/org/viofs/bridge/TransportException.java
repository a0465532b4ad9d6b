package org.viofs.bridge;

/**
 * The device or daemon could not carry a request: it is gone, it broke the transport protocol,
 * or a wait ran out. The connection should be considered lost unless a subclass says otherwise.
 */
public class TransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
