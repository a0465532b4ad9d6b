package org.viofs.volume;

/**
 * WinFsp's {@code FSP_FSCTL_FILE_INFO} (docs/winfsp-native.md §1.3) as a Java value.
 * Times are FILETIME: 100 ns units since 1601-01-01 UTC.
 */
public record FileInfo(
        int fileAttributes,
        int reparseTag,
        long allocationSize,
        long fileSize,
        long creationTime,
        long lastAccessTime,
        long lastWriteTime,
        long changeTime,
        long indexNumber,
        int hardLinks,
        int eaSize) {

    public boolean isDirectory() {
        return (fileAttributes & FileAttributes.DIRECTORY) != 0;
    }

    public boolean isReparsePoint() {
        return (fileAttributes & FileAttributes.REPARSE_POINT) != 0;
    }
}
