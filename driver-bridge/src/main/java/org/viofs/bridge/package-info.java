/**
 * The transport seam: moving complete FUSE requests to the virtio-fs device and their replies back,
 * without interpreting them.
 *
 * <p>{@link org.viofs.bridge.FuseTransport} is the contract the FUSE client is written against, with the
 * FUSE header sizes defined once ({@code IN_HEADER_BYTES}, {@code OUT_HEADER_BYTES}; the client's wire
 * records use them). Its two implementations live in the sub-packages: {@code windows} drives virtio-win's
 * viofs.sys through DeviceIoControl ({@code docs/viofs-anchor.md §1}), {@code vhostuser} plays QEMU's part
 * for a real virtiofsd on Linux ({@code docs/vhost-user-frontend.md}); {@code linux} holds the glibc
 * declarations the latter needs. {@link org.viofs.bridge.DirectReadTransport} is the optional zero-copy
 * READ; {@link org.viofs.bridge.ForwardingTransport} the base of decorators that change the lifecycle.
 *
 * <p>Transports never read a FUSE header: a reply of any length, even none, goes to the client's handler
 * as the device wrote it, and every FUSE check is the client's ({@code org.viofs.fuse}), on every path.
 *
 * <p>Failures of the path itself are {@link org.viofs.bridge.TransportException}s, with subclasses for
 * the cases a caller treats differently: the daemon exited ({@link org.viofs.bridge.DaemonExitedException}),
 * the device was removed ({@link org.viofs.bridge.DeviceRemovedException}), a bounded wait ran out
 * ({@link org.viofs.bridge.TransportTimeoutException}), or a request was larger than the device can
 * take in one piece ({@link org.viofs.bridge.RequestTooLargeException}). A FUSE error reply is not a
 * transport failure: it travels back to the client like any other reply.
 */
package org.viofs.bridge;
