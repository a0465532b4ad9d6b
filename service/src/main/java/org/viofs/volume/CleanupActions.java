package org.viofs.volume;

import org.viofs.fuse.FuseClient;
import org.viofs.fuse.abi.SetattrIn;

/**
 * What the volume does at Cleanup, the last handle operation before Close: delete on close (of a file,
 * a directory or a stream), the ARCHIVE bit, and the times, each flag meaning exactly what WinFsp's
 * memfs and NTFS make of it (docs/volume-semantics.md §1). Kept apart from {@link FuseVolume} because
 * its time rules change for their own reasons (issue 13: a time a program set must survive the close).
 */
final class CleanupActions {
    private final FuseClient client;
    private final NodeCache cache;
    private final HandleData data;
    private final NameChanges names;
    private final XattrStreams streams;
    /** Windows attributes in extended attributes; null without {@code -o xattr}. */
    private final XattrAttributes winAttrs;
    private final boolean readOnly;

    CleanupActions(FuseClient client, NodeCache cache, HandleData data, NameChanges names, XattrStreams streams,
                   XattrAttributes winAttrs, boolean readOnly) {
        this.client = client;
        this.cache = cache;
        this.data = data;
        this.names = names;
        this.streams = streams;
        this.winAttrs = winAttrs;
        this.readOnly = readOnly;
    }

    /** Cleanup of {@code h} with the FSD's {@code flags} (docs/winfsp-native.md §2.1; docs/volume-semantics.md §1). */
    void run(Handle h, int flags) {
        if (readOnly) {
            return; // nothing was changed through a handle of a read-only volume, and nothing is deleted
        }
        if ((flags & CleanupFlags.DELETE) != 0) {
            if (h.isStream()) {
                streams.delete(h);
            } else {
                names.deleteOnCleanup(h);
            }
            return;
        }
        if (h.isStream()) {
            return;
        }
        if (h.isDir) {
            return; // the mode is never touched either (the anchor reset it to 0664 here, §4.6)
        }
        if ((flags & CleanupFlags.SET_ARCHIVE_BIT) != 0 && winAttrs != null) {
            winAttrs.addAttributes(h.node, cache.stat(h.node), FileAttributes.ARCHIVE);
        }
        // Each flag means exactly what memfs makes of it (docs/volume-semantics.md "Cleanup flags"):
        // SetLastWriteTime stamps now; SetChangeTime is the host's own (every change moved ctime);
        // SetLastAccessTime follows the host's atime policy; SetArchiveBit is shown or stored above.
        // memfs moves LastWriteTime only at SetBasicInfo and at Cleanup; the host also stamps every
        // WRITE and truncate. So: a handle whose own change is still the latest stamp (no time event
        // since) needs no request; one that changed nothing, or was overtaken by a time event of
        // another handle, gets "now"; a Cleanup without SetLastWriteTime puts an explicitly set time
        // that is still the file's last time event back over the stamps of later writes.
        Node n = h.node;
        boolean setWriteTime = (flags & CleanupFlags.SET_LAST_WRITE_TIME) != 0;
        boolean now = setWriteTime && (!h.modified || n.timeEvents != h.timeEventsAtChange);
        long[] explicit = n.explicitWriteTime;
        long[] keep = !setWriteTime && explicit != null && n.changedSinceTimeEvent ? explicit : null;
        try {
            if ((flags & CleanupFlags.SET_ALLOCATION_SIZE) != 0 && data.trimAllocation(h, now, keep)) {
                return;
            }
            if (now) {
                cache.update(n, client.setattr(n.id, SetattrIn.builder().mtimeNow().build()));
            } else if (keep != null) {
                cache.update(n, client.setattr(n.id, SetattrIn.builder().mtime(keep[0], (int) keep[1]).build()));
            } else if (h.modified) {
                cache.expireAttributes(n); // our local size/mtime guess gives way to the host's truth
            }
        } finally {
            if (setWriteTime || keep != null) {
                n.timeEvents++;
                n.changedSinceTimeEvent = false;
            }
            if (setWriteTime) {
                n.explicitWriteTime = null;
            }
        }
    }
}
