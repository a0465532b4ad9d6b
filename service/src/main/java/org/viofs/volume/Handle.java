package org.viofs.volume;

import org.viofs.fuse.OpenFlags;

/**
 * The per-handle context Create and Open return ({@link FileContext}): the node, the FUSE file handle
 * (opened lazily, on the first read, write, flush or listing), the open flags, the directory listing
 * snapshot ReadDirectory serves markers from, and the delete-pending flag. Mutable fields are guarded
 * by the handle's monitor or are volatile.
 */
final class Handle implements FileContext {
    volatile Node node;
    volatile boolean isDir;
    volatile WinPath path;
    final int grantedAccess;
    /** Guarded by this. */
    boolean opened;
    /** Guarded by this; valid when {@link #opened}. 0 is a valid FUSE handle. */
    long fh = -1;
    /** Guarded by this. */
    int openFlags;
    /** Guarded by this: the listing ReadDirectory serves, in the order markers refer to. */
    DirectoryLister.Listing listing;
    volatile boolean deletePending;
    /** Data or size changed through this handle (the host stamped the times itself). */
    volatile boolean modified;
    /** {@link Node#timeEvents} when data or size last changed through this handle. */
    volatile int timeEventsAtChange;
    volatile boolean closed;
    /** The named stream this handle opened (stored in an extended attribute), or null for the file. */
    final String stream;
    /** Guarded by this: the named stream's contents. */
    byte[] streamData;

    Handle(Node node, WinPath path, boolean isDir, int grantedAccess) {
        this(node, path, isDir, grantedAccess, null, null);
    }

    Handle(Node node, WinPath path, boolean isDir, int grantedAccess, String stream, byte[] streamData) {
        this.node = node;
        this.path = path;
        this.isDir = isDir;
        this.grantedAccess = grantedAccess;
        this.stream = stream;
        this.streamData = streamData;
    }

    boolean isStream() {
        return stream != null;
    }

    synchronized void setOpened(long fh, int flags) {
        this.fh = fh;
        this.openFlags = flags;
        this.opened = true;
    }

    /** The FUSE fh, or -1 when the handle has not opened one. */
    synchronized long fhIfOpen() {
        return opened ? fh : -1;
    }

    /**
     * The FUSE fh if it was opened for writing, else -1: the daemon truncates through the fh it is
     * given, and a read-only descriptor cannot be truncated (EINVAL); without an fh it opens the file
     * for writing itself.
     */
    synchronized long writableFhIfOpen() {
        return opened && !isDir && (openFlags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY ? fh : -1;
    }

    /** Data or size changed through this handle: the host stamped mtime. */
    void changed(Node n) {
        modified = true;
        timeEventsAtChange = n.timeEvents;
        n.changedSinceTimeEvent = true;
    }

    @Override
    public String toString() {
        return "Handle[" + path + " node " + node.id + (closed ? " closed" : "") + "]";
    }
}
