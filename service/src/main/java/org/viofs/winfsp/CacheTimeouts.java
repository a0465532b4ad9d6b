package org.viofs.winfsp;

import java.time.Duration;

/**
 * How long WinFsp's kernel driver may answer from its own caches without asking the volume: the six
 * timeouts of {@code FSP_FSCTL_VOLUME_PARAMS} (docs/winfsp-native.md §1.2), in milliseconds. The
 * reasoning is in docs/caching.md §4; in short, every cache of facts the daemon
 * owns lasts exactly as long as the daemon lets the volume keep them, so a share looks the same
 * through WinFsp's cache as through the volume's own, whatever the daemon's cache mode:
 * <ul>
 * <li>FileInfo, DirInfo, Security, StreamInfo and Ea: the daemon's attribute timeout, capped by the
 *     volume's maximum (1 s with cache=auto, 0 with cache=none, the cap with cache=always);</li>
 * <li>VolumeInfo: {@value #VOLUME_INFO_MS} ms whatever the mode: free space is no part of FUSE's
 *     cache promise (the kernel client sends STATFS for every statfs call), so its age is chosen for
 *     cost alone.</li>
 * </ul>
 *
 * @param fileInfoMs   FileInfoTimeout
 * @param dirInfoMs    DirInfoTimeout
 * @param volumeInfoMs VolumeInfoTimeout
 * @param securityMs   SecurityTimeout
 * @param streamInfoMs StreamInfoTimeout
 * @param eaMs         EaTimeout
 */
public record CacheTimeouts(int fileInfoMs, int dirInfoMs, int volumeInfoMs, int securityMs, int streamInfoMs,
                            int eaMs) {
    /** VolumeInfoTimeout: free space and label at most this old. */
    public static final int VOLUME_INFO_MS = 1000;

    public CacheTimeouts {
        for (int v : new int[] {fileInfoMs, dirInfoMs, volumeInfoMs, securityMs, streamInfoMs, eaMs}) {
            if (v < 0) {
                throw new IllegalArgumentException("a WinFsp cache timeout is 0 or more ms, was " + v);
            }
        }
    }

    /**
     * The timeouts matching a daemon that grants {@code attributeTimeout} for attributes (as the
     * volume saw it at mount, already capped by the volume's maximum).
     */
    public static CacheTimeouts matching(Duration attributeTimeout) {
        long ms = attributeTimeout.isNegative() ? 0 : Math.min(attributeTimeout.toMillis(), Integer.MAX_VALUE);
        int t = (int) ms;
        return new CacheTimeouts(t, t, VOLUME_INFO_MS, t, t, t);
    }

    /** Sets all six, each with its Valid bit where it has one. */
    public MountOptions.Builder applyTo(MountOptions.Builder b) {
        return b.fileInfoTimeoutMs(fileInfoMs).dirInfoTimeoutMs(dirInfoMs).volumeInfoTimeoutMs(volumeInfoMs)
                .securityTimeoutMs(securityMs).streamInfoTimeoutMs(streamInfoMs).eaTimeoutMs(eaMs);
    }
}
