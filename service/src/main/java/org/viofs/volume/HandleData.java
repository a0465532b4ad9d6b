package org.viofs.volume;

import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseFlags;
import org.viofs.fuse.OpenFlags;
import org.viofs.fuse.abi.OpenOut;
import org.viofs.fuse.abi.SetattrIn;

/**
 * A handle's FUSE file handle (opened lazily, released once) and the size and data changes made
 * through it: truncate, allocate, trim on cleanup, and writes that leave nothing partial behind.
 *
 * <p>Thread-safe: the fh fields are guarded by the handle's monitor.
 */
final class HandleData {
    private static final Logger LOG = Logger.getLogger(HandleData.class.getName());

    /** Access rights that need a writable host descriptor (winnt.h; MAXIMUM_ALLOWED is 0x02000000). */
    private static final int WRITE_ACCESS = PosixSecurity.FILE_WRITE_DATA | PosixSecurity.FILE_APPEND_DATA
            | PosixSecurity.GENERIC_WRITE | PosixSecurity.GENERIC_ALL | 0x02000000;

    private final FuseClient client;
    private final NodeCache cache;
    private final boolean readOnly;
    private final DeferredHandles deferred;

    HandleData(FuseClient client, NodeCache cache, boolean readOnly, DeferredHandles deferred) {
        this.client = client;
        this.cache = cache;
        this.readOnly = readOnly;
        this.deferred = deferred;
    }

    /** The closed files' handles kept for reuse. */
    DeferredHandles deferred() {
        return deferred;
    }

    /**
     * The FUSE fh of a handle, opening it on first use with flags from the granted access; a kept
     * handle of the same file with compatible access ({@link DeferredHandles}) is taken instead of OPEN.
     */
    long fh(Handle h) {
        synchronized (h) {
            if (h.opened) {
                return h.fh;
            }
            if (h.isDir) {
                OpenOut o = client.opendir(h.node.id);
                h.setOpened(o.fh(), OpenFlags.O_RDONLY);
                return o.fh();
            }
            if (cache.fileType(h.node).isSymlink()) {
                throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, h.path + " is a symbolic link; it has no data");
            }
            boolean write = (h.grantedAccess & WRITE_ACCESS) != 0 && !readOnly;
            DeferredHandles.Taken kept = deferred.take(h.node, write);
            if (kept != null) {
                h.setOpened(kept.fh(), kept.flags());
                return kept.fh();
            }
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

    /**
     * Close: a regular file's fh that still has a name is kept for reuse ({@link DeferredHandles});
     * otherwise RELEASE/RELEASEDIR, if the handle opened one.
     */
    void close(Handle h) {
        release(h, !h.isDir && !h.isStream() && cache.link(h.node).parent() != null);
    }

    /** Sends RELEASE/RELEASEDIR for the handle's fh at once, if it opened one. */
    void release(Handle h) {
        release(h, false);
    }

    private void release(Handle h, boolean mayDefer) {
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
        } else if (mayDefer) {
            deferred.park(h.node, fh, flags);
        } else {
            client.release(h.node.id, fh, flags);
        }
    }

    /**
     * A SETATTR builder for a truncate: it names the handle's fh when the handle opened one for
     * writing (a read-only descriptor cannot be truncated: EINVAL), else the daemon opens the file.
     */
    private static SetattrIn.Builder setattr(Handle h) {
        SetattrIn.Builder b = SetattrIn.builder();
        long fh = h.writableFhIfOpen();
        if (fh >= 0) {
            b.fh(fh);
        }
        return b;
    }

    void truncate(Handle h, long size) {
        AttrOut a = client.setattr(h.node.id, setattr(h).size(size).build());
        cache.update(h.node, a);
        h.changed(h.node);
    }

    /** Overwrite's SETATTR: size 0, and the mode when it changes ({@code mode} is the wanted full mode). */
    void truncateToZero(Handle h, HostStat st, int mode) {
        deferred.discard(h.node); // overwritten: no kept handle of the old contents stays open on the host
        SetattrIn.Builder b = setattr(h).size(0);
        if (mode != st.mode()) {
            b.mode(mode & 07777);
        }
        cache.update(h.node, client.setattr(h.node.id, b.build()));
        h.changed(h.node);
    }

    /** Reserves space without changing the size (FALLOCATE KEEP_SIZE); a host that cannot is no error. */
    void allocate(Handle h, long size) {
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

    /**
     * Cleanup(SetAllocationSize): the allocation goes back to the end of file rounded up to a cluster
     * (NTFS frees what SetFileSize(allocation) reserved beyond it). A truncate to the current size frees
     * blocks past the end on Linux file systems (ext4 ignores a PUNCH_HOLE past the end of file). The
     * truncate would stamp mtime, so the same SETATTR sets it: {@code now}, the handle's explicit
     * {@code keep}, or the time the file had. False when there was nothing to trim.
     */
    boolean trimAllocation(Handle h, boolean now, long[] keep) {
        HostStat st = cache.freshStat(h.node, h.fhIfOpen()).stat();
        if (!st.isRegular()) {
            return false;
        }
        long cluster = FileInfoMapper.roundUpToCluster(st.size());
        if (FileInfoMapper.toFileInfo(st, null, false).allocationSize() <= cluster) {
            return false;
        }
        SetattrIn.Builder b = setattr(h).size(st.size());
        if (now) {
            b.mtimeNow();
        } else if (keep != null) {
            b.mtime(keep[0], (int) keep[1]);
        } else {
            b.mtime(st.mtime(), st.mtimeNsec());
        }
        cache.update(h.node, client.setattr(h.node.id, b.build()));
        return true;
    }

    /**
     * Writes {@code length} bytes at {@code offset} (or at the end of file) in as many WRITE requests as
     * the daemon needs; paging I/O ({@code constrainedIo}) never grows the file (docs/winfsp-native.md §2.1).
     * Returns the bytes written and the attributes after them.
     */
    Written write(Handle h, ByteBuffer buffer, long offset, int length, boolean writeToEndOfFile, boolean constrainedIo) {
        long fh = fh(h);
        boolean needSize = writeToEndOfFile || constrainedIo;
        CachedStat cs = needSize ? cache.freshStat(h.node, fh) : h.node.cached();
        long sizeBefore = cs.stat().size();
        long at = writeToEndOfFile ? sizeBefore : offset;
        int len = length;
        if (constrainedIo) {
            if (at >= sizeBefore) {
                return new Written(0, null);
            }
            len = (int) Math.min(len, sizeBefore - at);
        }
        if (len == 0) {
            return new Written(0, null);
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
        return new Written(len, cache.wrote(h.node, at + len));
    }

    /** What {@link #write} did: bytes written and the node's attributes after (null when nothing was written). */
    record Written(int bytes, HostStat after) {
    }

    /**
     * A write failed part-way (disk full): nothing is reported as written, and when the file grew and
     * its size before the write is known, it is cut back so no partial data stays visible.
     */
    private void undoPartialWrite(Handle h, long fh, CachedStat before, long at) {
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
}
