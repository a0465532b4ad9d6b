package org.viofs.volume;

/**
 * One FUSE node the volume knows. Identity is the daemon's node id. The fields that tie it into the
 * tree (lookup count, pins, parent, name) are guarded by {@link NodeCache}'s lock; the cached
 * attributes are a volatile snapshot any thread may read.
 */
final class Node {
    final long id;
    /** Lookup references owed to the daemon (guarded by the cache lock). */
    long nlookup;
    /** Name-cache entries, open handles and cached children that keep this node (guarded by the cache lock). */
    int pins;
    /** A case-insensitive listing of this directory is complete until this nano time (guarded by the cache lock). */
    long listedUntil;
    boolean listed;
    /**
     * A complete listing cached every entry's name and attributes at change number {@link
     * #attrsListedSince}, valid until the nano time {@link #attrsListedUntil} (guarded by the cache lock).
     */
    boolean attrsListed;
    long attrsListedSince;
    long attrsListedUntil;
    /** Change number of the last create, rename or delete in this directory (guarded by the cache lock). */
    long namesChanged;
    /** Change number of the last time a name of this directory left the cache (guarded by the cache lock). */
    long namesLost;
    /** Change number of the last attribute change this volume made or expected (guarded by the cache lock). */
    long attrsChanged;
    /**
     * LastWriteTime events on this file, any handle: an explicit SetBasicInfo of it, and every Cleanup
     * that set it (now, or a handle's explicit time put back). See FuseVolume's Cleanup.
     */
    volatile int timeEvents;
    /** Data or size changed (the host stamped mtime) since the last {@link #timeEvents} event. */
    volatile boolean changedSinceTimeEvent;
    /**
     * The host mtime (seconds, nanoseconds) of the last explicit SetBasicInfo of LastWriteTime, while
     * that is still the file's last time event; null once a Cleanup stamped "now" after it. memfs
     * keeps such a time until a Cleanup with SetLastWriteTime; the host stamps every later WRITE and
     * truncate, so a Cleanup without that flag puts it back.
     */
    volatile long[] explicitWriteTime;
    /** For a symlink: whether it leads to a directory, once known. */
    volatile Boolean linkToDirectory;
    /** What the host's extended attribute holds ({@link XattrAttributes}), once read. */
    volatile XattrAttributes.Stored stored;
    private volatile Node parent;
    private volatile String name;
    private volatile CachedStat cached;

    Node(long id) {
        this.id = id;
    }

    /** The directory this node was last seen in, or null (root, or unlinked). */
    Node parent() {
        return parent;
    }

    /** The host name this node was last seen under, or null (root, or unlinked). */
    String name() {
        return name;
    }

    void setLink(Node parent, String name) {
        this.parent = parent;
        this.name = name;
    }

    CachedStat cached() {
        return cached;
    }

    void setCached(CachedStat c) {
        cached = c;
    }

    void setStat(HostStat stat, long expiry) {
        cached = new CachedStat(stat, expiry);
    }

    @Override
    public String toString() {
        return "Node[" + id + " " + name + "]";
    }
}
