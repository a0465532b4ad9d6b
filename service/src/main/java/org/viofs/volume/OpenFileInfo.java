package org.viofs.volume;

/**
 * What Create and Open report: WinFsp's {@code FSP_FSCTL_OPEN_FILE_INFO} (docs/winfsp-native.md §1.3).
 *
 * @param fileInfo       the opened file's information
 * @param normalizedName the name with the case stored on the host (case-insensitive volumes), as a
 *                       full Windows path starting with a backslash; null when it is the name asked for
 */
public record OpenFileInfo(FileInfo fileInfo, String normalizedName) {
}
