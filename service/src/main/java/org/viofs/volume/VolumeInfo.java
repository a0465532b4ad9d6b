package org.viofs.volume;

/**
 * WinFsp's {@code FSP_FSCTL_VOLUME_INFO}: sizes in bytes and a label of at most 32 UTF-16 units.
 */
public record VolumeInfo(long totalSize, long freeSize, String volumeLabel) {
    /** The label field holds 32 WCHARs (docs/winfsp-native.md §1.3). */
    public static final int MAX_LABEL_CHARS = 32;
}
