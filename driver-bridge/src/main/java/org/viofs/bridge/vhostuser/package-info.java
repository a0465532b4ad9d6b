/**
 * The Linux transport: this process plays QEMU's part for a real virtiofsd over vhost-user
 * (facts in {@code vhost-user-frontend.md}).
 *
 * <ul>
 *   <li>{@link org.viofs.bridge.vhostuser.VhostUserTransport}: the {@code FuseTransport}; bring-up, rings, waits.</li>
 *   <li>{@link org.viofs.bridge.vhostuser.SplitVirtqueue}: the driver side of one split virtqueue, pure Java.</li>
 *   <li>{@link org.viofs.bridge.vhostuser.VhostUserMessage}: control message codes, flags and payloads.</li>
 *   <li>{@link org.viofs.bridge.vhostuser.SharedMemoryRegion}: the memfd both sides map.</li>
 *   <li>{@link org.viofs.bridge.vhostuser.VirtiofsdLauncher} / {@link org.viofs.bridge.vhostuser.VirtiofsdProcess}:
 *       starting, inspecting and stopping the daemon.</li>
 * </ul>
 */
package org.viofs.bridge.vhostuser;
