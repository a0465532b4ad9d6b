package org.viofs.service;

import org.viofs.bridge.FuseTransport;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;

/**
 * Stand-in for the project's one assembly class ({@code ShareStack}, being written on another branch):
 * transport → FuseClient (INIT) → FuseVolume. To be replaced by ShareStack when it is on main.
 */
final class StackAdapter {
    private StackAdapter() {
    }

    /** INIT over the transport and the volume on top; the volume owns the transport from here on. */
    static FuseVolume build(FuseTransport transport, VolumeConfig config) {
        return FuseVolume.mount(transport, config);
    }
}
