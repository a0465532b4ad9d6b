/**
 * The Linux transport: this process plays QEMU's part for a real virtiofsd over vhost-user
 * (facts in {@code docs/vhost-user-frontend.md}).
 *
 * <ul>
 *   <li>{@link org.viofs.bridge.vhostuser.VhostUserTransport}: the {@code FuseTransport}; the request
 *       queue's slots, leader/follower waits, the watchdog, failure and close.</li>
 *   <li>{@link org.viofs.bridge.vhostuser.VhostUserConfig}: sizes, bounds and the shared region's layout
 *       (a builder).</li>
 *   <li>{@code VhostUserBringup}: the control-message sequence that connects and starts both queues.</li>
 *   <li>{@code HiprioQueue}: queue 0, FORGET and BATCH_FORGET.</li>
 *   <li>{@link org.viofs.bridge.vhostuser.SplitVirtqueue}: the driver side of one split virtqueue, pure
 *       Java; it frees chains from its own record of what it submitted, never from memory the daemon can
 *       write, and refuses used elements that name nothing in flight or report more bytes than offered.</li>
 *   <li>{@link org.viofs.bridge.vhostuser.VhostUserMessage}: control message codes, flags and payloads;
 *       {@code ControlChannel}: the socket.</li>
 *   <li>{@link org.viofs.bridge.vhostuser.SharedMemoryRegion}: the memfd both sides map.</li>
 *   <li>{@link org.viofs.bridge.vhostuser.VirtiofsdLauncher} / {@link org.viofs.bridge.vhostuser.VirtiofsdProcess}:
 *       starting, inspecting and stopping the daemon.</li>
 * </ul>
 */
package org.viofs.bridge.vhostuser;
