package org.viofs.bridge.windows;

import org.viofs.bridge.TransportException;

/** No present virtio-fs device interface, or none with the wanted mount tag. */
public class ViofsDeviceNotFoundException extends TransportException {
    private static final long serialVersionUID = 1L;

    public ViofsDeviceNotFoundException(String message) {
        super(message);
    }
}
