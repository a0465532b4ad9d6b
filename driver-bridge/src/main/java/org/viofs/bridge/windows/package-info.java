/**
 * The viofs.sys transport: FUSE over virtio-win's virtio-fs driver (docs/viofs-anchor.md §1–§2).
 *
 * <h2>Split</h2>
 * Pure Java, tested on Linux: {@link org.viofs.bridge.windows.ViofsTransport} (serialization, buffer
 * gathering, IOCTL probing, size checks, reply hand-off), {@link org.viofs.bridge.windows.RequestIoctlProbe},
 * {@link org.viofs.bridge.windows.ChunkPolicy}, {@link org.viofs.bridge.windows.Fragments},
 * {@link org.viofs.bridge.windows.Win32ErrorMapper}, {@link org.viofs.bridge.windows.MountTag},
 * {@link org.viofs.bridge.windows.ViofsDevices}, {@link org.viofs.bridge.windows.ViofsIoctl}.
 * Windows-only, calls and nothing else: {@link org.viofs.bridge.windows.Kernel32DeviceHandle},
 * {@link org.viofs.bridge.windows.ViofsDeviceFinder}, {@link org.viofs.bridge.windows.SetupApiLibrary},
 * {@link org.viofs.bridge.windows.CfgMgr32Library}. Structures ({@link org.viofs.bridge.windows.SpDeviceInterfaceData},
 * {@link org.viofs.bridge.windows.CmNotifyFilter}) are loaded by layout tests only.
 *
 * <h2>What a client must do</h2>
 * <ul>
 * <li><b>Size.</b> Read {@code maxRequestBytes()} / {@code maxReplyBytes()} before building each
 *     large request (they can go down), and split READ/WRITE so that each piece fits. On
 *     {@link org.viofs.bridge.RequestTooLargeException} nothing reached the daemon: re-read the limits
 *     (or take them from the exception) and retry the same operation in smaller pieces. The transport
 *     never splits a FUSE request itself, because it does not look inside requests.</li>
 * <li><b>Zero-copy READ.</b> Optional: {@code if (t instanceof DirectReadTransport d)} call
 *     {@code d.exchangeRead(request, directDestination, handler)}. The first call probes IOCTL
 *     0x0022E00A; without it the READ goes as an ordinary exchange and the handler is told so
 *     ({@code dataInDestination == false}) and gets the whole reply. Either way the transport checks no
 *     FUSE header: the 16 bytes the IOCTL returns, or the whole reply, go to the handler as written.
 *     Calls are serialized with all others.</li>
 * <li><b>Removal.</b> {@link org.viofs.bridge.DeviceRemovedException} means the handle is dead; close
 *     the transport and find the device again when it returns.</li>
 * </ul>
 */
package org.viofs.bridge.windows;
