package org.viofs.volume;

import java.util.List;

import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.abi.SetattrIn;

/**
 * Overwrite and SetBasicInfo: attributes (READONLY as the write bits, the rest stored with
 * {@code -o xattr}), times (what the host cannot keep is pinned), and an overwrite's EAs.
 *
 * <p>Thread-safe.
 */
final class AttributeChanges {
    private final FuseClient client;
    private final NodeCache cache;
    private final NodeView view;
    private final HandleData data;
    private final XattrStreams streams;
    /** Null without {@code -o xattr}. */
    private final XattrAttributes winAttrs;

    AttributeChanges(FuseClient client, NodeCache cache, NodeView view, HandleData data, XattrStreams streams,
                     XattrAttributes winAttrs) {
        this.client = client;
        this.cache = cache;
        this.view = view;
        this.data = data;
        this.streams = streams;
        this.winAttrs = winAttrs;
    }

    /**
     * Overwrite; with {@code eas} non-null (OverwriteEx) the file's EAs are replaced first, so a set the
     * host refuses leaves the file as it was. On a named-stream handle the main file keeps its EAs and
     * given ones are added to them (memfs too truncates only the stream): a browser rewriting
     * Zone.Identifier must not wipe the file's EAs.
     */
    FileInfo overwrite(Handle h, int fileAttributes, boolean replaceFileAttributes, long allocationSize, List<Ea> eas) {
        if (eas != null && winAttrs == null && !eas.isEmpty()) {
            throw new NtStatusException(NtStatus.EAS_NOT_SUPPORTED, "extended attributes need the daemon's -o xattr");
        } else if (eas != null && winAttrs != null) {
            overwriteEas(h, eas);
        }
        if (h.isStream()) {
            streams.truncate(h, 0);
            return view.info(h);
        }
        HostStat st = cache.stat(h.node);
        boolean ro = (fileAttributes & FileAttributes.READONLY) != 0
                || (!replaceFileAttributes && (st.mode() & 0222) == 0);
        data.truncateToZero(h, st, readOnlyMode(st.mode(), ro));
        if (winAttrs != null) {
            streams.deleteAll(h.node);
        }
        if (allocationSize > 0) {
            data.allocate(h, allocationSize);
        }
        if (winAttrs != null) {
            HostStat now = cache.stat(h.node);
            if (replaceFileAttributes) {
                winAttrs.setAttributes(h.node, now, fileAttributes | FileAttributes.ARCHIVE);
            } else {
                winAttrs.addAttributes(h.node, now, fileAttributes | FileAttributes.ARCHIVE);
            }
        }
        return view.info(h);
    }

    private void overwriteEas(Handle h, List<Ea> eas) {
        EaList.check(eas);
        HostStat now = cache.stat(h.node, h.fhIfOpen());
        if (!h.isStream()) {
            winAttrs.replaceEas(h.node, now, eas);
            return;
        }
        // added, never deleted: an empty value in an overwrite's list is ignored (the contract)
        List<Ea> given = eas.stream().filter(e -> e.value().length > 0).toList();
        if (!given.isEmpty()) {
            winAttrs.setEas(h.node, now, given);
        }
    }

    /** The mode with the write bits removed (READONLY) or the owner's write bit restored. */
    static int readOnlyMode(int mode, boolean readOnly) {
        if (readOnly) {
            return mode & ~0222;
        }
        return (mode & 0222) == 0 ? mode | 0200 : mode;
    }

    FileInfo setBasicInfo(Handle h, int fileAttributes, long creationTime, long lastAccessTime, long lastWriteTime) {
        HostStat st = cache.stat(h.node, h.fhIfOpen());
        SetattrIn.Builder b = SetattrIn.builder();
        boolean any = false;
        if (fileAttributes != FileAttributes.INVALID_FILE_ATTRIBUTES && !st.isDirectory() && !st.isSymlink()) {
            int mode = readOnlyMode(st.mode(), (fileAttributes & FileAttributes.READONLY) != 0);
            if (mode != st.mode()) {
                b.mode(mode & 07777);
                any = true;
            }
        }
        if (isTimeToSet(lastAccessTime)) {
            long[] u = FileInfoMapper.toUnixTime(lastAccessTime);
            b.atime(u[0], (int) u[1]);
            any = true;
        }
        if (isTimeToSet(lastWriteTime)) {
            long[] u = FileInfoMapper.toUnixTime(lastWriteTime);
            b.mtime(u[0], (int) u[1]);
            any = true;
        }
        // ChangeTime cannot be set through FUSE: the host keeps ctime itself. CreationTime has no host
        // field either; with -o xattr it is stored, and pinned before other times move (it is derived
        // from them otherwise).
        if (winAttrs != null && !st.isSymlink()) {
            if (isTimeToSet(creationTime)) {
                winAttrs.setCreationTime(h.node, st, creationTime);
            } else if (any && winAttrs.creationTime(h.node, st) == 0) {
                winAttrs.setCreationTime(h.node, st, view.info(h.node, st).creationTime());
            }
            st = cache.stat(h.node);
        }
        HostStat now = st;
        if (any) {
            AttrOut a = client.setattr(h.node.id, b.build());
            now = cache.update(h.node, a).stat();
            if (isTimeToSet(lastWriteTime)) {
                // kept through later writes until a Cleanup asks for LastWriteTime, as memfs keeps it
                // (FuseVolume's Cleanup)
                h.node.explicitWriteTime = new long[] {now.mtime(), now.mtimeNsec()};
                h.node.timeEvents++;
                h.node.changedSinceTimeEvent = false;
            }
        }
        if (winAttrs != null && !now.isSymlink() && (isTimeToSet(lastAccessTime) || isTimeToSet(lastWriteTime))) {
            now = pinTimes(h, now, lastAccessTime, lastWriteTime);
        }
        if (winAttrs != null && fileAttributes != FileAttributes.INVALID_FILE_ATTRIBUTES) {
            winAttrs.setAttributes(h.node, now, fileAttributes);
            now = cache.stat(h.node);
        }
        return view.info(h.node, now);
    }

    /** A time the host clamped (before 1901 on ext4) or rounded is pinned as Windows set it. */
    private HostStat pinTimes(Handle h, HostStat now, long lastAccessTime, long lastWriteTime) {
        FileInfo shown = FileInfoMapper.toFileInfo(now, null, false);
        XattrAttributes.Stored was = winAttrs.stored(h.node, now);
        XattrAttributes.TimePin access = isTimeToSet(lastAccessTime)
                ? pinIfKeptDifferently(lastAccessTime, shown.lastAccessTime()) : was.accessTime();
        XattrAttributes.TimePin write = isTimeToSet(lastWriteTime)
                ? pinIfKeptDifferently(lastWriteTime, shown.lastWriteTime()) : was.writeTime();
        winAttrs.setTimePins(h.node, now, access, write);
        return cache.stat(h.node);
    }

    /** A pin when the host shows {@code hostShows} for the {@code wanted} time, else null. */
    private static XattrAttributes.TimePin pinIfKeptDifferently(long wanted, long hostShows) {
        return wanted == hostShows ? null : new XattrAttributes.TimePin(wanted, hostShows);
    }

    /** 0 = unchanged; -1 and -2 (stop / resume automatic updates in NTFS) change nothing on the host either. */
    static boolean isTimeToSet(long fileTime) {
        return fileTime != 0 && fileTime != -1 && fileTime != -2;
    }
}
