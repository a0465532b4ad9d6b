package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.SetattrIn;

/**
 * What Windows keeps about a file and POSIX mode bits cannot hold, in the extended attribute
 * {@value #NAME} when the daemon runs with {@code -o xattr}:
 * <pre>
 * +0 attributes (4, little-endian): HIDDEN, SYSTEM, ARCHIVE, NOT_CONTENT_INDEXED, OFFLINE, TEMPORARY,
 *    and READONLY on directories; -1 = not stored (derived ones apply)
 * +4 creation time (8, FILETIME, little-endian); 0 = not stored (the older of ctime and mtime)
 * </pre>
 * So that a plain open costs no extra request, a regular file that carries the attribute also has
 * the sticky bit set on the host (Linux gives S_ISVTX no meaning on regular files); only such files,
 * and directories, are asked for it, once per node. It is written only when something differs from
 * what would be derived, so ordinary files never get it.
 *
 * <p>Thread-safe.
 */
final class XattrAttributes {
    /** Extended-attribute name (user namespace). */
    static final String NAME = "user.viofs.attrib";
    /** The bits stored for files (READONLY stays in the mode's write bits). */
    static final int STORED_FILE = FileAttributes.HIDDEN | FileAttributes.SYSTEM | FileAttributes.ARCHIVE
            | FileAttributes.NOT_CONTENT_INDEXED | FileAttributes.OFFLINE | FileAttributes.TEMPORARY;
    /** The bits stored for directories. */
    static final int STORED_DIR = STORED_FILE | FileAttributes.READONLY;
    /** "No stored attributes". */
    static final int ABSENT = -1;
    /** S_ISVTX: on a regular file, the marker "has {@value #NAME}". */
    static final int MARKER = 01000;
    /** Value size: attributes and creation time. */
    static final int SIZE = 12;

    /** The stored values of one node. */
    record Stored(int attributes, long creationTime) {
        static final Stored NONE = new Stored(ABSENT, 0);
    }

    private final FuseClient client;
    private final NodeCache cache;

    XattrAttributes(FuseClient client, NodeCache cache) {
        this.client = client;
        this.cache = cache;
    }

    static int mask(HostStat st) {
        return st.isDirectory() ? STORED_DIR : STORED_FILE;
    }

    /** The stored values of a node; asks the host at most once per node. */
    Stored stored(Node n, HostStat st) {
        Stored known = n.stored;
        if (known != null) {
            return known;
        }
        Stored v = Stored.NONE;
        if (st.isDirectory() || (st.isRegular() && (st.mode() & MARKER) != 0)) {
            try {
                byte[] b = client.getxattr(n.id, NAME);
                if (b.length >= 4) {
                    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                    int a = bb.getInt(0);
                    v = new Stored(a == ABSENT ? ABSENT : a & mask(st), b.length >= SIZE ? bb.getLong(4) : 0);
                }
            } catch (FuseErrnoException e) {
                if (!e.is(Errno.ENODATA) && !e.is(Errno.EOPNOTSUPP) && !e.is(Errno.ENOSYS)) {
                    throw e;
                }
            }
        }
        n.stored = v;
        return v;
    }

    /** The derived information with the stored values in place of the derived ones. */
    FileInfo apply(FileInfo derived, HostStat st, Stored s) {
        if (st.isSymlink() || (s.attributes() == ABSENT && s.creationTime() == 0)) {
            return derived;
        }
        int attrs = derived.fileAttributes();
        if (s.attributes() != ABSENT) {
            int m = mask(st);
            attrs = (attrs & ~m) | (s.attributes() & m);
        }
        long created = s.creationTime() != 0 ? s.creationTime() : derived.creationTime();
        return new FileInfo(attrs, derived.reparseTag(), derived.allocationSize(), derived.fileSize(), created,
                derived.lastAccessTime(), derived.lastWriteTime(), derived.changeTime(), derived.indexNumber(),
                derived.hardLinks(), derived.eaSize());
    }

    /** What the node shows now for the stored bits (stored, or the derived default). */
    int currentAttributes(Node n, HostStat st) {
        int s = stored(n, st).attributes();
        return s != ABSENT ? s : st.isRegular() ? FileAttributes.ARCHIVE : 0;
    }

    /** Makes the node show {@code attributes} for the stored bits (writes only if they differ). */
    void setAttributes(Node n, HostStat st, int attributes) {
        if (!st.isRegular() && !st.isDirectory()) {
            return;
        }
        int want = attributes & mask(st);
        if (want == currentAttributes(n, st)) {
            return;
        }
        write(n, st, new Stored(want, stored(n, st).creationTime()));
    }

    /** Stores a creation time (FILETIME) that the host cannot keep. */
    void setCreationTime(Node n, HostStat st, long creationTime) {
        if (!st.isRegular() && !st.isDirectory()) {
            return;
        }
        Stored s = stored(n, st);
        if (s.creationTime() == creationTime) {
            return;
        }
        write(n, st, new Stored(s.attributes(), creationTime));
    }

    /** The stored creation time, or 0. */
    long creationTime(Node n, HostStat st) {
        return stored(n, st).creationTime();
    }

    private void write(Node n, HostStat st, Stored s) {
        byte[] v = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(s.attributes())
                .putLong(s.creationTime()).array();
        client.setxattr(n.id, NAME, v, 0);
        n.stored = s;
        if (st.isRegular() && (st.mode() & MARKER) == 0) {
            cache.update(n, client.setattr(n.id, SetattrIn.builder().mode((st.mode() | MARKER) & 07777).build()));
        }
    }
}
