package org.viofs.volume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.viofs.fuse.abi.CreateOut;
import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.OpenFlags;

/**
 * Reparse points: symbolic links are host symlinks (a placeholder file or directory is replaced by
 * the link, and the link by an empty file again); other tags are stored in {@code user.viofs.attrib}
 * with {@code -o xattr}. Resolution of a path's links is {@link PathResolver#follow}.
 *
 * <p>Thread-safe.
 */
final class ReparsePoints {
    /** Linux PATH_MAX (include/uapi/linux/limits.h), counting the NUL: the longest symlink target + 1. */
    static final int HOST_PATH_MAX_BYTES = 4096;

    private final FuseClient client;
    private final NodeCache cache;
    private final PathResolver paths;
    private final HandleData data;
    /** Null without {@code -o xattr}. */
    private final XattrAttributes winAttrs;
    /** The drive the volume is mounted on; as configured, then as WinFsp mounted it ({@link #mountedAt}). */
    private volatile String mountPoint;

    ReparsePoints(FuseClient client, NodeCache cache, PathResolver paths, HandleData data, XattrAttributes winAttrs,
                  String mountPoint) {
        this.client = client;
        this.cache = cache;
        this.paths = paths;
        this.data = data;
        this.winAttrs = winAttrs;
        this.mountPoint = mountPoint;
    }

    void mountedAt(String drive) {
        mountPoint = drive;
    }

    String mountPoint() {
        return mountPoint;
    }

    /** ResolveReparsePoints: the path its links lead to, or the data of a reparse point of another tag. */
    ReparseResolution resolve(String fileName, boolean resolveLastPathComponent) {
        WinPath p = WinPath.parse(fileName);
        List<String> comps = new ArrayList<>();
        for (String n : p.names()) {
            comps.add(WinPath.toWindowsName(n));
        }
        try {
            paths.follow(comps, resolveLastPathComponent, fileName);
        } catch (PathResolver.OtherReparsePoint e) {
            // not a symlink: the reparse data goes back as it is, with its tag (WinFsp's resolver does so)
            return new ReparseResolution(ReparseData.tagOf(e.data), e.data.clone());
        }
        StringBuilder sb = new StringBuilder();
        for (String c : comps) {
            sb.append('\\').append(c);
        }
        if (sb.length() == 0) {
            sb.append('\\');
        }
        if (p.streamName() != null) {
            sb.append(':').append(p.streamName());
        }
        String resolved = sb.toString();
        return new ReparseResolution(ReparseData.IO_REPARSE_TAG_SYMLINK, new ReparseData(resolved, resolved, true).toBytes());
    }

    byte[] get(Handle h) {
        HostStat st = cache.stat(h.node);
        byte[] stored = winAttrs != null ? winAttrs.reparse(h.node, st) : null;
        if (stored != null) {
            return stored;
        }
        if (!st.isSymlink()) {
            throw new NtStatusException(NtStatus.NOT_A_REPARSE_POINT, h.path + " is not a reparse point");
        }
        return ReparseData.fromHostTarget(client.readlink(h.node.id)).toBytes();
    }

    void set(Handle h, byte[] reparseData) {
        int tag = ReparseData.tagOf(reparseData);
        if (winAttrs != null) {
            HostStat now = cache.freshStat(h.node, h.fhIfOpen()).stat();
            byte[] existing = now.isSymlink() ? null : winAttrs.reparse(h.node, now);
            if (existing != null && ReparseData.tagOf(existing) != tag) {
                throw new NtStatusException(NtStatus.IO_REPARSE_TAG_MISMATCH, h.path + " holds another reparse tag");
            }
            if (tag != ReparseData.IO_REPARSE_TAG_SYMLINK) {
                if (now.isSymlink()) {
                    throw new NtStatusException(NtStatus.IO_REPARSE_TAG_MISMATCH, h.path + " is a symbolic link");
                }
                checkReparseBuffer(reparseData);
                // tags other than symlinks live in the extended attribute (with -o xattr)
                winAttrs.setReparse(h.node, now, reparseData.clone());
                return;
            }
        } else if (tag != ReparseData.IO_REPARSE_TAG_SYMLINK) {
            throw new NtStatusException(NtStatus.IO_REPARSE_TAG_INVALID, String.format(
                    "reparse tag 0x%08X: without the daemon's -o xattr only symbolic links can be stored", tag));
        }
        setSymlink(h, ReparseData.parse(reparseData));
    }

    /** The host cannot turn a file into a symlink in place: the empty placeholder is replaced. */
    private void setSymlink(Handle h, ReparseData rd) {
        String target = hostTarget(rd, h.path, mountPoint);
        int targetBytes = target.getBytes(StandardCharsets.UTF_8).length;
        if (targetBytes >= HOST_PATH_MAX_BYTES) {
            throw new NtStatusException(NtStatus.NAME_TOO_LONG, "symlink target of " + targetBytes
                    + " UTF-8 bytes; the host holds at most " + (HOST_PATH_MAX_BYTES - 1));
        }
        HostStat st = cache.freshStat(h.node, h.fhIfOpen()).stat();
        Link where = cache.link(h.node);
        Node parent = where.parent();
        String name = where.name();
        if (parent == null || name == null) {
            throw new NtStatusException(NtStatus.FILE_DELETED, h.path + " no longer has a name");
        }
        if (st.isSymlink()) {
            throw new NtStatusException(NtStatus.IO_REPARSE_TAG_MISMATCH, h.path + " is already a symbolic link");
        }
        if (st.isRegular() && st.size() != 0) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, h.path
                    + " has data; only an empty file can become a symbolic link on the host");
        }
        data.release(h);
        data.deferred().discard(h.node);
        if (st.isDirectory()) {
            client.rmdir(parent.id, name);
        } else {
            client.unlink(parent.id, name);
        }
        cache.removed(parent, name, h.node);
        EntryOut e = client.symlink(parent.id, name, target);
        Node link = cache.adopt(parent, name, e);
        // NTFS: a link made on a directory placeholder (SYMBOLIC_LINK_FLAG_DIRECTORY) is a directory
        // link whatever its target; the host has no such flag, so this lasts while the node is known
        link.linkToDirectory = st.isDirectory();
        cache.replaceHandleNode(h, link, false);
    }

    /**
     * Checks a reparse buffer's length against its header: Microsoft tags (bit 31) carry
     * ReparseDataLength bytes after the 8-byte header, others a 16-byte GUID first
     * (REPARSE_DATA_BUFFER / REPARSE_GUID_DATA_BUFFER, ntifs.h).
     */
    private static void checkReparseBuffer(byte[] b) {
        if (b.length < ReparseData.GENERIC_HEADER_SIZE) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, "reparse buffer of " + b.length + " bytes");
        }
        int tag = ReparseData.tagOf(b);
        int dataLength = (b[4] & 0xFF) | (b[5] & 0xFF) << 8;
        int expected = ReparseData.GENERIC_HEADER_SIZE + dataLength + (tag < 0 ? 0 : 16);
        if (b.length != expected) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, String.format(
                    "reparse buffer of %d bytes, its header (tag 0x%08X, ReparseDataLength %d) says %d", b.length, tag,
                    dataLength, expected));
        }
    }

    /**
     * The host form of a reparse target. A volume-absolute target ({@code \a\b}, not relative) is
     * stored relative to the link ({@code ../a/b}) so it also works on the host.
     */
    static String hostTarget(ReparseData rd, WinPath linkPath, String mountPoint) {
        String t = rd.substituteName();
        if (!rd.relative() && mountPoint != null) {
            // CreateSymbolicLinkW stores \??\X:\path; on this volume's own drive that is \path
            String ours = "\\??\\" + mountPoint + "\\";
            if (t.regionMatches(true, 0, ours, 0, ours.length())) {
                t = t.substring(ours.length() - 1);
            }
        }
        if (!rd.relative() && t.startsWith("\\") && !t.startsWith("\\??\\") && !t.startsWith("\\\\")) {
            StringBuilder up = new StringBuilder();
            for (int i = 0; i < linkPath.depth() - 1; i++) {
                up.append("..\\");
            }
            String rest = t.substring(1);
            String rel = up + rest;
            return new ReparseData(rel.isEmpty() ? "." : rel, rel, true).toHostTarget();
        }
        return rd.toHostTarget();
    }

    void delete(Handle h, byte[] reparseData) {
        if (winAttrs != null) {
            HostStat now = cache.stat(h.node);
            byte[] stored = winAttrs.reparse(h.node, now);
            if (stored != null) {
                if (ReparseData.tagOf(stored) != ReparseData.tagOf(reparseData)) {
                    throw new NtStatusException(NtStatus.IO_REPARSE_TAG_MISMATCH, "the tag differs from " + h.path + "'s");
                }
                winAttrs.setReparse(h.node, now, null);
                return;
            }
        }
        if (ReparseData.tagOf(reparseData) != ReparseData.IO_REPARSE_TAG_SYMLINK) {
            throw new NtStatusException(NtStatus.IO_REPARSE_TAG_MISMATCH, "the tag is not IO_REPARSE_TAG_SYMLINK");
        }
        if (!cache.stat(h.node).isSymlink()) {
            throw new NtStatusException(NtStatus.NOT_A_REPARSE_POINT, h.path + " is not a reparse point");
        }
        Link link = cache.link(h.node);
        Node parent = link.parent();
        String name = link.name();
        if (parent == null || name == null) {
            throw new NtStatusException(NtStatus.FILE_DELETED, h.path + " no longer has a name");
        }
        // NTFS keeps the file without its reparse data: an empty regular file takes the link's place
        data.deferred().discard(h.node);
        client.unlink(parent.id, name);
        cache.removed(parent, name, h.node);
        CreateOut c = client.create(parent.id, name, OpenFlags.O_RDWR | OpenFlags.O_EXCL,
                HostStat.S_IFREG | FileOpener.NEW_FILE_MODE, 0);
        Node file = cache.adopt(parent, name, c.entry());
        cache.replaceHandleNode(h, file, false);
        synchronized (h) {
            h.setOpened(c.open().fh(), OpenFlags.O_RDWR);
        }
    }
}
