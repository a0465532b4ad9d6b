package org.viofs.volume;

import java.util.Arrays;

/**
 * What Windows sees of a node: its FILE_INFO (host attributes, stored Windows attributes, a directory
 * link shown as a directory, READONLY on a read-only volume) and its security descriptor (stored, or
 * derived from uid, gid and mode bits).
 *
 * <p>Thread-safe.
 */
final class NodeView {
    private final VolumeConfig config;
    private final NodeCache cache;
    private final PathResolver paths;
    private final XattrStreams streams;
    /** Null without {@code -o xattr}. */
    private final XattrAttributes winAttrs;
    private final IdMapping ids;

    NodeView(VolumeConfig config, NodeCache cache, PathResolver paths, XattrStreams streams,
             XattrAttributes winAttrs, IdMapping ids) {
        this.config = config;
        this.cache = cache;
        this.paths = paths;
        this.streams = streams;
        this.winAttrs = winAttrs;
        this.ids = ids;
    }

    IdMapping ids() {
        return ids;
    }

    FileInfo info(Node n, HostStat st) {
        FileInfo fi = FileInfoMapper.toFileInfo(st, n.name(), config.hideDotFiles());
        if (winAttrs != null) {
            fi = winAttrs.apply(fi, st, winAttrs.stored(n, st));
        }
        if (st.isSymlink() && paths.linkIsDirectory(n)) {
            fi = withAttributes(fi, fi.fileAttributes() | FileAttributes.DIRECTORY);
        }
        if (config.readOnly() && !st.isDirectory() && (fi.fileAttributes() & FileAttributes.READONLY) == 0) {
            fi = withAttributes(fi, fi.fileAttributes() | FileAttributes.READONLY);
        }
        return fi;
    }

    private static FileInfo withAttributes(FileInfo fi, int attributes) {
        return new FileInfo(attributes, fi.reparseTag(), fi.allocationSize(), fi.fileSize(), fi.creationTime(),
                fi.lastAccessTime(), fi.lastWriteTime(), fi.changeTime(), fi.indexNumber(), fi.hardLinks(), fi.eaSize());
    }

    FileInfo info(Node n) {
        return info(n, cache.stat(n));
    }

    /** The handle's file (through its fh when open), or its named stream. */
    FileInfo info(Handle h) {
        FileInfo fi = info(h.node, cache.stat(h.node, h.fhIfOpen()));
        return h.isStream() ? streams.info(h, fi) : fi;
    }

    /** The stored descriptor (with -o xattr, while it matches the host's bits) or the derived one. */
    byte[] securityDescriptor(Node n, HostStat st) {
        if (winAttrs != null) {
            byte[] stored = winAttrs.descriptor(n, st);
            if (stored != null) {
                return stored;
            }
        }
        return derivedDescriptor(st);
    }

    /**
     * Whether mode bits express this descriptor: it is what {@link PosixSecurity#toDescriptor} makes
     * for its own owner, group and the mode it maps to, or (when read grants execute) what this volume
     * shows for that mode.
     */
    boolean representable(SecurityDescriptor sd, int fileType) {
        if (sd.owner() == null || sd.group() == null || sd.dacl() == null) {
            return false;
        }
        int mode = fileType | PosixSecurity.fromDescriptor(sd).mode();
        byte[] bytes = sd.toBytes();
        return Arrays.equals(PosixSecurity.toDescriptor(sd.owner(), sd.group(), mode).toBytes(), bytes)
                || (config.readGrantsExecute()
                && Arrays.equals(PosixSecurity.toShownDescriptor(sd.owner(), sd.group(), mode).toBytes(), bytes));
    }

    private byte[] derivedDescriptor(HostStat st) {
        int mode = st.mode();
        if (config.readOnly()) {
            mode &= ~0222;
        }
        Sid owner = ids.uidToSid(st.uid());
        Sid group = ids.gidToSid(st.gid());
        return (config.readGrantsExecute() ? PosixSecurity.toShownDescriptor(owner, group, mode)
                : PosixSecurity.toDescriptor(owner, group, mode)).toBytes();
    }
}
