package org.viofs.volume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;

/**
 * The volume's one path walker: Windows paths to nodes, through the name cache ({@link NodeCache}),
 * one component at a time ({@link #child}). Two ways to meet a symbolic link (or a stored reparse
 * point of another tag) on the way:
 * <ul>
 * <li>{@link #resolve}: stop there ({@link SymlinkInPath}): Open, Create, GetSecurityByName, whose
 *     caller (the FSD) then asks {@link #follow ResolveReparsePoints};</li>
 * <li>{@link #follow}: follow it, at most {@value #MAX_SYMLINK_FOLLOWS} times: ResolveReparsePoints
 *     and {@link #linkIsDirectory}.</li>
 * </ul>
 *
 * <p>Thread-safe as the cache is; nodes it returns are held for the calling callback.
 */
final class PathResolver {
    /** Linux NAME_MAX (include/uapi/linux/limits.h): a host name component holds at most 255 bytes. */
    static final int HOST_NAME_MAX_BYTES = 255;
    /** Most components of a path on this volume: a name and its backslash take at least 2 UTF-16 units. */
    static final int MAX_DEPTH = WinPath.MAX_PATH_UTF16 / 2;
    /** Most symlinks followed while resolving one path: WinFsp's resolver gives up after 32. */
    static final int MAX_SYMLINK_FOLLOWS = 32;

    /** A resolved path: the leaf node (null if the leaf is missing) and its parent directory. */
    record Resolved(Node parent, Node node, String hostName, List<String> hostNames) {
    }

    /** Thrown inside symlink resolution at a reparse point of another tag (stored with -o xattr). */
    static final class OtherReparsePoint extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final byte[] data;

        OtherReparsePoint(byte[] data) {
            super(null, null, false, false);
            this.data = data;
        }
    }

    /** Thrown by {@link #resolve} when a non-final component is a symlink. */
    static final class SymlinkInPath extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int componentIndex;

        SymlinkInPath(int componentIndex) {
            super(null, null, false, false);
            this.componentIndex = componentIndex;
        }
    }

    private final FuseClient client;
    private final NodeCache cache;
    /** Stored Windows attributes (reparse points of other tags); null without {@code -o xattr}. */
    private final XattrAttributes winAttrs;
    private final boolean caseInsensitive;
    /** Whether this thread runs inside {@link #againIfStale}: nested calls do not retry again. */
    private final ThreadLocal<Boolean> retrying = ThreadLocal.withInitial(() -> false);

    PathResolver(FuseClient client, NodeCache cache, XattrAttributes winAttrs, boolean caseInsensitive) {
        this.client = client;
        this.cache = cache;
        this.winAttrs = winAttrs;
        this.caseInsensitive = caseInsensitive;
    }

    /** The host name, or NAME_TOO_LONG when it does not fit a host name component. */
    static String checkHostName(String hostName) {
        int bytes = hostName.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > HOST_NAME_MAX_BYTES) {
            throw new NtStatusException(NtStatus.NAME_TOO_LONG, "name of " + bytes + " UTF-8 bytes; the host holds at most "
                    + HOST_NAME_MAX_BYTES);
        }
        return hostName;
    }

    /** One step: {@code hostName} in {@code dir}, or null when missing. */
    private Found child(Node dir, String hostName) {
        return cache.lookupChild(dir, checkHostName(hostName));
    }

    /** The reparse data of another tag stored on a node that is not a symlink, or null. */
    private byte[] otherReparse(Node n, HostStat st) {
        return winAttrs != null && !st.isSymlink() ? winAttrs.reparse(n, st) : null;
    }

    // ------------------------------------------------------------------ stopping at links

    /**
     * Runs a path-based body once more when a request of it answers ESTALE: the host no longer has
     * the file a cached name led to ({@link NodeCache#stale}), and the second walk looks the names up
     * again. A body that still meets ESTALE fails with it (the volume answers FILE_DELETED). Only for
     * bodies that change nothing on the host before their last request (Open, GetSecurityByName,
     * the path walk itself).
     */
    <T> T againIfStale(Supplier<T> body) {
        if (retrying.get()) {
            return body.get(); // inside an outer againIfStale, which retries the whole body once
        }
        retrying.set(true);
        try {
            return body.get();
        } catch (FuseErrnoException e) {
            if (!e.is(Errno.ESTALE)) {
                throw e;
            }
            cache.stale(e.nodeId());
            return body.get();
        } finally {
            retrying.set(false);
        }
    }

    /**
     * Walks the path. Missing intermediate → OBJECT_PATH_NOT_FOUND; an intermediate file →
     * NOT_A_DIRECTORY; an intermediate symlink or reparse point → {@link SymlinkInPath}. A missing leaf
     * gives node == null (the caller decides). A node that answers ESTALE on the way (a cached name
     * that now leads elsewhere on the host) is dropped and the path walked once more.
     */
    Resolved resolve(WinPath path) {
        return againIfStale(() -> walk(path));
    }

    private Resolved walk(WinPath path) {
        Node dir = cache.root();
        List<String> names = path.names();
        if (names.isEmpty()) {
            return new Resolved(null, dir, null, List.of());
        }
        List<String> spelled = new ArrayList<>(names.size());
        for (int i = 0; i < names.size() - 1; i++) {
            Found f = child(dir, names.get(i));
            if (f == null) {
                throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, "\\" + String.join("\\", names.subList(0, i + 1))
                        + " does not exist");
            }
            HostStat st = cache.stat(f.node());
            if (st.isSymlink() || otherReparse(f.node(), st) != null) {
                throw new SymlinkInPath(i);
            }
            if (!st.isDirectory()) {
                throw new NtStatusException(NtStatus.NOT_A_DIRECTORY, "\\" + String.join("\\", names.subList(0, i + 1))
                        + " is not a directory");
            }
            spelled.add(f.hostName());
            dir = f.node();
        }
        String leaf = names.get(names.size() - 1);
        Found f = child(dir, leaf);
        if (f == null) {
            spelled.add(leaf);
            return new Resolved(dir, null, leaf, spelled);
        }
        spelled.add(f.hostName());
        return new Resolved(dir, f.node(), f.hostName(), spelled);
    }

    /** {@link #resolve}, with a symlink in the path answered OBJECT_PATH_NOT_FOUND. */
    Resolved resolveNoSymlinks(WinPath path) {
        try {
            return resolve(path);
        } catch (SymlinkInPath e) {
            throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, path
                    + ": a directory in the path is a symbolic link; resolve it with ResolveReparsePoints first");
        }
    }

    /** {@link #resolveNoSymlinks}, with a missing leaf answered OBJECT_NAME_NOT_FOUND. */
    Resolved resolveExisting(WinPath path) {
        Resolved r = resolveNoSymlinks(path);
        if (r.node() == null) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, path + " does not exist");
        }
        return r;
    }

    /**
     * Where a new name {@code path} would go, without looking the name up (the host's O_EXCL,
     * EEXIST or RENAME_NOREPLACE is the existence check): its parent directory and the host name.
     * A missing parent is OBJECT_PATH_NOT_FOUND; a parent that is a file is {@code notDirectory}.
     */
    Resolved placeOf(WinPath path, int notDirectory) {
        Resolved dirOf = resolveNoSymlinks(path.parent());
        if (dirOf.node() == null) {
            throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, path.parent() + " does not exist");
        }
        if (!cache.fileType(dirOf.node()).isDirectory()) {
            throw new NtStatusException(notDirectory, path.parent() + " is not a directory");
        }
        return new Resolved(dirOf.node(), null, checkHostName(path.leaf()), List.of());
    }

    /** The name the volume reports for an opened path (host spelling): null on a case-sensitive volume. */
    String normalizedName(Resolved r) {
        if (!caseInsensitive) {
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

    // ------------------------------------------------------------------ following links

    /**
     * Follows the symlinks in a path of Windows names, rewriting {@code comps} in place into the path
     * they lead to: at most {@value #MAX_SYMLINK_FOLLOWS} links (REPARSE_POINT_NOT_RESOLVED beyond, so a
     * loop ends cleanly); ".." never climbs above the root; a missing last component ends the walk, a
     * missing directory is OBJECT_PATH_NOT_FOUND. A reparse point of another tag throws {@link
     * OtherReparsePoint}. Returns the node the path leads to, or null when its last component is missing.
     */
    Node follow(List<String> comps, boolean resolveLast, String what) {
        int follows = 0;
        // dirs.get(k) is the directory holding comps.get(k): the root, then each directory walked into
        List<Node> dirs = new ArrayList<>();
        dirs.add(cache.root());
        Node reached = cache.root();
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
                    dirs.remove(dirs.size() - 1);
                }
                reached = dirs.get(dirs.size() - 1);
                continue;
            }
            Node dir = dirs.get(dirs.size() - 1);
            boolean last = i == comps.size() - 1;
            Found f = child(dir, WinPath.toHostName(c));
            if (f == null) {
                if (last) {
                    return null;
                }
                throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, c + " in " + what + " does not exist");
            }
            HostStat st = cache.stat(f.node());
            byte[] otherTag = otherReparse(f.node(), st);
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
                    dirs.subList(1, dirs.size()).clear();
                    reached = cache.root();
                } else {
                    comps.addAll(i, tcomps);
                    reached = dir;
                }
                continue;
            }
            if (!last) {
                if (!st.isDirectory()) {
                    throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, c + " in " + what + " is not a directory");
                }
                dirs.add(f.node());
            }
            reached = f.node();
            i++;
        }
        return reached;
    }

    /**
     * Whether a symlink leads to a directory, so it can show DIRECTORY like an NTFS directory link
     * (the anchor's directory links could not be entered, #897). Remembered per node; a dangling or
     * looping link is a file link.
     */
    boolean linkIsDirectory(Node link) {
        Boolean known = link.linkToDirectory;
        if (known != null) {
            return known;
        }
        List<String> comps = new ArrayList<>();
        for (Node n = link; n != cache.root(); n = n.parent()) {
            String name = n == null ? null : n.name();
            if (name == null || comps.size() >= MAX_DEPTH) {
                return false; // unlinked, or deeper than any Windows path (never a cycle: NodeCache refuses those)
            }
            comps.add(WinPath.toWindowsName(name));
        }
        java.util.Collections.reverse(comps);
        boolean dir;
        try {
            Node target = follow(comps, true, "link " + link.name());
            dir = target != null && cache.stat(target).isDirectory();
        } catch (NtStatusException | OtherReparsePoint e) {
            dir = false;
        }
        link.linkToDirectory = dir;
        return dir;
    }
}
