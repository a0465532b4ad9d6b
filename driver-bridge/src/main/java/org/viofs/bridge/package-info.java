/**
 * The transport seam: moving complete FUSE requests to the virtio-fs device and their replies back,
 * without interpreting them.
 *
 * <p>{@link org.viofs.bridge.FuseTransport} is the contract the FUSE client is written against. Its
 * two implementations live in the sub-packages: {@code windows} drives virtio-win's viofs.sys through
 * DeviceIoControl ({@code docs/viofs-anchor.md §1}), {@code vhostuser} plays QEMU's part for a real
 * virtiofsd on Linux ({@code docs/vhost-user-frontend.md}); {@code linux} holds the glibc declarations
 * the latter needs.
 *
 * <p>Failures of the path itself are {@link org.viofs.bridge.TransportException}s, with subclasses for
 * the cases a caller treats differently: the daemon exited ({@link org.viofs.bridge.DaemonExitedException}),
 * the device was removed ({@link org.viofs.bridge.DeviceRemovedException}), a bounded wait ran out
 * ({@link org.viofs.bridge.TransportTimeoutException}), or a request was larger than the device can
 * take in one piece ({@link org.viofs.bridge.RequestTooLargeException}). A FUSE error reply is not a
 * transport failure: it travels back to the client like any other reply.
 */
package org.viofs.bridge;
