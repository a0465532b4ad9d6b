package org.viofs.winfsp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.viofs.volume.FileContext;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;

/**
 * The per-handle FileContext values WinFsp carries for us. With UmFileContextIsUserContext2 the
 * 8-byte {@code *PFileContext} written by Create/Open comes back in every later callback until Close;
 * here it is an id (never 0, which WinFsp passes for "no file", e.g. a volume Flush) into this map of
 * {@link FileContext} objects. Thread-safe.
 */
public final class FileContextTable {
    private final Map<Long, FileContext> contexts = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    /** Registers a context and returns its id. */
    public long add(FileContext context) {
        long id = nextId.getAndIncrement();
        contexts.put(id, context);
        return id;
    }

    /**
     * The context for an id; null for 0.
     *
     * @throws NtStatusException INVALID_HANDLE for an id that was never handed out or already closed
     */
    public FileContext get(long id) {
        if (id == 0) {
            return null;
        }
        FileContext c = contexts.get(id);
        if (c == null) {
            throw new NtStatusException(NtStatus.INVALID_HANDLE, "unknown FileContext " + id);
        }
        return c;
    }

    /** Forgets an id (Close); returns its context. */
    public FileContext remove(long id) {
        FileContext c = contexts.remove(id);
        if (c == null) {
            throw new NtStatusException(NtStatus.INVALID_HANDLE, "unknown FileContext " + id);
        }
        return c;
    }

    /** Contexts still open. */
    public int size() {
        return contexts.size();
    }
}
