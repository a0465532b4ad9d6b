package org.viofs.cli;

import java.util.Map;

import org.viofs.bridge.vhostuser.VhostUserConfig;
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.volume.OpsWorkload;
import org.viofs.volume.VolumeConfig;

/**
 * The {@code ops} workload of {@code viofs bench}: FUSE requests the volume sends per Windows
 * operation, counted by the session's {@link org.viofs.fuse.RequestCounter} (a listener on its FUSE client).
 */
final class OpsBench {
    private OpsBench() {
    }

    static Map<String, Long> run(ShareOptions share) {
        if (share.socket != null) {
            throw new ExitCodes.UserError(ExitCodes.USAGE,
                    "the ops workload prepares its files on the host directory, so it needs our own virtiofsd (--dir or none), not --socket");
        }
        try (ShareSession s = ShareSession.openVolume(share, VhostUserConfig.defaults(), null,
                VolumeConfig.builder().build())) {
            return OpsWorkload.run(s.sharedDir(), s.volume(), s.counter());
        }
    }
}
