package org.viofs.volume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

import org.viofs.fuse.DirPage;
import org.viofs.fuse.abi.Dirent;
import org.viofs.fuse.abi.DirentPlus;
import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseProtocolException;
import org.viofs.fuse.FuseClient;

/**
 * Directory listings: READDIRPLUS page after page ({@link #readAll}, the case-insensitive scan's loop
 * in {@link NodeCache}), the listing ReadDirectory serves markers from ({@link #open}: sorted in the
 * volume's stable order up to {@value #SORTED_MAX} entries, else streamed a page at a time; plain
 * READDIR where the cache holds every entry's attributes), and the emptiness check before a directory
 * is deleted.
 *
 * <p>Thread-safe.
 */
final class DirectoryLister {
    /** READDIRPLUS buffer (capped by the transport): 256 KiB holds ~1,500 entries with short names. */
    static final int DIR_BUFFER = 256 * 1024;
    /**
     * Most entries one listing takes from the host: bounds the snapshot's memory (each entry is a
     * cached name and a DirInfo) against a host that never ends a listing. 2^20 is far more than
     * Explorer or a program's FindNextFile loop handles in practice.
     */
    static final long MAX_ENTRIES = 1 << 20;
    /** The page asked for when one entry besides "." and ".." decides (a directory's emptiness). */
    private static final int PROBE_BUFFER = 4096;

    private static final Logger LOG = Logger.getLogger(DirectoryLister.class.getName());
    /** Hidden names warned about at most (per volume). */
    static final int MAX_WARNED = 1000;

    private final Set<String> warned = new HashSet<>();
    private final FuseClient client;
    private final NodeCache cache;
    private final NodeView view;
    private final VolumeConfig config;
    private final boolean storedAttributes;

    DirectoryLister(FuseClient client, NodeCache cache, NodeView view, VolumeConfig config, boolean storedAttributes) {
        this.client = client;
        this.cache = cache;
        this.view = view;
        this.config = config;
        this.storedAttributes = storedAttributes;
    }

    /**
     * Reads a whole directory through {@code fh}, page after page ({@link Listings#listPage}, which
     * adopts every entry), handing each entry to {@code each}.
     * Continues from each page's {@link DirPage#nextCookie()} (entries the client skipped move it too)
     * until a page is {@link DirPage#atEnd()}. The host is not trusted (issue 12 item 1): a cookie that
     * comes back (the listing would go round forever, the same page or a longer cycle) and a listing
     * over {@value #MAX_ENTRIES} entries end it with a protocol error.
     */
    static void readAll(FuseClient client, NodeCache cache, Node dir, long fh, Consumer<Listings.Listed> each) {
        long cookie = 0;
        Set<Long> sent = new HashSet<>(Set.of(cookie));
        long entries = 0;
        int bufferSize = Math.min(DIR_BUFFER, client.limits().maxReadChunk());
        while (true) {
            Listings.ListedPage page = cache.listings().listPage(dir, fh, cookie, bufferSize);
            if (page.atEnd()) {
                return;
            }
            entries += page.decoded();
            if (entries > MAX_ENTRIES) {
                throw new FuseProtocolException("READDIRPLUS of directory node " + dir.id + ": more than "
                        + MAX_ENTRIES + " entries; a listing that long is refused");
            }
            page.entries().forEach(each);
            cookie = page.nextCookie();
            if (!sent.add(cookie)) {
                throw new FuseProtocolException("READDIRPLUS of directory node " + dir.id + ": cookie " + cookie
                        + " came back after " + entries + " entries; the listing does not advance");
            }
        }
    }

    /**
     * Most entries a listing sorts into the volume's stable order. A larger directory is served in
     * the host's order, one page at a time, so a handle never holds more than this many entries plus
     * one page (issue 11 item 4); Explorer sorts by itself, and FindNextFile makes no promise of order.
     */
    static final int SORTED_MAX = 10_000;

    /**
     * The listing one directory handle serves ReadDirectory from (guarded by the handle's monitor):
     * the whole sorted listing, or, for a directory of more than {@value #SORTED_MAX} entries, a
     * window of the host's order and where to go on.
     */
    static final class Listing {
        final Node dir;
        final long fh;
        /** Sorted and complete, or the current window in the host's order. */
        List<DirInfo> entries = List.of();
        boolean sorted;
        /** Next index of {@link #entries} to hand out, and the name handed out last (streamed mode). */
        int pos;
        String lastGiven;
        long nextCookie;
        boolean atEnd;
        /** Entries the host sent so far (bounded by {@link #MAX_ENTRIES}) and the cookies sent (loop check). */
        long taken;
        final Set<Long> cookies = new HashSet<>();
        /** Pages are read with plain READDIR, attributes from the cache; false once an entry had none. */
        boolean plain;
        /** Every page so far came from READDIRPLUS; the earliest end of the names and attributes it cached. */
        boolean plusOnly = true;
        long validUntil = Long.MAX_VALUE;

        Listing(Node dir, long fh, boolean plain) {
            this.dir = dir;
            this.fh = fh;
            this.plain = plain;
            cookies.add(0L);
        }

        /** Entries this listing holds now (tests: bounded by {@link #SORTED_MAX} plus one page). */
        int held() {
            return entries.size();
        }
    }

    /**
     * Starts a listing: pages up to {@value #SORTED_MAX} entries, sorted in the volume's stable order
     * ("." and ".." first) when that was all; otherwise served in the host's order from here on.
     *
     * <p><b>READDIR or READDIRPLUS</b> (decided per listing, then per page): WinFsp's directory entries
     * need every entry's size, times and attributes. When a complete listing of this directory cached
     * all its names and attributes and they are all still valid (and none left the cache since), the
     * pages are read with plain READDIR, which spares the daemon a lookup per entry, and the attributes
     * come from the cache (each name checked against its inode number). The first entry without valid
     * cached attributes sends that page again as READDIRPLUS, and the rest of the listing stays with
     * READDIRPLUS. With cache=none nothing stays valid, so every listing uses READDIRPLUS
     * (docs/caching.md §3, with the figures).
     */
    Listing open(Node dir, long fh) {
        long since = cache.mark();
        Listing l = new Listing(dir, fh, cache.listings().listingAttributesValid(dir));
        List<DirInfo> got = new ArrayList<>();
        while (!l.atEnd && got.size() <= SORTED_MAX) {
            got.addAll(nextPage(l));
        }
        List<DirInfo> out = new ArrayList<>(got.size() + 2);
        if (dir != cache.root()) {
            out.add(new DirInfo(".", view.info(dir)));
            Node parent = cache.link(dir).parent();
            out.add(new DirInfo("..", view.info(parent != null ? parent : cache.root())));
        }
        if (l.atEnd) {
            cache.listings().listed(dir, since);
            if (l.plusOnly) {
                cache.listings().listingAttributesCached(dir, since, l.validUntil);
            }
            sortByName(got);
            l.sorted = true;
        }
        out.addAll(got);
        l.entries = out;
        return l;
    }

    /**
     * Hands entries after {@code marker} (null: from the start) to the sink until it is full (false)
     * or the listing ends (true).
     */
    boolean serve(Listing l, String marker, DirSink sink) {
        if (l.sorted) {
            List<DirInfo> listing = l.entries;
            for (int i = marker == null ? 0 : firstAfter(listing, marker); i < listing.size(); i++) {
                if (!sink.add(listing.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (marker != null && !marker.equals(l.lastGiven) && !seek(l, marker)) {
            return true; // the marker is no longer in the directory: nothing comes after it in the host's order
        }
        while (true) {
            while (l.pos < l.entries.size()) {
                DirInfo e = l.entries.get(l.pos);
                if (!sink.add(e)) {
                    return false;
                }
                l.lastGiven = e.fileName();
                l.pos++;
            }
            if (l.atEnd) {
                return true;
            }
            l.entries = nextPage(l);
            l.pos = 0;
        }
    }

    /**
     * Streamed mode, a marker other than the last name handed out: the entry after it in the current
     * window, else the listing read again from the start up to it. False when it is not found.
     */
    private boolean seek(Listing l, String marker) {
        for (int i = 0; i < l.entries.size(); i++) {
            if (l.entries.get(i).fileName().equals(marker)) {
                l.pos = i + 1;
                l.lastGiven = marker;
                return true;
            }
        }
        Listing again = open(l.dir, l.fh);
        l.entries = again.entries;
        l.nextCookie = again.nextCookie;
        l.atEnd = again.atEnd;
        l.taken = again.taken;
        l.cookies.clear();
        l.cookies.addAll(again.cookies);
        l.plain = again.plain;
        while (true) {
            for (int i = 0; i < l.entries.size(); i++) {
                if (l.entries.get(i).fileName().equals(marker)) {
                    l.pos = i + 1;
                    l.lastGiven = marker;
                    return true;
                }
            }
            if (l.atEnd) {
                return false;
            }
            l.entries = nextPage(l);
        }
    }

    private int bufferSize() {
        return Math.min(DIR_BUFFER, client.limits().maxReadChunk());
    }

    /**
     * The next page of the listing, as Windows entries (".", ".." and names Windows cannot reach left
     * out). A directory removed while it is listed (by another handle, or on the host) ends the listing
     * with what was read: the daemon then answers EINVAL or ENOENT (virtiofsd seeks the removed
     * directory's descriptor to the cookie), and a GETATTR shows no links left.
     */
    private List<DirInfo> nextPage(Listing l) {
        try {
            return readPage(l);
        } catch (FuseErrnoException e) {
            if ((e.is(Errno.EINVAL) || e.is(Errno.ENOENT)) && removed(l.dir)) {
                l.atEnd = true;
                return new ArrayList<>();
            }
            throw e;
        }
    }

    /** Whether the directory has been removed: no links left, or the daemon no longer finds it. */
    private boolean removed(Node dir) {
        try {
            return HostStats.of(client.getattr(dir.id).attr()).nlink() == 0;
        } catch (FuseErrnoException e) {
            return e.is(Errno.ENOENT);
        }
    }

    private List<DirInfo> readPage(Listing l) {
        int size = bufferSize();
        if (l.plain) {
            DirPage<Dirent> page = client.readdir(l.dir.id, l.fh, l.nextCookie, size);
            List<DirInfo> fromCache = fromCache(l.dir, page);
            if (fromCache != null) {
                l.plusOnly = false;
                advance(l, page.atEnd(), page.nextCookie(), page.decoded(), "READDIR");
                return fromCache;
            }
            l.plain = false; // an entry the cache cannot describe: this page again, and the rest, with attributes
        }
        Listings.ListedPage page = cache.listings().listPage(l.dir, l.fh, l.nextCookie, size);
        List<DirInfo> out = new ArrayList<>(page.entries().size());
        for (Listings.Listed listed : page.entries()) {
            DirentPlus d = listed.entry();
            HostStat st = listed.stat();
            if (d.dirent().isDotOrDotDot() || st == null) {
                continue;
            }
            EntryOut e = d.entry();
            l.validUntil = Math.min(l.validUntil, Math.min(cache.expiry(e.attrValid(), e.attrValidNsec()),
                    cache.expiry(e.entryValid(), e.entryValidNsec())));
            DirInfo di = toDirInfo(l.dir, d.name(), st, null);
            if (di != null) {
                out.add(di);
            }
        }
        advance(l, page.atEnd(), page.nextCookie(), page.decoded(), "READDIRPLUS");
        // the names the full cache let go for this page's are returned now, not at the end of the
        // callback: a long listing must not make the daemon hold a reference per entry it ever sent
        cache.sendForgets();
        return out;
    }

    /**
     * A READDIR page described from the cache alone, or null when an entry has no valid cached name
     * and attributes of the same inode (the page is then read with READDIRPLUS).
     */
    private List<DirInfo> fromCache(Node dir, DirPage<Dirent> page) {
        List<DirInfo> out = new ArrayList<>(page.size());
        for (Dirent d : page) {
            if (d.isDotOrDotDot()) {
                continue;
            }
            CachedChild c = cache.cachedChild(dir, d.name());
            if (c == null || c.stat().ino() != d.ino()) {
                return null;
            }
            DirInfo di = toDirInfo(dir, d.name(), c.stat(), c.node());
            if (di != null) {
                out.add(di);
            }
        }
        return out;
    }

    /** One entry as Windows sees it, or null for a name Windows could not reach. */
    private DirInfo toDirInfo(Node dir, String name, HostStat st, Node known) {
        if (!WinPath.isReachableFromWindows(name)) {
            warnUnreachable(dir, name);
            return null;
        }
        FileInfo fi = FileInfoMapper.toFileInfo(st, name, config.hideDotFiles());
        if (st.isSymlink() || config.readOnly() || storedAttributes) {
            Node n = known;
            if (n == null) {
                Found f = cache.lookupChild(dir, name); // just cached: no request
                n = f != null ? f.node() : null;
            }
            if (n != null) {
                fi = view.info(n, st);
            }
        }
        return new DirInfo(WinPath.toWindowsName(name), fi);
    }

    /**
     * Moves the listing on past a page; the host is not trusted: a listing over {@value #MAX_ENTRIES}
     * entries or a cookie that comes back ends it with a protocol error.
     */
    private static void advance(Listing l, boolean atEnd, long nextCookie, int decoded, String op) {
        if (atEnd) {
            l.atEnd = true;
            return;
        }
        l.taken += decoded;
        if (l.taken > MAX_ENTRIES) {
            throw new FuseProtocolException(op + " of directory node " + l.dir.id + ": more than " + MAX_ENTRIES
                    + " entries; a listing that long is refused");
        }
        l.nextCookie = nextCookie;
        if (!l.cookies.add(nextCookie)) {
            throw new FuseProtocolException(op + " of directory node " + l.dir.id + ": cookie " + nextCookie
                    + " came back after " + l.taken + " entries; the listing does not advance");
        }
    }

    /**
     * One warning per hidden name (at most {@value #MAX_WARNED} names, then one line saying so): a
     * host name that holds a literal U+F000 + c character is not listed ({@link WinPath#isReachableFromWindows}).
     */
    private void warnUnreachable(Node dir, String name) {
        String what = dir.id + "/" + name;
        synchronized (warned) {
            if (warned.size() > MAX_WARNED || !warned.add(what)) {
                return;
            }
            if (warned.size() > MAX_WARNED) {
                LOG.warning("more host names hidden from Windows; no further warnings");
                return;
            }
        }
        LOG.warning(() -> "host name " + WinPath.escapeForLog(name) + " in directory node " + dir.id
                + " is not shown: it holds a private-use character (U+F000..U+F07F) that stands for a"
                + " character Windows forbids, so Windows could not open it; rename it on the host");
    }

    /** Case-sensitive order of a listing's entries: {@link #nameOrder} on the names. */
    private static final Comparator<DirInfo> BY_NAME = (a, b) -> a.fileName().compareTo(b.fileName());

    /** An entry with its name's case key, made once for the sort. */
    private record Keyed(String key, DirInfo info) {
    }

    /** Case-insensitive order: {@link #nameOrder} on keys made beforehand. */
    private static final Comparator<Keyed> BY_CASE_KEY = (a, b) -> {
        int c = a.key().compareTo(b.key());
        return c != 0 ? c : a.info().fileName().compareTo(b.info().fileName());
    };

    /**
     * Sorts a listing into {@link #nameOrder}. Case-insensitive, each name's case key is made once
     * instead of twice per comparison: that was most of a repeated listing's time.
     */
    private void sortByName(List<DirInfo> entries) {
        if (!config.caseInsensitive()) {
            entries.sort(BY_NAME);
            return;
        }
        Keyed[] keyed = new Keyed[entries.size()];
        for (int i = 0; i < keyed.length; i++) {
            DirInfo d = entries.get(i);
            keyed[i] = new Keyed(WinPath.caseKey(d.fileName()), d);
        }
        Arrays.sort(keyed, BY_CASE_KEY);
        for (int i = 0; i < keyed.length; i++) {
            entries.set(i, keyed[i].info());
        }
    }

    private Comparator<String> nameOrder() {
        return config.caseInsensitive()
                ? Comparator.comparing(WinPath::caseKey).thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
    }

    /** Index of the first entry strictly after the marker in the listing's order. */
    int firstAfter(List<DirInfo> listing, String marker) {
        int i = 0;
        int n = listing.size();
        // "." and ".." come first whatever their sort position
        while (i < n && (listing.get(i).fileName().equals(".") || listing.get(i).fileName().equals(".."))) {
            if (listing.get(i).fileName().equals(marker)) {
                return i + 1;
            }
            i++;
        }
        if (marker.equals(".") || marker.equals("..")) {
            return i;
        }
        Comparator<String> cmp = nameOrder();
        int lo = i;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cmp.compare(listing.get(mid).fileName(), marker) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Whether the directory open as {@code fh} holds nothing but "." and ".." (one READDIRPLUS). */
    boolean isEmpty(Node dir, long fh) {
        boolean empty = true;
        for (Listings.Listed l : cache.listings().listPage(dir, fh, 0, PROBE_BUFFER).entries()) {
            if (!l.entry().dirent().isDotOrDotDot()) {
                empty = false;
            }
        }
        return empty;
    }
}
