/**
 * The volume: Windows file-system semantics over FUSE, behind WinFsp's callback contract
 * ({@link org.viofs.volume.VolumeOperations}, implemented by {@link org.viofs.volume.FuseVolume}).
 * Pure Java, tested on Linux against a real virtiofsd.
 *
 * <p><b>One place per rule.</b>
 * <ul>
 * <li>{@link org.viofs.volume.ErrnoToNtStatus}: Linux errno → NTSTATUS (Linux numbers).</li>
 * <li>{@link org.viofs.volume.FileInfoMapper}: host stat → FileInfo (attributes, sizes, FILETIME
 *     times, IndexNumber, HardLinks).</li>
 * <li>{@link org.viofs.volume.WinPath}: Windows paths ⇄ host names (backslashes, WinFsp's U+F000+c
 *     translation of characters Windows forbids, no "/" or NUL to the host, no "..", 32,767-unit
 *     paths, 255-unit names, {@code :stream} suffixes).</li>
 * <li>{@link org.viofs.volume.Sid}, {@link org.viofs.volume.SecurityDescriptor},
 *     {@link org.viofs.volume.PosixSecurity}, {@link org.viofs.volume.IdMapping}: uid/gid/mode ⇄
 *     self-relative security descriptors.</li>
 * <li>{@link org.viofs.volume.ReparseData}: the symbolic-link reparse data buffer.</li>
 * <li>{@link org.viofs.volume.VolumeConfig}: the user's options.</li>
 * </ul>
 *
 * <p><b>Costs.</b> {@link org.viofs.volume.OpsWorkload} counts the FUSE requests of common Windows
 * operations; {@code FuseVolume.counters()} counts them per callback. A warm open + 4 KiB read +
 * close of a file four directories deep sends 3 requests (OPEN, READ, RELEASE).
 *
 * <p><b>Extended attributes</b> (daemon with {@code -o xattr}, {@code VolumeConfig.xattrs(true)}):
 * named streams in {@code user.viofs.stream.<name>} ({@link org.viofs.volume.XattrStreams}); Windows
 * attributes, creation time, security descriptors that mode bits cannot express, reparse points
 * of tags other than IO_REPARSE_TAG_SYMLINK and Windows EAs ({@link org.viofs.volume.EaList}) in
 * {@code user.viofs.attrib}
 * ({@link org.viofs.volume.XattrAttributes}). Without xattr the volume shows what mode bits express,
 * refuses named streams and EAs, and stores symlinks only (as host symlinks).
 */
package org.viofs.volume;
