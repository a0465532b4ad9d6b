package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseFlags;

/**
 * Named streams ({@code file:name}) kept in the host file's extended attributes
 * ({@value #PREFIX}{@code name}), for daemons running with {@code -o xattr}.
 *
 * <p>A stream handle holds the stream's contents; every change is written back at once (SETXATTR),
 * so other handles see it on their next open. Limits are the host's: at most
 * {@link FuseClient#MAX_XATTR_BYTES} (64 KiB, XATTR_SIZE_MAX), and on ext4 without {@code ea_inode}
 * about one block (4 KiB); a stream that does not fit is DISK_FULL and stays as it was. Typical
 * streams (Zone.Identifier, thumbnails' small metadata) fit.
 *
 * <p>Thread-safe: a handle's contents are guarded by the handle.
 */
final class XattrStreams {
    /** Extended-attribute name prefix of a named stream (the user namespace: no privilege needed). */
    static final String PREFIX = "user.viofs.stream.";

    private final FuseClient client;

    XattrStreams(FuseClient client) {
        this.client = client;
    }

    private static String xattrName(String stream) {
        String n = PREFIX + stream;
        if (n.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new NtStatusException(NtStatus.NAME_TOO_LONG, "stream name \"" + stream
                    + "\" does not fit a host attribute name (255 bytes with the prefix)");
        }
        return n;
    }

    void create(Node node, String stream) {
        try {
            client.setxattr(node.id, xattrName(stream), new byte[0], FuseFlags.XATTR_CREATE);
        } catch (FuseErrnoException e) {
            if (e.is(Errno.EEXIST)) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION, "stream " + stream + " exists", e);
            }
            throw notSupportedIfSo(e);
        }
    }

    byte[] load(Node node, String stream) {
        try {
            return client.getxattr(node.id, xattrName(stream));
        } catch (FuseErrnoException e) {
            if (e.is(Errno.ENODATA)) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, "no stream " + stream, e);
            }
            throw notSupportedIfSo(e);
        }
    }

    /** Whether the node has this named stream (one GETXATTR size probe); false where xattrs are off. */
    boolean exists(Node node, String stream) {
        try {
            client.getxattrSize(node.id, xattrName(stream));
            return true;
        } catch (FuseErrnoException e) {
            if (e.is(Errno.ENODATA) || e.is(Errno.EOPNOTSUPP) || e.is(Errno.ENOSYS)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Removes every named stream of the node, as NTFS does when the main stream is overwritten or
     * superseded (memfs does the same in its Overwrite).
     */
    void deleteAll(Node node) {
        for (StreamInfo s : list(node)) {
            try {
                client.removexattr(node.id, xattrName(s.streamName()));
            } catch (FuseErrnoException e) {
                if (!e.is(Errno.ENODATA)) {
                    throw e;
                }
            }
        }
    }

    private static RuntimeException notSupportedIfSo(FuseErrnoException e) {
        if (e.is(Errno.EOPNOTSUPP) || e.is(Errno.ENOSYS)) {
            return new NtStatusException(NtStatus.NOT_SUPPORTED, "the host file system keeps no extended attributes", e);
        }
        return e;
    }

    int size(Handle h) {
        synchronized (h) {
            return h.streamData.length;
        }
    }

    int read(Handle h, ByteBuffer buffer, long offset, int length) {
        synchronized (h) {
            byte[] d = h.streamData;
            if (offset >= d.length) {
                throw new NtStatusException(NtStatus.END_OF_FILE, h.path + ": offset " + offset + " is at or past the end");
            }
            int n = (int) Math.min(length, d.length - offset);
            buffer.put(0, d, (int) offset, n);
            return n;
        }
    }

    int write(Handle h, ByteBuffer buffer, long offset, int length, boolean toEnd, boolean constrained) {
        synchronized (h) {
            byte[] d = h.streamData;
            long at = toEnd ? d.length : offset;
            int len = length;
            if (constrained) {
                if (at >= d.length) {
                    return 0;
                }
                len = (int) Math.min(len, d.length - at);
            }
            long end = at + len;
            checkFits(h, end);
            byte[] next = Arrays.copyOf(d, (int) Math.max(d.length, end));
            buffer.get(0, next, (int) at, len);
            store(h, next);
            return len;
        }
    }

    void truncate(Handle h, long size) {
        synchronized (h) {
            checkFits(h, size);
            store(h, Arrays.copyOf(h.streamData, (int) size));
        }
    }

    /**
     * DISK_FULL (as NTFS answers a stream the volume cannot hold) when a stream of {@code size} bytes
     * does not fit one SETXATTR: XATTR_SIZE_MAX, or what the daemon's requests carry.
     */
    private void checkFits(Handle h, long size) {
        int max = XattrAttributes.maxValueBytes(client, xattrName(h.stream));
        if (size > max) {
            throw new NtStatusException(NtStatus.DISK_FULL, h.path + ": a named stream holds at most " + max
                    + " bytes here");
        }
    }

    /** Writes the whole value; on failure the handle keeps the previous contents. */
    private void store(Handle h, byte[] next) {
        try {
            client.setxattr(h.node.id, xattrName(h.stream), next, 0);
        } catch (FuseErrnoException e) {
            if (e.is(Errno.E2BIG) || e.is(Errno.ENOSPC) || e.is(Errno.ERANGE)) {
                throw new NtStatusException(NtStatus.DISK_FULL, h.path + ": the host cannot hold a stream of "
                        + next.length + " bytes", e);
            }
            throw notSupportedIfSo(e);
        }
        h.streamData = next;
        h.modified = true;
    }

    void delete(Handle h) {
        try {
            client.removexattr(h.node.id, xattrName(h.stream));
        } catch (FuseErrnoException e) {
            if (!e.is(Errno.ENODATA)) {
                throw e;
            }
        }
    }

    /** The main file's information with the stream's size. */
    FileInfo info(Handle h, FileInfo file) {
        long size = size(h);
        long alloc = FileInfoMapper.roundUpToCluster(size);
        return new FileInfo(file.fileAttributes(), file.reparseTag(), alloc, size, file.creationTime(),
                file.lastAccessTime(), file.lastWriteTime(), file.changeTime(), file.indexNumber(), file.hardLinks(),
                file.eaSize());
    }

    /** The named streams of a node (LISTXATTR, then one size probe per stream). */
    List<StreamInfo> list(Node node) {
        List<StreamInfo> out = new ArrayList<>();
        List<String> names;
        try {
            names = client.listxattr(node.id);
        } catch (FuseErrnoException e) {
            if (e.is(Errno.EOPNOTSUPP) || e.is(Errno.ENOSYS)) {
                return out;
            }
            throw e;
        }
        for (String n : names) {
            if (n.startsWith(PREFIX) && n.length() > PREFIX.length()) {
                try {
                    long size = client.getxattrSize(node.id, n);
                    out.add(new StreamInfo(n.substring(PREFIX.length()), size, FileInfoMapper.roundUpToCluster(size)));
                } catch (FuseErrnoException e) {
                    if (!e.is(Errno.ENODATA)) {
                        throw e;
                    }
                }
            }
        }
        return out;
    }
}
