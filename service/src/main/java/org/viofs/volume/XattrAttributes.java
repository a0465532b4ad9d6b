package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.SetattrIn;

/**
 * Windows attributes that mode bits cannot hold (HIDDEN, SYSTEM, ARCHIVE, NOT_CONTENT_INDEXED,
 * OFFLINE, TEMPORARY, and READONLY on directories), kept in the extended attribute {@value #NAME}
 * (4 bytes, little-endian) when the daemon runs with {@code -o xattr}.
 *
 * <p>So that a plain open costs no extra request, a regular file that carries the attribute also has
 * the sticky bit set on the host (Linux gives S_ISVTX no meaning on regular files); only such files,
 * and directories, are asked for it, once per node. Files without it show the derived attributes
 * (ARCHIVE, READONLY from the write bits, HIDDEN for dot-files).
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

    private final FuseClient client;
    private final NodeCache cache;

    XattrAttributes(FuseClient client, NodeCache cache) {
        this.client = client;
        this.cache = cache;
    }

    static int mask(HostStat st) {
        return st.isDirectory() ? STORED_DIR : STORED_FILE;
    }

    /** The stored attributes of a node, or {@link #ABSENT}; asks the host at most once per node. */
    int stored(Node n, HostStat st) {
        Integer known = n.storedAttributes;
        if (known != null) {
            return known;
        }
        int v = ABSENT;
        if (st.isDirectory() || (st.isRegular() && (st.mode() & MARKER) != 0)) {
            try {
                byte[] b = client.getxattr(n.id, NAME);
                if (b.length == 4) {
                    v = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & mask(st);
                }
            } catch (FuseErrnoException e) {
                if (!e.is(Errno.ENODATA) && !e.is(Errno.EOPNOTSUPP) && !e.is(Errno.ENOSYS)) {
                    throw e;
                }
            }
        }
        n.storedAttributes = v;
        return v;
    }

    /** The derived information with the stored bits in place of the derived ones. */
    FileInfo apply(FileInfo derived, HostStat st, int stored) {
        if (stored == ABSENT || st.isSymlink()) {
            return derived;
        }
        int m = mask(st);
        int attrs = (derived.fileAttributes() & ~m) | (stored & m);
        return new FileInfo(attrs, derived.reparseTag(), derived.allocationSize(), derived.fileSize(),
                derived.creationTime(), derived.lastAccessTime(), derived.lastWriteTime(), derived.changeTime(),
                derived.indexNumber(), derived.hardLinks(), derived.eaSize());
    }

    /** What the node shows now for the stored bits (stored, or the derived default). */
    int current(Node n, HostStat st) {
        int s = stored(n, st);
        return s != ABSENT ? s : st.isRegular() ? FileAttributes.ARCHIVE : 0;
    }

    /**
     * Makes the node show {@code attributes} for the stored bits: writes the attribute only when they
     * differ from what it shows now, and sets the marker on regular files.
     */
    void set(Node n, HostStat st, int attributes) {
        if (st.isSymlink() || !(st.isRegular() || st.isDirectory())) {
            return;
        }
        int want = attributes & mask(st);
        if (want == current(n, st)) {
            return;
        }
        byte[] v = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(want).array();
        client.setxattr(n.id, NAME, v, 0);
        n.storedAttributes = want;
        if (st.isRegular() && (st.mode() & MARKER) == 0) {
            cache.update(n, client.setattr(n.id, SetattrIn.builder().mode((st.mode() | MARKER) & 07777).build()));
        }
    }
}
