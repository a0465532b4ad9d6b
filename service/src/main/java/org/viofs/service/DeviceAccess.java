package org.viofs.service;

import java.util.List;
import java.util.Set;

import org.viofs.bridge.FuseTransport;

/**
 * The devices a share manager serves: viofs.sys through SetupDi and CreateFile on Windows
 * ({@link WindowsDevices}), virtiofsd sockets in tests. Implementations make the calls; the manager
 * decides.
 */
public interface DeviceAccess {
    /**
     * An open device.
     *
     * @param transport    the device's transport (owns the handle); its {@code device().tag()} is the mount tag
     * @param removalWatch the per-handle removal notification, closed by the manager outside any
     *                     notification callback; a no-op where there is none
     */
    record OpenedDevice(FuseTransport transport, AutoCloseable removalWatch) {
    }

    /** Interface paths of the devices present now. */
    List<String> presentDevices();

    /** Opens one device. Throws when it cannot be opened (the share fails and is retried). */
    OpenedDevice open(String path);

    /** Drive letters in use on this system now (upper case). */
    Set<Character> lettersInUse();
}
