/**
 * The service's composition: {@link org.viofs.service.ShareStack} builds one share from its source
 * (a virtiofsd we start, a running daemon's socket, or a transport the Windows service opened on the
 * virtio-fs device) up through the transport, the FUSE client and the volume. The command line, the
 * conformance suite, the test harnesses and the Windows service all assemble shares through it.
 */
package org.viofs.service;
