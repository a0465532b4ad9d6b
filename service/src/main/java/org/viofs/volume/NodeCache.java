package org.viofs.volume;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.abi.DirentPlus;
import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseFlags;
import org.viofs.fuse.FuseProtocolException;
import org.viofs.fuse.abi.OpenOut;
import org.viofs.volume.NameTable.Entry;
import org.viofs.volume.NameTable.Key;

/**
 * The volume's nodes, their lookup references, and the name → node cache.
 *
 * <p><b>References.</b> Every reply that names a node (LOOKUP, CREATE, MKDIR, SYMLINK, each
 * READDIRPLUS entry) is adopted here under the lock, adding one to {@link Node#nlookup}. A node is
 * <i>pinned</i> by each name-cache entry pointing to it, each open handle, and each cached child
 * (children keep their parent directory's node id alive, as the kernel's dcache does). When the last
 * pin goes, the node leaves the table and its references are queued ({@link ForgetQueue}); they go back
 * (FORGET, or BATCH_FORGET for several) when {@link DeferredForgets} sends them, or at once through
 * {@link #sendForgets()} where the daemon must let go first. A callback also pins every
 * node it is handed for as long as it runs (its <i>holds</i>, {@link #enter()}), so a node found on one
 * thread is never forgotten by another before the first is done with it.
 *
 * <p><b>Timeouts.</b> Name entries live for the daemon's entry_valid, attributes for attr_valid,
 * measured on the injected clock and capped at the configured maximum. An expired name is looked up
 * again; expired attributes are fetched again (GETATTR).
 *
 * <p><b>Case-insensitive mode.</b> Entries are keyed by the exact host name, and an index keeps the
 * spellings of each {@link WinPath#caseKey}, so case twins on the host ({@code A.txt}, {@code a.txt})
 * are both cached and an exact name always reaches its own file. A name in another casing takes a
 * cached spelling when a complete listing of the directory is valid (it would hold the exact name if
 * the host had it); otherwise the exact name is looked up first, then the cached spelling, then the
 * directory is listed once. With twins, another casing reaches the first in ordinal order
 * (docs/volume-semantics.md "Case twins"). A complete listing is trusted until the directory's
 * attributes expire, so creating many new names does not list the directory each time.
 *
 * <p><b>Older replies never undo newer operations.</b> WinFsp runs a listing, a lookup or a GETATTR
 * on one dispatcher thread while another renames, deletes or writes, and the daemon may answer the
 * first before the second yet the volume see the answers the other way round. Every change this
 * volume makes takes the next number of one sequence ({@link #mark()}): a directory remembers the
 * number of its last rename or delete, a node the number of its last local attribute change. A reply
 * to a request sent at mark {@code m} (READDIRPLUS, LOOKUP, GETATTR) adds no name to a directory
 * changed after {@code m} and no attributes to a node changed after {@code m}; the lookup reference
 * the daemon counted is still taken (and returned with FORGET when nothing else keeps the node).
 *
 * <p>Thread-safe; FUSE requests are never sent while holding the lock.
 */
final class NodeCache {
    private static final Logger LOG = Logger.getLogger(NodeCache.class.getName());

    /** Default for {@link VolumeConfig#maxCachedNames()}. */
    static final int MAX_ENTRIES = 65536;
    /** The name cache's limit never goes below this when the daemon runs out of descriptors. */
    static final int MIN_ENTRIES_AFTER_EMFILE = 256;
    /** LOOKUPs of one name repeated while renames and deletes in its directory keep overtaking them. */
    static final int MAX_LOOKUP_RETRIES = 8;

    private final FuseClient client;
    private final LongSupplier clock;
    private final long maxTimeoutNanos;
    private final boolean caseInsensitive;
    /** Name-cache entries kept at most; the least recently used go first (and their nodes are forgotten). */
    private int maxEntries; // guarded by the lock: lowered when the daemon runs out of descriptors
    private final Object lock = new Object();
    private final Map<Long, Node> nodes = new HashMap<>();
    /** The name cache's index (guarded by the lock). */
    private final NameTable names;
    private final ForgetQueue forgets;
    private final Node root = new Node(FuseFlags.ROOT_ID);
    /** The change sequence (guarded by the lock): see the class comment. */
    private long seq;
    /**
     * The latest attribute change ({@code Node.attrsChanged}) of a node the cache has forgotten: a
     * reply that names such a node again as a new node cannot tell whether it was sent before that
     * change, so attributes from a reply older than this are not trusted (guarded by the lock).
     */
    private long forgottenAttrsChanged;
    private final CallbackScopes scopes = new CallbackScopes();
    private final Listings listings;

    NodeCache(FuseClient client, LongSupplier clock, Duration maxTimeout, boolean caseInsensitive, int maxEntries) {
        this.client = client;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.maxTimeoutNanos = maxTimeout.toNanos();
        this.caseInsensitive = caseInsensitive;
        this.names = new NameTable(caseInsensitive);
        this.forgets = new ForgetQueue(client);
        this.listings = new Listings(this, client, lock, caseInsensitive);
        root.pins = Integer.MAX_VALUE / 2; // never forgotten
        nodes.put(root.id, root);
    }

    /** What complete listings of directories tell (for {@link DirectoryLister}). */
    Listings listings() {
        return listings;
    }

    Node root() {
        return root;
    }

    int nodeCount() {
        synchronized (lock) {
            return nodes.size();
        }
    }

    long now() {
        return clock.getAsLong();
    }

    // ------------------------------------------------------------------ callback holds

    /**
     * Opens a hold scope for the calling thread's callback (nestable; {@link CallbackScopes}). Until the
     * matching {@link #leave()}, every node this cache hands to the thread ({@link #lookupChild}, {@link
     * #adopt}, {@link #link}) carries an extra pin, so it cannot be dropped and forgotten by another
     * thread between the moment it is found and the moment a handle pins it or a request names it.
     * Without the hold, a rename or delete on another thread could return the node's last lookup
     * reference in that gap and the daemon would answer the next request on it with EBADF (it no longer
     * knows the node id). The outermost scope also starts a new operation (docs/caching.md §1).
     */
    void enter() {
        scopes.enter();
    }

    /** The operation the calling thread's callback runs in, or 0 outside callbacks. */
    private long currentOp() {
        return scopes.current();
    }

    /**
     * GetSecurityByName lets the next callback on this thread (Open or Create of {@code windowsPath} or
     * below) continue its operation ({@link CallbackScopes#offer}).
     */
    void offerOperation(String windowsPath) {
        scopes.offer(windowsPath);
    }

    /** Continues the operation the previous callback offered for this path ({@link CallbackScopes#continueWith}). */
    boolean continueOperation(String windowsPath) {
        return scopes.continueWith(windowsPath);
    }

    /** Whether a name entry may be used now: within its timeout, or made in the running operation. */
    private boolean entryValid(Entry e) {
        return e.expiry - now() > 0 || (e.op != 0 && e.op == currentOp());
    }

    /** Closes the scope {@link #enter()} opened; the outermost one drops the thread's holds. */
    void leave() {
        List<Node> held = scopes.leave();
        if (held.isEmpty()) {
            return;
        }
        synchronized (lock) {
            for (Node n : held) {
                unpinLocked(n);
            }
        }
    }

    /** Nodes the calling thread holds now (tests). */
    int heldByThisThread() {
        return scopes.held();
    }

    private Node holdLocked(Node n) {
        if (n != root && scopes.hold(n)) {
            n.pins++;
        }
        return n;
    }

    /** The node's directory and name, read together; the directory is held for the callback. */
    Link link(Node n) {
        synchronized (lock) {
            Node parent = n.parent();
            String name = n.name();
            if (parent == null || name == null) {
                return new Link(null, null);
            }
            return new Link(holdLocked(parent), name);
        }
    }

    // ------------------------------------------------------------------ change sequence

    /** The current change number: taken before sending a request whose reply is adopted later. */
    long mark() {
        synchronized (lock) {
            return seq;
        }
    }

    private long nextLocked() {
        return ++seq;
    }

    /** A name in {@code dir} was made, renamed or removed (guarded by the lock). */
    private void namespaceChangedLocked(Node dir) {
        dir.namesChanged = nextLocked();
    }

    /** The nano time a timeout of {@code sec} s + {@code nsec} ns from now ends (capped). */
    long expiry(long sec, int nsec) {
        long ttl;
        if (sec < 0 || sec >= maxTimeoutNanos / 1_000_000_000L) {
            ttl = maxTimeoutNanos;
        } else {
            ttl = Math.min(maxTimeoutNanos, sec * 1_000_000_000L + Math.max(0, nsec));
        }
        return now() + ttl;
    }

    /** Whether attributes may be used now: within their timeout, or brought by the running operation. */
    boolean isValid(CachedStat c) {
        return c != null && (c.expiry() - now() > 0 || (c.op() != 0 && c.op() == currentOp()));
    }

    /** Entries are keyed by the exact host name, so case twins on a case-insensitive volume both fit. */
    private static String key(String hostName) {
        return hostName;
    }

    /**
     * Case-insensitive mode: a cached entry of another spelling of {@code name} in {@code dir} (the
     * first in ordinal order), valid ones only if {@code validOnly}; null if none.
     */
    private Entry variantLocked(Node dir, String name, boolean validOnly) {
        return names.variant(dir.id, name, validOnly ? this::entryValid : e -> true);
    }

    // ------------------------------------------------------------------ lookups

    /**
     * Finds {@code name} in directory {@code dir}: from the cache while its entry is valid, else by
     * LOOKUP (and, case-insensitively, by listing the directory). Null when it does not exist.
     */
    Found lookupChild(Node dir, String name) {
        Key k = new Key(dir.id, key(name));
        String other = null; // case-insensitive: a cached spelling of the same name, asked for after the exact one
        synchronized (lock) {
            Entry e = names.get(k);
            if (e != null && entryValid(e)) {
                return new Found(holdLocked(e.node), e.hostName);
            }
            if (caseInsensitive) {
                Entry valid = variantLocked(dir, name, true);
                Entry any = valid != null ? valid : variantLocked(dir, name, false);
                boolean complete = dir.listed && dir.listedUntil - now() > 0;
                if (complete && e == null) {
                    // a complete listing is still valid: it would hold the exact name (a twin) if the host had it
                    if (valid != null) {
                        return new Found(holdLocked(valid.node), valid.hostName);
                    }
                    if (any == null) {
                        return null;
                    }
                }
                other = any != null ? any.hostName : null;
            }
        }
        // the exact name first: on a case-insensitive volume it may be a twin of a cached spelling
        Node found = lookupFresh(dir, name);
        if (found != null) {
            return new Found(found, name);
        }
        synchronized (lock) {
            if (names.containsKey(k)) {
                dropEntryLocked(k);
            }
        }
        if (!caseInsensitive) {
            return null;
        }
        if (other != null) {
            synchronized (lock) {
                Entry v = names.get(new Key(dir.id, other));
                if (v != null && entryValid(v)) {
                    return new Found(holdLocked(v.node), v.hostName);
                }
            }
            found = lookupFresh(dir, other);
            if (found != null) {
                return new Found(found, other);
            }
            synchronized (lock) {
                Key ok = new Key(dir.id, other);
                if (names.containsKey(ok)) {
                    dropEntryLocked(ok);
                }
            }
        }
        scan(dir);
        synchronized (lock) {
            Entry e = names.get(k);
            if (e == null) {
                e = variantLocked(dir, name, false);
            }
            return e == null ? null : new Found(holdLocked(e.node), e.hostName);
        }
    }

    /**
     * LOOKUP of one name, adopted only if no rename or delete in the directory overtook it; otherwise
     * the reference is given back and the name looked up again (at most {@value #MAX_LOOKUP_RETRIES}
     * times, then the last answer is taken as it is). Null when the name does not exist.
     */
    private Node lookupFresh(Node dir, String name) {
        for (int attempt = 0; ; attempt++) {
            long since = mark();
            EntryOut out;
            try {
                out = client.lookup(dir.id, name);
            } catch (FuseErrnoException ex) {
                if (ex.is(Errno.ENOENT)) {
                    return null;
                }
                if (attempt == 0 && shrinkForDescriptors(ex)) {
                    continue;
                }
                throw ex;
            }
            Node n = adopt(dir, name, out, true, attempt < MAX_LOOKUP_RETRIES ? since : Long.MAX_VALUE - 1);
            if (n != null) {
                return n;
            }
        }
    }

    /**
     * {@code name} in {@code dir} from the cache alone: its node and attributes when both the name and
     * the attributes are valid, else null. Never sends a request.
     */
    CachedChild cachedChild(Node dir, String name) {
        synchronized (lock) {
            Entry e = names.get(new Key(dir.id, key(name)));
            if (e == null || !entryValid(e)) {
                return null;
            }
            CachedStat c = e.node.cached();
            if (!isValid(c)) {
                return null;
            }
            return new CachedChild(holdLocked(e.node), c.stat());
        }
    }

    /** Lists a directory to learn every name (case-insensitive lookups). */
    private void scan(Node dir) {
        long since = mark();
        OpenOut o = client.opendir(dir.id);
        try {
            DirectoryLister.readAll(client, this, dir, o.fh(), l -> { });
        } finally {
            client.releasedir(dir.id, o.fh());
        }
        listings.listed(dir, since);
    }

    // ------------------------------------------------------------------ adopting replies

    /**
     * Takes the reference a LOOKUP/CREATE/MKDIR/SYMLINK reply gave and caches the name; the node is held
     * for the calling callback.
     */
    Node adopt(Node parent, String name, EntryOut e) {
        return adopt(parent, name, e, true, Long.MAX_VALUE);
    }

    /**
     * Adopts an entry reply to a request sent at mark {@code since} ({@link Long#MAX_VALUE}: the reply
     * of this volume's own CREATE/MKDIR/SYMLINK, newer than anything, which also ends the completeness
     * of a case-insensitive listing in flight). Returns null, having taken the
     * daemon's reference but cached nothing, when a rename or delete in {@code parent} came after the
     * request; attributes are kept only if the node did not change after it.
     */
    private Node adopt(Node parent, String name, EntryOut e, boolean hold, long since) {
        if (e.nodeId() == 0) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, name + ": the daemon returned a negative entry");
        }
        HostStat st = HostStats.of(e.attr());
        long attrExpiry = expiry(e.attrValid(), e.attrValidNsec());
        long entryExpiry = expiry(e.entryValid(), e.entryValidNsec());
        synchronized (lock) {
            Node n = nodes.get(e.nodeId());
            if (parent.namesChanged > since) {
                // overtaken: the name may no longer be this node's; keep only the reference accounting
                if (n == null) {
                    forgets.add(e.nodeId(), 1);
                } else if (n != root) {
                    n.nlookup++;
                }
                return null;
            }
            if (since == Long.MAX_VALUE) {
                // a name this volume just made: a listing begun before it is no complete listing any more
                namespaceChangedLocked(parent);
            }
            boolean fresh = n == null;
            if (fresh) {
                n = new Node(e.nodeId());
                nodes.put(n.id, n);
            }
            if (n != root) {
                n.nlookup++; // counted even when refused below: the reply gave a reference FORGET returns
            }
            String lie = HostLies.contradiction(n, root, parent, st, nodes.size());
            if (lie != null) {
                throw new FuseProtocolException(name + " in node " + parent.id + ": " + lie);
            }
            if (fresh ? forgottenAttrsChanged <= since : n.attrsChanged <= since) {
                n.setCached(new CachedStat(st, attrExpiry, currentOp()));
            } else if (fresh) {
                // the node may have changed while forgotten, after this reply was sent: its attributes
                // are only a first guess, fetched again on first use (docs/volume-semantics.md §2)
                n.setCached(new CachedStat(st, now(), 0));
            }
            putEntryLocked(parent, name, n, entryExpiry);
            return hold ? holdLocked(n) : n;
        }
    }

    /**
     * Adopts one READDIRPLUS entry of a request sent at mark {@code since}; returns its attributes as
     * listed (null for "." and "..").
     */
    HostStat adoptListed(Node dir, DirentPlus d, long since) {
        if (d.dirent().isDotOrDotDot() || d.nodeId() == 0) {
            return null;
        }
        adopt(dir, d.name(), d.entry(), false, since);
        return HostStats.of(d.entry().attr());
    }

    private void putEntryLocked(Node parent, String name, Node n, long expiry) {
        Entry old = names.put(new Key(parent.id, key(name)), new Entry(name, n, expiry, currentOp()));
        if (old == null || old.node != n) {
            n.pins++;
            if (old != null) {
                unpinLocked(old.node);
            }
        }
        if (n != root && (n.parent() != parent || !name.equals(n.name()))) {
            Node oldParent = n.parent();
            if (oldParent != parent) {
                parent.pins++;
                n.setLink(parent, name);
                if (oldParent != null) {
                    unpinLocked(oldParent);
                }
            } else {
                n.setLink(parent, name);
            }
        }
        evictLocked();
    }

    /** Drops the least recently used names until at most {@link #maxEntries} are left. */
    private void evictLocked() {
        while (names.size() > maxEntries) {
            Map.Entry<Key, Entry> eldest = names.removeEldest();
            Node dir = nodes.get(eldest.getKey().parent());
            if (dir != null) {
                listingIncompleteLocked(dir);
            }
            unpinLocked(eldest.getValue().node);
        }
    }

    /**
     * After a request failed with EMFILE or ENFILE: the daemon (the C virtiofsd keeps an O_PATH
     * descriptor per node we hold a reference to) ran out of descriptors. Halves the name cache's limit
     * for the rest of the mount (never below {@value #MIN_ENTRIES_AFTER_EMFILE}), drops the names over
     * it and returns their references now, so the request can be sent once more. False when the cache
     * is already that small: the request's error stands.
     */
    boolean shrinkForDescriptors(FuseErrnoException e) {
        if (!e.is(Errno.EMFILE) && !e.is(Errno.ENFILE)) {
            return false;
        }
        int was;
        int now;
        synchronized (lock) {
            was = names.size();
            now = Math.max(MIN_ENTRIES_AFTER_EMFILE, was / 2);
            if (now >= was) {
                return false;
            }
            maxEntries = Math.min(maxEntries, now);
            evictLocked();
        }
        sendForgets();
        LOG.warning("the daemon ran out of file descriptors (" + e.getMessage() + ") with " + was
                + " names cached; the name cache keeps at most " + now + " from now on (raise virtiofsd's"
                + " descriptor limit, e.g. --rlimit-nofile, to cache more)");
        return true;
    }

    private void dropEntryLocked(Key k) {
        Entry e = names.remove(k);
        if (e != null) {
            Node dir = nodes.get(k.parent());
            if (dir != null) {
                listingIncompleteLocked(dir);
            }
            unpinLocked(e.node);
        }
    }

    /**
     * The cache no longer holds every name of {@code dir}: its listing is incomplete, and so is any
     * listing in flight (its names may have been adopted before the loss; see {@link #listed}). The
     * names such a listing still brings are cached as usual.
     */
    private void listingIncompleteLocked(Node dir) {
        dir.listed = false;
        dir.namesLost = nextLocked();
    }

    /** Drops one pin; a node with none left is removed and its references queued for FORGET. */
    private void unpinLocked(Node start) {
        Node n = start;
        while (n != null && n != root) {
            if (--n.pins > 0) {
                return;
            }
            nodes.remove(n.id, n);
            forgottenAttrsChanged = Math.max(forgottenAttrsChanged, n.attrsChanged);
            if (n.nlookup > 0) {
                forgets.add(n.id, n.nlookup);
                n.nlookup = 0;
            }
            Node parent = n.parent();
            n.setLink(null, null);
            n = parent; // the child's pin on its parent goes too (iterative: paths may be 16k deep)
        }
    }

    // ------------------------------------------------------------------ handles

    void pin(Handle h) {
        synchronized (lock) {
            h.node.pins++;
        }
    }

    void unpin(Handle h) {
        synchronized (lock) {
            unpinLocked(h.node);
        }
    }

    /** One more pin on a node (a kept handle, {@link DeferredHandles}). */
    void pinNode(Node n) {
        synchronized (lock) {
            n.pins++;
        }
    }

    /** Drops a pin {@link #pinNode} took; the node's references are queued for FORGET when it was the last. */
    void unpinNode(Node n) {
        synchronized (lock) {
            unpinLocked(n);
        }
    }

    /** The handle now refers to {@code replacement} (SetReparsePoint/DeleteReparsePoint replaced the file). */
    void replaceHandleNode(Handle h, Node replacement, boolean isDir) {
        synchronized (lock) {
            replacement.pins++;
            Node old = h.node;
            h.node = replacement;
            h.isDir = isDir;
            unpinLocked(old);
        }
    }

    // ------------------------------------------------------------------ namespace changes

    /** {@code name} was unlinked or removed from {@code parent}. */
    void removed(Node parent, String name, Node node) {
        synchronized (lock) {
            namespaceChangedLocked(parent);
            Key k = new Key(parent.id, key(name));
            Entry e = names.get(k);
            if (e != null && e.node == node) {
                dropEntryLocked(k);
            }
            if (node.parent() == parent && name.equals(node.name())) {
                node.pins++; // keep it while the link goes
                node.setLink(null, null);
                unpinLocked(parent);
                unpinLocked(node);
            }
        }
    }

    /**
     * {@code srcParent/srcName} is now {@code newParent/newName}; {@code replaced} (if not null) was
     * the node that name held before.
     */
    void renamed(Node srcParent, String srcName, Node newParent, String newName, Node node, Node replaced) {
        synchronized (lock) {
            Key from = new Key(srcParent.id, key(srcName));
            Key to = new Key(newParent.id, key(newName));
            namespaceChangedLocked(srcParent);
            namespaceChangedLocked(newParent);
            Entry old = names.get(from);
            long expiry = old != null && old.node == node ? old.expiry : now();
            node.pins++; // hold the node while its entries move
            if (!from.equals(to)) {
                Entry e = names.get(from);
                if (e != null && e.node == node) {
                    dropEntryLocked(from);
                }
            }
            Entry t = names.get(to);
            if (t != null && t.node != node) {
                dropEntryLocked(to);
            }
            if (replaced != null && replaced != node && replaced.parent() == newParent) {
                replaced.pins++;
                replaced.setLink(null, null);
                unpinLocked(newParent);
                unpinLocked(replaced);
            }
            putEntryLocked(newParent, newName, node, expiry);
            unpinLocked(node);
        }
    }

    // ------------------------------------------------------------------ stale nodes

    /**
     * A request on node {@code id} answered ESTALE: the host no longer has the file that node id
     * named (the Rust virtiofsd references inodes by file handle by default and cannot reopen one whose
     * file was unlinked or replaced; the C daemon's O_PATH fd keeps it reachable). Every name entry
     * leading to the node goes (a scan, on this error path only), so the next lookup of its path asks
     * the host, and its attributes are not trusted again. Returns whether this volume had already
     * unlinked or replaced the file (the node had no name of its own left); false too for an unknown id.
     */
    boolean stale(long id) {
        synchronized (lock) {
            Node n = nodes.get(id);
            if (n == null || n == root) {
                return false;
            }
            Node parent = n.parent();
            String name = n.name();
            Entry own = parent != null && name != null ? names.get(new Key(parent.id, key(name))) : null;
            boolean named = parent != null && name != null && (own == null || own.node == n);
            for (Key k : names.keysOf(n)) {
                dropEntryLocked(k);
            }
            n.attrsChanged = nextLocked();
            CachedStat c = n.cached();
            if (c != null) {
                n.setCached(new CachedStat(c.stat(), now()));
            }
            return !named;
        }
    }

    /** Drops every name-cache entry (nodes held by handles stay). */
    void dropAll() {
        synchronized (lock) {
            for (Key k : names.keys()) {
                dropEntryLocked(k);
            }
        }
    }

    // ------------------------------------------------------------------ attributes

    /**
     * Attributes that tell the node's file type: the cached ones even when expired (a node id never
     * changes its type: a reply that says so is refused), else fetched.
     */
    HostStat fileType(Node n) {
        CachedStat c = n.cached();
        return c != null ? c.stat() : stat(n);
    }

    /** The node's attributes, fetched again (GETATTR) when expired. */
    HostStat stat(Node n) {
        return stat(n, -1);
    }

    HostStat stat(Node n, long fh) {
        CachedStat c = n.cached();
        if (isValid(c)) {
            return c.stat();
        }
        return freshStat(n, fh).stat();
    }

    /** Valid attributes: the cached ones if still valid, else GETATTR (through {@code fh} when ≥ 0). */
    CachedStat freshStat(Node n, long fh) {
        CachedStat c = n.cached();
        if (isValid(c)) {
            return c;
        }
        long since = mark();
        AttrOut a = fh >= 0 ? client.getattr(n.id, fh) : client.getattr(n.id);
        CachedStat got = new CachedStat(HostStats.of(a.attr()), expiry(a.attrValid(), a.attrValidNsec()), currentOp());
        String lie = HostLies.typeChange(n, got.stat());
        if (lie != null) {
            throw new FuseProtocolException(lie);
        }
        synchronized (lock) {
            if (n.attrsChanged > since) {
                // a change overtook the GETATTR: its answer is not cached, and is only used when nothing newer is known
                CachedStat newer = n.cached();
                return isValid(newer) ? newer : new CachedStat(got.stat(), now());
            }
            n.setCached(got);
            return got;
        }
    }

    /**
     * Attributes a request of this volume's own (SETATTR) answered with: newer than any other reply in
     * flight. A reply with another file type is a protocol error and changes nothing.
     */
    CachedStat update(Node n, AttrOut a) {
        CachedStat c = new CachedStat(HostStats.of(a.attr()), expiry(a.attrValid(), a.attrValidNsec()), currentOp());
        String lie = HostLies.typeChange(n, c.stat());
        if (lie != null) {
            throw new FuseProtocolException(lie);
        }
        synchronized (lock) {
            n.attrsChanged = nextLocked();
            n.setCached(c);
        }
        return c;
    }

    /** Next use fetches the attributes from the host (and no reply already in flight is cached). */
    void expireAttributes(Node n) {
        synchronized (lock) {
            n.attrsChanged = nextLocked();
            CachedStat c = n.cached();
            if (c != null) {
                n.setCached(new CachedStat(c.stat(), now()));
            }
        }
    }

    /**
     * A write through this volume ended at {@code end}: the size grows to it, mtime/ctime become now
     * (what the host did too), without asking the host.
     */
    HostStat wrote(Node n, long end) {
        synchronized (lock) {
            n.attrsChanged = nextLocked();
            CachedStat c = n.cached();
            HostStat after = c.stat().afterWrite(end, System.currentTimeMillis());
            n.setCached(new CachedStat(after, c.expiry(), c.op()));
            return after;
        }
    }

    // ------------------------------------------------------------------ forgetting

    /** The references of dropped nodes, waiting to go back to the daemon (see {@link DeferredForgets}). */
    ForgetQueue forgets() {
        return forgets;
    }

    /** Returns the references of nodes dropped since the last call (one FORGET or BATCH_FORGETs). */
    void sendForgets() {
        forgets.send();
    }
}
