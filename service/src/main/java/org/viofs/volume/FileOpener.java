package org.viofs.volume;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.viofs.fuse.AttrOut;
import org.viofs.fuse.CreateOut;
import org.viofs.fuse.EntryOut;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.OpenFlags;
import org.viofs.fuse.SetattrIn;

/**
 * Create, CreateEx and Open. Create makes a new file, directory or named stream, then what the host
 * keeps apart (owner, allocation, stored attributes and descriptor, EAs); a new file whose EAs cannot
 * be set is removed again, so the caller is left with neither a half-made file nor a handle. Open
 * checks the kind of file asked for and hands out a handle that sends no OPEN until it needs data.
 *
 * <p>Thread-safe.
 */
final class FileOpener {
    private static final Logger LOG = Logger.getLogger(FileOpener.class.getName());

    /** Mode of new files and directories (before READONLY removes the write bits). */
    static final int NEW_FILE_MODE = 0644;
    static final int NEW_DIR_MODE = 0755;

    private final FuseClient client;
    private final NodeCache cache;
    private final VolumeConfig config;
    private final PathResolver paths;
    private final NodeView view;
    private final HandleData data;
    private final XattrStreams streams;
    /** Null without {@code -o xattr}. */
    private final XattrAttributes winAttrs;
    /** uid/gid the client puts in every request header: the owner new files get from the daemon. */
    private final int headerUid;
    private final int headerGid;

    FileOpener(FuseClient client, NodeCache cache, VolumeConfig config, PathResolver paths, NodeView view,
                HandleData data, XattrStreams streams, XattrAttributes winAttrs, int headerUid, int headerGid) {
        this.client = client;
        this.cache = cache;
        this.config = config;
        this.paths = paths;
        this.view = view;
        this.data = data;
        this.streams = streams;
        this.winAttrs = winAttrs;
        this.headerUid = headerUid;
        this.headerGid = headerGid;
    }

    /** EAs need {@code -o xattr}: EAS_NOT_SUPPORTED without it. */
    void requireEas() {
        if (winAttrs == null) {
            throw new NtStatusException(NtStatus.EAS_NOT_SUPPORTED, "extended attributes need the daemon's -o xattr");
        }
    }

    OpenResult create(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                      byte[] securityDescriptor, long allocationSize, List<Ea> eas) {
        List<Ea> newEas = newFileEas(eas);
        WinPath p = WinPath.parse(fileName);
        if (p.isNamedStream()) {
            return createStream(p, grantedAccess, newEas);
        }
        p = p.withoutStream();
        if (p.isRoot()) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION, "the root exists");
        }
        PathResolver.Resolved r = place(p);
        boolean dir = (createOptions & CreateOptions.FILE_DIRECTORY_FILE) != 0;
        SecurityDescriptor wantedSd = storedDescriptor(securityDescriptor, dir);
        Node parent = r.parent();
        String name = r.hostName();
        Handle h = make(p, parent, name, dir, (fileAttributes & FileAttributes.READONLY) != 0, grantedAccess);
        Node node = h.node;
        try {
            fixOwner(node);
            if (!dir && allocationSize > 0) {
                data.allocate(h, allocationSize);
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
        return new OpenResult(h, new OpenFileInfo(view.info(h), normalized));
    }

    /**
     * Where the new name goes. Case-insensitive: a name that differs only by case exists →
     * OBJECT_NAME_COLLISION, as NTFS would (never make a twin). Case-sensitive: O_EXCL / MKDIR's
     * EEXIST is the existence check, no LOOKUP needed.
     */
    private PathResolver.Resolved place(WinPath p) {
        if (!config.caseInsensitive()) {
            return paths.placeOf(p, NtStatus.NOT_A_DIRECTORY);
        }
        PathResolver.Resolved r = paths.resolveNoSymlinks(p);
        if (r.node() != null) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION, p + " exists as \\" + String.join("\\", r.hostNames()));
        }
        return r;
    }

    /**
     * With -o xattr a given descriptor that mode bits cannot express is kept; otherwise it is ignored
     * (the anchor's behaviour): new files get the default mode. Null when nothing is to be stored.
     */
    private SecurityDescriptor storedDescriptor(byte[] securityDescriptor, boolean dir) {
        if (winAttrs == null || securityDescriptor == null) {
            return null;
        }
        SecurityDescriptor sd = SecurityDescriptor.parse(securityDescriptor);
        return view.representable(sd, dir ? HostStat.S_IFDIR : HostStat.S_IFREG) ? null : sd;
    }

    /** MKDIR or CREATE(O_EXCL), the node adopted and pinned by a new handle. */
    private Handle make(WinPath p, Node parent, String name, boolean dir, boolean readOnly, int grantedAccess) {
        Handle h;
        try {
            if (dir) {
                // READONLY on a directory does not stop anyone adding files on NTFS: the mode keeps its
                // write bits (with -o xattr the attribute itself is stored)
                EntryOut e = client.mkdir(parent.id, name, HostStat.S_IFDIR | NEW_DIR_MODE, 0);
                h = new Handle(cache.adopt(parent, name, e), p, true, grantedAccess);
            } else {
                int mode = HostStat.S_IFREG | (NEW_FILE_MODE & (readOnly ? ~0222 : ~0));
                CreateOut c = client.create(parent.id, name, OpenFlags.O_RDWR | OpenFlags.O_EXCL, mode, 0);
                h = new Handle(cache.adopt(parent, name, c.entry()), p, false, grantedAccess);
                h.setOpened(c.open().fh(), OpenFlags.O_RDWR);
            }
        } catch (FuseErrnoException e) {
            if (e.is(Errno.EEXIST)) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION, p + " exists on the host", e);
            }
            throw e;
        }
        cache.pin(h);
        return h;
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
            data.release(h);
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

    /** New files are owned by the header ids; chown when the wanted owner differs (auto owner ≠ 0:0). */
    private void fixOwner(Node node) {
        IdMapping ids = view.ids();
        if (headerUid == ids.ownerUid() && headerGid == ids.ownerGid()) {
            return;
        }
        AttrOut a = client.setattr(node.id, SetattrIn.builder().uid(ids.ownerUid()).gid(ids.ownerGid()).build());
        cache.update(node, a);
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
        PathResolver.Resolved r = paths.resolveNoSymlinks(p.withoutStream());
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
        return new OpenResult(h, new OpenFileInfo(view.info(h), null));
    }

    /** Open of an existing file, directory or named stream. */
    OpenResult open(String fileName, int createOptions, int grantedAccess) {
        WinPath p = WinPath.parse(fileName);
        if (p.isNamedStream()) {
            return openStream(p, grantedAccess);
        }
        PathResolver.Resolved r = paths.resolveExisting(p.withoutStream());
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
        return new OpenResult(h, new OpenFileInfo(view.info(r.node(), st), paths.normalizedName(r)));
    }

    /** Open of {@code file:stream}: OBJECT_NAME_NOT_FOUND when the stream (or xattr support) is missing. */
    private OpenResult openStream(WinPath p, int grantedAccess) {
        if (!config.xattrs()) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, p + ": no named streams without -o xattr");
        }
        PathResolver.Resolved r = paths.resolveExisting(p.withoutStream());
        byte[] streamData = streams.load(r.node(), p.streamName());
        Handle h = new Handle(r.node(), p, false, grantedAccess, p.streamName(), streamData);
        cache.pin(h);
        return new OpenResult(h, new OpenFileInfo(view.info(h), paths.normalizedName(r)));
    }
}
