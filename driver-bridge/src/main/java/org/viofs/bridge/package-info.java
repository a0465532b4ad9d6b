/**
 * Moving FUSE request bytes to a virtio-fs device and reply bytes back: the
 * {@link org.viofs.bridge.FuseTransport} contract (with the FUSE header sizes, defined once here), the
 * optional zero-copy READ ({@link org.viofs.bridge.DirectReadTransport}), and the failures of the layer
 * ({@link org.viofs.bridge.TransportException}: {@link org.viofs.bridge.DaemonExitedException},
 * {@link org.viofs.bridge.DeviceRemovedException}, {@link org.viofs.bridge.TransportTimeoutException},
 * {@link org.viofs.bridge.RequestTooLargeException}). Transports never read a FUSE header: a reply of any
 * length, even none, goes to the client's handler as the device wrote it, and every FUSE check is the
 * client's ({@code org.viofs.fuse}). Implementations: {@code vhostuser} (Linux, a real virtiofsd) and
 * {@code windows} (viofs.sys). {@link org.viofs.bridge.ForwardingTransport} is the base of decorators
 * that only change the lifecycle or watch requests go by.
 */
package org.viofs.bridge;
