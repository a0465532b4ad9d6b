package org.viofs.fuse;

import java.util.AbstractList;
import java.util.List;
import org.viofs.fuse.abi.Dirent;
import org.viofs.fuse.abi.DirentPlus;

/**
 * One READDIR or READDIRPLUS reply: the entries the client accepted, in the daemon's order, and where
 * the next request continues. Entries the client skipped (see {@link FuseClient#readdirplus}) are not in
 * the list but still move the cookie on, so continue with {@link #nextCookie()}, not with the last
 * entry's {@code off}. Immutable.
 *
 * @param <E> {@link Dirent} or {@link DirentPlus}
 */
public final class DirPage<E> extends AbstractList<E> {
    private final List<E> entries;
    private final long nextCookie;
    private final int decoded;

    DirPage(List<E> entries, long nextCookie, int decoded) {
        this.entries = List.copyOf(entries);
        this.nextCookie = nextCookie;
        this.decoded = decoded;
    }

    @Override
    public E get(int index) {
        return entries.get(index);
    }

    @Override
    public int size() {
        return entries.size();
    }

    /** The cookie to send next: the {@code off} of the last entry decoded, skipped or not. */
    public long nextCookie() {
        return nextCookie;
    }

    /** Whether the reply had no entries at all: the end of the directory. */
    public boolean atEnd() {
        return decoded == 0;
    }

    /** Entries in the reply, skipped ones included. */
    public int decoded() {
        return decoded;
    }

    /** Entries the client skipped. */
    public int skipped() {
        return decoded - entries.size();
    }
}
