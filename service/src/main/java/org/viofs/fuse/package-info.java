/**
 * The FUSE client: speaks FUSE 7.31+ (offers 7.36) to a virtio-fs daemon over any
 * {@link org.viofs.bridge.FuseTransport}. Pure Java, no native calls.
 *
 * <h2>Map</h2>
 * <ul>
 *   <li>{@link org.viofs.fuse.FuseClient}: typed operations, one request each; {@link org.viofs.fuse.FuseLimits}
 *       is what INIT negotiated.</li>
 *   <li>{@link org.viofs.fuse.NodeTable}: lookup references and the FORGETs that return them.</li>
 *   <li>Wire records, one per {@code fuse_*} struct of Linux {@code include/uapi/linux/fuse.h}, each with
 *       {@code SIZE}, {@code encode}/{@code decode(ByteBuffer)}, little-endian: {@link org.viofs.fuse.InHeader},
 *       {@link org.viofs.fuse.OutHeader}, {@link org.viofs.fuse.InitIn}, {@link org.viofs.fuse.InitOut},
 *       {@link org.viofs.fuse.Attr}, {@link org.viofs.fuse.EntryOut}, {@link org.viofs.fuse.AttrOut},
 *       {@link org.viofs.fuse.OpenOut}, {@link org.viofs.fuse.CreateOut}, {@link org.viofs.fuse.WriteOut},
 *       {@link org.viofs.fuse.StatfsOut}, {@link org.viofs.fuse.Dirent}, {@link org.viofs.fuse.DirentPlus},
 *       {@link org.viofs.fuse.SetattrIn} (with a builder) and the other {@code *In}/{@code *Out} records.</li>
 *   <li>Numbers: {@link org.viofs.fuse.Opcode}, {@link org.viofs.fuse.Errno} (Linux), {@link org.viofs.fuse.OpenFlags},
 *       {@link org.viofs.fuse.FileMode}, {@link org.viofs.fuse.InitFlags}, {@link org.viofs.fuse.SetattrValid},
 *       {@link org.viofs.fuse.FuseFlags}.</li>
 *   <li>Failures: {@link org.viofs.fuse.FuseErrnoException} (the daemon said no),
 *       {@link org.viofs.fuse.FuseProtocolException} (the reply broke FUSE),
 *       {@link org.viofs.bridge.TransportException} (the device or daemon is gone, or a wait timed out).</li>
 * </ul>
 *
 * <h2>What virtiofsd 7.2 (QEMU's C daemon) does that a caller must know</h2>
 * <ul>
 *   <li>UNLINK, RMDIR and the source of RENAME need a name the client has looked up; otherwise EIO, even
 *       for a missing name. LOOKUP first (Linux always has).</li>
 *   <li>OPEN of a symlink or special file gives EBADF; READLINK of a non-symlink gives ENOENT. The daemon
 *       never follows a symlink for the client, so a symlink loop never yields ELOOP: resolving links is
 *       the caller's job.</li>
 *   <li>A node whose last reference was forgotten answers EBADF.</li>
 *   <li>Without {@code -o xattr}, every xattr opcode answers ENOSYS.</li>
 *   <li>ctime cannot be set (FATTR_CTIME is ignored); uid/gid changes work when the daemon runs as root.</li>
 * </ul>
 */
package org.viofs.fuse;
