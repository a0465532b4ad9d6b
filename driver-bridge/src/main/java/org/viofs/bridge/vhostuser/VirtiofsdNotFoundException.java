package org.viofs.bridge.vhostuser;

/** The virtiofsd binary is not where it was looked for; the message says how to install it. */
public final class VirtiofsdNotFoundException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    VirtiofsdNotFoundException(String message) {
        super(message);
    }
}
