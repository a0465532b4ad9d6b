package org.viofs.fuse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lookup counts per FUSE node id, and the FORGETs that give them back.
 *
 * <p><b>Why.</b> Every reply that names a node (LOOKUP, CREATE, MKDIR, SYMLINK, LINK, and each
 * READDIRPLUS entry with a nonzero node id) makes the daemon hold one more reference, and virtiofsd
 * keeps an open host fd per referenced inode until the references are returned with FORGET or
 * BATCH_FORGET (docs/vhost-user-frontend.md §7.5). The anchor never returned them on eviction, so host fds
 * grew without bound (docs/viofs-anchor.md §3.5). This table makes the count explicit.
 *
 * <p><b>Who calls what.</b> {@link FuseClient} records every such reply itself ({@link #record}); its
 * callers never do. The caller that keeps a node (the volume, for a cached or open node) owns its
 * references and returns them with {@link #forget} or {@link #forgetAll} when it evicts the node or
 * after the name is gone (UNLINK, RMDIR), or with {@link #forgetLater} + {@link #flush} when it drops
 * many at once (they are then sent as BATCH_FORGETs of at most {@link #MAX_BATCH} entries). A caller that
 * only needed an answer (e.g. a one-off LOOKUP) forgets right away. The root (node 1) is never counted
 * nor forgotten. DESTROY (in {@link FuseClient#close()}) drops all references at the daemon, so the
 * table is cleared without FORGETs then.
 *
 * <p><b>Failures.</b> Sending a FORGET can only fail in the transport; the {@link
 * org.viofs.bridge.TransportException} propagates to the caller, and the connection is then lost anyway
 * (every reference dies with it).
 *
 * <p>Thread-safe.
 */
public final class NodeTable {
    /**
     * Most entries in one BATCH_FORGET: 8 + 256 × 16 = 4104 argument bytes, small enough for the hiprio
     * queue of every transport (Linux sends batches of up to a page, fs/fuse/dev.c).
     */
    public static final int MAX_BATCH = 256;

    /** Sends FORGET / BATCH_FORGET; implemented by {@link FuseClient}. */
    interface ForgetSender {
        void sendForgets(long[] nodeIds, long[] counts, int n);
    }

    private final ConcurrentHashMap<Long, Long> counts = new ConcurrentHashMap<>();
    private final ForgetSender sender;
    private final Object pendingLock = new Object();
    private long[] pendingIds = new long[MAX_BATCH];
    private long[] pendingCounts = new long[MAX_BATCH];
    private int pending;

    NodeTable(ForgetSender sender) {
        this.sender = sender;
    }

    /** Adds one reference for a node named in a reply. Called by {@link FuseClient} only. */
    void record(long nodeId) {
        if (nodeId != FuseFlags.ROOT_ID && nodeId != 0) {
            counts.merge(nodeId, 1L, Long::sum);
        }
    }

    /** Forgets everything without sending (the daemon dropped it all: DESTROY or a lost connection). */
    void clear() {
        counts.clear();
        synchronized (pendingLock) {
            pending = 0;
        }
    }

    /** References this client holds on the node (0 for an unknown node and for the root). */
    public long lookups(long nodeId) {
        Long n = counts.get(nodeId);
        return n == null ? 0 : n;
    }

    /** How many nodes hold at least one reference. */
    public int size() {
        return counts.size();
    }

    /** Sum of all references held. */
    public long totalLookups() {
        long sum = 0;
        for (Long n : counts.values()) {
            sum += n;
        }
        return sum;
    }

    /** A copy of the counts, node id → references. */
    public Map<Long, Long> snapshot() {
        return Map.copyOf(counts);
    }

    /** References queued by {@link #forgetLater} and not yet sent. */
    public int pendingForgets() {
        synchronized (pendingLock) {
            return pending;
        }
    }

    /**
     * Returns {@code n} references to the daemon now (one FORGET, or a BATCH_FORGET together with
     * anything queued). A no-op for the root.
     *
     * @throws IllegalArgumentException if fewer than {@code n} are held, or {@code n < 1}
     */
    public void forget(long nodeId, long n) {
        if (take(nodeId, n)) {
            enqueueAndMaybeFlush(nodeId, n, true);
        }
    }

    /**
     * Returns all references held on the node now.
     *
     * @return how many were returned (0 when none were held)
     */
    public long forgetAll(long nodeId) {
        if (nodeId == FuseFlags.ROOT_ID) {
            return 0;
        }
        Long n = counts.remove(nodeId);
        if (n == null) {
            return 0;
        }
        enqueueAndMaybeFlush(nodeId, n, true);
        return n;
    }

    /**
     * Queues {@code n} references to return; they are sent when {@link #MAX_BATCH} are queued, by the
     * next {@link #forget}/{@link #flush}. The count drops at once.
     */
    public void forgetLater(long nodeId, long n) {
        if (take(nodeId, n)) {
            enqueueAndMaybeFlush(nodeId, n, false);
        }
    }

    /** Sends every queued FORGET (as BATCH_FORGETs of at most {@link #MAX_BATCH}). */
    public void flush() {
        Batch b;
        synchronized (pendingLock) {
            b = takePendingLocked();
        }
        if (b != null) {
            sender.sendForgets(b.ids, b.counts, b.n);
        }
    }

    private record Batch(long[] ids, long[] counts, int n) {
    }

    private Batch takePendingLocked() {
        if (pending == 0) {
            return null;
        }
        Batch b = new Batch(pendingIds, pendingCounts, pending);
        pendingIds = new long[MAX_BATCH];
        pendingCounts = new long[MAX_BATCH];
        pending = 0;
        return b;
    }

    private boolean take(long nodeId, long n) {
        if (n < 1) {
            throw new IllegalArgumentException("forget count must be ≥ 1, was " + n);
        }
        if (nodeId == FuseFlags.ROOT_ID) {
            return false;
        }
        long[] had = new long[1];
        counts.compute(nodeId, (k, v) -> {
            long held = v == null ? 0 : v;
            had[0] = held;
            if (held < n) {
                return v;
            }
            return held == n ? null : held - n;
        });
        if (had[0] < n) {
            throw new IllegalArgumentException("node " + nodeId + " holds " + had[0] + " lookup references, cannot forget "
                    + n);
        }
        return true;
    }

    private void enqueueAndMaybeFlush(long nodeId, long n, boolean now) {
        Batch b = null;
        synchronized (pendingLock) {
            pendingIds[pending] = nodeId;
            pendingCounts[pending] = n;
            pending++;
            if (now || pending == MAX_BATCH) {
                b = takePendingLocked();
            }
        }
        if (b != null) {
            sender.sendForgets(b.ids, b.counts, b.n);
        }
    }
}
