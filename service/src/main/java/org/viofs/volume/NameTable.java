package org.viofs.volume;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The name cache's index, for {@link NodeCache} (which guards it with its lock): (directory node id,
 * exact host name) → the node the name led to, in least-recently-used order, and, on a
 * case-insensitive volume, the cached host spellings of each (directory, {@link WinPath#caseKey}), so
 * case twins on the host ({@code A.txt}, {@code a.txt}) are both kept and an exact name always reaches
 * its own file (docs/volume-semantics.md §4).
 *
 * <p>Pins, listings and FORGETs are the cache's business; this class only keeps the two maps in step.
 * Not thread-safe.
 */
final class NameTable {
    /** A directory and a host name in it. */
    record Key(long parent, String name) {
        // written out: every cached lookup and every entry of a listing from the cache hashes one
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.parent == parent && k.name.equals(name);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(parent) + name.hashCode();
        }
    }

    /** Where a name led, until when, and the operation whose reply brought it (0: none). */
    static final class Entry {
        final String hostName;
        final Node node;
        final long expiry;
        /** The operation whose reply made the entry (0: none): valid within it whatever the timeout. */
        final long op;

        Entry(String hostName, Node node, long expiry, long op) {
            this.hostName = hostName;
            this.node = node;
            this.expiry = expiry;
            this.op = op;
        }
    }

    private final boolean caseInsensitive;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    /** Case-insensitive mode: the cached host spellings of each (directory, case key). */
    private final Map<Key, TreeSet<String>> spellings = new HashMap<>();

    NameTable(boolean caseInsensitive) {
        this.caseInsensitive = caseInsensitive;
    }

    /** The entry of this exact name (marks it recently used), or null. */
    Entry get(Key k) {
        return entries.get(k);
    }

    boolean containsKey(Key k) {
        return entries.containsKey(k);
    }

    /** Sets the entry of {@code k}; returns the one it replaced, or null. */
    Entry put(Key k, Entry e) {
        Entry old = entries.put(k, e);
        if (caseInsensitive && old == null) {
            spellings.computeIfAbsent(caseKey(k), x -> new TreeSet<>()).add(k.name());
        }
        return old;
    }

    /** Removes the entry of {@code k}; returns it, or null if there was none. */
    Entry remove(Key k) {
        Entry e = entries.remove(k);
        if (e != null && caseInsensitive) {
            Key ck = caseKey(k);
            TreeSet<String> all = spellings.get(ck);
            if (all != null && all.remove(k.name()) && all.isEmpty()) {
                spellings.remove(ck);
            }
        }
        return e;
    }

    /**
     * Case-insensitive mode: the entry of another spelling of {@code name} in directory {@code dirId}
     * that {@code usable} accepts, the first in ordinal order; null if none.
     */
    Entry variant(long dirId, String name, Predicate<Entry> usable) {
        TreeSet<String> all = spellings.get(new Key(dirId, WinPath.caseKey(name)));
        if (all == null) {
            return null;
        }
        for (String spelling : all) {
            if (!spelling.equals(name)) {
                Entry e = entries.get(new Key(dirId, spelling));
                if (e != null && usable.test(e)) {
                    return e;
                }
            }
        }
        return null;
    }

    int size() {
        return entries.size();
    }

    /** Removes and returns the least recently used entry; the table must not be empty. */
    Map.Entry<Key, Entry> removeEldest() {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        Map.Entry<Key, Entry> eldest = it.next();
        remove(eldest.getKey());
        return eldest;
    }

    /** The keys whose entries lead to {@code n}. */
    List<Key> keysOf(Node n) {
        List<Key> out = new ArrayList<>();
        for (Map.Entry<Key, Entry> me : entries.entrySet()) {
            if (me.getValue().node == n) {
                out.add(me.getKey());
            }
        }
        return out;
    }

    /** Every key, copied (to drop them one by one). */
    List<Key> keys() {
        return new ArrayList<>(entries.keySet());
    }

    private static Key caseKey(Key k) {
        return new Key(k.parent(), WinPath.caseKey(k.name()));
    }
}
