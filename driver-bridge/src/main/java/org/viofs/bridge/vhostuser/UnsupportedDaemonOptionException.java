package org.viofs.bridge.vhostuser;

/**
 * An option asked of a virtiofsd flavour that has no such option (e.g. {@code --inode-file-handles} of the
 * C daemon); the message names the option, the daemon and its version. Options are refused, never dropped.
 */
public final class UnsupportedDaemonOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnsupportedDaemonOptionException(String message) {
        super(message);
    }
}
