package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.viofs.bridge.ForwardingTransport;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.bridge.DeviceInfo;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.TransportTimeoutException;
import org.viofs.fuse.AttrOut;
import org.viofs.fuse.CreateOut;
import org.viofs.fuse.DirentPlus;
import org.viofs.fuse.EntryOut;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseFlags;
import org.viofs.fuse.FuseProtocolException;
import org.viofs.fuse.OpenFlags;
import org.viofs.fuse.OpenOut;
import org.viofs.fuse.SetattrIn;
import org.viofs.fuse.StatfsOut;

/**
 * Windows file-system semantics over a FUSE daemon: {@link VolumeOperations} implemented with
 * {@link FuseClient} requests.
 *
 * <p><b>Nodes and caches.</b> {@link NodeCache} keeps every node the volume knows, the lookup
 * references it owes the daemon, and a name → node cache that honours the daemon's entry and
 * attribute timeouts (clock from {@link VolumeConfig#nanoClock()}), so a warm open walks no path.
 * A node pinned by neither a cache entry, an open handle nor a cached child is forgotten (one FORGET
 * or BATCH_FORGET, sent at the end of the callback that dropped it).
 *
 * <p><b>Handles.</b> Create/Open return a {@link Handle}: node, lazily opened FUSE fh (a handle that
 * only queries or renames never sends OPEN), open flags, directory listing snapshot and delete flag.
 *
 * <p><b>Requests per callback</b> are counted in {@link #counters()}: every request passes through a
 * transport decorator that attributes it to the callback running on the calling thread.
 *
 * <p><b>What POSIX cannot hold.</b> Named streams live in extended attributes when the daemon runs
 * with {@code -o xattr} ({@link VolumeConfig#xattrs()}, {@link XattrStreams}); without it a named
 * stream cannot be created (NOT_SUPPORTED) and GetStreamInfo lists the main stream only. With xattr,
 * attributes mode bits cannot hold (HIDDEN, SYSTEM, ARCHIVE, READONLY on directories…) are stored too
 * ({@link XattrAttributes}); without it only READONLY (file write bits), DIRECTORY and REPARSE_POINT
 * are real, ARCHIVE is always shown on files, HIDDEN on dot-files when configured, SYSTEM never.
 * Creation time is the older of ctime and mtime (FUSE 7.36 has no birth time) unless stored. Security
 * descriptors mode bits cannot express, and reparse points of tags other than symlinks, are stored
 * only with xattr too. Without it, descriptors are derived from uid/gid/mode, and SetSecurity maps
 * the DACL back to mode bits (owner/group changes become chown when the SID maps to an id), so ACEs
 * for other SIDs are dropped. Windows extended attributes (EAs) are kept in the same stored record
 * with xattr ({@link #supportsEas()}); without it the EA callbacks answer EAS_NOT_SUPPORTED.
 *
 * <p>Thread-safe: called from many dispatcher threads at once. The creator closes it; closing sends
 * DESTROY and closes the transport.
 */
public final class FuseVolume implements VolumeOperations, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FuseVolume.class.getName());

    /** Linux NAME_MAX (include/uapi/linux/limits.h): a host name component holds at most 255 bytes. */
    public static final int HOST_NAME_MAX_BYTES = 255;
    /** Linux PATH_MAX (include/uapi/linux/limits.h), counting the NUL: the longest symlink target + 1. */
    public static final int HOST_PATH_MAX_BYTES = 4096;
        /** Most symlinks followed while resolving one path: WinFsp's resolver gives up after 32. */
    public static final int MAX_SYMLINK_FOLLOWS = 32;
    /** Mode of new files and directories (before READONLY removes the write bits). */
    static final int NEW_FILE_MODE = 0644;
    static final int NEW_DIR_MODE = 0755;
    /** READDIRPLUS buffer (capped by the transport): 256 KiB holds ~1,500 entries with short names. */
    static final int DIR_BUFFER = 256 * 1024;

    // Access rights that need a writable host descriptor (winnt.h)
    private static final int WRITE_ACCESS = PosixSecurity.FILE_WRITE_DATA | PosixSecurity.FILE_APPEND_DATA
            | PosixSecurity.GENERIC_WRITE | PosixSecurity.GENERIC_ALL | 0x02000000 /* MAXIMUM_ALLOWED */;

    private final FuseClient client;
    private final VolumeConfig config;
    private final RequestCounters counters;
    private final NodeCache cache;
    private final IdMapping ids;
    /** uid/gid the client puts in every request header: the owner new files get from the daemon. */
    private final int headerUid;
    private final int headerGid;
    private volatile String label;
    private final XattrStreams streams;
    /** Windows attributes in extended attributes; null without {@code -o xattr}. */
    private final XattrAttributes winAttrs;

    private FuseVolume(FuseClient client, VolumeConfig config, RequestCounters counters, int headerUid, int headerGid) {
        this.client = client;
        this.config = config;
        this.counters = counters;
        this.cache = new NodeCache(client, config.nanoClock(), config.maxCacheTimeout(), config.caseInsensitive(),
                config.maxCachedNames());
        this.headerUid = headerUid;
        this.headerGid = headerGid;
        this.label = config.effectiveLabel();
        this.streams = new XattrStreams(client);
        this.winAttrs = config.xattrs() ? new XattrAttributes(client, cache) : null;
        AttrOut root = client.getattr(FuseFlags.ROOT_ID);
        cache.root().setStat(HostStats.of(root.attr()), cache.expiry(root.attrValid(), root.attrValidNsec()));
        int uid = config.ownerUid() >= 0 ? config.ownerUid() : root.attr().uid();
        int gid = config.ownerGid() >= 0 ? config.ownerGid() : root.attr().gid();
        this.ids = new IdMapping(uid, gid, config.ownerSid(),
                config.groupSid() != null ? config.groupSid() : Sid.fromPosixId(gid));
    }

    /**
     * Sends FUSE_INIT over the transport and returns the volume. New files get the configured owner
     * ids through the request header; with no owner configured they get the share root's owner.
     * The volume owns the transport from here on (even if this throws after INIT).
     */
    public static FuseVolume mount(FuseTransport transport, VolumeConfig config) {
        RequestCounters counters = new RequestCounters();
        FuseTransport counted = new CallbackCountingTransport(transport, counters);
        FuseClient.Options opts = FuseClient.Options.defaults();
        if (config.ownerUid() >= 0) {
            opts = opts.withOwner(config.ownerUid(), config.ownerGid());
        }
        String prev = counters.enter("Mount");
        FuseClient client = FuseClient.init(counted, opts);
        try {
            return new FuseVolume(client, config, counters, opts.uid(), opts.gid());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        } finally {
            counters.leave(prev);
        }
    }

    /** FUSE requests sent so far, per callback name ("Open", "Read", …). */
    public RequestCounters counters() {
        return counters;
    }

    /** The configuration this volume runs with. */
    public VolumeConfig config() {
        return config;
    }

    /** The FUSE client (its node table shows the lookup references held). */
    public FuseClient client() {
        return client;
    }

    /** The node cache (tests in this package). */
    NodeCache cache() {
        return cache;
    }

    /** Nodes currently known (root included); for tests and diagnostics. */
    public int cachedNodes() {
        return cache.nodeCount();
    }

    /** Drops every cache entry not held by an open handle, forgetting the nodes (as memory pressure would). */
    public void dropCaches() {
        call("DropCaches", () -> {
            cache.dropAll();
            return null;
        });
    }

    @Override
    public void close() {
        client.close();
    }

    // ================================================================== callback frame

    private <T> T call(String callback, Supplier<T> body) {
        String prev = counters.enter(callback);
        cache.enter();
        try {
            return body.get();
        } catch (NtStatusException e) {
            throw e;
        } catch (FuseErrnoException e) {
            throw new NtStatusException(ErrnoToNtStatus.toNtStatus(e.errnoNumber()), callback + ": " + e.getMessage(), e);
        } catch (FuseProtocolException e) {
            throw new NtStatusException(NtStatus.IO_DEVICE_ERROR, callback + ": " + e.getMessage(), e);
        } catch (TransportTimeoutException e) {
            throw new NtStatusException(NtStatus.IO_TIMEOUT, callback + ": " + e.getMessage(), e);
        } catch (TransportException e) {
            throw new NtStatusException(NtStatus.DEVICE_NOT_READY, callback + ": " + e.getMessage(), e);
        } finally {
            try {
                cache.leave();
                cache.sendForgets();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "FORGET after " + callback + " failed", e);
            } finally {
                counters.leave(prev);
            }
        }
    }

    private void run(String callback, Runnable body) {
        call(callback, () -> {
            body.run();
            return null;
        });
    }

    private void checkWritable(String what) {
        if (config.readOnly()) {
            throw new NtStatusException(NtStatus.MEDIA_WRITE_PROTECTED, what + " on a read-only volume");
        }
    }

    private static Handle handle(FileContext context) {
        if (context instanceof Handle h) {
            if (h.closed) {
                throw new NtStatusException(NtStatus.FILE_CLOSED, "handle of " + h.path + " used after Close");
            }
            return h;
        }
        throw new NtStatusException(NtStatus.INVALID_HANDLE, "not a context of this volume: " + context);
    }

    private static String checkHostName(String hostName) {
        int bytes = hostName.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > HOST_NAME_MAX_BYTES) {
            throw new NtStatusException(NtStatus.NAME_TOO_LONG, "name of " + bytes + " UTF-8 bytes; the host holds at most "
                    + HOST_NAME_MAX_BYTES);
        }
        return hostName;
    }

    // ================================================================== path resolution

    /** A resolved path: the leaf node (null if the leaf is missing) and its parent directory. */
    record Resolved(Node parent, Node node, String hostName, List<String> hostNames) {
    }

    /** Thrown inside symlink resolution at a reparse point of another tag (stored with -o xattr). */
    private static final class OtherReparsePoint extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final byte[] data;

        OtherReparsePoint(byte[] data) {
            super(null, null, false, false);
            this.data = data;
        }
    }

    /** Thrown inside resolution when a non-final component is a symlink. */
    private static final class SymlinkInPath extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int componentIndex;

        SymlinkInPath(int componentIndex) {
            super(null, null, false, false);
            this.componentIndex = componentIndex;
        }
    }

    /**
     * Walks the path through the name cache. Missing intermediate → OBJECT_PATH_NOT_FOUND; an
     * intermediate file → NOT_A_DIRECTORY; an intermediate symlink → {@link SymlinkInPath}. A missing
     * leaf gives node == null (the caller decides).
     */
    private Resolved resolve(WinPath path) {
        Node dir = cache.root();
        List<String> names = path.names();
        if (names.isEmpty()) {
            return new Resolved(null, dir, null, List.of());
        }
        List<String> spelled = new ArrayList<>(names.size());
        for (int i = 0; i < names.size() - 1; i++) {
            NodeCache.Found f = cache.lookupChild(dir, checkHostName(names.get(i)));
            if (f == null) {
                throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, "\\" + String.join("\\", names.subList(0, i + 1))
                        + " does not exist");
            }
            HostStat st = cache.stat(f.node());
            if (st.isSymlink() || (winAttrs != null && winAttrs.reparse(f.node(), st) != null)) {
                throw new SymlinkInPath(i);
            }
            if (!st.isDirectory()) {
                throw new NtStatusException(NtStatus.NOT_A_DIRECTORY, "\\" + String.join("\\", names.subList(0, i + 1))
                        + " is not a directory");
            }
            spelled.add(f.hostName());
            dir = f.node();
        }
        String leaf = checkHostName(names.get(names.size() - 1));
        NodeCache.Found f = cache.lookupChild(dir, leaf);
        if (f == null) {
            spelled.add(leaf);
            return new Resolved(dir, null, leaf, spelled);
        }
        spelled.add(f.hostName());
        return new Resolved(dir, f.node(), f.hostName(), spelled);
    }

    private Resolved resolveNoSymlinks(WinPath path) {
        try {
            return resolve(path);
        } catch (SymlinkInPath e) {
            throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, path
                    + ": a directory in the path is a symbolic link; resolve it with ResolveReparsePoints first");
        }
    }

    private Resolved resolveExisting(WinPath path) {
        Resolved r = resolveNoSymlinks(path);
        if (r.node() == null) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, path + " does not exist");
        }
        return r;
    }

    private String normalizedName(Resolved r) {
        if (!config.caseInsensitive()) {
            return null;
        }
        if (r.hostNames().isEmpty()) {
            return "\\";
        }
        StringBuilder sb = new StringBuilder();
        for (String s : r.hostNames()) {
            sb.append('\\').append(WinPath.toWindowsName(s));
        }
        return sb.toString();
    }

    private FileInfo info(Node n, HostStat st) {
        FileInfo fi = FileInfoMapper.toFileInfo(st, n.name(), config.hideDotFiles());
        if (winAttrs != null) {
            fi = winAttrs.apply(fi, st, winAttrs.stored(n, st));
        }
        if (st.isSymlink() && linkIsDirectory(n)) {
            fi = new FileInfo(fi.fileAttributes() | FileAttributes.DIRECTORY, fi.reparseTag(), fi.allocationSize(),
                    fi.fileSize(), fi.creationTime(), fi.lastAccessTime(), fi.lastWriteTime(), fi.changeTime(),
                    fi.indexNumber(), fi.hardLinks(), fi.eaSize());
        }
        if (config.readOnly() && !st.isDirectory() && (fi.fileAttributes() & FileAttributes.READONLY) == 0) {
            fi = new FileInfo(fi.fileAttributes() | FileAttributes.READONLY, fi.reparseTag(), fi.allocationSize(),
                    fi.fileSize(), fi.creationTime(), fi.lastAccessTime(), fi.lastWriteTime(), fi.changeTime(),
                    fi.indexNumber(), fi.hardLinks(), fi.eaSize());
        }
        return fi;
    }

    private FileInfo info(Node n) {
        return info(n, cache.stat(n));
    }

    private FileInfo info(Handle h) {
        FileInfo fi = info(h.node, cache.stat(h.node, h.fhIfOpen()));
        return h.isStream() ? streams.info(h, fi) : fi;
    }

    /** The stored descriptor (with -o xattr, while it matches the host's bits) or the derived one. */
    private byte[] securityDescriptor(Node n, HostStat st) {
        if (winAttrs != null) {
            byte[] stored = winAttrs.descriptor(n, st);
            if (stored != null) {
                return stored;
            }
        }
        return securityDescriptor(st);
    }

    /**
     * Whether mode bits express this descriptor: it is what {@link PosixSecurity#toDescriptor} makes
     * for its own owner, group and the mode it maps to, or (when read grants execute) what this volume
     * shows for that mode.
     */
    private boolean representable(SecurityDescriptor sd, int fileType) {
        if (sd.owner() == null || sd.group() == null || sd.dacl() == null) {
            return false;
        }
        int mode = fileType | PosixSecurity.fromDescriptor(sd).mode();
        byte[] bytes = sd.toBytes();
        return Arrays.equals(PosixSecurity.toDescriptor(sd.owner(), sd.group(), mode).toBytes(), bytes)
                || (config.readGrantsExecute()
                && Arrays.equals(PosixSecurity.toShownDescriptor(sd.owner(), sd.group(), mode).toBytes(), bytes));
    }

    private byte[] securityDescriptor(HostStat st) {
        int mode = st.mode();
        if (config.readOnly()) {
            mode &= ~0222;
        }
        Sid owner = ids.uidToSid(st.uid());
        Sid group = ids.gidToSid(st.gid());
        return (config.readGrantsExecute() ? PosixSecurity.toShownDescriptor(owner, group, mode)
                : PosixSecurity.toDescriptor(owner, group, mode)).toBytes();
    }

    // ================================================================== volume

    @Override
    public VolumeInfo getVolumeInfo() {
        return call("GetVolumeInfo", this::volumeInfo);
    }

    private VolumeInfo volumeInfo() {
        StatfsOut s = client.statfs(FuseFlags.ROOT_ID);
        long unit = s.frsize() != 0 ? Integer.toUnsignedLong(s.frsize()) : Integer.toUnsignedLong(s.bsize());
        return new VolumeInfo(s.blocks() * unit, s.bavail() * unit, label);
    }

    @Override
    public VolumeInfo setVolumeLabel(String volumeLabel) {
        return call("SetVolumeLabel", () -> {
            checkWritable("SetVolumeLabel");
            if (volumeLabel == null) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "no label");
            }
            // the label field holds 32 WCHARs: a longer label keeps its first 32, as memfs does
            // (winfsp-tests setvolinfo_test); kept for this mount only, FUSE has no place for it on the host
            label = volumeLabel.length() > VolumeInfo.MAX_LABEL_CHARS
                    ? volumeLabel.substring(0, VolumeInfo.MAX_LABEL_CHARS) : volumeLabel;
            return volumeInfo();
        });
    }

    // ================================================================== security by name

    @Override
    public SecurityByName getSecurityByName(String fileName) {
        return call("GetSecurityByName", () -> {
            WinPath p = WinPath.parse(fileName);
            Resolved r;
            try {
                r = resolve(p);
            } catch (SymlinkInPath e) {
                return new SecurityByName(NtStatus.REPARSE, p.componentOffset(e.componentIndex), null);
            }
            if (r.node() == null) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, p + " does not exist");
            }
            if (p.isNamedStream() && !streams.exists(r.node(), p.streamName())) {
                // the DLL then takes the create path for the stream, not the overwrite path
                throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, p + ": the file has no such stream");
            }
            HostStat st = cache.stat(r.node());
            return new SecurityByName(NtStatus.SUCCESS, info(r.node(), st).fileAttributes(),
                    securityDescriptor(r.node(), st));
        });
    }

    // ================================================================== create / open

    @Override
    public OpenResult create(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                             byte[] securityDescriptor, long allocationSize) {
        return create(fileName, createOptions, grantedAccess, fileAttributes, securityDescriptor, allocationSize,
                List.of());
    }

    @Override
    public OpenResult createWithEas(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                                    byte[] securityDescriptor, long allocationSize, List<Ea> eas) {
        return create(fileName, createOptions, grantedAccess, fileAttributes, securityDescriptor, allocationSize, eas);
    }

    /**
     * Create, then the EAs (if any) on the new file. If they cannot be set the file is removed again
     * and the failure thrown: the caller is left with neither a half-made file nor a handle.
     */
    private OpenResult create(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                              byte[] securityDescriptor, long allocationSize, List<Ea> eas) {
        return call("Create", () -> {
            checkWritable("Create");
            List<Ea> newEas = newFileEas(eas);
            WinPath p = WinPath.parse(fileName);
            if (p.isNamedStream()) {
                return createStream(p, grantedAccess, newEas);
            }
            p = p.withoutStream();
            if (p.isRoot()) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION, "the root exists");
            }
            Resolved r;
            if (config.caseInsensitive()) {
                r = resolveNoSymlinks(p);
                if (r.node() != null) {
                    // a name that differs only by case exists: open-or-fail as NTFS would, never make a twin
                    throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION, p + " exists as \\"
                            + String.join("\\", r.hostNames()));
                }
            } else {
                // case-sensitive: O_EXCL / MKDIR's EEXIST is the existence check, no LOOKUP needed
                Resolved dirOf = resolveNoSymlinks(p.parent());
                if (dirOf.node() == null) {
                    throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, p.parent() + " does not exist");
                }
                if (!cache.stat(dirOf.node()).isDirectory()) {
                    throw new NtStatusException(NtStatus.NOT_A_DIRECTORY, p.parent() + " is not a directory");
                }
                r = new Resolved(dirOf.node(), null, checkHostName(p.leaf()), List.of());
            }
            boolean dir = (createOptions & CreateOptions.FILE_DIRECTORY_FILE) != 0;
            boolean readOnly = (fileAttributes & FileAttributes.READONLY) != 0;
            // with -o xattr a given descriptor that mode bits cannot express is kept; otherwise it is
            // ignored (the anchor's behaviour): new files get the default mode
            SecurityDescriptor wantedSd = null;
            if (winAttrs != null && securityDescriptor != null) {
                SecurityDescriptor sd = SecurityDescriptor.parse(securityDescriptor);
                if (!representable(sd, dir ? HostStat.S_IFDIR : HostStat.S_IFREG)) {
                    wantedSd = sd;
                }
            }
            Node parent = r.parent();
            String name = r.hostName();
            Node node;
            Handle h;
            try {
                if (dir) {
                    // READONLY on a directory does not stop anyone adding files on NTFS: the mode keeps its
                    // write bits (with -o xattr the attribute itself is stored)
                    int mode = HostStat.S_IFDIR | NEW_DIR_MODE;
                    EntryOut e = client.mkdir(parent.id, name, mode, 0);
                    node = cache.adopt(parent, name, e);
                    h = new Handle(node, p, true, grantedAccess);
                } else {
                    int mode = HostStat.S_IFREG | (NEW_FILE_MODE & (readOnly ? ~0222 : ~0));
                    CreateOut c = client.create(parent.id, name, OpenFlags.O_RDWR | OpenFlags.O_EXCL, mode, 0);
                    node = cache.adopt(parent, name, c.entry());
                    h = new Handle(node, p, false, grantedAccess);
                    h.setOpened(c.open().fh(), OpenFlags.O_RDWR);
                }
            } catch (FuseErrnoException e) {
                if (e.is(Errno.EEXIST)) {
                    throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION, p + " exists on the host", e);
                }
                throw e;
            }
            cache.pin(h);
            try {
                fixOwner(node);
                if (!dir && allocationSize > 0) {
                    allocate(h, allocationSize);
                }
                if (winAttrs != null) {
                    // NTFS gives every new file ARCHIVE
                    winAttrs.setAttributes(node, cache.stat(node), fileAttributes | (dir ? 0 : FileAttributes.ARCHIVE));
                    if (wantedSd != null) {
                        winAttrs.setDescriptor(node, cache.stat(node), wantedSd.toBytes());
                    }
                }
            } catch (RuntimeException e) {
                // the file exists now and its handle is valid: log, Close will release it
                LOG.log(Level.WARNING, "Create " + p + ": a step after creating the file failed", e);
            }
            if (!newEas.isEmpty()) {
                try {
                    winAttrs.setEas(node, cache.stat(node), newEas);
                } catch (RuntimeException e) {
                    undoCreate(h, parent, name, dir, false, e);
                    throw e;
                }
            }
            String normalized = config.caseInsensitive() ? p.toWindowsPath() : null;
            return new OpenResult(h, new OpenFileInfo(info(h), normalized));
        });
    }

    /**
     * The EAs a CreateEx buffer gives a new file, checked before anything is made: entries with an
     * empty value are ignored; any at all need {@code -o xattr}; the set must fit one host attribute.
     */
    private List<Ea> newFileEas(List<Ea> eas) {
        List<Ea> given = new ArrayList<>();
        for (Ea e : eas) {
            if (e.value().length > 0) {
                given.add(e);
            }
        }
        if (given.isEmpty()) {
            return List.of();
        }
        requireEas();
        EaList.check(given);
        XattrAttributes.checkFits(EaList.apply(List.of(), given));
        return given;
    }

    /**
     * Takes back a Create whose EAs could not be set: the new file (or only the new stream, when the
     * file existed before) is removed and the handle closed. A failure here is added to {@code cause}.
     */
    private void undoCreate(Handle h, Node parent, String name, boolean dir, boolean streamOnly, RuntimeException cause) {
        try {
            releaseFh(h);
            if (streamOnly) {
                streams.delete(h);
            } else if (dir) {
                client.rmdir(parent.id, name);
                cache.removed(parent, name, h.node);
            } else {
                client.unlink(parent.id, name);
                cache.removed(parent, name, h.node);
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.log(Level.WARNING, "Create " + h.path + ": could not remove what was created before the EAs failed", e);
        } finally {
            h.closed = true;
            cache.unpin(h);
        }
    }

    private void requireEas() {
        if (winAttrs == null) {
            throw new NtStatusException(NtStatus.EAS_NOT_SUPPORTED, "extended attributes need the daemon's -o xattr");
        }
    }

    /** New files are owned by the header ids; chown when the wanted owner differs (auto owner ≠ 0:0). */
    private void fixOwner(Node node) {
        if (headerUid == ids.ownerUid() && headerGid == ids.ownerGid()) {
            return;
        }
        AttrOut a = client.setattr(node.id, SetattrIn.builder().uid(ids.ownerUid()).gid(ids.ownerGid()).build());
        cache.update(node, a);
    }

    @Override
    public OpenResult open(String fileName, int createOptions, int grantedAccess) {
        return call("Open", () -> {
            WinPath p = WinPath.parse(fileName);
            if (p.isNamedStream()) {
                return openStream(p, grantedAccess);
            }
            Resolved r = resolveExisting(p.withoutStream());
            HostStat st = cache.stat(r.node());
            if ((createOptions & CreateOptions.FILE_DIRECTORY_FILE) != 0 && !st.isDirectory() && !st.isSymlink()) {
                throw new NtStatusException(NtStatus.NOT_A_DIRECTORY, p + " is not a directory");
            }
            if ((createOptions & CreateOptions.FILE_NON_DIRECTORY_FILE) != 0 && st.isDirectory()) {
                throw new NtStatusException(NtStatus.FILE_IS_A_DIRECTORY, p + " is a directory");
            }
            if ((createOptions & CreateOptions.FILE_NO_EA_KNOWLEDGE) != 0 && winAttrs != null
                    && EaList.needEa(winAttrs.stored(r.node(), st).eas())) {
                // an opener that does not understand EAs may not open a file that needs them (NTFS, memfs)
                throw new NtStatusException(NtStatus.ACCESS_DENIED, p + " has an EA marked FILE_NEED_EA");
            }
            Handle h = new Handle(r.node(), p.withoutStream(), st.isDirectory(), grantedAccess);
            cache.pin(h);
            return new OpenResult(h, new OpenFileInfo(info(r.node(), st), normalizedName(r)));
        });
    }

    /**
     * Create of {@code file:stream}: the file is created if missing, the stream must not exist. EAs
     * given with it belong to the main file (added by SetEa's rules); if they fail, the stream, and the
     * file if this call made it, are removed.
     */
    private OpenResult createStream(WinPath p, int grantedAccess, List<Ea> eas) {
        if (!config.xattrs()) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED, p + ": named streams need the daemon's -o xattr");
        }
        WinPath file = p.withoutStream();
        Resolved r = resolveNoSymlinks(file);
        Node node = r.node();
        boolean madeFile = node == null;
        if (madeFile) {
            CreateOut c = client.create(r.parent().id, r.hostName(), OpenFlags.O_RDWR | OpenFlags.O_EXCL,
                    HostStat.S_IFREG | NEW_FILE_MODE, 0);
            node = cache.adopt(r.parent(), r.hostName(), c.entry());
            client.release(node.id, c.open().fh(), OpenFlags.O_RDWR);
        }
        streams.create(node, p.streamName());
        Handle h = new Handle(node, p, false, grantedAccess, p.streamName(), new byte[0]);
        cache.pin(h);
        if (!eas.isEmpty()) {
            try {
                winAttrs.setEas(node, cache.stat(node), eas);
            } catch (RuntimeException e) {
                if (madeFile) {
                    undoCreate(h, r.parent(), r.hostName(), false, false, e);
                } else {
                    undoCreate(h, null, null, false, true, e);
                }
                throw e;
            }
        }
        return new OpenResult(h, new OpenFileInfo(info(h), null));
    }

    /** Open of {@code file:stream}: OBJECT_NAME_NOT_FOUND when the stream (or xattr support) is missing. */
    private OpenResult openStream(WinPath p, int grantedAccess) {
        if (!config.xattrs()) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, p + ": no named streams without -o xattr");
        }
        Resolved r = resolveExisting(p.withoutStream());
        byte[] data = streams.load(r.node(), p.streamName());
        Handle h = new Handle(r.node(), p, false, grantedAccess, p.streamName(), data);
        cache.pin(h);
        return new OpenResult(h, new OpenFileInfo(info(h), normalizedName(r)));
    }

    /** The FUSE fh of a file handle, opening it on first use with flags from the granted access. */
    private long fh(Handle h) {
        synchronized (h) {
            if (h.opened) {
                return h.fh;
            }
            if (h.isDir) {
                OpenOut o = client.opendir(h.node.id);
                h.setOpened(o.fh(), OpenFlags.O_RDONLY);
                return o.fh();
            }
            HostStat st = cache.stat(h.node);
            if (st.isSymlink()) {
                throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, h.path + " is a symbolic link; it has no data");
            }
            boolean write = (h.grantedAccess & WRITE_ACCESS) != 0 && !config.readOnly();
            int flags = write ? OpenFlags.O_RDWR : OpenFlags.O_RDONLY;
            OpenOut o;
            try {
                o = client.open(h.node.id, flags);
            } catch (FuseErrnoException e) {
                if (!write || !e.is(Errno.EACCES)) {
                    throw e;
                }
                flags = OpenFlags.O_RDONLY;
                o = client.open(h.node.id, flags);
            }
            h.setOpened(o.fh(), flags);
            return o.fh();
        }
    }

    @Override
    public FileInfo overwrite(FileContext context, int fileAttributes, boolean replaceFileAttributes, long allocationSize) {
        return overwrite(context, fileAttributes, replaceFileAttributes, allocationSize, null);
    }

    @Override
    public FileInfo overwriteWithEas(FileContext context, int fileAttributes, boolean replaceFileAttributes,
                                     long allocationSize, List<Ea> eas) {
        return overwrite(context, fileAttributes, replaceFileAttributes, allocationSize, eas);
    }

    /**
     * Overwrite; with {@code eas} non-null (OverwriteEx) the file's EAs are replaced first, so a set the
     * host refuses leaves the file as it was. On a named-stream handle the main file keeps its EAs and
     * given ones are added to them (memfs too truncates only the stream): a browser rewriting
     * Zone.Identifier must not wipe the file's EAs.
     */
    private FileInfo overwrite(FileContext context, int fileAttributes, boolean replaceFileAttributes,
                               long allocationSize, List<Ea> eas) {
        return call("Overwrite", () -> {
            checkWritable("Overwrite");
            Handle h = handle(context);
            if (eas != null && winAttrs == null && !eas.isEmpty()) {
                requireEas();
            } else if (eas != null && winAttrs != null) {
                EaList.check(eas);
                HostStat now = cache.stat(h.node, h.fhIfOpen());
                if (!h.isStream()) {
                    winAttrs.replaceEas(h.node, now, eas);
                } else {
                    // added, never deleted: an empty value in an overwrite's list is ignored (the contract)
                    List<Ea> given = eas.stream().filter(e -> e.value().length > 0).toList();
                    if (!given.isEmpty()) {
                        winAttrs.setEas(h.node, now, given);
                    }
                }
            }
            if (h.isStream()) {
                streams.truncate(h, 0);
                return info(h);
            }
            HostStat st = cache.stat(h.node);
            SetattrIn.Builder b = SetattrIn.builder().size(0);
            long fh = h.writableFhIfOpen();
            if (fh >= 0) {
                b.fh(fh);
            }
            boolean ro;
            if (replaceFileAttributes) {
                ro = (fileAttributes & FileAttributes.READONLY) != 0;
            } else {
                ro = (st.mode() & 0222) == 0 || (fileAttributes & FileAttributes.READONLY) != 0;
            }
            int mode = readOnlyMode(st.mode(), ro);
            if (mode != st.mode()) {
                b.mode(mode & 07777);
            }
            AttrOut a = client.setattr(h.node.id, b.build());
            cache.update(h.node, a);
            h.changed(h.node);
            if (config.xattrs()) {
                streams.deleteAll(h.node);
            }
            if (allocationSize > 0) {
                allocate(h, allocationSize);
            }
            if (winAttrs != null) {
                HostStat now = cache.stat(h.node);
                if (replaceFileAttributes) {
                    winAttrs.setAttributes(h.node, now, fileAttributes | FileAttributes.ARCHIVE);
                } else {
                    winAttrs.addAttributes(h.node, now, fileAttributes | FileAttributes.ARCHIVE);
                }
            }
            return info(h);
        });
    }

    /** The mode with the write bits removed (READONLY) or the owner's write bit restored. */
    private static int readOnlyMode(int mode, boolean readOnly) {
        if (readOnly) {
            return mode & ~0222;
        }
        return (mode & 0222) == 0 ? mode | 0200 : mode;
    }

    // ================================================================== cleanup / close

    @Override
    public void cleanup(FileContext context, String fileName, int flags) {
        Handle h;
        try {
            h = handle(context);
        } catch (NtStatusException e) {
            LOG.warning("Cleanup: " + e.getMessage());
            return;
        }
        try {
            run("Cleanup", () -> doCleanup(h, flags));
        } catch (RuntimeException e) {
            // Cleanup cannot fail (winfsp-native.md §2, slot 6): log and go on
            LOG.log(Level.WARNING, "Cleanup of " + h.path + " (flags 0x" + Integer.toHexString(flags) + ") failed", e);
        }
    }

    private void doCleanup(Handle h, int flags) {
        if (h.isStream()) {
            if ((flags & CleanupFlags.DELETE) != 0 && !config.readOnly()) {
                streams.delete(h);
            }
            return;
        }
        if ((flags & CleanupFlags.DELETE) != 0) {
            if (config.readOnly()) {
                return;
            }
            NodeCache.Link link = cache.link(h.node);
            Node parent = link.parent();
            String name = link.name();
            if (parent == null || name == null) {
                // another handle renamed a file over it or deleted it: this file has no name left to remove
                LOG.fine(() -> "Cleanup(Delete) of " + h.path + ": the file has no name any more");
                return;
            }
            HostStat st = cache.stat(h.node);
            try {
                if (st.isDirectory()) {
                    releaseFh(h); // an open directory fd is fine on Linux, but release early: the handle is done
                    client.rmdir(parent.id, name);
                } else {
                    client.unlink(parent.id, name);
                }
            } catch (FuseErrnoException e) {
                // ENOENT: gone already; EIO: virtiofsd holds no reference on what the name now names, i.e.
                // another file took the name (a rename raced onto it) and this handle's file is unlinked
                if (!e.is(Errno.ENOENT) && !e.is(Errno.EIO)) {
                    throw e;
                }
                LOG.fine(() -> "Cleanup(Delete) of " + h.path + ": the name no longer names this file (" + e.getMessage() + ")");
            }
            cache.removed(parent, name, h.node);
            return;
        }
        if (config.readOnly() || h.isDir) {
            return; // the mode is never touched either (the anchor reset it to 0664 here, §4.6)
        }
        if ((flags & CleanupFlags.SET_ARCHIVE_BIT) != 0 && winAttrs != null) {
            HostStat st = cache.stat(h.node);
            winAttrs.addAttributes(h.node, st, FileAttributes.ARCHIVE);
        }
        // Each flag means exactly what memfs makes of it (docs/volume-semantics.md "Cleanup flags"):
        // SetLastWriteTime stamps now; SetChangeTime is the host's own (every change moved ctime);
        // SetLastAccessTime follows the host's atime policy; SetArchiveBit is shown or stored above.
        // memfs moves LastWriteTime only at SetBasicInfo and at Cleanup; the host also stamps every
        // WRITE and truncate. So: a handle whose own change is still the latest stamp (no time event
        // since) needs no request; one that changed nothing, or was overtaken by a time event of
        // another handle, gets "now"; a handle that set the time itself, with no time event since,
        // puts it back over any later write's stamp.
        Node n = h.node;
        boolean setWriteTime = (flags & CleanupFlags.SET_LAST_WRITE_TIME) != 0;
        boolean now = setWriteTime && (!h.modified || n.timeEvents != h.timeEventsAtChange);
        long[] explicit = h.explicitWriteTime;
        long[] keep = !setWriteTime && explicit != null && n.timeEvents == h.timeEventsAtSet
                && n.changedSinceTimeEvent ? explicit : null;
        try {
            if ((flags & CleanupFlags.SET_ALLOCATION_SIZE) != 0 && trimAllocation(h, now, keep)) {
                return;
            }
            if (now) {
                cache.update(n, client.setattr(n.id, SetattrIn.builder().mtimeNow().build()));
            } else if (keep != null) {
                cache.update(n, client.setattr(n.id, SetattrIn.builder().mtime(keep[0], (int) keep[1]).build()));
            } else if (h.modified) {
                cache.expireAttributes(n); // our local size/mtime guess gives way to the host's truth
            }
        } finally {
            if (setWriteTime || keep != null) {
                n.timeEvents++;
                n.changedSinceTimeEvent = false;
            }
        }
    }

    /**
     * Cleanup(SetAllocationSize): the allocation goes back to the end of file rounded up to a cluster
     * (NTFS frees what SetFileSize(allocation) reserved beyond it). A truncate to the current size frees
     * blocks past the end on Linux file systems (ext4 ignores a PUNCH_HOLE past the end of file). The
     * truncate would stamp mtime, so the same SETATTR sets it: {@code now}, the handle's explicit
     * {@code keep}, or the time the file had. Through the handle's fh only if it may write (a read-only
     * descriptor cannot be truncated), else by node. False when nothing was to trim.
     */
    private boolean trimAllocation(Handle h, boolean now, long[] keep) {
        HostStat st = cache.freshStat(h.node, h.fhIfOpen()).stat();
        if (!st.isRegular()) {
            return false;
        }
        long cluster = FileInfoMapper.roundUpToCluster(st.size());
        if (FileInfoMapper.toFileInfo(st, null, false).allocationSize() <= cluster) {
            return false;
        }
        SetattrIn.Builder b = SetattrIn.builder().size(st.size());
        if (now) {
            b.mtimeNow();
        } else if (keep != null) {
            b.mtime(keep[0], (int) keep[1]);
        } else {
            b.mtime(st.mtime(), st.mtimeNsec());
        }
        long fh = h.writableFhIfOpen();
        if (fh >= 0) {
            b.fh(fh);
        }
        cache.update(h.node, client.setattr(h.node.id, b.build()));
        return true;
    }

    @Override
    public void close(FileContext context) {
        if (!(context instanceof Handle h) || h.closed) {
            LOG.warning("Close of an unknown or closed context: " + context);
            return;
        }
        try {
            run("Close", () -> {
                try {
                    releaseFh(h);
                } finally {
                    h.closed = true;
                    cache.unpin(h);
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Close of " + h.path + " failed", e);
        }
    }

    private void releaseFh(Handle h) {
        long fh;
        boolean dir;
        int flags;
        synchronized (h) {
            if (!h.opened) {
                return;
            }
            fh = h.fh;
            dir = h.isDir;
            flags = h.openFlags;
            h.opened = false;
            h.fh = -1;
        }
        if (dir) {
            client.releasedir(h.node.id, fh);
        } else {
            client.release(h.node.id, fh, flags);
        }
    }

    // ================================================================== data

    @Override
    public int read(FileContext context, ByteBuffer buffer, long offset, int length) {
        return call("Read", () -> {
            Handle h = handle(context);
            if (h.isDir) {
                throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, h.path + " is a directory");
            }
            if (offset < 0 || length < 0 || length > buffer.capacity()) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "read at " + offset + " of " + length
                        + " bytes into a buffer of " + buffer.capacity());
            }
            if (length == 0) {
                return 0;
            }
            if (h.isStream()) {
                return streams.read(h, buffer, offset, length);
            }
            long fh = fh(h);
            ByteBuffer dst = buffer.duplicate();
            dst.position(0).limit(length);
            int n = client.read(h.node.id, fh, offset, dst);
            if (n == 0) {
                throw new NtStatusException(NtStatus.END_OF_FILE, h.path + ": offset " + offset + " is at or past the end");
            }
            return n;
        });
    }

    @Override
    public WriteResult write(FileContext context, ByteBuffer buffer, long offset, int length,
                             boolean writeToEndOfFile, boolean constrainedIo) {
        return call("Write", () -> {
            checkWritable("Write");
            Handle h = handle(context);
            if (h.isDir) {
                throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, h.path + " is a directory");
            }
            if (length < 0 || length > buffer.capacity() || (!writeToEndOfFile && offset < 0)) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "write at " + offset + " of " + length
                        + " bytes from a buffer of " + buffer.capacity());
            }
            if (h.isStream()) {
                int n = streams.write(h, buffer, offset, length, writeToEndOfFile, constrainedIo);
                return new WriteResult(n, info(h));
            }
            long fh = fh(h);
            boolean needSize = writeToEndOfFile || constrainedIo;
            NodeCache.CachedStat cs = needSize ? cache.freshStat(h.node, fh) : h.node.cached();
            long sizeBefore = cs.stat().size();
            long at = writeToEndOfFile ? sizeBefore : offset;
            int len = length;
            if (constrainedIo) {
                // paging I/O never changes the size (winfsp-native.md §2.1)
                if (at >= sizeBefore) {
                    return new WriteResult(0, info(h));
                }
                len = (int) Math.min(len, sizeBefore - at);
            }
            if (len == 0) {
                return new WriteResult(0, info(h));
            }
            ByteBuffer src = buffer.duplicate();
            src.position(0).limit(len);
            int written = 0;
            try {
                while (written < len) {
                    int n = client.write(h.node.id, fh, at + written, src);
                    if (n == 0) {
                        throw new NtStatusException(NtStatus.IO_DEVICE_ERROR, h.path + ": the daemon wrote 0 bytes at "
                                + (at + written));
                    }
                    written += n;
                }
            } catch (RuntimeException e) {
                if (written > 0 || at + len > sizeBefore) {
                    undoPartialWrite(h, fh, cs, at);
                }
                throw e;
            }
            h.changed(h.node);
            HostStat after = cache.wrote(h.node, at + len);
            return new WriteResult(len, info(h.node, after));
        });
    }

    /**
     * A write failed part-way (disk full): nothing is reported as written, and when the file grew and
     * its size before the write is known, it is cut back so no partial data stays visible.
     */
    private void undoPartialWrite(Handle h, long fh, NodeCache.CachedStat before, long at) {
        if (!cache.isValid(before) || at < 0) {
            cache.expireAttributes(h.node);
            return;
        }
        try {
            long size = before.stat().size();
            AttrOut a = client.setattr(h.node.id, SetattrIn.builder().size(size).fh(fh).build());
            cache.update(h.node, a);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not cut " + h.path + " back after a failed write", e);
            cache.expireAttributes(h.node);
        }
    }

    @Override
    public FileInfo flush(FileContext context) {
        return call("Flush", () -> {
            if (context == null) {
                // a volume flush: the daemon has no SYNCFS in FUSE 7.36 as used here, and every file's data
                // is already with the host kernel (no client write cache): nothing to send
                return null;
            }
            Handle h = handle(context);
            long fh = h.fhIfOpen();
            if (fh >= 0) {
                if (h.isDir) {
                    client.fsyncdir(h.node.id, fh, false);
                } else {
                    client.fsync(h.node.id, fh, false);
                }
            }
            return info(h);
        });
    }

    @Override
    public FileInfo getFileInfo(FileContext context) {
        return call("GetFileInfo", () -> info(handle(context)));
    }

    @Override
    public FileInfo setBasicInfo(FileContext context, int fileAttributes, long creationTime, long lastAccessTime,
                                 long lastWriteTime, long changeTime) {
        return call("SetBasicInfo", () -> {
            checkWritable("SetBasicInfo");
            Handle h = handle(context);
            HostStat st = cache.stat(h.node, h.fhIfOpen());
            SetattrIn.Builder b = SetattrIn.builder();
            boolean any = false;
            if (fileAttributes != FileAttributes.INVALID_FILE_ATTRIBUTES && !st.isDirectory() && !st.isSymlink()) {
                int mode = readOnlyMode(st.mode(), (fileAttributes & FileAttributes.READONLY) != 0);
                if (mode != st.mode()) {
                    b.mode(mode & 07777);
                    any = true;
                }
            }
            if (isTimeToSet(lastAccessTime)) {
                long[] u = FileInfoMapper.toUnixTime(lastAccessTime);
                b.atime(u[0], (int) u[1]);
                any = true;
            }
            if (isTimeToSet(lastWriteTime)) {
                long[] u = FileInfoMapper.toUnixTime(lastWriteTime);
                b.mtime(u[0], (int) u[1]);
                any = true;
            }
            // ChangeTime cannot be set through FUSE: the host keeps ctime itself. CreationTime has no host
            // field either; with -o xattr it is stored, and pinned before other times move (it is derived
            // from them otherwise).
            if (winAttrs != null && !st.isSymlink()) {
                if (isTimeToSet(creationTime)) {
                    winAttrs.setCreationTime(h.node, st, creationTime);
                } else if (any && winAttrs.creationTime(h.node, st) == 0) {
                    winAttrs.setCreationTime(h.node, st, info(h.node, st).creationTime());
                }
                st = cache.stat(h.node);
            }
            HostStat now = st;
            if (any) {
                AttrOut a = client.setattr(h.node.id, b.build());
                now = cache.update(h.node, a).stat();
                if (isTimeToSet(lastWriteTime)) {
                    // kept through this handle's later writes and close, as memfs keeps it (see doCleanup)
                    h.explicitWriteTime = new long[] {now.mtime(), now.mtimeNsec()};
                    h.timeEventsAtSet = ++h.node.timeEvents;
                    h.node.changedSinceTimeEvent = false;
                }
            }
            if (winAttrs != null && !now.isSymlink() && (isTimeToSet(lastAccessTime) || isTimeToSet(lastWriteTime))) {
                // a time the host clamped (before 1901 on ext4) or rounded is pinned as Windows set it
                FileInfo shown = FileInfoMapper.toFileInfo(now, null, false);
                XattrAttributes.Stored was = winAttrs.stored(h.node, now);
                XattrAttributes.TimePin access = isTimeToSet(lastAccessTime)
                        ? pinIfKeptDifferently(lastAccessTime, shown.lastAccessTime()) : was.accessTime();
                XattrAttributes.TimePin write = isTimeToSet(lastWriteTime)
                        ? pinIfKeptDifferently(lastWriteTime, shown.lastWriteTime()) : was.writeTime();
                winAttrs.setTimePins(h.node, now, access, write);
                now = cache.stat(h.node);
            }
            if (winAttrs != null && fileAttributes != FileAttributes.INVALID_FILE_ATTRIBUTES) {
                winAttrs.setAttributes(h.node, now, fileAttributes);
                now = cache.stat(h.node);
            }
            return info(h.node, now);
        });
    }

    /** A pin when the host shows {@code hostShows} for the {@code wanted} time, else null. */
    private static XattrAttributes.TimePin pinIfKeptDifferently(long wanted, long hostShows) {
        return wanted == hostShows ? null : new XattrAttributes.TimePin(wanted, hostShows);
    }

    /** 0 = unchanged; -1 and -2 (stop / resume automatic updates in NTFS) change nothing on the host either. */
    private static boolean isTimeToSet(long fileTime) {
        return fileTime != 0 && fileTime != -1 && fileTime != -2;
    }

    @Override
    public FileInfo setFileSize(FileContext context, long newSize, boolean setAllocationSize) {
        return call("SetFileSize", () -> {
            checkWritable("SetFileSize");
            Handle h = handle(context);
            if (newSize < 0) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "size " + newSize);
            }
            if (h.isDir) {
                throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, h.path + " is a directory");
            }
            if (h.isStream()) {
                if (!setAllocationSize || newSize < streams.size(h)) {
                    streams.truncate(h, newSize);
                }
                return info(h);
            }
            if (!setAllocationSize) {
                truncate(h, newSize);
            } else {
                HostStat st = cache.freshStat(h.node, h.fhIfOpen()).stat();
                if (newSize < st.size()) {
                    truncate(h, newSize); // allocation below the end of file cuts the file (NTFS)
                } else if (newSize > FileInfoMapper.toFileInfo(st, null, false).allocationSize()) {
                    allocate(h, newSize);
                }
            }
            return info(h);
        });
    }

    private void truncate(Handle h, long size) {
        SetattrIn.Builder b = SetattrIn.builder().size(size);
        long fh = h.writableFhIfOpen();
        if (fh >= 0) {
            b.fh(fh);
        }
        AttrOut a = client.setattr(h.node.id, b.build());
        cache.update(h.node, a);
        h.changed(h.node);
    }

    /** Reserves space without changing the size (FALLOCATE KEEP_SIZE); a host that cannot is no error. */
    private void allocate(Handle h, long size) {
        try {
            client.fallocate(h.node.id, fh(h), FuseFlags.FALLOC_FL_KEEP_SIZE, 0, size);
            cache.expireAttributes(h.node);
            h.changed(h.node); // the FSD marks the file object modified; the host may stamp mtime
        } catch (FuseErrnoException e) {
            if (!e.is(Errno.EOPNOTSUPP) && !e.is(Errno.ENOSYS)) {
                throw e;
            }
        }
    }

    // ================================================================== delete / rename

    @Override
    public void canDelete(FileContext context, String fileName) {
        run("CanDelete", () -> checkDeletable(handle(context)));
    }

    @Override
    public void setDelete(FileContext context, String fileName, boolean deleteFile) {
        run("SetDelete", () -> {
            Handle h = handle(context);
            if (deleteFile) {
                checkDeletable(h);
            }
            h.deletePending = deleteFile;
        });
    }

    private void checkDeletable(Handle h) {
        checkWritable("Delete");
        if (h.node == cache.root()) {
            throw new NtStatusException(NtStatus.CANNOT_DELETE, "the root cannot be deleted");
        }
        if (h.isDir) {
            long fh = fh(h);
            boolean empty = true;
            for (NodeCache.Listed l : cache.listPage(h.node, fh, 0, 4096)) {
                if (!l.entry().dirent().isDotOrDotDot()) {
                    empty = false;
                }
            }
            if (!empty) {
                throw new NtStatusException(NtStatus.DIRECTORY_NOT_EMPTY, h.path + " is not empty");
            }
        }
    }

    @Override
    public void rename(FileContext context, String fileName, String newFileName, boolean replaceIfExists) {
        run("Rename", () -> {
            checkWritable("Rename");
            Handle h = handle(context);
            if (h.isStream()) {
                throw new NtStatusException(NtStatus.NOT_SUPPORTED, "renaming a named stream: " + h.path);
            }
            WinPath to = WinPath.parse(newFileName);
            if (to.streamName() != null) {
                throw new NtStatusException(NtStatus.NOT_SUPPORTED, "renaming to a stream: " + to);
            }
            if (to.isRoot()) {
                throw new NtStatusException(NtStatus.ACCESS_DENIED, "cannot rename onto the root");
            }
            Node src = h.node;
            NodeCache.Link srcLink = cache.link(src);
            Node srcParent = srcLink.parent();
            String srcName = srcLink.name();
            if (srcParent == null || srcName == null) {
                throw new NtStatusException(NtStatus.FILE_DELETED, h.path + " no longer has a name");
            }
            Resolved target;
            if (!config.caseInsensitive() && !replaceIfExists) {
                // RENAME_NOREPLACE is the existence check: only the target's directory is needed
                Resolved dirOf = resolveNoSymlinks(to.parent());
                if (dirOf.node() == null || !cache.stat(dirOf.node()).isDirectory()) {
                    throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, to.parent() + " is not a directory");
                }
                target = new Resolved(dirOf.node(), null, checkHostName(to.leaf()), List.of());
            } else {
                target = resolveNoSymlinks(to);
            }
            Node newParent = target.parent();
            String newName = target.node() != null ? WinPath.toHostName(to.leaf()) : target.hostName();
            checkHostName(newName);
            if (newParent == srcParent && newName.equals(srcName)) {
                return; // renaming onto itself succeeds and changes nothing (winfsp-tests rename_caseins_test)
            }
            if (target.node() != null && target.node() != src) {
                if (!replaceIfExists) {
                    throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION, to + " exists");
                }
                if (cache.stat(target.node()).isDirectory()) {
                    throw new NtStatusException(NtStatus.ACCESS_DENIED, to + " is a directory; a directory is never replaced");
                }
                String existing = target.hostName();
                if (h.isDir) {
                    // NTFS and memfs let a directory replace a file; Linux refuses (ENOTDIR): swap the two
                    // names in one step, then remove the file from the directory's old name
                    renameChecked(src, srcParent, srcName, newParent, existing, FuseFlags.RENAME_EXCHANGE);
                    try {
                        client.unlink(srcParent.id, srcName);
                    } finally {
                        // after the host is final, so no lookup answered in between stays cached
                        cache.renamed(srcParent, srcName, newParent, existing, src, target.node());
                        cache.removed(srcParent, srcName, target.node());
                    }
                } else {
                    renameChecked(src, srcParent, srcName, newParent, existing, 0);
                    cache.renamed(srcParent, srcName, newParent, existing, src, target.node());
                }
                if (!existing.equals(newName)) {
                    // case-insensitive target spelled differently: take the new spelling, leave no twin
                    client.rename(newParent.id, existing, newParent.id, newName, FuseFlags.RENAME_NOREPLACE);
                    cache.renamed(newParent, existing, newParent, newName, src, null);
                }
            } else if (target.node() == src) {
                // a case-only rename (case-insensitive volume): the host sees two different names
                renameChecked(src, srcParent, srcName, newParent, newName, FuseFlags.RENAME_NOREPLACE);
                cache.renamed(srcParent, srcName, newParent, newName, src, null);
            } else {
                // missing when looked up; if it appears meanwhile, a file replaces it only when asked to
                // (a directory never replaces anything)
                int flags = replaceIfExists && !h.isDir ? 0 : FuseFlags.RENAME_NOREPLACE;
                try {
                    renameChecked(src, srcParent, srcName, newParent, newName, flags);
                } catch (FuseErrnoException e) {
                    if (e.is(Errno.EEXIST)) {
                        throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION, to + " appeared on the host", e);
                    }
                    throw e;
                }
                cache.renamed(srcParent, srcName, newParent, newName, src, null);
            }
            h.path = to;
        });
    }

    /**
     * RENAME2 of the handle's file. virtiofsd first resolves the source name to an inode it holds a
     * reference on, and answers EIO when the name is missing or names an inode it holds none on: the
     * name then belongs to another file (a rename raced onto it), so the handle's file has lost it.
     * One LOOKUP tells the cases apart; a rename of the right file is retried once.
     */
    private void renameChecked(Node src, Node srcParent, String srcName, Node newParent, String newName, int flags) {
        try {
            client.rename(srcParent.id, srcName, newParent.id, newName, flags);
        } catch (FuseErrnoException e) {
            if (!e.is(Errno.EIO)) {
                throw e;
            }
            EntryOut now;
            try {
                now = client.lookup(srcParent.id, srcName);
            } catch (FuseErrnoException gone) {
                if (gone.is(Errno.ENOENT)) {
                    throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, srcName + " is gone", gone);
                }
                throw gone;
            }
            Node holder = cache.adopt(srcParent, srcName, now);
            if (holder != src) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, srcName
                        + " now names another file; this handle's file lost it", e);
            }
            client.rename(srcParent.id, srcName, newParent.id, newName, flags);
        }
    }

    // ================================================================== security

    @Override
    public byte[] getSecurity(FileContext context) {
        return call("GetSecurity", () -> {
            Handle h = handle(context);
            return securityDescriptor(h.node, cache.stat(h.node, h.fhIfOpen()));
        });
    }

    @Override
    public void setSecurity(FileContext context, int securityInformation, byte[] modificationDescriptor) {
        run("SetSecurity", () -> {
            checkWritable("SetSecurity");
            Handle h = handle(context);
            HostStat st = cache.freshStat(h.node, h.fhIfOpen()).stat();
            SecurityDescriptor current = SecurityDescriptor.parse(securityDescriptor(h.node, st));
            SecurityDescriptor merged = current.merge(securityInformation, SecurityDescriptor.parse(modificationDescriptor));
            if (winAttrs != null && (st.isRegular() || st.isDirectory())
                    && !representable(merged, st.mode() & HostStat.S_IFMT)) {
                // with -o xattr a descriptor mode bits cannot express is stored as it is; the mode stays
                winAttrs.setDescriptor(h.node, st, merged.toBytes());
                return;
            }
            if (winAttrs != null && winAttrs.descriptor(h.node, st) != null) {
                winAttrs.setDescriptor(h.node, st, null); // representable again: mode bits take over
            }
            PosixSecurity.Permissions p = PosixSecurity.fromDescriptor(merged);
            SetattrIn.Builder b = SetattrIn.builder();
            boolean any = false;
            int wanted = p.mode() & 07777;
            if (config.readGrantsExecute()) {
                wanted = PosixSecurity.hostBitsAfterSet(st.mode(), wanted); // shown x bits stay off the host
            }
            int mode = (st.mode() & ~07777) | wanted;
            if (st.isRegular()) {
                // S_ISVTX on a file is the stored-attributes marker (XattrAttributes), not a permission
                mode = (mode & ~XattrAttributes.MARKER) | (st.mode() & XattrAttributes.MARKER);
            }
            if (st.isSymlink()) {
                mode = st.mode();
            }
            if ((securityInformation & SecurityDescriptor.DACL_SECURITY_INFORMATION) != 0 && mode != st.mode()) {
                b.mode(mode & 07777);
                any = true;
            }
            if ((securityInformation & SecurityDescriptor.OWNER_SECURITY_INFORMATION) != 0 && p.owner() != null) {
                long uid = ids.sidToUid(p.owner());
                if (uid < 0) {
                    throw new NtStatusException(NtStatus.INVALID_OWNER, "owner " + p.owner() + " has no host uid");
                }
                if (uid != Integer.toUnsignedLong(st.uid())) {
                    b.uid((int) uid);
                    any = true;
                }
            }
            if ((securityInformation & SecurityDescriptor.GROUP_SECURITY_INFORMATION) != 0 && p.group() != null) {
                long gid = ids.sidToGid(p.group());
                if (gid < 0) {
                    throw new NtStatusException(NtStatus.INVALID_PRIMARY_GROUP, "group " + p.group() + " has no host gid");
                }
                if (gid != Integer.toUnsignedLong(st.gid())) {
                    b.gid((int) gid);
                    any = true;
                }
            }
            if (any) {
                cache.update(h.node, client.setattr(h.node.id, b.build()));
            }
        });
    }

    // ================================================================== directories

    @Override
    public boolean readDirectory(FileContext context, String pattern, String marker, DirSink sink) {
        return call("ReadDirectory", () -> {
            Handle h = handle(context);
            if (!h.isDir) {
                throw new NtStatusException(NtStatus.NOT_A_DIRECTORY, h.path + " is not a directory");
            }
            List<DirInfo> listing;
            synchronized (h) {
                if (marker == null || h.listing == null) {
                    h.listing = list(h);
                }
                listing = h.listing;
            }
            int start = marker == null ? 0 : firstAfter(listing, marker);
            for (int i = start; i < listing.size(); i++) {
                if (!sink.add(listing.get(i))) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Reads the whole directory (READDIRPLUS pages), caching every entry, in the volume's stable order. */
    private List<DirInfo> list(Handle h) {
        long fh = fh(h);
        long since = cache.mark();
        List<DirInfo> entries = new ArrayList<>();
        long cookie = 0;
        int bufferSize = Math.min(DIR_BUFFER, client.limits().maxReadChunk());
        while (true) {
            List<NodeCache.Listed> page = cache.listPage(h.node, fh, cookie, bufferSize);
            if (page.isEmpty()) {
                break;
            }
            for (NodeCache.Listed l : page) {
                DirentPlus d = l.entry();
                cookie = d.off();
                HostStat st = l.stat();
                if (d.dirent().isDotOrDotDot() || st == null) {
                    continue;
                }
                String name = d.name();
                FileInfo fi = FileInfoMapper.toFileInfo(st, name, config.hideDotFiles());
                if (st.isSymlink() || config.readOnly() || winAttrs != null) {
                    NodeCache.Found f = cache.lookupChild(h.node, name); // just cached: no request
                    if (f != null) {
                        fi = info(f.node(), st);
                    }
                }
                entries.add(new DirInfo(WinPath.toWindowsName(name), fi));
            }
        }
        cache.listed(h.node, since);
        Comparator<DirInfo> order = config.caseInsensitive()
                ? Comparator.comparing((DirInfo d) -> WinPath.caseKey(d.fileName())).thenComparing(DirInfo::fileName)
                : Comparator.comparing(DirInfo::fileName);
        entries.sort(order);
        List<DirInfo> out = new ArrayList<>(entries.size() + 2);
        if (h.node != cache.root()) {
            out.add(new DirInfo(".", info(h.node)));
            Node parent = cache.link(h.node).parent();
            out.add(new DirInfo("..", info(parent != null ? parent : cache.root())));
        }
        out.addAll(entries);
        return out;
    }

    /** Index of the first entry strictly after the marker in the listing's order. */
    private int firstAfter(List<DirInfo> listing, String marker) {
        int i = 0;
        int n = listing.size();
        // "." and ".." come first whatever their sort position
        while (i < n && (listing.get(i).fileName().equals(".") || listing.get(i).fileName().equals(".."))) {
            if (listing.get(i).fileName().equals(marker)) {
                return i + 1;
            }
            i++;
        }
        if (marker.equals(".") || marker.equals("..")) {
            return i;
        }
        Comparator<String> cmp = config.caseInsensitive()
                ? Comparator.comparing(WinPath::caseKey).thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
        int lo = i;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cmp.compare(listing.get(mid).fileName(), marker) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public DirInfo getDirInfoByName(FileContext parentDirectory, String fileName) {
        return call("GetDirInfoByName", () -> {
            Handle h = handle(parentDirectory);
            if (!h.isDir) {
                throw new NtStatusException(NtStatus.NOT_A_DIRECTORY, h.path + " is not a directory");
            }
            String host = checkHostName(WinPath.toHostName(fileName));
            NodeCache.Found f = cache.lookupChild(h.node, host);
            if (f == null) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, fileName + " is not in " + h.path);
            }
            return new DirInfo(WinPath.toWindowsName(f.hostName()), info(f.node()));
        });
    }

    // ================================================================== reparse points

    @Override
    public ReparseResolution resolveReparsePoints(String fileName, int reparsePointIndex, boolean resolveLastPathComponent) {
        return call("ResolveReparsePoints", () -> {
            WinPath p = WinPath.parse(fileName);
            List<String> comps = new ArrayList<>();
            for (String n : p.names()) {
                comps.add(WinPath.toWindowsName(n));
            }
            try {
                resolveComponents(comps, resolveLastPathComponent, fileName);
            } catch (OtherReparsePoint e) {
                // not a symlink: the reparse data goes back as it is, with its tag (WinFsp's resolver does so)
                return new ReparseResolution(ReparseData.tagOf(e.data), e.data.clone());
            }
            StringBuilder sb = new StringBuilder();
            for (String c : comps) {
                sb.append('\\').append(c);
            }
            if (sb.length() == 0) {
                sb.append('\\');
            }
            if (p.streamName() != null) {
                sb.append(':').append(p.streamName());
            }
            String resolved = sb.toString();
            return new ReparseResolution(ReparseData.IO_REPARSE_TAG_SYMLINK,
                    new ReparseData(resolved, resolved, true).toBytes());
        });
    }

    /**
     * Follows the symlinks in a path of Windows names, in place: at most {@value #MAX_SYMLINK_FOLLOWS}
     * (REPARSE_POINT_NOT_RESOLVED beyond, so a loop ends cleanly); ".." never climbs above the root; a
     * missing last component ends the walk, a missing directory is OBJECT_PATH_NOT_FOUND.
     */
    private void resolveComponents(List<String> comps, boolean resolveLast, String what) {
        int follows = 0;
        Node dir = cache.root();
        int i = 0;
        while (i < comps.size()) {
            String c = comps.get(i);
            if (c.isEmpty() || c.equals(".")) {
                comps.remove(i);
                continue;
            }
            if (c.equals("..")) {
                comps.remove(i);
                if (i > 0) {
                    comps.remove(i - 1);
                    i--;
                }
                dir = walk(comps.subList(0, i));
                continue;
            }
            boolean last = i == comps.size() - 1;
            NodeCache.Found f = cache.lookupChild(dir, checkHostName(WinPath.toHostName(c)));
            if (f == null) {
                if (last) {
                    return;
                }
                throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, c + " in " + what + " does not exist");
            }
            HostStat st = cache.stat(f.node());
            byte[] otherTag = winAttrs != null && !st.isSymlink() ? winAttrs.reparse(f.node(), st) : null;
            if (otherTag != null && (!last || resolveLast)) {
                throw new OtherReparsePoint(otherTag);
            }
            if (st.isSymlink() && (!last || resolveLast)) {
                if (++follows > MAX_SYMLINK_FOLLOWS) {
                    throw new NtStatusException(NtStatus.REPARSE_POINT_NOT_RESOLVED, what + ": more than "
                            + MAX_SYMLINK_FOLLOWS + " symbolic links (a loop?)");
                }
                String target = client.readlink(f.node().id);
                List<String> tcomps = new ArrayList<>();
                for (String t : target.split("/")) {
                    if (!t.isEmpty()) {
                        tcomps.add(t.equals(".") || t.equals("..") ? t : WinPath.toWindowsName(t));
                    }
                }
                comps.remove(i);
                if (target.startsWith("/")) {
                    // host-absolute targets are taken relative to the share root
                    List<String> rest = new ArrayList<>(comps.subList(i, comps.size()));
                    comps.clear();
                    comps.addAll(tcomps);
                    comps.addAll(rest);
                    i = 0;
                    dir = cache.root();
                } else {
                    comps.addAll(i, tcomps);
                }
                continue;
            }
            if (!last) {
                if (!st.isDirectory()) {
                    throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, c + " in " + what + " is not a directory");
                }
                dir = f.node();
            }
            i++;
        }
    }

    /**
     * Whether a symlink leads to a directory, so it can show DIRECTORY like an NTFS directory link
     * (the anchor's directory links could not be entered, #897). Remembered per node; a dangling or
     * looping link is a file link.
     */
    private boolean linkIsDirectory(Node link) {
        Boolean known = link.linkToDirectory;
        if (known != null) {
            return known;
        }
        List<String> comps = new ArrayList<>();
        for (Node n = link; n != null && n != cache.root(); n = n.parent()) {
            String name = n.name();
            if (name == null) {
                return false;
            }
            comps.add(0, WinPath.toWindowsName(name));
        }
        boolean dir;
        try {
            resolveComponents(comps, true, "link " + link.name());
            dir = cache.stat(walk(comps)).isDirectory();
        } catch (NtStatusException | OtherReparsePoint e) {
            dir = false;
        }
        link.linkToDirectory = dir;
        return dir;
    }

    /** The directory node of a Windows-name component list (no symlinks expected; used after "..") */
    private Node walk(List<String> comps) {
        Node dir = cache.root();
        for (String c : comps) {
            NodeCache.Found f = cache.lookupChild(dir, WinPath.toHostName(c));
            if (f == null) {
                throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, c + " does not exist");
            }
            dir = f.node();
        }
        return dir;
    }

    @Override
    public byte[] getReparsePoint(FileContext context, String fileName) {
        return call("GetReparsePoint", () -> {
            Handle h = handle(context);
            HostStat st = cache.stat(h.node);
            byte[] stored = winAttrs != null ? winAttrs.reparse(h.node, st) : null;
            if (stored != null) {
                return stored;
            }
            if (!st.isSymlink()) {
                throw new NtStatusException(NtStatus.NOT_A_REPARSE_POINT, h.path + " is not a reparse point");
            }
            return ReparseData.fromHostTarget(client.readlink(h.node.id)).toBytes();
        });
    }

    @Override
    public void setReparsePoint(FileContext context, String fileName, byte[] reparseData) {
        run("SetReparsePoint", () -> {
            checkWritable("SetReparsePoint");
            Handle h = handle(context);
            int tag = ReparseData.tagOf(reparseData);
            if (winAttrs != null) {
                HostStat now = cache.freshStat(h.node, h.fhIfOpen()).stat();
                byte[] existing = now.isSymlink() ? null : winAttrs.reparse(h.node, now);
                if (existing != null && ReparseData.tagOf(existing) != tag) {
                    throw new NtStatusException(NtStatus.IO_REPARSE_TAG_MISMATCH, h.path + " holds another reparse tag");
                }
                if (tag != ReparseData.IO_REPARSE_TAG_SYMLINK) {
                    if (now.isSymlink()) {
                        throw new NtStatusException(NtStatus.IO_REPARSE_TAG_MISMATCH, h.path + " is a symbolic link");
                    }
                    checkReparseBuffer(reparseData);
                    // tags other than symlinks live in the extended attribute (with -o xattr)
                    winAttrs.setReparse(h.node, now, reparseData.clone());
                    return;
                }
            } else if (tag != ReparseData.IO_REPARSE_TAG_SYMLINK) {
                throw new NtStatusException(NtStatus.IO_REPARSE_TAG_INVALID, String.format(
                        "reparse tag 0x%08X: without the daemon's -o xattr only symbolic links can be stored", tag));
            }
            ReparseData rd = ReparseData.parse(reparseData);
            String target = hostTarget(rd, h.path, config.mountPoint());
            int targetBytes = target.getBytes(StandardCharsets.UTF_8).length;
            if (targetBytes >= HOST_PATH_MAX_BYTES) {
                throw new NtStatusException(NtStatus.NAME_TOO_LONG, "symlink target of " + targetBytes
                        + " UTF-8 bytes; the host holds at most " + (HOST_PATH_MAX_BYTES - 1));
            }
            HostStat st = cache.freshStat(h.node, h.fhIfOpen()).stat();
            NodeCache.Link where = cache.link(h.node);
            Node parent = where.parent();
            String name = where.name();
            if (parent == null || name == null) {
                throw new NtStatusException(NtStatus.FILE_DELETED, h.path + " no longer has a name");
            }
            if (st.isSymlink()) {
                throw new NtStatusException(NtStatus.IO_REPARSE_TAG_MISMATCH, h.path + " is already a symbolic link");
            }
            if (st.isRegular() && st.size() != 0) {
                throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, h.path
                        + " has data; only an empty file can become a symbolic link on the host");
            }
            releaseFh(h);
            // the host cannot turn a file into a symlink in place: replace the empty placeholder
            if (st.isDirectory()) {
                client.rmdir(parent.id, name);
            } else {
                client.unlink(parent.id, name);
            }
            cache.removed(parent, name, h.node);
            EntryOut e = client.symlink(parent.id, name, target);
            Node link = cache.adopt(parent, name, e);
            // NTFS: a link made on a directory placeholder (SYMBOLIC_LINK_FLAG_DIRECTORY) is a directory
            // link whatever its target; the host has no such flag, so this lasts while the node is known
            link.linkToDirectory = st.isDirectory();
            cache.replaceHandleNode(h, link, false);
        });
    }

    /**
     * Checks a reparse buffer's length against its header: Microsoft tags (bit 31) carry
     * ReparseDataLength bytes after the 8-byte header, others a 16-byte GUID first
     * (REPARSE_DATA_BUFFER / REPARSE_GUID_DATA_BUFFER, ntifs.h).
     */
    private static void checkReparseBuffer(byte[] b) {
        if (b.length < ReparseData.GENERIC_HEADER_SIZE) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, "reparse buffer of " + b.length + " bytes");
        }
        int tag = ReparseData.tagOf(b);
        int dataLength = (b[4] & 0xFF) | (b[5] & 0xFF) << 8;
        int expected = ReparseData.GENERIC_HEADER_SIZE + dataLength + (tag < 0 ? 0 : 16);
        if (b.length != expected) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, String.format(
                    "reparse buffer of %d bytes, its header (tag 0x%08X, ReparseDataLength %d) says %d", b.length, tag,
                    dataLength, expected));
        }
    }

    /**
     * The host form of a reparse target. A volume-absolute target ({@code \a\b}, not relative) is
     * stored relative to the link ({@code ../a/b}) so it also works on the host.
     */
    static String hostTarget(ReparseData rd, WinPath linkPath, String mountPoint) {
        String t = rd.substituteName();
        if (!rd.relative() && mountPoint != null) {
            // CreateSymbolicLinkW stores \??\X:\path; on this volume's own drive that is \path
            String ours = "\\??\\" + mountPoint + "\\";
            if (t.regionMatches(true, 0, ours, 0, ours.length())) {
                t = t.substring(ours.length() - 1);
            }
        }
        if (!rd.relative() && t.startsWith("\\") && !t.startsWith("\\??\\") && !t.startsWith("\\\\")) {
            StringBuilder up = new StringBuilder();
            for (int i = 0; i < linkPath.depth() - 1; i++) {
                up.append("..\\");
            }
            String rest = t.substring(1);
            String rel = up + rest;
            return new ReparseData(rel.isEmpty() ? "." : rel, rel, true).toHostTarget();
        }
        return rd.toHostTarget();
    }

    @Override
    public void deleteReparsePoint(FileContext context, String fileName, byte[] reparseData) {
        run("DeleteReparsePoint", () -> {
            checkWritable("DeleteReparsePoint");
            Handle h = handle(context);
            if (winAttrs != null) {
                HostStat now = cache.stat(h.node);
                byte[] stored = winAttrs.reparse(h.node, now);
                if (stored != null) {
                    if (ReparseData.tagOf(stored) != ReparseData.tagOf(reparseData)) {
                        throw new NtStatusException(NtStatus.IO_REPARSE_TAG_MISMATCH, "the tag differs from "
                                + h.path + "'s");
                    }
                    winAttrs.setReparse(h.node, now, null);
                    return;
                }
            }
            if (ReparseData.tagOf(reparseData) != ReparseData.IO_REPARSE_TAG_SYMLINK) {
                throw new NtStatusException(NtStatus.IO_REPARSE_TAG_MISMATCH, "the tag is not IO_REPARSE_TAG_SYMLINK");
            }
            if (!cache.stat(h.node).isSymlink()) {
                throw new NtStatusException(NtStatus.NOT_A_REPARSE_POINT, h.path + " is not a reparse point");
            }
            NodeCache.Link link = cache.link(h.node);
            Node parent = link.parent();
            String name = link.name();
            if (parent == null || name == null) {
                throw new NtStatusException(NtStatus.FILE_DELETED, h.path + " no longer has a name");
            }
            // NTFS keeps the file without its reparse data: an empty regular file takes the link's place
            client.unlink(parent.id, name);
            cache.removed(parent, name, h.node);
            CreateOut c = client.create(parent.id, name, OpenFlags.O_RDWR | OpenFlags.O_EXCL,
                    HostStat.S_IFREG | NEW_FILE_MODE, 0);
            Node file = cache.adopt(parent, name, c.entry());
            cache.replaceHandleNode(h, file, false);
            synchronized (h) {
                h.setOpened(c.open().fh(), OpenFlags.O_RDWR);
            }
        });
    }

    // ================================================================== streams

    @Override
    public List<StreamInfo> getStreamInfo(FileContext context) {
        return call("GetStreamInfo", () -> {
            Handle h = handle(context);
            if (h.isDir) {
                // a directory has no unnamed data stream, only the named ones (NTFS; stream_getstreaminfo_test)
                return config.xattrs() ? streams.list(h.node) : List.of();
            }
            FileInfo fi = info(h.node, cache.stat(h.node, h.fhIfOpen()));
            List<StreamInfo> out = new ArrayList<>();
            out.add(new StreamInfo("", fi.fileSize(), fi.allocationSize()));
            if (config.xattrs()) {
                out.addAll(streams.list(h.node));
            }
            return out;
        });
    }

    // ================================================================== extended attributes

    /** EAs are kept in {@code user.viofs.attrib} ({@link XattrAttributes}), so only with {@code -o xattr}. */
    @Override
    public boolean supportsEas() {
        return config.xattrs();
    }

    /**
     * The file's EAs; a stream handle's are its main file's. A file without the stored-attributes
     * marker has none, known without a request.
     */
    @Override
    public List<Ea> getEa(FileContext context) {
        return call("GetEa", () -> {
            Handle h = handle(context);
            requireEas();
            return winAttrs.eas(h.node, cache.stat(h.node, h.fhIfOpen()));
        });
    }

    /**
     * Changes the file's EAs (a stream handle's go to its main file) with at most one GETXATTR (when
     * the stored value is not yet known), one SETXATTR and, the first time a regular file stores
     * anything, one SETATTR for the marker.
     */
    @Override
    public FileInfo setEa(FileContext context, List<Ea> eas) {
        return call("SetEa", () -> {
            Handle h = handle(context);
            requireEas();
            checkWritable("SetEa");
            EaList.check(eas);
            winAttrs.setEas(h.node, cache.stat(h.node, h.fhIfOpen()), eas);
            return info(h);
        });
    }

    // ================================================================== per-callback counting

    /** Counts every request against the callback that is running ({@link RequestCounters}). */
    private static final class CallbackCountingTransport extends ForwardingTransport {
        private final RequestCounters counters;

        CallbackCountingTransport(FuseTransport delegate, RequestCounters counters) {
            super(delegate);
            this.counters = counters;
        }

        @Override
        protected void beforeSend(ByteBuffer[] request) {
            counters.countRequest();
        }
    }
}
