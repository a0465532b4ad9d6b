package org.viofs.volume;

/** One directory entry: WinFsp's {@code FSP_FSCTL_DIR_INFO} without the layout. */
public record DirInfo(String fileName, FileInfo fileInfo) {
}
