package org.viofs.volume;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.viofs.fuse.FuseClient;

/**
 * The lookup references of the nodes {@link NodeCache} dropped, queued until they are returned to
 * the daemon (one FORGET or BATCH_FORGETs through the client's node table); when that happens is
 * {@link DeferredForgets}' choice, or the caller's where the daemon must let go first.
 *
 * <p>Thread-safe: its own monitor, never held while a request is sent, and never waiting for the
 * cache's lock (the cache adds while holding it).
 */
final class ForgetQueue {
    private static final Logger LOG = Logger.getLogger(ForgetQueue.class.getName());

    private final FuseClient client;
    /** {node id, references} in the order the nodes were dropped (guarded by this). */
    private final List<long[]> queued = new ArrayList<>();

    ForgetQueue(FuseClient client) {
        this.client = client;
    }

    /** Queues {@code n} references of {@code nodeId}. */
    synchronized void add(long nodeId, long n) {
        queued.add(new long[] {nodeId, n});
    }

    /** Dropped nodes whose references are queued and not yet sent. */
    synchronized int size() {
        return queued.size();
    }

    /** Returns every queued reference now (one FORGET or BATCH_FORGETs). */
    void send() {
        List<long[]> batch;
        synchronized (this) {
            if (queued.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(queued);
            queued.clear();
        }
        for (long[] f : batch) {
            try {
                client.nodes().forgetLater(f[0], f[1]);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "lookup count mismatch for node " + f[0], e);
            }
        }
        client.nodes().flush();
    }
}
