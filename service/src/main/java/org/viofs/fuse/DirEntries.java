package org.viofs.fuse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.viofs.fuse.abi.Dirent;
import org.viofs.fuse.abi.DirentPlus;

/**
 * Decodes READDIR and READDIRPLUS replies and judges every name where it enters. An entry is skipped,
 * never passed on, when its name
 * <ul>
 *   <li>is not valid UTF-8 (it could not be sent back unchanged),</li>
 *   <li>contains NUL or '/' (no request could name it),</li>
 *   <li>is longer than {@link #NAME_MAX} bytes,</li>
 *   <li>is "." or ".." out of place: a second time in one reply, or in READDIRPLUS with a node id
 *       (virtiofsd sends both with node id 0, docs/vhost-user-frontend.md §7.5),</li>
 * </ul>
 * or when a READDIRPLUS entry names the root's node id for a child. A skipped READDIRPLUS entry's
 * lookup reference is returned to the daemon by the client. One warning per directory names the first
 * entry skipped there. Thread-safe.
 */
final class DirEntries {
    private static final System.Logger LOG = System.getLogger(FuseClient.class.getName());

    /** Linux {@code NAME_MAX} (include/uapi/linux/limits.h): longest name component, bytes. */
    static final int NAME_MAX = 255;
    /** Directories remembered as already warned about; past this the set starts over. */
    private static final int MAX_WARNED = 4096;

    /** Decodes one entry structurally; see {@link Dirent#decode}. */
    interface EntryDecoder<E> {
        E decode(ByteBuffer b);
    }

    /** What one reply gave: the page, and the node ids of skipped entries that carry a reference. */
    record Decoded<E>(DirPage<E> page, long[] skippedRefs, int skippedRefCount) {
    }

    private final Set<Long> warned = ConcurrentHashMap.newKeySet();

    /**
     * Decodes every entry of a body of {@code len} bytes at the position.
     *
     * @throws FuseProtocolException for a structurally broken entry (the whole reply is refused)
     */
    <E> Decoded<E> decode(Opcode op, long dirId, ByteBuffer r, EntryDecoder<E> dec) {
        List<E> kept = new ArrayList<>();
        long[] refs = null;
        int refCount = 0;
        int decoded = 0;
        long cookie = 0;
        boolean dot = false;
        boolean dotDot = false;
        String firstProblem = null;
        int skipped = 0;
        while (r.hasRemaining()) {
            E e = dec.decode(r);
            decoded++;
            Dirent d = e instanceof DirentPlus p ? p.dirent() : (Dirent) e;
            long nodeId = e instanceof DirentPlus p ? p.nodeId() : 0;
            cookie = d.off();
            String problem = problem(d.name(), nodeId, op);
            if (problem == null && ".".equals(d.name())) {
                problem = dot ? "\".\" a second time" : null;
                dot = true;
            } else if (problem == null && "..".equals(d.name())) {
                problem = dotDot ? "\"..\" a second time" : null;
                dotDot = true;
            }
            if (problem == null) {
                kept.add(e);
                continue;
            }
            skipped++;
            if (firstProblem == null) {
                firstProblem = (d.name() == null ? "a name" : "\"" + Replies.printable(d.name()) + "\"") + ": " + problem;
            }
            if (nodeId != 0 && nodeId != FuseFlags.ROOT_ID) {
                if (refs == null) {
                    refs = new long[8];
                } else if (refCount == refs.length) {
                    refs = Arrays.copyOf(refs, refs.length * 2);
                }
                refs[refCount++] = nodeId;
            }
        }
        if (skipped > 0) {
            warnOnce(op, dirId, skipped, firstProblem);
        }
        return new Decoded<>(new DirPage<>(kept, cookie, decoded), refs, refCount);
    }

    /** Why this entry cannot be passed on, or null if it can. */
    private static String problem(String name, long nodeId, Opcode op) {
        if (name == null) {
            return "not valid UTF-8";
        }
        if (name.indexOf('\0') >= 0) {
            return "contains NUL";
        }
        if (name.indexOf('/') >= 0) {
            return "contains '/'";
        }
        if (utf8Length(name) > NAME_MAX) {
            return "longer than NAME_MAX (" + NAME_MAX + " bytes)";
        }
        boolean dots = ".".equals(name) || "..".equals(name);
        if (dots && nodeId != 0) {
            return "carries node id " + nodeId + " (\".\" and \"..\" come with none)";
        }
        if (!dots && op == Opcode.READDIRPLUS && nodeId == FuseFlags.ROOT_ID) {
            return "a child with the root's node id";
        }
        return null;
    }

    private void warnOnce(Opcode op, long dirId, int skipped, String firstProblem) {
        if (warned.size() >= MAX_WARNED) {
            warned.clear();
        }
        if (warned.add(dirId)) {
            LOG.log(System.Logger.Level.WARNING, "{0} of directory node {1}: skipped {2} entr{3} the host sent "
                    + "(first: {4}); later ones in this directory are skipped without a warning", op, dirId, skipped,
                    skipped == 1 ? "y" : "ies", firstProblem);
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
