/**
 * The FUSE client: speaks FUSE 7.31+ (offers 7.36) to a virtio-fs daemon over any
 * {@link org.viofs.bridge.FuseTransport}. Pure Java, no native calls. Three layers, as in
 * fuse-backend-rs (abi / api / transport):
 *
 * <ul>
 *   <li>{@code org.viofs.fuse.abi}: the wire records, one per {@code fuse_*} struct, each with
 *       {@code SIZE} and {@code encode}/{@code decode(ByteBuffer)} (static {@code encode} helpers for the
 *       hot requests: the in header, GETATTR, READ, WRITE, FORGET). Every request byte and every reply
 *       byte goes through them.</li>
 *   <li>This package: {@link org.viofs.fuse.FuseClient} (typed operations, one request each) with its
 *       {@link org.viofs.fuse.FuseOptions} and {@link org.viofs.fuse.RequestListener}s
 *       ({@link org.viofs.fuse.RequestCounter} counts per opcode); {@code Replies} and {@code DirEntries}
 *       hold every check on a reply; {@link org.viofs.fuse.FuseLimits} is what INIT negotiated;
 *       {@link org.viofs.fuse.NodeTable} the lookup references and the FORGETs that return them; numbers
 *       ({@link org.viofs.fuse.Opcode}, {@link org.viofs.fuse.Errno} (Linux), {@link org.viofs.fuse.OpenFlags},
 *       {@link org.viofs.fuse.FileMode}, {@link org.viofs.fuse.InitFlags}, {@link org.viofs.fuse.FuseFlags}).</li>
 *   <li>The transport ({@code org.viofs.bridge}) moves bytes and never reads a FUSE header, so a
 *       malformed reply is a {@link org.viofs.fuse.FuseProtocolException} on every path, the zero-copy
 *       READ included.</li>
 * </ul>
 *
 * <h2>A Windows ReadFile, file by file</h2>
 * <pre>
 *  winfsp/FspCallbacks          Read trampoline: native arguments → Java, status back
 *   → volume/FuseVolume         read(): the handle's node and fh, the buffer WinFsp gave
 *   → fuse/FuseClient           read(): chunks of max_read, a request per chunk, every reply check
 *   → fuse/abi/ReadIn           InHeader.encode + ReadIn.encode into the request buffer
 *   → bridge/vhostuser/VhostUserTransport   (Windows: bridge/windows/ViofsTransport, DeviceIoControl)
 *   → bridge/vhostuser/SplitVirtqueue       descriptors, avail ring, kick; the used ring on the way back
 * </pre>
 * The reply comes back the same way: the transport hands the bytes the device wrote to the client's
 * handler, which checks the out header and copies the data into the caller's buffer (or, on viofs.sys's
 * zero-copy READ, checks the header whose {@code len} says how much the device wrote there).
 *
 * <h2>The rule for data from the host</h2>
 * The daemon is not trusted. Everything it sends is checked once, where it enters (the abi decoders,
 * {@code Replies}, {@code DirEntries}), and handled by one rule:
 * <ol>
 *   <li><b>Structure that does not add up</b> (a length, a size, {@code unique}, the sign of
 *       {@code error}, a record running past the reply) fails that one request with a
 *       {@link org.viofs.fuse.FuseProtocolException}; the connection stays.</li>
 *   <li><b>Identity that would make the caller act on the wrong object</b> (a node id, a name, a link
 *       target) fails the request the same way when the reply is that one answer: LOOKUP, MKDIR, CREATE,
 *       SYMLINK or LINK answering node 0 or the root's id for a child; a READLINK target that is empty or
 *       contains NUL. When it is one item of a list, the item is skipped and the rest is kept: directory
 *       entries whose names are not UTF-8, contain NUL or '/', are longer than NAME_MAX or are "." / ".."
 *       out of place, or that name the root as a child (one warning per directory; a skipped READDIRPLUS
 *       entry's reference is returned at once); xattr names from LISTXATTR that are longer than
 *       XATTR_NAME_MAX, empty or not UTF-8.</li>
 *   <li><b>A quantity that only describes</b> and has a range is clamped into it: nanosecond fields at
 *       or past one second become 999,999,999.</li>
 * </ol>
 * Nothing from the host is passed on to fail later in another request.
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
