package org.viofs.volume;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.viofs.fuse.Opcode;
import org.viofs.fuse.RequestListener;

/**
 * FUSE requests sent per volume callback ("Open" → 2), readable while the volume runs: a listener on
 * the volume's FUSE client that attributes each request to the callback running on the calling
 * thread. Thread-safe.
 */
public final class RequestCounters implements RequestListener {
    private final Map<String, LongAdder> byCallback = new ConcurrentHashMap<>();
    private final ThreadLocal<String> current = new ThreadLocal<>();

    /** Marks the calling thread as running {@code callback}; returns the previous mark to restore. */
    String enter(String callback) {
        String prev = current.get();
        current.set(callback);
        return prev;
    }

    void leave(String previous) {
        if (previous == null) {
            current.remove();
        } else {
            current.set(previous);
        }
    }

    /** Counts one request for the callback running on this thread ("(none)" outside callbacks). */
    @Override
    public void requestSent(Opcode opcode) {
        String c = current.get();
        byCallback.computeIfAbsent(c == null ? "(none)" : c, k -> new LongAdder()).increment();
    }

    /** Requests so far, by callback name, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        byCallback.forEach((k, v) -> {
            long n = v.sum();
            if (n != 0) {
                out.put(k, n);
            }
        });
        return out;
    }

    public long total() {
        return byCallback.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long get(String callback) {
        LongAdder a = byCallback.get(callback);
        return a == null ? 0 : a.sum();
    }

    public void reset() {
        byCallback.values().forEach(LongAdder::reset);
    }
}
