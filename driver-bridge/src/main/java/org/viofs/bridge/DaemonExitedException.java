package org.viofs.bridge;

/** The host daemon closed the connection or died (EOF, EPIPE, process exit). */
public class DaemonExitedException extends TransportException {
    private static final long serialVersionUID = 1L;

    public DaemonExitedException(String message) {
        super(message);
    }

    public DaemonExitedException(String message, Throwable cause) {
        super(message, cause);
    }
}
