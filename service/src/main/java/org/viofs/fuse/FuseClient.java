package org.viofs.fuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.viofs.bridge.DirectReadTransport;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.bridge.RequestTooLargeException;
import org.viofs.bridge.TransportException;

/**
 * A FUSE client over one {@link FuseTransport}: typed operations, each one request built once by the
 * codec and handed unchanged to the transport, and its reply decoded while the transport still holds it.
 *
 * <p><b>Failures.</b> Every operation returns a record or throws one of three unchecked exceptions:
 * {@link FuseErrnoException} (the daemon said no; the connection is fine), {@link FuseProtocolException}
 * (the reply broke FUSE; the connection is suspect), {@link TransportException} (the device or daemon is
 * gone, or a wait timed out). A request that cannot fit the negotiated sizes is refused with
 * {@link IllegalArgumentException} before it is sent (virtiofsd aborts on an oversized request).
 *
 * <p><b>Lookup references.</b> Replies that name a node add a reference in {@link #nodes()}; whoever keeps
 * the node returns it there (see {@link NodeTable}).
 *
 * <p><b>Thread safety.</b> Thread-safe. Requests from many threads are in flight together; the transport
 * bounds how many ({@link FuseTransport#maxInFlight()}) and makes the rest wait. {@code unique} comes from
 * one counter.
 *
 * <p><b>Lifecycle.</b> {@link #init} takes the transport; once it returns, the client owns the transport
 * and {@link #close()} sends DESTROY and then closes it. If {@code init} throws, the transport stays the
 * caller's.
 *
 * <p>Node ids are {@code fuse_in_header.nodeid} values ({@link FuseFlags#ROOT_ID} = 1); {@code fh} values
 * come from OPEN, OPENDIR and CREATE, and 0 is a valid handle.
 */
public final class FuseClient implements AutoCloseable {
    /** The FUSE major version spoken ({@code FUSE_KERNEL_VERSION}). */
    public static final int PROTOCOL_MAJOR = 7;
    /** The minor version offered: virtiofsd 7.2 speaks 7.36 (vhost-user-frontend.md §7.4). */
    public static final int PROTOCOL_MINOR = 36;
    /** The oldest minor accepted: virtiofsd refuses clients below 7.31, and 7.31 has every struct used here. */
    public static final int MIN_MINOR = 31;
    /** {@code XATTR_SIZE_MAX} and {@code XATTR_LIST_MAX} (include/uapi/linux/limits.h): 64 KiB. */
    public static final int MAX_XATTR_BYTES = 65536;
    /** Default READDIR(PLUS) buffer: 64 KiB holds ~400 entries with short names. */
    public static final int DEFAULT_DIR_BUFFER = 65536;
    /** Minimum request size FUSE guarantees before INIT ({@code FUSE_MIN_READ_BUFFER}, fuse.h). */
    private static final int MIN_REQUEST_BYTES = 8192;

    /**
     * How the client presents itself, and who hears about its requests. Immutable; build with
     * {@link #builder()}.
     */
    public static final class Options {
        private final int uid;
        private final int gid;
        private final int pid;
        private final int initFlags;
        private final int maxReadahead;
        private final RequestListener[] listeners;

        private Options(Builder b) {
            this.uid = b.uid;
            this.gid = b.gid;
            this.pid = b.pid;
            this.initFlags = b.initFlags;
            this.maxReadahead = b.maxReadahead;
            this.listeners = b.listeners.toArray(new RequestListener[0]);
        }

        /** uid/gid 0, this process's pid, {@link InitFlags#VIOFS_DEFAULT}, 128 KiB readahead, no listener. */
        public static Options defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        /** {@code fuse_in_header.uid}: the host owner of created files (the daemon creates as this user). */
        public int uid() {
            return uid;
        }

        /** {@code fuse_in_header.gid}. */
        public int gid() {
            return gid;
        }

        /** {@code fuse_in_header.pid}. */
        public int pid() {
            return pid;
        }

        /** {@link InitFlags} offered in INIT. */
        public int initFlags() {
            return initFlags;
        }

        /** Readahead offered in INIT, bytes. */
        public int maxReadahead() {
            return maxReadahead;
        }

        /** A builder holding these options (listeners included), to change a copy. */
        public Builder toBuilder() {
            Builder b = builder().owner(uid, gid).pid(pid).initFlags(initFlags).maxReadahead(maxReadahead);
            for (RequestListener l : listeners) {
                b.listener(l);
            }
            return b;
        }

        /** Collects the options. Not thread-safe. */
        public static final class Builder {
            private int uid;
            private int gid;
            private int pid = (int) ProcessHandle.current().pid();
            private int initFlags = InitFlags.VIOFS_DEFAULT;
            private int maxReadahead = 128 * 1024;
            private final List<RequestListener> listeners = new ArrayList<>();

            private Builder() {
            }

            /** Header uid and gid of every request. */
            public Builder owner(int newUid, int newGid) {
                uid = newUid;
                gid = newGid;
                return this;
            }

            public Builder pid(int v) {
                pid = v;
                return this;
            }

            public Builder initFlags(int v) {
                initFlags = v;
                return this;
            }

            public Builder maxReadahead(int v) {
                maxReadahead = v;
                return this;
            }

            /** Adds a listener told about every request, INIT included; may be called more than once. */
            public Builder listener(RequestListener l) {
                listeners.add(Objects.requireNonNull(l, "listener"));
                return this;
            }

            public Options build() {
                return new Options(this);
            }
        }
    }

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

    private FuseClient(FuseTransport transport, Options options) {
        this.transport = transport;
        this.uid = options.uid();
        this.gid = options.gid();
        this.pid = options.pid();
        this.listeners = options.listeners;
        this.maxRequestBytes = Math.min(transport.maxRequestBytes(), MIN_REQUEST_BYTES);
    }

    /**
     * Sends FUSE_INIT and returns a client ready for requests.
     *
     * @throws FuseProtocolException if the daemon speaks another major version or a minor below
     *                               {@link #MIN_MINOR}, or the reply is malformed
     * @throws FuseErrnoException    if the daemon refused INIT
     */
    public static FuseClient init(FuseTransport transport, Options options) {
        FuseClient c = new FuseClient(transport, options);
        c.limits = c.sendInit(options);
        c.maxRequestBytes = (int) Math.min(transport.maxRequestBytes(), (long) c.limits.maxWrite() + 4096);
        return c;
    }

    /** {@link #init(FuseTransport, Options)} with {@link Options#defaults()}. */
    public static FuseClient init(FuseTransport transport) {
        return init(transport, Options.defaults());
    }

    private FuseLimits sendInit(Options o) {
        ByteBuffer b = begin(Opcode.INIT, 0, InitIn.SIZE, 0);
        new InitIn(PROTOCOL_MAJOR, PROTOCOL_MINOR, o.maxReadahead(), o.initFlags(), 0).encode(b);
        InitOut out = call(Opcode.INIT, 0, b.flip(), OutHeader.SIZE + InitOut.SIZE, Replies.INIT_OUT);
        int maxWrite = Math.max(FuseLimits.PAGE_SIZE, out.maxWrite());
        boolean pagesGranted = (out.flags() & InitFlags.MAX_PAGES) != 0;
        int maxPages = pagesGranted ? Math.max(1, out.maxPages()) : FuseLimits.DEFAULT_MAX_PAGES;
        long pageBytes = (long) maxPages * FuseLimits.PAGE_SIZE;
        int readChunk = (int) Math.min(Math.min(maxWrite, pageBytes), transport.maxReplyBytes() - OutHeader.SIZE);
        int writeChunk = (int) Math.min(Math.min(maxWrite, pageBytes),
                (long) transport.maxRequestBytes() - InHeader.SIZE - WriteIn.SIZE);
        if (readChunk < FuseLimits.PAGE_SIZE || writeChunk < FuseLimits.PAGE_SIZE) {
            throw new IllegalStateException("transport buffers too small for FUSE I/O: reply " + transport.maxReplyBytes()
                    + " bytes, request " + transport.maxRequestBytes() + " bytes");
        }
        return new FuseLimits(out.major(), out.minor(), out.flags(), out.flags2(), out.maxReadahead(), maxWrite,
                pagesGranted ? out.maxPages() : 0, out.timeGran(), out.maxBackground(), readChunk, writeChunk);
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

    // ------------------------------------------------------------------ names and entries

    /** LOOKUP: finds {@code name} in directory {@code parent}. Adds one lookup reference. */
    public EntryOut lookup(long parent, String name) {
        byte[] n = Wire.nameBytes(name, Wire.MAX_NAME_BYTES);
        ByteBuffer b = begin(Opcode.LOOKUP, parent, n.length + 1, 0);
        putName(b, n);
        return recorded(call(Opcode.LOOKUP, parent, b.flip(), OutHeader.SIZE + EntryOut.SIZE, Replies.entryOut(name)));
    }

    /** Same as {@code nodes().forget(nodeId, nlookup)}: returns references now (FORGET, hiprio). */
    public void forget(long nodeId, long nlookup) {
        nodes.forget(nodeId, nlookup);
    }

    /** MKDIR. Adds one lookup reference. */
    public EntryOut mkdir(long parent, String name, int mode, int umask) {
        byte[] n = Wire.nameBytes(name, Wire.MAX_NAME_BYTES);
        ByteBuffer b = begin(Opcode.MKDIR, parent, MkdirIn.SIZE + n.length + 1, 0);
        new MkdirIn(mode, umask).encode(b);
        putName(b, n);
        return recorded(call(Opcode.MKDIR, parent, b.flip(), OutHeader.SIZE + EntryOut.SIZE, Replies.entryOut(name)));
    }

    /**
     * CREATE: creates and opens a regular file ({@code flags} are {@link OpenFlags}; the daemon adds
     * O_CREAT). Adds one lookup reference.
     */
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
        byte[] n = Wire.nameBytes(name, Wire.MAX_NAME_BYTES);
        byte[] t = Wire.nameBytes(target, Wire.MAX_PATH_BYTES);
        ByteBuffer b = begin(Opcode.SYMLINK, parent, n.length + 1 + t.length + 1, 0);
        putName(b, n);
        putName(b, t);
        return recorded(call(Opcode.SYMLINK, parent, b.flip(), OutHeader.SIZE + EntryOut.SIZE, Replies.entryOut(name)));
    }

    /** LINK: a new hard link {@code newName} in {@code newParent} to {@code nodeId}. Adds one lookup reference. */
    public EntryOut link(long nodeId, long newParent, String newName) {
        byte[] n = Wire.nameBytes(newName, Wire.MAX_NAME_BYTES);
        ByteBuffer b = begin(Opcode.LINK, newParent, LinkIn.SIZE + n.length + 1, 0);
        new LinkIn(nodeId).encode(b);
        putName(b, n);
        return recorded(call(Opcode.LINK, newParent, b.flip(), OutHeader.SIZE + EntryOut.SIZE,
                Replies.entryOut(newName)));
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
     * would silently drop NOREPLACE, the anchor's bug (viofs-anchor.md §3.3). The source must be looked
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

    // ------------------------------------------------------------------ attributes

    /** GETATTR by node. */
    public AttrOut getattr(long nodeId) {
        ByteBuffer b = begin(Opcode.GETATTR, nodeId, GetattrIn.SIZE, 0);
        GetattrIn.encode(b, 0, 0);
        return call(Opcode.GETATTR, nodeId, b.flip(), OutHeader.SIZE + AttrOut.SIZE, Replies.ATTR_OUT);
    }

    /** GETATTR through an open handle ({@link FuseFlags#GETATTR_FH}). */
    public AttrOut getattr(long nodeId, long fh) {
        ByteBuffer b = begin(Opcode.GETATTR, nodeId, GetattrIn.SIZE, 0);
        GetattrIn.encode(b, FuseFlags.GETATTR_FH, fh);
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

    // ------------------------------------------------------------------ handles

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

    // ------------------------------------------------------------------ data

    /**
     * READ into {@code dst} from its position up to its limit, as requests of at most
     * {@link FuseLimits#maxReadChunk()} bytes, stopping at the first short reply (end of file).
     * Advances {@code dst}'s position. On a transport that can (viofs.sys's zero-copy READ IOCTL) the
     * device writes straight into a direct {@code dst}; otherwise the reply is copied.
     *
     * @return bytes read; less than asked only at end of file (0 at or past it)
     */
    public int read(long nodeId, long fh, long offset, ByteBuffer dst) {
        int total = 0;
        while (dst.hasRemaining()) {
            int want = Math.min(dst.remaining(), limits.maxReadChunk());
            int got;
            try {
                got = readInto(nodeId, fh, offset + total, dst, want);
            } catch (RequestTooLargeException e) {
                shrink(e, want, true);
                continue;
            }
            dst.position(dst.position() + got);
            total += got;
            if (got < want) {
                break;
            }
        }
        return total;
    }

    /**
     * READ without a copy: each reply's data is handed to {@code consumer} while the transport holds it.
     * Requests are at most {@link FuseLimits#maxReadChunk()} bytes, sent one after another; stops at the
     * first short reply.
     *
     * @return bytes read; less than {@code length} only at end of file
     */
    public long read(long nodeId, long fh, long offset, long length, ReadChunkConsumer consumer) {
        long total = 0;
        while (total < length) {
            int want = (int) Math.min(length - total, limits.maxReadChunk());
            long at = offset + total;
            int got;
            try {
                got = readChunk(nodeId, fh, at, want, (r, len, op) -> {
                    if (len > 0) {
                        consumer.accept(at, r.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
                    }
                    return len;
                });
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

    private int readChunk(long nodeId, long fh, long offset, int size, Replies.Body<Integer> data) {
        ByteBuffer b = readRequest(nodeId, fh, offset, size);
        return call(Opcode.READ, nodeId, b, OutHeader.SIZE + size, (r, len, op) -> {
            Replies.atMost(len, size, op);
            return data.decode(r, len, op);
        });
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
                return direct ? directReadLength(reply, u, nodeId, size) : copyRead(reply, u, nodeId, size, target);
            } catch (FuseErrnoException | FuseProtocolException e) {
                return new FuseFailure(e);
            }
        };
        ByteBuffer[] request = {b};
        sent(Opcode.READ);
        Object r = transport instanceof DirectReadTransport d && target.isDirect()
                ? d.exchangeRead(request, target, h)
                : transport.exchange(request, OutHeader.SIZE + size, reply -> h.handle(reply, false));
        if (r instanceof FuseFailure f) {
            throw f.exception;
        }
        return (Integer) r;
    }

    /** A zero-copy READ: the device returned the out header alone, and its len counts the data it wrote. */
    private static int directReadLength(ByteBuffer header, long unique, long nodeId, int size) {
        if (header.remaining() != OutHeader.SIZE) {
            throw new FuseProtocolException("zero-copy READ returned " + header.remaining()
                    + " bytes; the device returns the " + OutHeader.SIZE + "-byte fuse_out_header");
        }
        int len = OutHeader.len(header);
        if (Integer.compareUnsigned(len, OutHeader.SIZE) < 0 || Integer.compareUnsigned(len - OutHeader.SIZE, size) > 0) {
            throw new FuseProtocolException("zero-copy READ reply header says len " + Integer.toUnsignedString(len)
                    + " for a " + size + "-byte READ (" + OutHeader.SIZE + ".." + (OutHeader.SIZE + size) + " allowed)");
        }
        return Replies.checkHeader(header, unique, Opcode.READ, nodeId, len);
    }

    /** A copied READ: the whole reply is here; its data goes to {@code target}. */
    private static int copyRead(ByteBuffer reply, long unique, long nodeId, int size, ByteBuffer target) {
        int len = Replies.checkHeader(reply, unique, Opcode.READ, nodeId);
        Replies.atMost(len, size, Opcode.READ);
        target.duplicate().put(reply);
        return len;
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
        FuseLimits l = limits;
        int readChunk = pageFloor(Math.min(l.maxReadChunk(), e.maxReplyBytes() - OutHeader.SIZE));
        int writeChunk = pageFloor(Math.min(l.maxWriteChunk(), e.maxRequestBytes() - InHeader.SIZE - WriteIn.SIZE));
        int now = read ? readChunk : writeChunk;
        if (now >= tried || readChunk < FuseLimits.PAGE_SIZE || writeChunk < FuseLimits.PAGE_SIZE) {
            throw e;
        }
        maxRequestBytes = Math.min(maxRequestBytes, e.maxRequestBytes());
        limits = new FuseLimits(l.major(), l.minor(), l.flags(), l.flags2(), l.maxReadahead(), l.maxWrite(),
                l.maxPages(), l.timeGran(), l.maxBackground(), readChunk, writeChunk);
    }

    private static int pageFloor(int bytes) {
        return bytes / FuseLimits.PAGE_SIZE * FuseLimits.PAGE_SIZE;
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

    // ------------------------------------------------------------------ directories

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

    // ------------------------------------------------------------------ extended attributes

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
        for (int attempt = 0; ; attempt++) {
            int size = getxattrSize(nodeId, name);
            if (size < 0 || size > MAX_XATTR_BYTES) {
                throw new FuseProtocolException("GETXATTR size probe says " + Integer.toUnsignedString(size)
                        + " bytes, over XATTR_SIZE_MAX " + MAX_XATTR_BYTES);
            }
            if (size == 0) {
                return new byte[0];
            }
            ByteBuffer dst = ByteBuffer.allocate(size);
            try {
                int len = getxattr(nodeId, name, dst);
                byte[] v = new byte[len];
                dst.flip().get(v);
                return v;
            } catch (FuseErrnoException e) {
                if (!e.is(Errno.ERANGE) || attempt >= 3) {
                    throw e;
                }
            }
        }
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
        for (int attempt = 0; ; attempt++) {
            int size = listxattrSize(nodeId);
            if (size < 0 || size > MAX_XATTR_BYTES) {
                throw new FuseProtocolException("LISTXATTR size probe says " + Integer.toUnsignedString(size)
                        + " bytes, over XATTR_LIST_MAX " + MAX_XATTR_BYTES);
            }
            if (size == 0) {
                return List.of();
            }
            ByteBuffer b = begin(Opcode.LISTXATTR, nodeId, GetxattrIn.SIZE, 0);
            new GetxattrIn(size).encode(b);
            try {
                return call(Opcode.LISTXATTR, nodeId, b.flip(), OutHeader.SIZE + size, Replies.listxattr(size));
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

    // ------------------------------------------------------------------ lifecycle

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
                        reply -> handle(reply, u, Opcode.DESTROY, 0, Replies.EMPTY));
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

    // ------------------------------------------------------------------ codec core

    private EntryOut recorded(EntryOut e) {
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
        ReplyHandler<Object> h = reply -> handle(reply, u, op, nodeId, body);
        sent(op);
        Object r = transport.exchange(request, replyCapacity, h);
        if (r instanceof FuseFailure f) {
            throw f.exception;
        }
        return (T) r;
    }

    /** A FUSE failure found inside a reply handler, thrown by {@link #call} once the handler returned. */
    private record FuseFailure(RuntimeException exception) {
    }

    private static Object handle(ByteBuffer reply, long unique, Opcode op, long nodeId, Replies.Body<?> body) {
        try {
            int len = Replies.checkHeader(reply, unique, op, nodeId);
            return body.decode(reply, len, op);
        } catch (FuseErrnoException | FuseProtocolException e) {
            return new FuseFailure(e);
        }
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
