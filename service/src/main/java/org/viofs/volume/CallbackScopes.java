package org.viofs.volume;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-thread bookkeeping of the callback running on each WinFsp dispatcher thread: how deeply its
 * scopes nest, the nodes it holds (pinned by {@link NodeCache} until the outermost scope ends), and the
 * <i>operation</i> it belongs to.
 *
 * <p><b>Operations.</b> The outermost scope starts a new operation number. Names and attributes a
 * reply brought within an operation stay valid for the rest of it even when the daemon granted no cache
 * time (cache=none gives 0 s), as the kernel uses a LOOKUP's attributes for the very system call that
 * sent it. A later change by the volume replaces them (with another operation's number, or none), so
 * the rule never lets an older reply stand over a newer change. {@link #offer} and {@link #continueWith}
 * let one Windows request made of two callbacks (GetSecurityByName, then Open or Create of that path or
 * below it) be one operation (docs/caching.md §1; docs/winfsp-native.md §2.1, §2.2).
 *
 * <p>Each thread sees only its own state; no lock is needed.
 */
final class CallbackScopes {
    /** Operation numbers: unique over the process, so one thread's never matches another's. */
    private static final AtomicLong OPERATIONS = new AtomicLong();

    private static final class Scope {
        int depth;
        final ArrayList<Node> held = new ArrayList<>();
        /** The operation the running callback belongs to. */
        long op;
        /** Set by the running callback: the next callback on this thread may continue {@link #op} for this path. */
        String carryNext;
        /** The path (and operation) the previous callback on this thread left for this one, or null. */
        String carried;
        long carriedOp;
    }

    private final ThreadLocal<Scope> scopes = ThreadLocal.withInitial(Scope::new);

    /** Opens a scope (nestable); the outermost one starts a new operation and takes up a pending offer. */
    void enter() {
        Scope s = scopes.get();
        if (s.depth++ == 0) {
            s.carried = s.carryNext;
            s.carriedOp = s.op;
            s.carryNext = null;
            s.op = OPERATIONS.incrementAndGet();
        }
    }

    /**
     * Closes the scope {@link #enter()} opened. Returns the nodes the thread held when that was the
     * outermost scope (the caller unpins them), else an empty list.
     *
     * @throws IllegalStateException without a matching {@link #enter()}
     */
    List<Node> leave() {
        Scope s = scopes.get();
        if (s.depth == 0) {
            throw new IllegalStateException("leave() without enter()");
        }
        if (--s.depth > 0 || s.held.isEmpty()) {
            return List.of();
        }
        List<Node> out = new ArrayList<>(s.held);
        s.held.clear();
        return out;
    }

    /** The operation the calling thread's callback runs in, or 0 outside callbacks. */
    long current() {
        Scope s = scopes.get();
        return s.depth > 0 ? s.op : 0;
    }

    /** Records {@code n} as held by the running callback; false outside callbacks (nothing to hold). */
    boolean hold(Node n) {
        Scope s = scopes.get();
        if (s.depth == 0) {
            return false;
        }
        s.held.add(n);
        return true;
    }

    /** Nodes the calling thread holds now. */
    int held() {
        return scopes.get().held.size();
    }

    /**
     * Lets the next callback on this thread continue the running operation if it works on
     * {@code windowsPath} or below it. Any other callback in between ends the offer.
     */
    void offer(String windowsPath) {
        scopes.get().carryNext = windowsPath;
    }

    /**
     * Continues the operation the previous callback on this thread offered, when it was for
     * {@code windowsPath} or a directory above it; true if it did.
     */
    boolean continueWith(String windowsPath) {
        Scope s = scopes.get();
        String c = s.carried;
        s.carried = null;
        if (c == null || s.depth == 0 || windowsPath == null || !isAtOrBelow(windowsPath, c)) {
            return false;
        }
        s.op = s.carriedOp;
        return true;
    }

    static boolean isAtOrBelow(String path, String dir) {
        if (path.equals(dir)) {
            return true;
        }
        String prefix = dir.endsWith("\\") ? dir : dir + "\\";
        return path.startsWith(prefix) && path.length() > prefix.length();
    }
}
