package org.viofs.volume;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.viofs.bridge.TransportException;
import org.viofs.bridge.TransportTimeoutException;
import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseOptions;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseFlags;
import org.viofs.fuse.FuseProtocolException;
import org.viofs.fuse.abi.StatfsOut;

/**
 * Windows file-system semantics over a FUSE daemon: {@link VolumeOperations} implemented with
 * {@link FuseClient} requests.
 *
 * <p><b>Nodes and caches.</b> {@link NodeCache} keeps every node the volume knows, the lookup
 * references it owes the daemon, and a name → node cache that honours the daemon's entry and
 * attribute timeouts (clock from {@link VolumeConfig#nanoClock()}), so a warm open walks no path.
 * A node pinned by neither a cache entry, an open handle nor a cached child is forgotten: its
 * references go back in one BATCH_FORGET with others' within the deferred-close time
 * ({@link DeferredForgets}), or at the end of the callback that dropped it when deferral is off.
 *
 * <p><b>Handles.</b> Create/Open return a {@link Handle}: node, lazily opened FUSE fh (a handle that
 * only queries or renames never sends OPEN), open flags, directory listing snapshot and delete flag.
 *
 * <p><b>Requests per callback</b> are counted in {@link #counters()}: a request listener on the FUSE
 * client attributes each request to the callback running on the calling thread.
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
 * <p><b>Layout</b> (memfs's order): the callback frame ({@link #call}), then one short method per
 * WinFsp slot in table order. The work sits in helpers: {@link PathResolver} (every path walk),
 * {@link NodeView} (FILE_INFO and descriptors), {@link FileOpener} (create, open), {@link HandleData} (fh, sizes,
 * writes), {@link AttributeChanges}, {@link NameChanges} (delete, rename), {@link SecurityChanges},
 * {@link DirectoryLister} and {@link ReparsePoints}.
 *
 * <p>Thread-safe: called from many dispatcher threads at once. The opener closes it; closing sends
 * DESTROY and closes the client's transport.
 */
public final class FuseVolume implements VolumeOperations, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FuseVolume.class.getName());

    private final FuseClient client;
    /** The configuration as it applies to this share (see {@link #effective}). */
    private final VolumeConfig config;
    private final ShareCapabilities capabilities;
    private final RequestCounters counters;
    private final NodeCache cache;
    private volatile String label;
    private final XattrStreams streams;
    /** Windows attributes in extended attributes; null without {@code -o xattr}. */
    private final XattrAttributes winAttrs;
    private final PathResolver paths;
    private final NodeView view;
    private final HandleData data;
    private final DeferredHandles deferred;
    private final DeferredForgets forgets;
    private final Duration attributeTimeout;
    private final FileOpener opener;
    private final AttributeChanges attributes;
    private final NameChanges names;
    private final SecurityChanges security;
    private final DirectoryLister lister;
    private final ReparsePoints reparse;
    private final CleanupActions cleanups;

    private FuseVolume(FuseClient client, VolumeConfig configured, RequestCounters counters, int headerUid,
                       int headerGid) {
        this.client = client;
        this.capabilities = configured.readOnly() ? ShareCapabilities.probeWithoutWriting(client)
                : ShareCapabilities.probe(client);
        this.config = configured.narrowedBy(capabilities);
        if (config != configured) {
            LOG.info(() -> "the share narrows the configuration (read-only " + configured.readOnly() + " -> "
                    + config.readOnly() + ", xattrs " + configured.xattrs() + " -> " + config.xattrs() + "): "
                    + capabilities.describe());
        }
        this.counters = counters;
        this.cache = new NodeCache(client, config.nanoClock(), config.maxCacheTimeout(), config.caseInsensitive(),
                config.maxCachedNames());
        this.label = config.effectiveLabel();
        this.streams = new XattrStreams(client);
        this.winAttrs = config.xattrs() ? new XattrAttributes(client, cache) : null;
        AttrOut root = client.getattr(FuseFlags.ROOT_ID);
        cache.root().setStat(HostStats.of(root.attr()), cache.expiry(root.attrValid(), root.attrValidNsec()));
        this.attributeTimeout = grantedTimeout(root.attrValid(), root.attrValidNsec(), config.maxCacheTimeout());
        int uid = config.ownerUid() >= 0 ? config.ownerUid() : root.attr().uid();
        int gid = config.ownerGid() >= 0 ? config.ownerGid() : root.attr().gid();
        IdMapping ids = new IdMapping(uid, gid, config.ownerSid(),
                config.groupSid() != null ? config.groupSid() : Sid.fromPosixId(gid));
        this.paths = new PathResolver(client, cache, winAttrs, config.caseInsensitive());
        this.view = new NodeView(config, cache, paths, streams, winAttrs, ids);
        this.deferred = new DeferredHandles(client, cache, config.nanoClock(), config.deferredCloseMillis(),
                config.maxDeferredHandles());
        this.forgets = new DeferredForgets(cache, config.nanoClock(), config.deferredCloseMillis());
        this.data = new HandleData(client, cache, config.readOnly(), deferred);
        this.opener = new FileOpener(client, cache, config, paths, view, data, streams, winAttrs, headerUid, headerGid);
        this.attributes = new AttributeChanges(client, cache, view, data, streams, winAttrs);
        this.lister = new DirectoryLister(client, cache, view, config, winAttrs != null);
        this.names = new NameChanges(client, cache, paths, data, lister, config.caseInsensitive());
        this.security = new SecurityChanges(client, cache, view, winAttrs, config.readGrantsExecute());
        this.reparse = new ReparsePoints(client, cache, paths, data, winAttrs, config.mountPoint());
        this.cleanups = new CleanupActions(client, cache, data, names, streams, winAttrs, config.readOnly());
    }

    /**
     * Starts a FUSE session and returns the volume over it. The volume chooses the client's options
     * (the configured owner ids in every request header, its per-callback counters as a request
     * listener) and {@code init} starts the client with them, typically
     * {@code opts -> FuseClient.init(transport, opts)}; a caller may add its own listeners
     * ({@code opts.toBuilder().listener(l).build()}). New files get the configured owner ids; with no
     * owner configured they get the share root's owner. The volume owns the client from here on (even
     * if this throws after INIT); it never sees the transport.
     */
    public static FuseVolume mount(Function<FuseOptions, FuseClient> init, VolumeConfig config) {
        RequestCounters counters = new RequestCounters();
        FuseOptions.Builder b = FuseOptions.builder().listener(counters);
        if (config.ownerUid() >= 0) {
            b.owner(config.ownerUid(), config.ownerGid());
        }
        FuseOptions opts = b.build();
        String prev = counters.enter("Mount");
        FuseClient client = init.apply(opts);
        try {
            return new FuseVolume(client, config, counters, opts.uid(), opts.gid());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        } finally {
            counters.leave(prev);
        }
    }

    /** A daemon's timeout (a u64 of seconds is unsigned: "forever" comes as huge or negative), capped. */
    static Duration grantedTimeout(long sec, int nsec, Duration max) {
        if (sec < 0 || sec >= max.getSeconds()) {
            return max;
        }
        Duration d = Duration.ofSeconds(sec, Math.max(0, Math.min(nsec, 999_999_999)));
        return d.compareTo(max) > 0 ? max : d;
    }

    /**
     * How long the daemon lets this volume trust attributes, as its reply to the mount's GETATTR of the
     * root said (its cache mode: 0 for cache=none, 1 s for auto, a day for always), capped by
     * {@link VolumeConfig#maxCacheTimeout()}. WinFsp's own caches are set to match
     * ({@link org.viofs.winfsp.CacheTimeouts}).
     */
    public Duration attributeTimeout() {
        return attributeTimeout;
    }

    /** FUSE requests sent so far, per callback name ("Open", "Read", …). */
    public RequestCounters counters() {
        return counters;
    }

    /**
     * Tells the volume the drive WinFsp mounted it on ("X:"), e.g. the letter chosen for "*", so
     * {@code \??\X:\…} symlink targets on it are stored as links within the share (see
     * {@link VolumeConfig#mountPoint()}); null when unmounted.
     */
    public void mountedAt(String drive) {
        if (drive != null && !drive.matches("[A-Za-z]:")) {
            throw new IllegalArgumentException("mount point must be a drive such as \"X:\", was \"" + drive + "\"");
        }
        reparse.mountedAt(drive);
    }

    /** The drive the volume is mounted on, or null when unknown. */
    public String mountPoint() {
        return reparse.mountPoint();
    }

    /**
     * The configuration this volume runs with: the one given, narrowed by the share (read-only, no
     * extended attributes) as {@link #capabilities()} found it.
     */
    public VolumeConfig config() {
        return config;
    }

    /** What the share allows, probed at mount. */
    public ShareCapabilities capabilities() {
        return capabilities;
    }

    /** Whether every modifying callback is refused (configured, or the host exports the share read-only). */
    @Override
    public boolean isReadOnly() {
        return config.readOnly();
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

    /**
     * Releases the closed files' kept handles and drops every cache entry not held by an open handle,
     * forgetting the nodes (as memory pressure would).
     */
    public void dropCaches() {
        run("DropCaches", () -> {
            deferred.releaseAll();
            cache.dropAll();
        });
        sendWaitingForgets();
    }

    /**
     * Returns every reference that waits for a deferred FORGET ({@link DeferredForgets}) now: the daemon
     * then holds only what the volume still uses (tests, the ops workload's per-operation counts).
     */
    public void sendWaitingForgets() {
        forgets.sendNow();
    }

    /** Closed files' FUSE handles kept for reuse now (deferred close, {@link VolumeConfig#deferredCloseMillis()}). */
    public int deferredHandles() {
        return deferred.size();
    }

    /**
     * Entries the listing of an open directory handle holds now (0 before its first ReadDirectory): at
     * most {@value DirectoryLister#SORTED_MAX} plus one page, whatever the directory's size.
     */
    public int listingHeld(FileContext directory) {
        Handle h = directoryHandle(directory);
        synchronized (h) {
            return h.listing == null ? 0 : h.listing.held();
        }
    }

    /** The deferred-close keeper (tests in this package). */
    DeferredHandles deferred() {
        return deferred;
    }

    /** Unmount: the kept handles are released (RELEASE), the waiting references returned, then the session ends. */
    @Override
    public void close() {
        try {
            deferred.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "releasing the kept handles at unmount failed", e);
        }
        try {
            forgets.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "returning the waiting references at unmount failed", e);
        } finally {
            client.close();
        }
    }

    // ================================================================== callback frame

    /**
     * Runs one callback: its requests are counted under its name, the nodes it is handed are held
     * until it ends, FUSE and transport failures become the NTSTATUS Windows expects, any other
     * RuntimeException STATUS_INTERNAL_ERROR (logged once with its stack), and the references of the
     * nodes it dropped are handed to {@link DeferredForgets} at the end.
     */
    private <T> T call(String callback, Supplier<T> body) {
        String prev = counters.enter(callback);
        cache.enter();
        try {
            return body.get();
        } catch (NtStatusException e) {
            throw e;
        } catch (FuseErrnoException e) {
            if (e.is(Errno.ESTALE)) {
                throw paths.staleStatus(callback, e);
            }
            throw new NtStatusException(ErrnoToNtStatus.toNtStatus(e.errnoNumber()), callback + ": " + e.getMessage(), e);
        } catch (FuseProtocolException e) {
            throw new NtStatusException(NtStatus.IO_DEVICE_ERROR, callback + ": " + e.getMessage(), e);
        } catch (TransportTimeoutException e) {
            throw new NtStatusException(NtStatus.IO_TIMEOUT, callback + ": " + e.getMessage(), e);
        } catch (TransportException e) {
            throw new NtStatusException(NtStatus.DEVICE_NOT_READY, callback + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a bug costs this request, not the dispatcher thread (issue 12 item 3)
            LOG.log(Level.SEVERE, callback + " failed unexpectedly; answered STATUS_INTERNAL_ERROR", e);
            throw new NtStatusException(NtStatus.INTERNAL_ERROR, callback + ": " + e, e);
        } finally {
            try {
                cache.leave();
                forgets.afterCallback();
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

    private static Handle fileHandle(FileContext context) {
        Handle h = handle(context);
        if (h.isDir) {
            throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, h.path + " is a directory");
        }
        return h;
    }

    private static Handle directoryHandle(FileContext context) {
        Handle h = handle(context);
        if (!h.isDir) {
            throw new NtStatusException(NtStatus.NOT_A_DIRECTORY, h.path + " is not a directory");
        }
        return h;
    }

    // ================================================================== slots 0-1: volume

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

    // ================================================================== slot 2: security by name

    @Override
    public SecurityByName getSecurityByName(String fileName) {
        return call("GetSecurityByName", () -> paths.againIfStale(() -> {
            // Open or Create of this path (or below it) follows on this thread in the same request
            cache.offerOperation(fileName);
            WinPath p = WinPath.parse(fileName);
            PathResolver.Resolved r;
            try {
                r = paths.resolve(p);
            } catch (PathResolver.SymlinkInPath e) {
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
            return new SecurityByName(NtStatus.SUCCESS, view.info(r.node(), st).fileAttributes(),
                    view.securityDescriptor(r.node(), st));
        }));
    }

    // ================================================================== slots 3-5: create, open, overwrite

    @Override
    public OpenResult create(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                             byte[] securityDescriptor, long allocationSize) {
        return createWithEas(fileName, createOptions, grantedAccess, fileAttributes, securityDescriptor, allocationSize,
                List.of());
    }

    @Override
    public OpenResult open(String fileName, int createOptions, int grantedAccess) {
        return call("Open", () -> paths.againIfStale(() -> {
            cache.continueOperation(fileName);
            return opener.open(fileName, createOptions, grantedAccess);
        }));
    }

    @Override
    public FileInfo overwrite(FileContext context, int fileAttributes, boolean replaceFileAttributes, long allocationSize) {
        return call("Overwrite", () -> {
            checkWritable("Overwrite");
            return attributes.overwrite(handle(context), fileAttributes, replaceFileAttributes, allocationSize, null);
        });
    }

    // ================================================================== slots 6-7: cleanup, close

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
            run("Cleanup", () -> cleanups.run(h, flags));
        } catch (RuntimeException e) {
            // Cleanup cannot fail (docs/winfsp-native.md §2, slot 6): log and go on
            LOG.log(Level.WARNING, "Cleanup of " + h.path + " (flags 0x" + Integer.toHexString(flags) + ") failed", e);
        }
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
                    data.close(h);
                } finally {
                    h.closed = true;
                    cache.unpin(h);
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Close of " + h.path + " failed", e);
        }
    }

    // ================================================================== slots 8-13: data and information

    @Override
    public int read(FileContext context, ByteBuffer buffer, long offset, int length) {
        return call("Read", () -> {
            Handle h = fileHandle(context);
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
            ByteBuffer dst = buffer.duplicate();
            dst.position(0).limit(length);
            int n = client.read(h.node.id, data.fh(h), offset, dst);
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
            Handle h = fileHandle(context);
            if (length < 0 || length > buffer.capacity() || (!writeToEndOfFile && offset < 0)) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "write at " + offset + " of " + length
                        + " bytes from a buffer of " + buffer.capacity());
            }
            if (h.isStream()) {
                int n = streams.write(h, buffer, offset, length, writeToEndOfFile, constrainedIo);
                return new WriteResult(n, view.info(h));
            }
            HandleData.Written w = data.write(h, buffer, offset, length, writeToEndOfFile, constrainedIo);
            return new WriteResult(w.bytes(), w.after() == null ? view.info(h) : view.info(h.node, w.after()));
        });
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
            if (fh >= 0 && h.isDir) {
                client.fsyncdir(h.node.id, fh, false);
            } else if (fh >= 0) {
                client.fsync(h.node.id, fh, false);
            }
            return view.info(h);
        });
    }

    @Override
    public FileInfo getFileInfo(FileContext context) {
        return call("GetFileInfo", () -> view.info(handle(context)));
    }

    @Override
    public FileInfo setBasicInfo(FileContext context, int fileAttributes, long creationTime, long lastAccessTime,
                                 long lastWriteTime, long changeTime) {
        // ChangeTime cannot be set through FUSE: the host keeps ctime itself
        return call("SetBasicInfo", () -> {
            checkWritable("SetBasicInfo");
            return attributes.setBasicInfo(handle(context), fileAttributes, creationTime, lastAccessTime, lastWriteTime);
        });
    }

    @Override
    public FileInfo setFileSize(FileContext context, long newSize, boolean setAllocationSize) {
        return call("SetFileSize", () -> {
            checkWritable("SetFileSize");
            Handle h = handle(context);
            if (newSize < 0) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "size " + newSize);
            }
            fileHandle(h);
            if (h.isStream()) {
                if (!setAllocationSize || newSize < streams.size(h)) {
                    streams.truncate(h, newSize);
                }
                return view.info(h);
            }
            if (!setAllocationSize) {
                data.truncate(h, newSize);
                return view.info(h);
            }
            HostStat st = cache.freshStat(h.node, h.fhIfOpen()).stat();
            if (newSize < st.size()) {
                data.truncate(h, newSize); // allocation below the end of file cuts the file (NTFS)
            } else if (newSize > FileInfoMapper.toFileInfo(st, null, false).allocationSize()) {
                data.allocate(h, newSize);
            }
            return view.info(h);
        });
    }

    // ================================================================== slots 14-15: delete, rename

    @Override
    public void canDelete(FileContext context, String fileName) {
        run("CanDelete", () -> {
            checkWritable("Delete");
            names.checkDeletable(handle(context));
        });
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
            names.rename(h, to, replaceIfExists);
            h.path = to;
        });
    }

    // ================================================================== slots 16-17: security

    @Override
    public byte[] getSecurity(FileContext context) {
        return call("GetSecurity", () -> {
            Handle h = handle(context);
            return view.securityDescriptor(h.node, cache.stat(h.node, h.fhIfOpen()));
        });
    }

    @Override
    public void setSecurity(FileContext context, int securityInformation, byte[] modificationDescriptor) {
        run("SetSecurity", () -> {
            checkWritable("SetSecurity");
            security.set(handle(context), securityInformation, modificationDescriptor);
        });
    }

    // ================================================================== slot 18: directories

    @Override
    public boolean readDirectory(FileContext context, String pattern, String marker, DirSink sink) {
        return call("ReadDirectory", () -> {
            Handle h = directoryHandle(context);
            synchronized (h) {
                if (marker == null || h.listing == null) {
                    h.listing = null; // the old listing's entries go before the new one is read
                    h.listing = lister.open(h.node, data.fh(h));
                }
                return lister.serve(h.listing, marker, sink);
            }
        });
    }

    // ================================================================== slots 19-22: reparse points

    @Override
    public ReparseResolution resolveReparsePoints(String fileName, int reparsePointIndex, boolean resolveLastPathComponent) {
        return call("ResolveReparsePoints", () -> reparse.resolve(fileName, resolveLastPathComponent));
    }

    @Override
    public byte[] getReparsePoint(FileContext context, String fileName) {
        return call("GetReparsePoint", () -> reparse.get(handle(context)));
    }

    @Override
    public void setReparsePoint(FileContext context, String fileName, byte[] reparseData) {
        run("SetReparsePoint", () -> {
            checkWritable("SetReparsePoint");
            reparse.set(handle(context), reparseData);
        });
    }

    @Override
    public void deleteReparsePoint(FileContext context, String fileName, byte[] reparseData) {
        run("DeleteReparsePoint", () -> {
            checkWritable("DeleteReparsePoint");
            reparse.delete(handle(context), reparseData);
        });
    }

    // ================================================================== slots 23-24: streams, dir info by name

    @Override
    public List<StreamInfo> getStreamInfo(FileContext context) {
        return call("GetStreamInfo", () -> {
            Handle h = handle(context);
            if (h.isDir) {
                // a directory has no unnamed data stream, only the named ones (NTFS; stream_getstreaminfo_test)
                return config.xattrs() ? streams.list(h.node) : List.of();
            }
            FileInfo fi = view.info(h.node, cache.stat(h.node, h.fhIfOpen()));
            List<StreamInfo> out = new ArrayList<>();
            out.add(new StreamInfo("", fi.fileSize(), fi.allocationSize()));
            if (config.xattrs()) {
                out.addAll(streams.list(h.node));
            }
            return out;
        });
    }

    @Override
    public DirInfo getDirInfoByName(FileContext parentDirectory, String fileName) {
        return call("GetDirInfoByName", () -> {
            Handle h = directoryHandle(parentDirectory);
            String host = PathResolver.checkHostName(WinPath.toHostName(fileName));
            Found f = cache.lookupChild(h.node, host);
            if (f == null) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, fileName + " is not in " + h.path);
            }
            return new DirInfo(WinPath.toWindowsName(f.hostName()), view.info(f.node()));
        });
    }

    // ================================================================== slot 26: set delete

    @Override
    public void setDelete(FileContext context, String fileName, boolean deleteFile) {
        run("SetDelete", () -> {
            Handle h = handle(context);
            if (deleteFile) {
                checkWritable("Delete");
                names.checkDeletable(h);
            }
            h.deletePending = deleteFile;
        });
    }

    // ================================================================== slots 27-30: extended attributes

    /** EAs are kept in {@code user.viofs.attrib} ({@link XattrAttributes}), so only with {@code -o xattr}. */
    @Override
    public boolean supportsEas() {
        return config.xattrs();
    }

    /**
     * Create, then the EAs (if any) on the new file. If they cannot be set the file is removed again
     * and the failure thrown: the caller is left with neither a half-made file nor a handle.
     */
    @Override
    public OpenResult createWithEas(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                                    byte[] securityDescriptor, long allocationSize, List<Ea> eas) {
        return call("Create", () -> {
            cache.continueOperation(fileName);
            checkWritable("Create");
            return opener.create(fileName, createOptions, grantedAccess, fileAttributes, securityDescriptor,
                    allocationSize, eas);
        });
    }

    @Override
    public FileInfo overwriteWithEas(FileContext context, int fileAttributes, boolean replaceFileAttributes,
                                     long allocationSize, List<Ea> eas) {
        return call("Overwrite", () -> {
            checkWritable("Overwrite");
            return attributes.overwrite(handle(context), fileAttributes, replaceFileAttributes, allocationSize, eas);
        });
    }

    /**
     * The file's EAs; a stream handle's are its main file's. A file without the stored-attributes
     * marker has none, known without a request.
     */
    @Override
    public List<Ea> getEa(FileContext context) {
        return call("GetEa", () -> {
            Handle h = handle(context);
            opener.requireEas();
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
            opener.requireEas();
            checkWritable("SetEa");
            EaList.check(eas);
            winAttrs.setEas(h.node, cache.stat(h.node, h.fhIfOpen()), eas);
            return view.info(h);
        });
    }
}
