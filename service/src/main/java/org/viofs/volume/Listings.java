package org.viofs.volume;

import java.util.ArrayList;
import java.util.List;

import org.viofs.fuse.DirPage;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.abi.DirentPlus;

/**
 * What listings tell the {@link NodeCache}: READDIRPLUS pages with every entry adopted, and the marks a
 * complete listing leaves on its directory: complete names (case-insensitive lookups of another casing
 * need no LOOKUP while it holds) and complete attributes (a later listing may read names only, with plain
 * READDIR; docs/caching.md §3). The marks are fields of {@link Node}, guarded by the cache's lock, and
 * a name leaving the cache ({@code Node.namesLost}) or a rename or delete in the directory
 * ({@code Node.namesChanged}) after a listing began keeps it from counting as complete.
 */
final class Listings {
    private final NodeCache cache;
    private final FuseClient client;
    /** The cache's lock (guards the listing fields of {@link Node}). */
    private final Object lock;
    private final boolean caseInsensitive;

    Listings(NodeCache cache, FuseClient client, Object lock, boolean caseInsensitive) {
        this.cache = cache;
        this.client = client;
        this.lock = lock;
        this.caseInsensitive = caseInsensitive;
    }

    /**
     * A complete READDIRPLUS listing of {@code dir}, begun at mark {@code since}, cached every entry's
     * name and attributes until {@code until}: a listing before then may read names only
     * ({@link #listingAttributesValid}). Not when a name of the directory left the cache during it.
     */
    void listingAttributesCached(Node dir, long since, long until) {
        synchronized (lock) {
            if (dir.namesLost > since) {
                return;
            }
            dir.attrsListedSince = since;
            dir.attrsListedUntil = until;
            dir.attrsListed = true;
        }
    }

    /**
     * Whether the last complete listing's names and attributes are all still cached and valid: none
     * left the cache since, and none has timed out.
     */
    boolean listingAttributesValid(Node dir) {
        synchronized (lock) {
            return dir.attrsListed && dir.namesLost <= dir.attrsListedSince && dir.attrsListedUntil - cache.now() > 0;
        }
    }

    /** One READDIRPLUS entry as the volume adopted it: its attributes (null for "." and ".."). */
    record Listed(DirentPlus entry, HostStat stat) {
    }

    /**
     * One READDIRPLUS page of {@code dir} through {@code fh}, every entry adopted (names only if no
     * rename or delete in the directory overtook the request).
     */
    ListedPage listPage(Node dir, long fh, long cookie, int size) {
        long since = cache.mark();
        DirPage<DirentPlus> page = client.readdirplus(dir.id, fh, cookie, size);
        List<Listed> out = new ArrayList<>(page.size());
        for (DirentPlus d : page) {
            out.add(new Listed(d, cache.adoptListed(dir, d, since)));
        }
        return new ListedPage(out, page.atEnd(), page.nextCookie(), page.decoded());
    }

    /**
     * One READDIRPLUS page, adopted: its entries, whether it was the end, the cookie to go on from and
     * how many entries the reply held (see {@link DirPage}).
     */
    record ListedPage(List<Listed> entries, boolean atEnd, long nextCookie, int decoded) {
    }

    /**
     * Marks a directory's listing, begun at mark {@code since}, complete (case-insensitive mode) until
     * its attributes expire; not when a rename or delete in it overtook the listing.
     */
    void listed(Node dir, long since) {
        if (!caseInsensitive) {
            return;
        }
        CachedStat c = dir.cached();
        synchronized (lock) {
            if (dir.namesChanged > since || dir.namesLost > since) {
                return;
            }
            dir.listed = true;
            dir.listedUntil = c != null ? c.expiry() : cache.now();
        }
    }
}
