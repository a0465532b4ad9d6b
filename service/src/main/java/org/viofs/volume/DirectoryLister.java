package org.viofs.volume;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

import org.viofs.fuse.DirPage;
import org.viofs.fuse.abi.DirentPlus;
import org.viofs.fuse.FuseProtocolException;
import org.viofs.fuse.FuseClient;

/**
 * Directory listings: READDIRPLUS page after page ({@link #readAll}, also the case-insensitive scan's
 * loop in {@link NodeCache}), the snapshot ReadDirectory serves markers from in the volume's stable
 * order, and the emptiness check before a directory is deleted.
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
     * Reads a whole directory through {@code fh}, page after page ({@link NodeCache#listPage}, which
     * adopts every entry), handing each entry to {@code each}.
     * Continues from each page's {@link DirPage#nextCookie()} (entries the client skipped move it too)
     * until a page is {@link DirPage#atEnd()}. The host is not trusted (issue 12 item 1): a cookie that
     * comes back (the listing would go round forever, the same page or a longer cycle) and a listing
     * over {@value #MAX_ENTRIES} entries end it with a protocol error.
     */
    static void readAll(FuseClient client, NodeCache cache, Node dir, long fh, Consumer<NodeCache.Listed> each) {
        long cookie = 0;
        Set<Long> sent = new HashSet<>(Set.of(cookie));
        long entries = 0;
        int bufferSize = Math.min(DIR_BUFFER, client.limits().maxReadChunk());
        while (true) {
            NodeCache.ListedPage page = cache.listPage(dir, fh, cookie, bufferSize);
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

    /** Reads the whole directory, caching every entry, in the volume's stable order ("." and ".." first). */
    List<DirInfo> list(Node dir, long fh) {
        List<DirInfo> entries = new ArrayList<>();
        long since = cache.mark();
        readAll(client, cache, dir, fh, l -> {
            DirentPlus d = l.entry();
            HostStat st = l.stat();
            if (d.dirent().isDotOrDotDot() || st == null) {
                return;
            }
            String name = d.name();
            if (!WinPath.isReachableFromWindows(name)) {
                warnUnreachable(dir, name);
                return;
            }
            FileInfo fi = FileInfoMapper.toFileInfo(st, name, config.hideDotFiles());
            if (st.isSymlink() || config.readOnly() || storedAttributes) {
                NodeCache.Found f = cache.lookupChild(dir, name); // just cached: no request
                if (f != null) {
                    fi = view.info(f.node(), st);
                }
            }
            entries.add(new DirInfo(WinPath.toWindowsName(name), fi));
        });
        cache.listed(dir, since);
        entries.sort(Comparator.comparing(DirInfo::fileName, nameOrder()));
        List<DirInfo> out = new ArrayList<>(entries.size() + 2);
        if (dir != cache.root()) {
            out.add(new DirInfo(".", view.info(dir)));
            Node parent = cache.link(dir).parent();
            out.add(new DirInfo("..", view.info(parent != null ? parent : cache.root())));
        }
        out.addAll(entries);
        return out;
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
        for (NodeCache.Listed l : cache.listPage(dir, fh, 0, PROBE_BUFFER).entries()) {
            if (!l.entry().dirent().isDotOrDotDot()) {
                empty = false;
            }
        }
        return empty;
    }
}
