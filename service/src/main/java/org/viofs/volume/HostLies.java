package org.viofs.volume;

/**
 * The node cache's checks of what a reply says about nodes it already knows. The host is not trusted
 * (docs/volume-semantics.md; the FUSE client checks each reply's structure, these check what it claims
 * against what the volume knows): a reply that fails them is a protocol error for its request and
 * changes nothing in the cache.
 */
final class HostLies {
    private HostLies() {
    }

    /**
     * Why an entry reply naming {@code n} as a child of {@code parent} cannot be true, or null: the root
     * or an ancestor of {@code parent} (itself included) as its child would make the tree a cycle that
     * every parent walk then follows forever; a known node id with another file type is another object
     * under a reused id while this volume still holds a reference on it, which a daemon never does.
     *
     * @param maxDepth bound of the parent walk (the number of nodes known: a path in the tree is shorter)
     */
    static String contradiction(Node n, Node root, Node parent, HostStat st, int maxDepth) {
        if (n == root) {
            return "the daemon answered the root's node id for a child";
        }
        int steps = maxDepth + 1;
        for (Node p = parent; p != null && steps-- > 0; p = p.parent()) {
            if (p == n) {
                return "the daemon answered node " + n.id + ", the directory itself or one above it";
            }
        }
        return typeChange(n, st);
    }

    /** Why new attributes for a known node cannot be true (another file type), or null. */
    static String typeChange(Node n, HostStat st) {
        CachedStat c = n.cached();
        if (c == null || ((c.stat().mode() ^ st.mode()) & HostStat.S_IFMT) == 0) {
            return null;
        }
        return String.format("the daemon answered node %d as file type 0%o, it was 0%o", n.id,
                st.mode() & HostStat.S_IFMT, c.stat().mode() & HostStat.S_IFMT);
    }
}
