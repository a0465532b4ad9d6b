package org.viofs.bridge;

/**
 * What a {@link FuseTransport} is connected to.
 *
 * @param kind  "vhost-user" or "viofs.sys"
 * @param tag   the virtio-fs mount tag (≤ 36 bytes on the device), or a made-up one when the
 *              device does not report it
 * @param path  the socket path or the Windows device interface path
 */
public record DeviceInfo(String kind, String tag, String path) {
}
