/**
 * The product's composition root. {@link org.viofs.service.ShareStack} builds one share from its source
 * (a virtiofsd we start, a running daemon's socket, or a transport the Windows service opened on the
 * virtio-fs device) up through the transport, the FUSE client and the volume; the command line, the
 * conformance suite, the test harnesses and the Windows service all assemble shares through it.
 *
 * <p>{@link org.viofs.service.ShareManager} owns every share of the running service: device events,
 * settings ({@link org.viofs.service.Setting}, {@link org.viofs.service.ShareSettings}), drive letters
 * ({@link org.viofs.service.LetterAllocator}), retries ({@link org.viofs.service.Backoff}) and status
 * ({@link org.viofs.service.StatusReport}) are decided in pure Java. The Windows shell only makes calls:
 * {@link org.viofs.service.ScmShell} and {@link org.viofs.service.ScmServiceHost} (SCM),
 * {@link org.viofs.service.WindowsDevices} (SetupDi, CM_Register_Notification),
 * {@link org.viofs.service.RegistrySettingsStore}, {@link org.viofs.service.EventLogHandler} and the pipe
 * of {@link org.viofs.service.StatusChannel}. Facts: docs/service.md.
 */
package org.viofs.service;
