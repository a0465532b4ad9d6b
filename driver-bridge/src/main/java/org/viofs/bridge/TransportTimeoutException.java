package org.viofs.bridge;

/** A wait for the device (a free slot, a completion, a control reply) ran past its bound. */
public class TransportTimeoutException extends TransportException {
    private static final long serialVersionUID = 1L;

    public TransportTimeoutException(String message) {
        super(message);
    }
}
