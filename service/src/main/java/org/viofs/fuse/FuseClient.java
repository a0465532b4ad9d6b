package org.viofs.fuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

import org.viofs.bridge.DirectReadTransport;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.bridge.RequestTooLargeException;
import org.viofs.bridge.TransportException;
import org.viofs.fuse.abi.*;

/**
 * A FUSE client over one {@link FuseTransport}: typed operations, each one request encoded once through
 * the wire records ({@code org.viofs.fuse.abi}) and handed unchanged to the transport, its reply checked
 * and decoded ({@link Replies}) while the transport still holds it. Every request is reported to the
 * {@link RequestListener}s of its {@link FuseOptions} first.
 *
 * <p><b>Failures.</b> Every operation returns a record or throws {@link FuseErrnoException} (the daemon
 * said no), {@link FuseProtocolException} (the reply broke FUSE or lied, by the package's rule for host
 * data) or {@link TransportException} (the device or daemon is gone, or a wait timed out). A request
 * that cannot fit the negotiated sizes is refused with {@link IllegalArgumentException} before it is sent.
 *
 * <p><b>Lookup references.</b> Replies that name a node add a reference in {@link #nodes()}; whoever keeps
 * the node returns it there (see {@link NodeTable}). Node ids are {@code fuse_in_header.nodeid} values
 * ({@link FuseFlags#ROOT_ID} = 1); {@code fh} values come from OPEN, OPENDIR and CREATE (0 is valid).
 *
 * <p><b>Threads and lifecycle.</b> Thread-safe: many requests are in flight together, as many as the
 * transport carries ({@link FuseTransport#maxInFlight()}). {@link #init} takes the transport; once it
 * returns the client owns it and {@link #close()} sends DESTROY, then closes it. If {@code init} throws,
 * the transport stays the caller's.
 */
public final class FuseClient implements AutoCloseable {
    /** The FUSE major version spoken ({@code FUSE_KERNEL_VERSION}). */
    public static final int PROTOCOL_MAJOR = 7;
    /** The minor version offered: virtiofsd 7.2 speaks 7.36 (docs/vhost-user-frontend.md §7.4). */
    public static final int PROTOCOL_MINOR = 36;
    /** The oldest minor accepted: virtiofsd refuses clients below 7.31, and 7.31 has every struct used here. */
    public static final int MIN_MINOR = 31;
    /** {@code XATTR_SIZE_MAX} and {@code XATTR_LIST_MAX} (include/uapi/linux/limits.h): 64 KiB. */
    public static final int MAX_XATTR_BYTES = 65536;
    /** Default READDIR(PLUS) buffer: 64 KiB holds ~400 entries with short names. */
    public static final int DEFAULT_DIR_BUFFER = 65536;
    /** Minimum request size FUSE guarantees before INIT ({@code FUSE_MIN_READ_BUFFER}, fuse.h). */
    private static final int MIN_REQUEST_BYTES = 8192;

    private final FuseTransport transport;
    private final int uid;
    private final int gid;
    private final int pid;
    private final AtomicLong unique = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final NodeTable nodes = new NodeTable(this::sendForgets);
    private final RequestListener[] listeners;
    private final DirEntries dirEntries = new DirEntries();
    private volatile FuseLimits limits;
    /** Largest device-readable part after INIT: min(transport, max_write + 4096) (§7.1). */
    private volatile int maxRequestBytes;
    /** Set once RENAME2 answered ENOSYS: plain renames then go straight to RENAME. */
    private volatile boolean rename2Missing;

    private FuseClient(FuseTransport transport, FuseOptions options) {
        this.transport = transport;
        this.uid = options.uid();
        this.gid = options.gid();
        this.pid = options.pid();
        this.listeners = options.listeners();
        this.maxRequestBytes = Math.min(transport.maxRequestBytes(), MIN_REQUEST_BYTES);
    }

    /**
     * Sends FUSE_INIT and returns a client ready for requests.
     *
     * @throws FuseProtocolException if the daemon speaks another major version or a minor below
     *                               {@link #MIN_MINOR}, or the reply is malformed
     * @throws FuseErrnoException    if the daemon refused INIT
     */
    public static FuseClient init(FuseTransport transport, FuseOptions options) {
        FuseClient c = new FuseClient(transport, options);
        c.limits = c.sendInit(options);
        c.maxRequestBytes = (int) Math.min(transport.maxRequestBytes(), (long) c.limits.maxWrite() + 4096);
        return c;
    }

    /** {@link #init(FuseTransport, FuseOptions)} with {@link FuseOptions#defaults()}. */
    public static FuseClient init(FuseTransport transport) {
        return init(transport, FuseOptions.defaults());
    }

    private FuseLimits sendInit(FuseOptions o) {
        ByteBuffer b = begin(Opcode.INIT, 0, InitIn.SIZE, 0);
        new InitIn(PROTOCOL_MAJOR, PROTOCOL_MINOR, o.maxReadahead(), o.initFlags(), 0).encode(b);
        InitOut out = call(Opcode.INIT, 0, b.flip(), OutHeader.SIZE + InitOut.SIZE, Replies.INIT_OUT);
        return FuseLimits.negotiated(out, transport.maxRequestBytes(), transport.maxReplyBytes());
    }

    /** What INIT negotiated. */
    public FuseLimits limits() {
        return limits;
    }

    /** Lookup references held by this client; see {@link NodeTable} for who returns them. */
    public NodeTable nodes() {
        return nodes;
    }

    /** The transport this client owns. */
    public FuseTransport transport() {
        return transport;
    }

    /** LOOKUP: finds {@code name} in directory {@code parent}. Adds one lookup reference. */
    public EntryOut lookup(long parent, String name) {
        return entry(Opcode.LOOKUP, parent, name, 0, null, null);
    }

    /** Same as {@code nodes().forget(nodeId, nlookup)}: returns references now (FORGET, hiprio). */
    public void forget(long nodeId, long nlookup) {
        nodes.forget(nodeId, nlookup);
    }

    /** MKDIR. Adds one lookup reference. */
    public EntryOut mkdir(long parent, String name, int mode, int umask) {
        return entry(Opcode.MKDIR, parent, name, MkdirIn.SIZE, b -> new MkdirIn(mode, umask).encode(b), null);
    }

    /** CREATE: creates and opens a regular file ({@link OpenFlags}; O_CREAT implied). Adds one lookup reference. */
    public CreateOut create(long parent, String name, int flags, int mode, int umask) {
        byte[] n = Wire.nameBytes(name, Wire.MAX_NAME_BYTES);
        ByteBuffer b = begin(Opcode.CREATE, parent, CreateIn.SIZE + n.length + 1, 0);
        new CreateIn(flags, mode, umask, 0).encode(b);
        putName(b, n);
        CreateOut out = call(Opcode.CREATE, parent, b.flip(), OutHeader.SIZE + CreateOut.SIZE, Replies.createOut(name));
        nodes.record(out.entry().nodeId());
        return out;
    }

    /** SYMLINK: creates {@code name} in {@code parent} pointing at {@code target}. Adds one lookup reference. */
    public EntryOut symlink(long parent, String name, String target) {
        return entry(Opcode.SYMLINK, parent, name, 0, null, Wire.nameBytes(target, Wire.MAX_PATH_BYTES));
    }

    /** LINK: a new hard link {@code newName} in {@code newParent} to {@code nodeId}. Adds one lookup reference. */
    public EntryOut link(long nodeId, long newParent, String newName) {
        return entry(Opcode.LINK, newParent, newName, LinkIn.SIZE, b -> new LinkIn(nodeId).encode(b), null);
    }

    /**
     * READLINK: the symlink's target, decoded as UTF-8. virtiofsd 7.2 answers ENOENT for a non-symlink.
     * An empty target or one with a NUL byte is a {@link FuseProtocolException}.
     */
    public String readlink(long nodeId) {
        ByteBuffer b = begin(Opcode.READLINK, nodeId, 0, 0);
        return call(Opcode.READLINK, nodeId, b.flip(), OutHeader.SIZE + Wire.MAX_PATH_BYTES, Replies.READLINK);
    }

    /**
     * UNLINK. The node's lookup references stay held until forgotten.
     *
     * <p>virtiofsd 7.2 (QEMU's C daemon) looks the victim up in its own inode table and answers EIO,
     * not ENOENT, for a name this client holds no lookup reference on (even a missing one). LOOKUP
     * first, as Linux does; the same holds for {@link #rmdir} and the source of {@link #rename}.
     */
    public void unlink(long parent, String name) {
        nameOnly(Opcode.UNLINK, parent, name);
    }

    /** RMDIR. The node's lookup references stay held until forgotten. See {@link #unlink} for EIO. */
    public void rmdir(long parent, String name) {
        nameOnly(Opcode.RMDIR, parent, name);
    }

    /**
     * Renames {@code parent/name} to {@code newParent/newName}, sending RENAME2 with {@code flags}
     * ({@link FuseFlags#RENAME_NOREPLACE}, {@link FuseFlags#RENAME_EXCHANGE}).
     *
     * <p>With {@code flags == 0} a daemon that answers RENAME2 with EINVAL or ENOSYS gets a plain
     * RENAME instead (after ENOSYS, always). With flags, its error is reported: retrying without them
     * would silently drop NOREPLACE, the anchor's bug (docs/viofs-anchor.md §3.3). The source must be looked
     * up first (see {@link #unlink}).
     */
    public void rename(long parent, String name, long newParent, String newName, int flags) {
        byte[] n = Wire.nameBytes(name, Wire.MAX_NAME_BYTES);
        byte[] nn = Wire.nameBytes(newName, Wire.MAX_NAME_BYTES);
        if (flags == 0 && rename2Missing) {
            renamePlain(parent, n, newParent, nn);
            return;
        }
        try {
            ByteBuffer b = begin(Opcode.RENAME2, parent, Rename2In.SIZE + n.length + 1 + nn.length + 1, 0);
            new Rename2In(newParent, flags).encode(b);
            putName(b, n);
            putName(b, nn);
            call(Opcode.RENAME2, parent, b.flip(), OutHeader.SIZE, Replies.EMPTY);
        } catch (FuseErrnoException e) {
            if (flags != 0 || !(e.is(Errno.EINVAL) || e.is(Errno.ENOSYS))) {
                throw e;
            }
            if (e.is(Errno.ENOSYS)) {
                rename2Missing = true;
            }
            renamePlain(parent, n, newParent, nn);
        }
    }

    /** Makes plain renames skip RENAME2, as after an ENOSYS; for tests that need RENAME on a real daemon. */
    void rename2Missing(boolean missing) {
        rename2Missing = missing;
    }

    private void renamePlain(long parent, byte[] n, long newParent, byte[] nn) {
        ByteBuffer b = begin(Opcode.RENAME, parent, RenameIn.SIZE + n.length + 1 + nn.length + 1, 0);
        new RenameIn(newParent).encode(b);
        putName(b, n);
        putName(b, nn);
        call(Opcode.RENAME, parent, b.flip(), OutHeader.SIZE, Replies.EMPTY);
    }

    /** GETATTR by node. */
    public AttrOut getattr(long nodeId) {
        return getattr(nodeId, 0, 0);
    }

    /** GETATTR through an open handle ({@link FuseFlags#GETATTR_FH}). */
    public AttrOut getattr(long nodeId, long fh) {
        return getattr(nodeId, FuseFlags.GETATTR_FH, fh);
    }

    private AttrOut getattr(long nodeId, int getattrFlags, long fh) {
        ByteBuffer b = begin(Opcode.GETATTR, nodeId, GetattrIn.SIZE, 0);
        GetattrIn.encode(b, getattrFlags, fh);
        return call(Opcode.GETATTR, nodeId, b.flip(), OutHeader.SIZE + AttrOut.SIZE, Replies.ATTR_OUT);
    }

    /** SETATTR: changes what {@code what} says ({@link SetattrIn#builder()}); returns the new attributes. */
    public AttrOut setattr(long nodeId, SetattrIn what) {
        ByteBuffer b = begin(Opcode.SETATTR, nodeId, SetattrIn.SIZE, 0);
        what.encode(b);
        return call(Opcode.SETATTR, nodeId, b.flip(), OutHeader.SIZE + AttrOut.SIZE, Replies.ATTR_OUT);
    }

    /** STATFS of the file system holding {@code nodeId}. */
    public StatfsOut statfs(long nodeId) {
        ByteBuffer b = begin(Opcode.STATFS, nodeId, 0, 0);
        return call(Opcode.STATFS, nodeId, b.flip(), OutHeader.SIZE + StatfsOut.SIZE, Replies.STATFS_OUT);
    }

    /**
     * OPEN a file with {@link OpenFlags} (O_CREAT/O_EXCL do not belong here: use {@link #create}).
     * virtiofsd 7.2 opens only regular files and directories; a symlink or special file gives EBADF.
     */
    public OpenOut open(long nodeId, int flags) {
        return openLike(Opcode.OPEN, nodeId, flags);
    }

    /** OPENDIR, needed before READDIR(PLUS). */
    public OpenOut opendir(long nodeId) {
        return openLike(Opcode.OPENDIR, nodeId, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
    }

    private OpenOut openLike(Opcode op, long nodeId, int flags) {
        ByteBuffer b = begin(op, nodeId, OpenIn.SIZE, 0);
        new OpenIn(flags, 0).encode(b);
        return call(op, nodeId, b.flip(), OutHeader.SIZE + OpenOut.SIZE, Replies.OPEN_OUT);
    }

    /** RELEASE a file handle; {@code flags} are the open flags. */
    public void release(long nodeId, long fh, int flags) {
        releaseLike(Opcode.RELEASE, nodeId, fh, flags);
    }

    /** RELEASEDIR a directory handle. */
    public void releasedir(long nodeId, long fh) {
        releaseLike(Opcode.RELEASEDIR, nodeId, fh, 0);
    }

    private void releaseLike(Opcode op, long nodeId, long fh, int flags) {
        ByteBuffer b = begin(op, nodeId, ReleaseIn.SIZE, 0);
        new ReleaseIn(fh, flags, 0, 0).encode(b);
        call(op, nodeId, b.flip(), OutHeader.SIZE, Replies.EMPTY);
    }

    /** FLUSH (on each close of a handle; not durable: use {@link #fsync}). */
    public void flush(long nodeId, long fh) {
        ByteBuffer b = begin(Opcode.FLUSH, nodeId, FlushIn.SIZE, 0);
        new FlushIn(fh, 0).encode(b);
        call(Opcode.FLUSH, nodeId, b.flip(), OutHeader.SIZE, Replies.EMPTY);
    }

    /** FSYNC: makes the file durable on the host ({@code dataOnly}: fdatasync). */
    public void fsync(long nodeId, long fh, boolean dataOnly) {
        fsyncLike(Opcode.FSYNC, nodeId, fh, dataOnly);
    }

    /** FSYNCDIR on a directory handle. */
    public void fsyncdir(long nodeId, long fh, boolean dataOnly) {
        fsyncLike(Opcode.FSYNCDIR, nodeId, fh, dataOnly);
    }

    private void fsyncLike(Opcode op, long nodeId, long fh, boolean dataOnly) {
        ByteBuffer b = begin(op, nodeId, FsyncIn.SIZE, 0);
        new FsyncIn(fh, dataOnly ? FuseFlags.FSYNC_FDATASYNC : 0).encode(b);
        call(op, nodeId, b.flip(), OutHeader.SIZE, Replies.EMPTY);
    }

    /** FALLOCATE with {@code FALLOC_FL_*} {@code mode} (0 = allocate and extend). */
    public void fallocate(long nodeId, long fh, int mode, long offset, long length) {
        ByteBuffer b = begin(Opcode.FALLOCATE, nodeId, FallocateIn.SIZE, 0);
        new FallocateIn(fh, offset, length, mode).encode(b);
        call(Opcode.FALLOCATE, nodeId, b.flip(), OutHeader.SIZE, Replies.EMPTY);
    }

    /** LSEEK with {@code SEEK_*} {@code whence}; returns the resulting offset (SEEK_DATA/SEEK_HOLE). */
    public long lseek(long nodeId, long fh, long offset, int whence) {
        ByteBuffer b = begin(Opcode.LSEEK, nodeId, LseekIn.SIZE, 0);
        new LseekIn(fh, offset, whence).encode(b);
        return call(Opcode.LSEEK, nodeId, b.flip(), OutHeader.SIZE + LseekOut.SIZE, Replies.LSEEK_OUT);
    }

    /**
     * READ into {@code dst} from its position up to its limit, as requests of at most
     * {@link FuseLimits#maxReadChunk()} bytes, stopping at the first short reply (end of file).
     * Advances {@code dst}'s position. On a transport that can (viofs.sys's zero-copy READ IOCTL) the
     * device writes straight into a direct {@code dst}; otherwise the reply is copied.
     *
     * @return bytes read; less than asked only at end of file (0 at or past it)
     */
    public int read(long nodeId, long fh, long offset, ByteBuffer dst) {
        return (int) readLoop(dst.remaining(), (done, want) -> {
            int got = readInto(nodeId, fh, offset + done, dst, want);
            dst.position(dst.position() + got);
            return got;
        });
    }

    /**
     * READ without a copy: each reply's data is handed to {@code consumer} while the transport holds it.
     * Requests are at most {@link FuseLimits#maxReadChunk()} bytes, sent one after another; stops at the
     * first short reply.
     *
     * @return bytes read; less than {@code length} only at end of file
     */
    public long read(long nodeId, long fh, long offset, long length, ReadChunkConsumer consumer) {
        return readLoop(length, (done, want) -> {
            long at = offset + done;
            return call(Opcode.READ, nodeId, readRequest(nodeId, fh, at, want), OutHeader.SIZE + want, (r, len, op) -> {
                Replies.atMost(len, want, op);
                if (len > 0) {
                    consumer.accept(at, r.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
                }
                return len;
            });
        });
    }

    /** Reads one chunk of at most {@code want} bytes, {@code done} bytes into the range; returns the count. */
    private interface ChunkRead {
        int read(long done, int want);
    }

    /**
     * Reads {@code length} bytes as chunks of at most {@link FuseLimits#maxReadChunk()}, stopping at the
     * first short one (end of file); a chunk the transport refuses for its size is retried smaller.
     */
    private long readLoop(long length, ChunkRead chunk) {
        long total = 0;
        while (total < length) {
            int want = (int) Math.min(length - total, limits.maxReadChunk());
            int got;
            try {
                got = chunk.read(total, want);
            } catch (RequestTooLargeException e) {
                shrink(e, want, true);
                continue;
            }
            total += got;
            if (got < want) {
                break;
            }
        }
        return total;
    }

    /**
     * One READ of {@code size} bytes landing at {@code dst}'s position; does not move it. On a
     * {@link DirectReadTransport} with a direct {@code dst} the device may write the data there itself
     * and only the out header comes back; otherwise the reply is copied. Either way every check is made
     * here, so a malformed reply is a {@link FuseProtocolException} whatever the path.
     */
    private int readInto(long nodeId, long fh, long offset, ByteBuffer dst, int size) {
        ByteBuffer b = readRequest(nodeId, fh, offset, size);
        checkOpen(Opcode.READ);
        if (OutHeader.SIZE + size > transport.maxReplyBytes()) {
            throw new IllegalArgumentException("READ needs a " + (OutHeader.SIZE + size)
                    + "-byte reply, transport carries " + transport.maxReplyBytes());
        }
        ByteBuffer target = dst.duplicate();
        target.limit(target.position() + size);
        long u = InHeader.unique(b);
        DirectReadTransport.ReadReplyHandler<Object> h = (reply, direct) -> {
            try {
                return direct ? Replies.directRead(reply, u, nodeId, size) : Replies.copiedRead(reply, u, nodeId, size, target);
            } catch (FuseErrnoException | FuseProtocolException e) {
                return new Replies.Failure(e);
            }
        };
        ByteBuffer[] request = {b};
        sent(Opcode.READ);
        Object r = transport instanceof DirectReadTransport d && target.isDirect()
                ? d.exchangeRead(request, target, h)
                : transport.exchange(request, OutHeader.SIZE + size, reply -> h.handle(reply, false));
        if (r instanceof Replies.Failure f) {
            throw f.exception();
        }
        return (Integer) r;
    }

    private ByteBuffer readRequest(long nodeId, long fh, long offset, int size) {
        ByteBuffer b = begin(Opcode.READ, nodeId, ReadIn.SIZE, 0);
        ReadIn.encode(b, fh, offset, size, 0, 0, 0);
        return b.flip();
    }

    /**
     * The transport refused a READ or WRITE of {@code tried} bytes for its size and lowered its limits
     * (viofs.sys on a host with a short queue): take the new limits so the same operation is retried in
     * smaller pieces. Throws the exception on when the limits would not shrink the request, so a
     * transport that keeps refusing cannot loop forever.
     */
    private void shrink(RequestTooLargeException e, int tried, boolean read) {
        FuseLimits smaller = limits.shrunk(e.maxRequestBytes(), e.maxReplyBytes());
        int now = read ? smaller.maxReadChunk() : smaller.maxWriteChunk();
        if (now >= tried || smaller.maxReadChunk() < FuseLimits.PAGE_SIZE || smaller.maxWriteChunk() < FuseLimits.PAGE_SIZE) {
            throw e;
        }
        maxRequestBytes = Math.min(maxRequestBytes, e.maxRequestBytes());
        limits = smaller;
    }

    /**
     * WRITE {@code src} from its position to its limit, as requests of at most
     * {@link FuseLimits#maxWriteChunk()} bytes; the data is handed to the transport without a copy.
     * Advances {@code src}'s position by the bytes written.
     *
     * <p>A short count (the daemon wrote less than a request carried, usually because the disk filled
     * up) ends the call: it returns what was written, and the caller writes the rest again to learn
     * the errno. A count larger than the request is a {@link FuseProtocolException}.
     *
     * @return bytes written
     */
    public int write(long nodeId, long fh, long offset, ByteBuffer src) {
        int total = 0;
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), limits.maxWriteChunk());
            ByteBuffer data = src.duplicate();
            data.limit(data.position() + n);
            ByteBuffer b = begin(Opcode.WRITE, nodeId, WriteIn.SIZE, n);
            WriteIn.encode(b, fh, offset + total, n, 0, 0, 0);
            int written;
            try {
                written = call(Opcode.WRITE, nodeId, new ByteBuffer[] {b.flip(), data}, OutHeader.SIZE + WriteOut.SIZE,
                        Replies.WRITE_OUT);
            } catch (RequestTooLargeException e) {
                shrink(e, n, false);
                continue;
            }
            if (written < 0 || written > n) {
                throw new FuseProtocolException("WRITE reply says " + Integer.toUnsignedString(written)
                        + " bytes written, request carried " + n);
            }
            src.position(src.position() + written);
            total += written;
            if (written < n) {
                break;
            }
        }
        return total;
    }

    /** READDIRPLUS with {@link #DEFAULT_DIR_BUFFER} (or {@link FuseLimits#maxReadChunk()} if smaller). */
    public DirPage<DirentPlus> readdirplus(long nodeId, long fh, long cookie) {
        return readdirplus(nodeId, fh, cookie, Math.min(DEFAULT_DIR_BUFFER, limits.maxReadChunk()));
    }

    /**
     * READDIRPLUS: entries after {@code cookie} (0 = from the start) of the directory open as {@code fh}.
     * Continue with {@link DirPage#nextCookie()} until {@link DirPage#atEnd()}. Each entry with a nonzero
     * node id adds one lookup reference, recorded before this returns.
     *
     * <p>Names are checked where they enter ({@link DirEntries}): an entry whose name is not valid UTF-8,
     * contains NUL or '/', is longer than NAME_MAX, or is "." / ".." out of place, and one that names the
     * root as a child, is skipped (one warning per directory) and its reference returned at once.
     *
     * @param size reply buffer in bytes, at most {@link FuseLimits#maxReadChunk()}
     */
    public DirPage<DirentPlus> readdirplus(long nodeId, long fh, long cookie, int size) {
        DirEntries.Decoded<DirentPlus> d = readdirLike(Opcode.READDIRPLUS, nodeId, fh, cookie, size, DirentPlus::decode);
        for (DirentPlus e : d.page()) {
            nodes.record(e.entry().nodeId());
        }
        if (d.skippedRefCount() > 0) {
            for (int i = 0; i < d.skippedRefCount(); i++) {
                nodes.record(d.skippedRefs()[i]);
                nodes.forgetLater(d.skippedRefs()[i], 1);
            }
            nodes.flush();
        }
        return d.page();
    }

    /** READDIR with {@link #DEFAULT_DIR_BUFFER} (or {@link FuseLimits#maxReadChunk()} if smaller). */
    public DirPage<Dirent> readdir(long nodeId, long fh, long cookie) {
        return readdir(nodeId, fh, cookie, Math.min(DEFAULT_DIR_BUFFER, limits.maxReadChunk()));
    }

    /** READDIR: names only, no lookup references; otherwise (name checks included) as {@link #readdirplus}. */
    public DirPage<Dirent> readdir(long nodeId, long fh, long cookie, int size) {
        return readdirLike(Opcode.READDIR, nodeId, fh, cookie, size, Dirent::decode).page();
    }

    private <E> DirEntries.Decoded<E> readdirLike(Opcode op, long nodeId, long fh, long cookie, int size,
                                                  DirEntries.EntryDecoder<E> dec) {
        if (size < 4096 || size > limits.maxReadChunk()) {
            throw new IllegalArgumentException(op + " buffer " + size + " outside 4096.." + limits.maxReadChunk());
        }
        ByteBuffer b = begin(op, nodeId, ReadIn.SIZE, 0);
        ReadIn.encode(b, fh, cookie, size, 0, 0, 0);
        return call(op, nodeId, b.flip(), OutHeader.SIZE + size, (r, len, o) -> {
            Replies.atMost(len, size, o);
            return dirEntries.decode(o, nodeId, r, dec);
        });
    }

    /** GETXATTR size probe: the value's length in bytes. ENODATA if there is no such attribute. */
    public int getxattrSize(long nodeId, String name) {
        return xattrProbe(Opcode.GETXATTR, nodeId, name);
    }

    /**
     * GETXATTR into {@code dst} (its remaining bytes are the size offered); advances its position.
     * ERANGE if the value is larger, ENODATA if absent.
     *
     * @return the value's length
     */
    public int getxattr(long nodeId, String name, ByteBuffer dst) {
        byte[] n = Wire.nameBytes(name, Wire.MAX_NAME_BYTES);
        int size = Math.min(dst.remaining(), MAX_XATTR_BYTES);
        if (size == 0) {
            throw new IllegalArgumentException("no room in dst; use getxattrSize to probe");
        }
        ByteBuffer b = begin(Opcode.GETXATTR, nodeId, GetxattrIn.SIZE + n.length + 1, 0);
        new GetxattrIn(size).encode(b);
        putName(b, n);
        return call(Opcode.GETXATTR, nodeId, b.flip(), OutHeader.SIZE + size, (r, len, op) -> {
            Replies.atMost(len, size, op);
            dst.put(r);
            return len;
        });
    }

    /** GETXATTR of the whole value: probes the size, then reads (retrying if it grew meanwhile). */
    public byte[] getxattr(long nodeId, String name) {
        return sizedRead(Opcode.GETXATTR, () -> getxattrSize(nodeId, name), new byte[0], size -> {
            ByteBuffer dst = ByteBuffer.allocate(size);
            byte[] v = new byte[getxattr(nodeId, name, dst)];
            dst.flip().get(v);
            return v;
        });
    }

    /** SETXATTR with {@code XATTR_CREATE}/{@code XATTR_REPLACE} {@code flags} (0: either). */
    public void setxattr(long nodeId, String name, byte[] value, int flags) {
        byte[] n = Wire.nameBytes(name, Wire.MAX_NAME_BYTES);
        if (value.length > MAX_XATTR_BYTES) {
            throw new IllegalArgumentException("xattr value of " + value.length + " bytes is over XATTR_SIZE_MAX "
                    + MAX_XATTR_BYTES);
        }
        ByteBuffer b = begin(Opcode.SETXATTR, nodeId, SetxattrIn.SIZE + n.length + 1 + value.length, 0);
        new SetxattrIn(value.length, flags).encode(b);
        putName(b, n);
        b.put(value);
        call(Opcode.SETXATTR, nodeId, b.flip(), OutHeader.SIZE, Replies.EMPTY);
    }

    /** LISTXATTR size probe: bytes of the NUL-separated name list. */
    public int listxattrSize(long nodeId) {
        return xattrProbe(Opcode.LISTXATTR, nodeId, null);
    }

    /**
     * LISTXATTR: the attribute names (probes the size first; retries if the list grew meanwhile). A name
     * longer than XATTR_NAME_MAX (255 bytes), empty or not valid UTF-8 is skipped: it could not be sent
     * back in a GETXATTR.
     */
    public List<String> listxattr(long nodeId) {
        return sizedRead(Opcode.LISTXATTR, () -> listxattrSize(nodeId), List.of(), size -> {
            ByteBuffer b = begin(Opcode.LISTXATTR, nodeId, GetxattrIn.SIZE, 0);
            new GetxattrIn(size).encode(b);
            return call(Opcode.LISTXATTR, nodeId, b.flip(), OutHeader.SIZE + size, Replies.listxattr(size));
        });
    }

    /**
     * Probes a value's size, then reads it; retries (at most 3 times) when it grew in between (ERANGE).
     * A probed size over 64 KiB (XATTR_SIZE_MAX, XATTR_LIST_MAX) is a protocol error.
     */
    private static <T> T sizedRead(Opcode op, IntSupplier probe, T empty, IntFunction<T> read) {
        for (int attempt = 0; ; attempt++) {
            int size = probe.getAsInt();
            if (size < 0 || size > MAX_XATTR_BYTES) {
                throw new FuseProtocolException(op + " size probe says " + Integer.toUnsignedString(size)
                        + " bytes, over the limit of " + MAX_XATTR_BYTES);
            }
            if (size == 0) {
                return empty;
            }
            try {
                return read.apply(size);
            } catch (FuseErrnoException e) {
                if (!e.is(Errno.ERANGE) || attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /** REMOVEXATTR. ENODATA if absent. */
    public void removexattr(long nodeId, String name) {
        nameOnly(Opcode.REMOVEXATTR, nodeId, name);
    }

    private int xattrProbe(Opcode op, long nodeId, String name) {
        byte[] n = name == null ? null : Wire.nameBytes(name, Wire.MAX_NAME_BYTES);
        ByteBuffer b = begin(op, nodeId, GetxattrIn.SIZE + (n == null ? 0 : n.length + 1), 0);
        new GetxattrIn(0).encode(b);
        if (n != null) {
            putName(b, n);
        }
        return call(op, nodeId, b.flip(), OutHeader.SIZE + GetxattrOut.SIZE, Replies.GETXATTR_OUT);
    }

    /**
     * Sends DESTROY (the daemon drops every lookup reference and handle), then closes the transport,
     * in that order. A failure of DESTROY (dead daemon, timeout) does not stop the close; the
     * transport's own bounded waits keep this from hanging. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (limits != null) {
                ByteBuffer b = begin(Opcode.DESTROY, 0, 0, 0);
                ByteBuffer[] req = {b.flip()};
                long u = InHeader.unique(b);
                // Not through call(): that refuses work once closed is set.
                sent(Opcode.DESTROY);
                Object r = transport.exchange(req, OutHeader.SIZE,
                        reply -> Replies.handle(reply, u, Opcode.DESTROY, 0, Replies.EMPTY));
                if (r instanceof RuntimeException e) {
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            // The connection ends either way; DESTROY's answer changes nothing for the caller.
        } finally {
            nodes.clear();
            transport.close();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * A request whose reply is one child's {@code fuse_entry_out}: {@code argsLen} argument bytes written
     * by {@code args}, the NUL-terminated name, then {@code tail} (NUL-terminated) if any. Records the
     * reference the reply carries.
     */
    private EntryOut entry(Opcode op, long parent, String name, int argsLen, Consumer<ByteBuffer> args, byte[] tail) {
        byte[] n = Wire.nameBytes(name, Wire.MAX_NAME_BYTES);
        ByteBuffer b = begin(op, parent, argsLen + n.length + 1 + (tail == null ? 0 : tail.length + 1), 0);
        if (args != null) {
            args.accept(b);
        }
        putName(b, n);
        if (tail != null) {
            putName(b, tail);
        }
        EntryOut e = call(op, parent, b.flip(), OutHeader.SIZE + EntryOut.SIZE, Replies.entryOut(name));
        nodes.record(e.nodeId());
        return e;
    }

    private void nameOnly(Opcode op, long nodeId, String name) {
        byte[] n = Wire.nameBytes(name, Wire.MAX_NAME_BYTES);
        ByteBuffer b = begin(op, nodeId, n.length + 1, 0);
        putName(b, n);
        call(op, nodeId, b.flip(), OutHeader.SIZE, Replies.EMPTY);
    }

    private void sendForgets(long[] ids, long[] counts, int n) {
        ByteBuffer b;
        Opcode op = n == 1 ? Opcode.FORGET : Opcode.BATCH_FORGET;
        if (n == 1) {
            b = begin(op, ids[0], ForgetIn.SIZE, 0);
            ForgetIn.encode(b, counts[0]);
        } else {
            b = begin(op, 0, BatchForgetIn.SIZE + n * ForgetOne.SIZE, 0);
            BatchForgetIn.encode(b, n);
            for (int i = 0; i < n; i++) {
                ForgetOne.encode(b, ids[i], counts[i]);
            }
        }
        ByteBuffer[] req = {b.flip()};
        checkOpen(op);
        sent(op);
        transport.sendNoReply(req);
    }

    /**
     * Allocates a request buffer holding the header and {@code argsLen} argument bytes; the header's
     * {@code len} also counts {@code dataLen} bytes that travel in a second buffer (WRITE).
     */
    private ByteBuffer begin(Opcode op, long nodeId, int argsLen, int dataLen) {
        int len = InHeader.SIZE + argsLen;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        InHeader.encode(b, len + dataLen, op.code(), unique.incrementAndGet(), nodeId, uid, gid, pid);
        return b;
    }

    private static void putName(ByteBuffer b, byte[] name) {
        b.put(name).put((byte) 0);
    }

    private <T> T call(Opcode op, long nodeId, ByteBuffer request, int replyCapacity, Replies.Body<T> body) {
        return call(op, nodeId, new ByteBuffer[] {request}, replyCapacity, body);
    }

    /**
     * Sends one request and decodes its reply inside the transport's handler. FUSE failures are carried
     * out of the handler as values and thrown here, so no transport can mistake them for its own.
     */
    @SuppressWarnings("unchecked")
    private <T> T call(Opcode op, long nodeId, ByteBuffer[] request, int replyCapacity, Replies.Body<T> body) {
        checkOpen(op);
        long total = 0;
        for (ByteBuffer r : request) {
            total += r.remaining();
        }
        if (total > maxRequestBytes) {
            throw new IllegalArgumentException(op + " request of " + total + " bytes exceeds the " + maxRequestBytes
                    + " bytes the daemon accepts");
        }
        if (replyCapacity > transport.maxReplyBytes()) {
            throw new IllegalArgumentException(op + " needs a " + replyCapacity + "-byte reply, transport carries "
                    + transport.maxReplyBytes());
        }
        long u = InHeader.unique(request[0]);
        ReplyHandler<Object> h = reply -> Replies.handle(reply, u, op, nodeId, body);
        sent(op);
        Object r = transport.exchange(request, replyCapacity, h);
        if (r instanceof Replies.Failure f) {
            throw f.exception();
        }
        return (T) r;
    }

    /** Tells every listener that a request is being handed to the transport. */
    private void sent(Opcode op) {
        for (RequestListener l : listeners) {
            l.requestSent(op);
        }
    }

    private void checkOpen(Opcode op) {
        if (closed.get()) {
            throw new TransportException("FUSE client is closed; " + op + " not sent");
        }
    }

    @Override
    public String toString() {
        return "FuseClient[" + transport.device() + ", " + limits + "]";
    }
}
