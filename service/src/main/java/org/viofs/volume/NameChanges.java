package org.viofs.volume;

import java.util.logging.Logger;

import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseFlags;

/**
 * Delete and rename: which checks Windows makes before a delete, the UNLINK/RMDIR a delete-on-close
 * handle sends at Cleanup, and RENAME2 with Windows' replace rules (a directory is never replaced,
 * a case-only rename on a case-insensitive volume, a name another handle's rename raced onto).
 *
 * <p>Thread-safe.
 */
final class NameChanges {
    private static final Logger LOG = Logger.getLogger(NameChanges.class.getName());

    private final FuseClient client;
    private final NodeCache cache;
    private final PathResolver paths;
    private final HandleData data;
    private final DirectoryLister lister;
    private final boolean caseInsensitive;

    NameChanges(FuseClient client, NodeCache cache, PathResolver paths, HandleData data, DirectoryLister lister,
                boolean caseInsensitive) {
        this.client = client;
        this.cache = cache;
        this.paths = paths;
        this.data = data;
        this.lister = lister;
        this.caseInsensitive = caseInsensitive;
    }

    /** CanDelete / SetDelete(TRUE): the root and a directory with entries cannot be deleted. */
    void checkDeletable(Handle h) {
        if (h.node == cache.root()) {
            throw new NtStatusException(NtStatus.CANNOT_DELETE, "the root cannot be deleted");
        }
        if (h.isDir && !lister.isEmpty(h.node, data.fh(h))) {
            throw new NtStatusException(NtStatus.DIRECTORY_NOT_EMPTY, h.path + " is not empty");
        }
    }

    /** Cleanup(Delete): removes the name the handle's file has now, if it still has one. */
    void deleteOnCleanup(Handle h) {
        Link link = cache.link(h.node);
        Node parent = link.parent();
        String name = link.name();
        if (parent == null || name == null) {
            // another handle renamed a file over it or deleted it: this file has no name left to remove
            LOG.fine(() -> "Cleanup(Delete) of " + h.path + ": the file has no name any more");
            return;
        }
        try {
            if (h.isDir) { // the handle knows the file type: a node id never changes it (NodeCache refuses that)
                data.release(h); // an open directory fd is fine on Linux, but release early: the handle is done
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
        data.deferred().discard(h.node);
    }

    /** Rename of the handle's file to {@code to} (a parsed path, no stream, not the root). */
    void rename(Handle h, WinPath to, boolean replaceIfExists) {
        Node src = h.node;
        Link srcLink = cache.link(src);
        Node srcParent = srcLink.parent();
        String srcName = srcLink.name();
        if (srcParent == null || srcName == null) {
            throw new NtStatusException(NtStatus.FILE_DELETED, h.path + " no longer has a name");
        }
        PathResolver.Resolved target = !caseInsensitive && !replaceIfExists
                // RENAME_NOREPLACE is the existence check: only the target's directory is needed
                ? paths.placeOf(to, NtStatus.OBJECT_PATH_NOT_FOUND)
                // the target's attributes (replace() needs them) come with the walk, so a cached target
                // whose file the host no longer has (ESTALE) is looked up again before anything changes
                : paths.againIfStale(() -> {
                    PathResolver.Resolved r = paths.resolveNoSymlinks(to);
                    if (r.node() != null && r.node() != src) {
                        cache.stat(r.node());
                    }
                    return r;
                });
        Node newParent = target.parent();
        String newName = PathResolver.checkHostName(target.node() != null ? WinPath.toHostName(to.leaf()) : target.hostName());
        if (newParent == srcParent && newName.equals(srcName)) {
            return; // renaming onto itself succeeds and changes nothing (winfsp-tests rename_caseins_test)
        }
        if (target.node() != null && target.node() != src) {
            replace(src, h.isDir, srcParent, srcName, to, target, newName, replaceIfExists);
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
    }

    /**
     * Rename onto an existing file (never a directory), taking the new spelling on a case-insensitive
     * volume. A directory may replace a file, as on NTFS and in memfs (docs/volume-semantics.md "Rename
     * onto an existing name"); Linux refuses that (ENOTDIR), so the two names are swapped in one step
     * (RENAME_EXCHANGE) and the file is unlinked from the directory's old name.
     */
    private void replace(Node src, boolean srcIsDir, Node srcParent, String srcName, WinPath to,
                         PathResolver.Resolved target, String newName, boolean replaceIfExists) {
        if (!replaceIfExists) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION, to + " exists");
        }
        if (cache.stat(target.node()).isDirectory()) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, to + " is a directory; a directory is never replaced");
        }
        Node newParent = target.parent();
        String existing = target.hostName();
        if (srcIsDir) {
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
        data.deferred().discard(target.node()); // renamed over: its kept handles go
        if (!existing.equals(newName)) {
            // case-insensitive target spelled differently: take the new spelling, leave no twin
            client.rename(newParent.id, existing, newParent.id, newName, FuseFlags.RENAME_NOREPLACE);
            cache.renamed(newParent, existing, newParent, newName, src, null);
        }
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
}
