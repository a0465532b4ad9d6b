package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.abi.SetattrIn;

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
 * then, when the file has extended attributes (EAs) or pinned times: the EA section's length (4,
 *    0 = no EAs), then its entries ({@link EaList#put}: flags, name length, value length, upper-case
 *    name, value); absent = no EAs
 * then, only when a time is pinned: the times section's length (4, = 32), then for the last access
 *    and the last write time each the FILETIME Windows set (8) and the FILETIME the host's clamped
 *    value showed as then (8); 0, 0 = not pinned ({@link TimePin})
 * </pre>
 * Each part is read only if everything before it is well-formed; a malformed part reads as absent
 * (and is overwritten by the next change), never as an error. Older values simply end earlier.
 * The whole value is written with one SETXATTR, which the host applies entirely or not at all, so a
 * refused change (too large) leaves the previous value, EAs included.
 * A descriptor is stored only when mode bits cannot express it, and is used only while the host's
 * permission bits, uid and gid are still those it was stored with: a chmod or chown on the host
 * wins over it.
 * So that a plain open costs no extra request, a regular file that carries the attribute also has
 * the sticky bit set on the host (Linux gives S_ISVTX no meaning on regular files); only such files,
 * and directories, are asked for it, once per node. It is written only when something differs from
 * what would be derived, so ordinary files never get it; a change that leaves nothing stored removes
 * the attribute and the marker again.
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
    /**
     * Bytes offered by the first GETXATTR of a node: one ext4 block, the most ext4 holds without
     * {@code ea_inode}, so one request reads the value; a larger one (ERANGE) is probed and re-read.
     */
    static final int FIRST_READ_BYTES = 4096;

    /**
     * The stored values of one node; {@code descriptor} and {@code reparse} null when none is stored;
     * {@code eas} an {@link EaList} set (upper-case names, insertion order), empty when none.
     */
    record Stored(int attributes, long creationTime, int sdMode, int sdUid, int sdGid, byte[] descriptor,
                  byte[] reparse, List<Ea> eas, TimePin accessTime, TimePin writeTime) {
        static final Stored NONE = new Stored(ABSENT, 0, 0, 0, 0, null, null, List.of(), null, null);

        Stored {
            eas = List.copyOf(eas);
        }

        Stored(int attributes, long creationTime, int sdMode, int sdUid, int sdGid, byte[] descriptor,
               byte[] reparse, List<Ea> eas) {
            this(attributes, creationTime, sdMode, sdUid, sdGid, descriptor, reparse, eas, null, null);
        }

        Stored withAttributes(int a) {
            return new Stored(a, creationTime, sdMode, sdUid, sdGid, descriptor, reparse, eas, accessTime, writeTime);
        }

        Stored withCreationTime(long t) {
            return new Stored(attributes, t, sdMode, sdUid, sdGid, descriptor, reparse, eas, accessTime, writeTime);
        }

        Stored withReparse(byte[] r) {
            return new Stored(attributes, creationTime, sdMode, sdUid, sdGid, descriptor, r, eas, accessTime, writeTime);
        }

        Stored withEas(List<Ea> e) {
            return new Stored(attributes, creationTime, sdMode, sdUid, sdGid, descriptor, reparse, e, accessTime, writeTime);
        }

        Stored withTimes(TimePin access, TimePin write) {
            return new Stored(attributes, creationTime, sdMode, sdUid, sdGid, descriptor, reparse, eas, access, write);
        }

        boolean hasPins() {
            return accessTime != null || writeTime != null;
        }

        /** Nothing differs from what would be derived: the host needs no attribute. */
        boolean isEmpty() {
            return attributes == ABSENT && creationTime == 0 && descriptor == null && reparse == null && eas.isEmpty()
                    && !hasPins();
        }
    }

    /**
     * A time Windows set that the host could not keep exactly (ext4 and XFS clamp seconds before
     * 1901-12-13; a coarse host granularity rounds): {@code wanted} is shown while the host's time
     * still shows as {@code host}, the value it was clamped to. Any later change of that time on the
     * host (a write, a touch) makes the pin stale, and the host's time shows again.
     */
    record TimePin(long wanted, long host) {
        /** The time to show for the host's {@code shown}. */
        long show(long shown) {
            return shown == host ? wanted : shown;
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
                v = decode(read(n), st);
            } catch (FuseErrnoException e) {
                if (!e.is(Errno.ENODATA) && !e.is(Errno.EOPNOTSUPP) && !e.is(Errno.ENOSYS)) {
                    throw e;
                }
            }
        }
        n.stored = v;
        return v;
    }

    /** The whole value in one GETXATTR when it fits {@link #FIRST_READ_BYTES}, as it does on ext4. */
    private byte[] read(Node n) {
        ByteBuffer dst = ByteBuffer.allocate(FIRST_READ_BYTES);
        try {
            int len = client.getxattr(n.id, NAME, dst);
            return Arrays.copyOf(dst.array(), len);
        } catch (FuseErrnoException e) {
            if (!e.is(Errno.ERANGE)) {
                throw e;
            }
        }
        return client.getxattr(n.id, NAME);
    }

    /** Reads a value; a malformed part counts as absent (and is overwritten by the next change). */
    static Stored decode(byte[] b, HostStat st) {
        if (b.length < 4) {
            return Stored.NONE;
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int a = bb.getInt(0);
        int attrs = a == ABSENT ? ABSENT : a & mask(st);
        long created = b.length >= 12 ? bb.getLong(4) : 0;
        if (b.length < SIZE) {
            return new Stored(attrs, created, 0, 0, 0, null, null, List.of());
        }
        int len = bb.getInt(24);
        byte[] sd = null;
        if (len > 0 && len <= MAX_DESCRIPTOR && SIZE + len <= b.length) {
            sd = new byte[len];
            bb.get(SIZE, sd);
        }
        int at = SIZE + Math.max(0, sd == null ? 0 : len);
        byte[] reparse = null;
        List<Ea> eas = List.of();
        TimePin access = null;
        TimePin write = null;
        if (at + 4 <= b.length) {
            int rlen = bb.getInt(at);
            if (rlen > 0 && rlen <= MAX_DESCRIPTOR && at + 4 + rlen <= b.length) {
                reparse = new byte[rlen];
                bb.get(at + 4, reparse);
            }
            // the EA section is found only behind a well-formed descriptor and reparse part
            int eaAt = at + 4 + (reparse == null ? 0 : rlen);
            if ((len == 0 || sd != null) && (rlen == 0 || reparse != null) && eaAt + 4 <= b.length) {
                int elen = bb.getInt(eaAt);
                List<Ea> parsed = null;
                if (elen == 0) {
                    parsed = List.of();
                } else if (elen > 0 && elen <= b.length - eaAt - 4) {
                    parsed = EaList.parse(b, eaAt + 4, elen);
                }
                if (parsed != null) {
                    eas = parsed;
                    // the times section is found only behind a well-formed EA section
                    int tAt = eaAt + 4 + elen;
                    if (tAt + 4 + TIMES_BYTES <= b.length && bb.getInt(tAt) == TIMES_BYTES) {
                        access = pin(bb.getLong(tAt + 4), bb.getLong(tAt + 12));
                        write = pin(bb.getLong(tAt + 20), bb.getLong(tAt + 28));
                    }
                }
            }
        }
        return new Stored(attrs, created, bb.getInt(12), bb.getInt(16), bb.getInt(20), sd, reparse, eas, access,
                write);
    }

    /** Bytes of the times section's body. */
    static final int TIMES_BYTES = 32;

    private static TimePin pin(long wanted, long host) {
        return wanted == 0 && host == 0 ? null : new TimePin(wanted, host);
    }

    /** Bytes of {@link #encode}'s value. */
    static int encodedSize(Stored s) {
        int sd = s.descriptor() == null ? 0 : s.descriptor().length;
        int rp = s.reparse() == null ? 0 : s.reparse().length;
        int ea = s.eas().isEmpty() && !s.hasPins() ? 0 : 4 + EaList.packedBytes(s.eas());
        int times = s.hasPins() ? 4 + TIMES_BYTES : 0;
        return SIZE + sd + 4 + rp + ea + times;
    }

    /** The value written for {@code s} (the layout in the class comment). */
    static byte[] encode(Stored s) {
        byte[] sd = s.descriptor() == null ? new byte[0] : s.descriptor();
        byte[] rp = s.reparse() == null ? new byte[0] : s.reparse();
        ByteBuffer b = ByteBuffer.allocate(encodedSize(s)).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(s.attributes()).putLong(s.creationTime()).putInt(s.sdMode()).putInt(s.sdUid())
                .putInt(s.sdGid()).putInt(sd.length).put(sd).putInt(rp.length).put(rp);
        if (!s.eas().isEmpty() || s.hasPins()) {
            b.putInt(EaList.packedBytes(s.eas()));
            EaList.put(b, s.eas());
        }
        if (s.hasPins()) {
            TimePin a = s.accessTime();
            TimePin w = s.writeTime();
            b.putInt(TIMES_BYTES).putLong(a == null ? 0 : a.wanted()).putLong(a == null ? 0 : a.host())
                    .putLong(w == null ? 0 : w.wanted()).putLong(w == null ? 0 : w.host());
        }
        return b.array();
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
        change(n, st, s -> descriptor == null && s.descriptor() == null ? s
                : new Stored(s.attributes(), s.creationTime(), perms(st), st.uid(), st.gid(), descriptor, s.reparse(),
                        s.eas(), s.accessTime(), s.writeTime()), NtStatus.DISK_FULL);
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
        change(n, st, s -> data == null && s.reparse() == null ? s : s.withReparse(data), NtStatus.DISK_FULL);
    }

    /** The derived information with the stored values in place of the derived ones. */
    FileInfo apply(FileInfo derived, HostStat st, Stored s) {
        if (st.isSymlink() || (s.attributes() == ABSENT && s.creationTime() == 0 && s.reparse() == null
                && s.eas().isEmpty() && !s.hasPins())) {
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
        long accessed = s.accessTime() != null ? s.accessTime().show(derived.lastAccessTime()) : derived.lastAccessTime();
        long written = s.writeTime() != null ? s.writeTime().show(derived.lastWriteTime()) : derived.lastWriteTime();
        return new FileInfo(attrs, tag, derived.allocationSize(), derived.fileSize(), created,
                accessed, written, derived.changeTime(), derived.indexNumber(),
                derived.hardLinks(), EaList.eaSize(s.eas()));
    }

    /** What a node with this value shows for the stored bits (stored, or the derived default). */
    private static int shownAttributes(Stored s, HostStat st) {
        return s.attributes() != ABSENT ? s.attributes() : st.isRegular() ? FileAttributes.ARCHIVE : 0;
    }

    /** Makes the node show {@code attributes} for the stored bits (writes only if they differ). */
    void setAttributes(Node n, HostStat st, int attributes) {
        if (!st.isRegular() && !st.isDirectory()) {
            return;
        }
        int want = attributes & mask(st);
        change(n, st, s -> want == shownAttributes(s, st) ? s : s.withAttributes(want), NtStatus.DISK_FULL);
    }

    /** Adds {@code bits} to what the node shows, in one change (Cleanup's SetArchiveBit). */
    void addAttributes(Node n, HostStat st, int bits) {
        if (!st.isRegular() && !st.isDirectory()) {
            return;
        }
        change(n, st, s -> {
            int want = (shownAttributes(s, st) | bits) & mask(st);
            return want == shownAttributes(s, st) ? s : s.withAttributes(want);
        }, NtStatus.DISK_FULL);
    }

    /** Stores a creation time (FILETIME) that the host cannot keep. */
    void setCreationTime(Node n, HostStat st, long creationTime) {
        if (!st.isRegular() && !st.isDirectory()) {
            return;
        }
        change(n, st, s -> s.creationTime() == creationTime ? s : s.withCreationTime(creationTime), NtStatus.DISK_FULL);
    }

    /**
     * Pins the access and write times Windows set where the host kept something else ({@code null}:
     * that time is not pinned, an existing pin goes). Writes only if the pins change.
     */
    void setTimePins(Node n, HostStat st, TimePin access, TimePin write) {
        if (!st.isRegular() && !st.isDirectory()) {
            return;
        }
        change(n, st, s -> Objects.equals(s.accessTime(), access) && Objects.equals(s.writeTime(), write) ? s
                : s.withTimes(access, write), NtStatus.DISK_FULL);
    }

    /** The stored creation time, or 0. */
    long creationTime(Node n, HostStat st) {
        return stored(n, st).creationTime();
    }

    // ------------------------------------------------------------------ extended attributes

    /** The node's EAs (upper-case names, insertion order); none on a symlink. */
    List<Ea> eas(Node n, HostStat st) {
        return st.isSymlink() ? List.of() : stored(n, st).eas();
    }

    /**
     * Applies a checked SetEa list ({@link EaList#apply}); writes only if the set changes. A set the
     * host cannot hold is EA_TOO_LARGE and leaves the stored EAs as they were.
     */
    void setEas(Node n, HostStat st, List<Ea> changes) {
        checkEaHolder(st);
        change(n, st, s -> {
            List<Ea> next = EaList.apply(s.eas(), changes);
            return next.equals(s.eas()) ? s : s.withEas(next);
        }, NtStatus.EA_TOO_LARGE);
    }

    /** Replaces the whole set by a checked list (empty removes every EA); writes only if it changes. */
    void replaceEas(Node n, HostStat st, List<Ea> eas) {
        if (eas.isEmpty() && !st.isRegular() && !st.isDirectory()) {
            return; // a symlink (or a device) has none to remove
        }
        checkEaHolder(st);
        List<Ea> next = EaList.apply(List.of(), eas);
        change(n, st, s -> next.equals(s.eas()) ? s : s.withEas(next), NtStatus.EA_TOO_LARGE);
    }

    /**
     * The longest value one SETXATTR of {@code name} can carry: XATTR_SIZE_MAX, or less when the
     * daemon's max_write or the device takes smaller requests. A WRITE's header (fuse_write_in, 40 bytes)
     * is longer than SETXATTR's (fuse_setxattr_in, 8 bytes), so a value this long plus its name and NUL
     * fits wherever a full WRITE chunk does.
     */
    static int maxValueBytes(FuseClient client, String name) {
        int nameBytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        return Math.max(0, Math.min(FuseClient.MAX_XATTR_BYTES, client.limits().maxWriteChunk() - nameBytes));
    }

    /** EA_TOO_LARGE unless a value holding only this EA set fits one host attribute. */
    static void checkFits(List<Ea> set) {
        int size = encodedSize(Stored.NONE.withEas(set));
        if (size > FuseClient.MAX_XATTR_BYTES) {
            throw new NtStatusException(NtStatus.EA_TOO_LARGE, "EAs of " + size + " bytes stored; a host extended"
                    + " attribute holds at most " + FuseClient.MAX_XATTR_BYTES);
        }
    }

    /** Symlinks are host symlinks, and Linux keeps no user.* attributes on them. */
    private static void checkEaHolder(HostStat st) {
        if (!st.isRegular() && !st.isDirectory()) {
            throw new NtStatusException(NtStatus.EAS_NOT_SUPPORTED, "extended attributes cannot be stored on this kind of file");
        }
    }

    /**
     * Changes the node's value: reads it, applies {@code change} and writes the result if it differs
     * (the identical object means "no change"), all under the node's monitor. Different parts of one
     * value are changed by different callbacks (SetEa on one handle, SetBasicInfo on another), which
     * WinFsp's FINE guard lets run at once; without the monitor one read-modify-write could undo the
     * other's part.
     *
     * @param tooLarge the status when the host cannot hold the new value
     */
    private void change(Node n, HostStat st, UnaryOperator<Stored> change, int tooLarge) {
        synchronized (n) {
            Stored s = stored(n, st);
            Stored next = change.apply(s);
            if (next != s) {
                write(n, st, next, tooLarge);
            }
        }
    }

    /**
     * Stores {@code s}: one SETXATTR (and one SETATTR for the marker the first time), or, when nothing
     * is left to store, REMOVEXATTR (and one SETATTR taking the marker off).
     *
     * @param tooLarge the status when the host cannot hold the value (DISK_FULL, or EA_TOO_LARGE for EAs)
     */
    private void write(Node n, HostStat st, Stored s, int tooLarge) {
        if (s.isEmpty()) {
            clear(n, st);
            return;
        }
        int size = encodedSize(s);
        int max = maxValueBytes(client, NAME);
        if (size > max) {
            throw new NtStatusException(tooLarge, "Windows metadata of " + size + " bytes for this file; one host"
                    + " extended attribute sent to this daemon holds at most " + max);
        }
        byte[] v = encode(s);
        try {
            client.setxattr(n.id, NAME, v, 0);
        } catch (FuseErrnoException e) {
            if (e.is(Errno.E2BIG) || e.is(Errno.ENOSPC) || e.is(Errno.ERANGE)) {
                throw new NtStatusException(tooLarge, "the host cannot hold " + v.length
                        + " bytes of Windows metadata for this file", e);
            }
            throw notSupportedIfSo(e);
        }
        n.stored = s;
        if (st.isRegular() && (st.mode() & MARKER) == 0) {
            cache.update(n, client.setattr(n.id, SetattrIn.builder().mode((st.mode() | MARKER) & 07777).build()));
        }
    }

    /** Nothing left differs from the derived values: the attribute and the marker go. */
    private void clear(Node n, HostStat st) {
        try {
            client.removexattr(n.id, NAME);
        } catch (FuseErrnoException e) {
            if (!e.is(Errno.ENODATA)) {
                throw notSupportedIfSo(e);
            }
        }
        n.stored = Stored.NONE;
        if (st.isRegular() && (st.mode() & MARKER) != 0) {
            cache.update(n, client.setattr(n.id, SetattrIn.builder().mode(st.mode() & ~MARKER & 07777).build()));
        }
    }

    private static RuntimeException notSupportedIfSo(FuseErrnoException e) {
        if (e.is(Errno.EOPNOTSUPP) || e.is(Errno.ENOSYS)) {
            return new NtStatusException(NtStatus.NOT_SUPPORTED, "the host file system keeps no extended attributes", e);
        }
        return e;
    }
}
