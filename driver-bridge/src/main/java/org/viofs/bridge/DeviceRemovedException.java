package org.viofs.bridge;

/** The virtio-fs device went away (surprise removal, driver unload) while in use. */
public class DeviceRemovedException extends TransportException {
    private static final long serialVersionUID = 1L;

    public DeviceRemovedException(String message) {
        super(message);
    }

    public DeviceRemovedException(String message, Throwable cause) {
        super(message, cause);
    }
}
