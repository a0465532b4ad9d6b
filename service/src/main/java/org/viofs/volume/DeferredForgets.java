package org.viofs.volume;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deferred FORGET: the lookup references of the nodes a callback dropped (a deleted file, a name the
 * full cache let go) go back to the daemon together, as one BATCH_FORGET, instead of one FORGET round
 * trip at the end of every callback. A DeleteFile is then LOOKUP, LOOKUP, UNLINK with cache=none and
 * the FORGET of the deleted file is shared with the next deletes (docs/caching.md §2.1).
 *
 * <p>Bounds, with the deferred-close time ({@link VolumeConfig#deferredCloseMillis()}, 0 = off, then
 * every callback sends its FORGETs as it ends): the references wait at most that long (one background
 * thread sends them when the oldest has waited it) and at most {@value #MAX_WAITING} nodes' worth
 * (the callback that queues more sends them all). Places that need the daemon to have let go first
 * still send at once through {@link NodeCache#sendForgets()}: the descriptor fallback before its
 * retry, each listing page, and unmount.
 *
 * <p>FUSE allows this: the daemon counts lookups, and a FORGET that arrives after a new LOOKUP of the
 * same node only lowers the count by what it returns (Linux sends its FORGETs asynchronously too).
 *
 * <p>Thread-safe; no FUSE request is sent while holding the lock.
 */
final class DeferredForgets implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeferredForgets.class.getName());
    /** Most dropped nodes whose references wait; one more and the callback sends them all. */
    static final int MAX_WAITING = 64;

    private final NodeCache cache;
    private final LongSupplier clock;
    private final long waitNanos;
    /** Null when deferral is off. */
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    /** Clock time the oldest waiting reference was queued; valid while {@link #waiting} (guarded by the lock). */
    private long since;
    private boolean waiting;
    private ScheduledFuture<?> pending;
    private boolean closed;

    DeferredForgets(NodeCache cache, LongSupplier clock, long millis) {
        this.cache = cache;
        this.clock = clock;
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(millis);
        this.timer = millis > 0 ? DeferredHandles.timer("viofs-deferred-forget") : null;
    }

    /**
     * The end of a callback: sends the queued references now when deferral is off, the volume is
     * closing, {@value #MAX_WAITING} or more nodes' worth wait, or the oldest has waited its time;
     * otherwise makes sure the background thread sends them when that time comes.
     */
    void afterCallback() {
        int queued = cache.forgets().size();
        if (queued == 0) {
            return;
        }
        if (timer != null) {
            synchronized (lock) {
                long now = clock.getAsLong();
                if (!waiting) {
                    waiting = true;
                    since = now;
                }
                long left = since + waitNanos - now;
                if (!closed && queued < MAX_WAITING && left > 0) {
                    if (pending == null) {
                        pending = timer.schedule(this::sendQuietly, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)),
                                TimeUnit.MILLISECONDS);
                    }
                    return;
                }
                waiting = false;
            }
        }
        cache.sendForgets();
    }

    /** Sends every waiting reference now. */
    void sendNow() {
        synchronized (lock) {
            waiting = false;
        }
        cache.sendForgets();
    }

    private void sendQuietly() {
        synchronized (lock) {
            pending = null;
            waiting = false;
        }
        try {
            cache.sendForgets();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "deferred FORGET: returning references to the daemon failed", e);
        }
    }

    /** Unmount: sends what waits and defers nothing from now on. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            waiting = false;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        cache.sendForgets();
    }
}
