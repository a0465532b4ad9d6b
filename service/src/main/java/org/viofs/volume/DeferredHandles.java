package org.viofs.volume;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.viofs.fuse.FuseClient;
import org.viofs.fuse.OpenFlags;

/**
 * Deferred close: the FUSE file handles of closed files, kept for a short time so the next open of
 * the same file reuses one instead of sending OPEN (and the close before it, RELEASE), as SMB clients
 * keep a handle after CloseHandle. A warm open+read+close is then one request (READ).
 *
 * <p>Rules: only regular files' handles are kept, at most {@link VolumeConfig#maxDeferredHandles()}
 * (the oldest is released when one more would exceed it, so the host never holds more), each for
 * {@link VolumeConfig#deferredCloseMillis()} on the volume's clock. A handle is reused only for the
 * same node and a compatible access: a read-only open takes any, a writing open only a writable one.
 * RELEASE is sent when the time runs out (one background thread, woken when the oldest expires, and on
 * every park and take), when the volume deletes the file or renames another file over it, on
 * Overwrite, on {@link FuseVolume#dropCaches()} and on unmount. Each kept handle pins its node, so the
 * node id it names stays known to the daemon. Nothing the Windows side sees changes: Cleanup and
 * Close run as before, data was never cached (every WRITE went to the host before Close), and the
 * daemon's RELEASE only closes its descriptor.
 *
 * <p>What the host sees and why Windows sees nothing: docs/caching.md §2.
 *
 * <p>Thread-safe; no FUSE request is sent while holding the lock.
 */
final class DeferredHandles implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeferredHandles.class.getName());

    /** One kept handle: node, fh, the flags it was opened with, and the clock time it was closed. */
    private record Parked(Node node, long fh, int flags, long since) {
    }

    private final FuseClient client;
    private final NodeCache cache;
    private final LongSupplier clock;
    private final long ttlNanos;
    private final int max;
    private final Object lock = new Object();
    /** Oldest first (guarded by the lock). */
    private final ArrayDeque<Parked> parked = new ArrayDeque<>();
    /** Null when deferral is off. */
    private final ScheduledExecutorService sweeper;
    /** The pending sweep, if any (guarded by the lock). */
    private ScheduledFuture<?> nextSweep;
    private boolean closed;

    DeferredHandles(FuseClient client, NodeCache cache, LongSupplier clock, long millis, int max) {
        this.client = client;
        this.cache = cache;
        this.clock = clock;
        this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(millis);
        this.max = max;
        this.sweeper = millis > 0 && max > 0 ? timer("viofs-deferred-close") : null;
    }

    /**
     * One daemon thread that runs delayed tasks (this class's sweeps, {@link DeferredForgets}' sends):
     * cancelled tasks leave its queue at once, and none runs after shutdown.
     */
    static ScheduledExecutorService timer(String threadName) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return ex;
    }

    boolean enabled() {
        return sweeper != null;
    }

    /** Handles kept now. */
    int size() {
        synchronized (lock) {
            return parked.size();
        }
    }

    /**
     * Keeps a closed file's handle, or releases it at once when deferral is off or the volume closes.
     * Releases the oldest kept handles beyond the bound, and expired ones.
     */
    void park(Node node, long fh, int flags) {
        if (!enabled()) {
            release(List.of(new Parked(node, fh, flags, 0)), false);
            return;
        }
        cache.pinNode(node);
        List<Parked> out = new ArrayList<>();
        boolean rejected;
        synchronized (lock) {
            rejected = closed;
            if (!rejected) {
                parked.addLast(new Parked(node, fh, flags, clock.getAsLong()));
                expiredLocked(out);
                while (parked.size() > max) {
                    out.add(parked.removeFirst());
                }
                scheduleLocked(ttlNanos);
            }
        }
        if (rejected) {
            out.add(new Parked(node, fh, flags, 0));
        }
        release(out, false);
    }

    /**
     * A kept handle of {@code node} an open with this access may use, taken out (its pin on the node
     * goes: the taking handle holds its own), or null. A writing open needs one opened O_RDWR.
     */
    Taken take(Node node, boolean write) {
        if (!enabled()) {
            return null;
        }
        List<Parked> out = new ArrayList<>();
        Parked found = null;
        synchronized (lock) {
            expiredLocked(out);
            Parked best = null;
            for (Parked p : parked) {
                if (p.node() != node) {
                    continue;
                }
                boolean rw = (p.flags() & OpenFlags.O_ACCMODE) == OpenFlags.O_RDWR;
                if (write && !rw) {
                    continue;
                }
                if (best == null || (!write && !rw)) {
                    best = p; // a read-only open prefers a read-only descriptor
                }
            }
            if (best != null) {
                parked.remove(best);
                found = best;
            }
        }
        release(out, false);
        if (found == null) {
            return null;
        }
        cache.unpinNode(found.node());
        return new Taken(found.fh(), found.flags());
    }

    /** A reused handle: its fh and open flags. */
    record Taken(long fh, int flags) {
    }

    /** Releases every kept handle of {@code node} (deleted, renamed over, overwritten). */
    void discard(Node node) {
        if (!enabled()) {
            return;
        }
        List<Parked> out = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<Parked> it = parked.iterator(); it.hasNext(); ) {
                Parked p = it.next();
                if (p.node() == node) {
                    it.remove();
                    out.add(p);
                }
            }
        }
        release(out, false);
    }

    /** Releases the handles whose time ran out; returns how many. */
    int sweep() {
        List<Parked> out = new ArrayList<>();
        synchronized (lock) {
            nextSweep = null;
            expiredLocked(out);
            if (!parked.isEmpty() && !closed) {
                scheduleLocked(parked.peekFirst().since() + ttlNanos - clock.getAsLong());
            }
        }
        release(out, true);
        return out.size();
    }

    /** Releases every kept handle (the caches are dropped). */
    void releaseAll() {
        List<Parked> out;
        synchronized (lock) {
            out = new ArrayList<>(parked);
            parked.clear();
        }
        release(out, false);
    }

    /** Unmount: releases every kept handle and keeps none from now on. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (nextSweep != null) {
                nextSweep.cancel(false);
                nextSweep = null;
            }
        }
        releaseAll();
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        cache.sendForgets();
    }

    private void expiredLocked(List<Parked> out) {
        long now = clock.getAsLong();
        while (!parked.isEmpty() && now - parked.peekFirst().since() >= ttlNanos) {
            out.add(parked.removeFirst());
        }
    }

    /** A sweep in {@code nanos} (at least 1 ms, at most the deferral time), unless one is pending. */
    private void scheduleLocked(long nanos) {
        if (nextSweep != null || closed) {
            return;
        }
        long ms = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(nanos), TimeUnit.NANOSECONDS.toMillis(ttlNanos)));
        nextSweep = sweeper.schedule(this::sweepQuietly, ms, TimeUnit.MILLISECONDS);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "deferred close: sweeping kept handles failed", e);
        }
    }

    /**
     * RELEASE of each handle (a failure is logged: the handle is gone from here either way), then its
     * node's pin; outside a callback ({@code forget}) the FORGETs that dropped are sent at once.
     */
    private void release(List<Parked> out, boolean forget) {
        for (Parked p : out) {
            try {
                client.release(p.node().id, p.fh(), p.flags());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "deferred close: RELEASE of fh " + p.fh() + " (node " + p.node().id + ") failed", e);
            } finally {
                if (enabled()) { // deferral on: park() pinned the node
                    cache.unpinNode(p.node());
                }
            }
        }
        if (forget && !out.isEmpty()) {
            cache.sendForgets();
        }
    }
}
