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
 * +12 the mode (4), uid (4) and gid (4) the descriptor below was stored with
 * +24 security descriptor length (4), then the self-relative descriptor; 0 = derived from mode bits
 * then reparse data length (4) and a reparse data buffer of a tag other than IO_REPARSE_TAG_SYMLINK
 *    (symlinks are host symlinks); absent or 0 = none
 * </pre>
 * A descriptor is stored only when mode bits cannot express it, and is used only while the host's
 * permission bits, uid and gid are still those it was stored with: a chmod or chown on the host
 * wins over it.
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
    /** Value size without a descriptor. */
    static final int SIZE = 28;
    /** The longest descriptor stored (WinFsp's response buffer, FSP_FSCTL_TRANSACT_RSP_BUFFER_SIZEMAX). */
    static final int MAX_DESCRIPTOR = 16256;

    /** The stored values of one node; {@code descriptor} null when none is stored. */
    record Stored(int attributes, long creationTime, int sdMode, int sdUid, int sdGid, byte[] descriptor,
                  byte[] reparse) {
        static final Stored NONE = new Stored(ABSENT, 0, 0, 0, 0, null, null);

        Stored withAttributes(int a) {
            return new Stored(a, creationTime, sdMode, sdUid, sdGid, descriptor, reparse);
        }

        Stored withCreationTime(long t) {
            return new Stored(attributes, t, sdMode, sdUid, sdGid, descriptor, reparse);
        }

        Stored withReparse(byte[] r) {
            return new Stored(attributes, creationTime, sdMode, sdUid, sdGid, descriptor, r);
        }
    }

    /** The permission bits a stored descriptor is tied to (not the marker). */
    private static int perms(HostStat st) {
        return st.mode() & 0777;
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
                v = decode(b, st);
            } catch (FuseErrnoException e) {
                if (!e.is(Errno.ENODATA) && !e.is(Errno.EOPNOTSUPP) && !e.is(Errno.ENOSYS)) {
                    throw e;
                }
            }
        }
        n.stored = v;
        return v;
    }

    /** Reads a value; a malformed one counts as none (and is overwritten by the next change). */
    private static Stored decode(byte[] b, HostStat st) {
        if (b.length < 4) {
            return Stored.NONE;
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int a = bb.getInt(0);
        int attrs = a == ABSENT ? ABSENT : a & mask(st);
        long created = b.length >= 12 ? bb.getLong(4) : 0;
        if (b.length < SIZE) {
            return new Stored(attrs, created, 0, 0, 0, null, null);
        }
        int len = bb.getInt(24);
        byte[] sd = null;
        if (len > 0 && len <= MAX_DESCRIPTOR && SIZE + len <= b.length) {
            sd = new byte[len];
            bb.get(SIZE, sd);
        }
        int at = SIZE + Math.max(0, sd == null ? 0 : len);
        byte[] reparse = null;
        if (at + 4 <= b.length) {
            int rlen = bb.getInt(at);
            if (rlen > 0 && rlen <= MAX_DESCRIPTOR && at + 4 + rlen <= b.length) {
                reparse = new byte[rlen];
                bb.get(at + 4, reparse);
            }
        }
        return new Stored(attrs, created, bb.getInt(12), bb.getInt(16), bb.getInt(20), sd, reparse);
    }

    /** The stored descriptor if it still matches the host's permissions and owner, else null. */
    byte[] descriptor(Node n, HostStat st) {
        Stored s = stored(n, st);
        if (s.descriptor() == null || s.sdMode() != perms(st) || s.sdUid() != st.uid() || s.sdGid() != st.gid()) {
            return null;
        }
        return s.descriptor();
    }

    /** Stores a descriptor mode bits cannot express (null: back to the derived one). */
    void setDescriptor(Node n, HostStat st, byte[] descriptor) {
        if (!st.isRegular() && !st.isDirectory()) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED, "a security descriptor of this kind of file cannot be stored");
        }
        if (descriptor != null && descriptor.length > MAX_DESCRIPTOR) {
            throw new NtStatusException(NtStatus.INVALID_SECURITY_DESCR, "descriptor of " + descriptor.length
                    + " bytes, at most " + MAX_DESCRIPTOR);
        }
        Stored s = stored(n, st);
        if (descriptor == null && s.descriptor() == null) {
            return;
        }
        write(n, st, new Stored(s.attributes(), s.creationTime(), perms(st), st.uid(), st.gid(), descriptor,
                s.reparse()));
    }

    /** The stored reparse data (a tag other than IO_REPARSE_TAG_SYMLINK), or null. */
    byte[] reparse(Node n, HostStat st) {
        return st.isSymlink() ? null : stored(n, st).reparse();
    }

    /** Stores reparse data of a non-symlink tag on a file or directory (null removes it). */
    void setReparse(Node n, HostStat st, byte[] data) {
        if (!st.isRegular() && !st.isDirectory()) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED, "reparse data cannot be stored on this kind of file");
        }
        if (data != null && data.length > MAX_DESCRIPTOR) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, "reparse data of " + data.length
                    + " bytes, at most " + MAX_DESCRIPTOR);
        }
        Stored s = stored(n, st);
        if (data == null && s.reparse() == null) {
            return;
        }
        write(n, st, s.withReparse(data));
    }

    /** The derived information with the stored values in place of the derived ones. */
    FileInfo apply(FileInfo derived, HostStat st, Stored s) {
        if (st.isSymlink() || (s.attributes() == ABSENT && s.creationTime() == 0 && s.reparse() == null)) {
            return derived;
        }
        int attrs = derived.fileAttributes();
        if (s.attributes() != ABSENT) {
            int m = mask(st);
            attrs = (attrs & ~m) | (s.attributes() & m);
        }
        int tag = derived.reparseTag();
        if (s.reparse() != null) {
            attrs |= FileAttributes.REPARSE_POINT;
            tag = ReparseData.tagOf(s.reparse());
        }
        long created = s.creationTime() != 0 ? s.creationTime() : derived.creationTime();
        return new FileInfo(attrs, tag, derived.allocationSize(), derived.fileSize(), created,
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
        write(n, st, stored(n, st).withAttributes(want));
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
        write(n, st, s.withCreationTime(creationTime));
    }

    /** The stored creation time, or 0. */
    long creationTime(Node n, HostStat st) {
        return stored(n, st).creationTime();
    }

    private void write(Node n, HostStat st, Stored s) {
        byte[] sd = s.descriptor() == null ? new byte[0] : s.descriptor();
        byte[] rp = s.reparse() == null ? new byte[0] : s.reparse();
        byte[] v = ByteBuffer.allocate(SIZE + sd.length + 4 + rp.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(s.attributes()).putLong(s.creationTime()).putInt(s.sdMode()).putInt(s.sdUid())
                .putInt(s.sdGid()).putInt(sd.length).put(sd).putInt(rp.length).put(rp).array();
        try {
            client.setxattr(n.id, NAME, v, 0);
        } catch (FuseErrnoException e) {
            if (e.is(Errno.E2BIG) || e.is(Errno.ENOSPC) || e.is(Errno.ERANGE)) {
                throw new NtStatusException(NtStatus.DISK_FULL, "the host cannot hold " + v.length
                        + " bytes of Windows metadata for this file", e);
            }
            if (e.is(Errno.EOPNOTSUPP) || e.is(Errno.ENOSYS)) {
                throw new NtStatusException(NtStatus.NOT_SUPPORTED, "the host file system keeps no extended attributes", e);
            }
            throw e;
        }
        n.stored = s;
        if (st.isRegular() && (st.mode() & MARKER) == 0) {
            cache.update(n, client.setattr(n.id, SetattrIn.builder().mode((st.mode() | MARKER) & 07777).build()));
        }
    }
}
