package org.viofs.volume;

import java.util.Arrays;
import java.util.logging.Logger;

import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseFlags;
import org.viofs.fuse.abi.SetattrIn;

/**
 * What a share lets the volume do, found by writing to it rather than guessed (issue 12 items 6
 * and 7): whether extended attributes can be stored (a scratch {@value #PROBE_NAME} attribute is set
 * on the root, read back and removed) and whether the host exports the share read-only (a write that
 * fails with EROFS). {@link FuseVolume} probes once at mount ({@link FuseVolume#capabilities()});
 * {@code viofs probe}, {@code status} and {@code conformance} show {@link #describe()}.
 *
 * <p>The probe changes nothing a user sees: the attribute is removed again, and the read-only probe
 * sets the root's mode to what it is. Both may move the root's ctime.
 *
 * @param xattrs   what the host does with {@code user.*} extended attributes
 * @param readOnly the host refused a write with EROFS (a read-only export or mount)
 * @param detail   the host's answers that decided it, for the log and the reports (never null)
 */
public record ShareCapabilities(Xattrs xattrs, boolean readOnly, String detail) {
    private static final Logger LOG = Logger.getLogger(ShareCapabilities.class.getName());

    /** The scratch attribute of the write probe (user namespace: no privilege needed). */
    public static final String PROBE_NAME = "user.viofs.probe";
    private static final byte[] PROBE_VALUE = {'v', 'i', 'o', 'f', 's'};

    /** What the host does with {@code user.*} extended attributes. */
    public enum Xattrs {
        /** Set, read back and removed: named streams, stored attributes and EAs work. */
        WRITABLE,
        /** Readable, but the share is read-only: stored values are shown, nothing new is stored. */
        READABLE,
        /** Listed or read perhaps, but writing {@code user.*} is refused (e.g. a daemon's xattrmap). */
        REFUSED,
        /** The daemon keeps none (no {@code -o xattr}: ENOSYS / EOPNOTSUPP). */
        NONE
    }

    public ShareCapabilities {
        if (xattrs == null || detail == null) {
            throw new IllegalArgumentException("xattrs and detail are required");
        }
    }

    /** Whether the volume may use extended attributes (store them, or on a read-only share show them). */
    public boolean xattrsUsable() {
        return xattrs == Xattrs.WRITABLE || xattrs == Xattrs.READABLE;
    }

    /** One line for {@code probe}, {@code status} and the conformance header. */
    public String describe() {
        String x = switch (xattrs) {
            case WRITABLE -> "extended attributes stored (named streams, Windows attributes and EAs work)";
            case READABLE -> "extended attributes readable only";
            case REFUSED -> "extended attributes refused for writing (named streams, Windows attributes and EAs off)";
            case NONE -> "no extended attributes (the daemon runs without -o xattr)";
        };
        return (readOnly ? "read-only share; " : "writable share; ") + x + " [" + detail + "]";
    }

    /**
     * Probes the share through {@code client}: SETXATTR(create) + GETXATTR + REMOVEXATTR of
     * {@value #PROBE_NAME} on the root, and a SETATTR of the root's own mode when that did not tell
     * whether the share is read-only. Errno answers decide; a transport or protocol failure is thrown.
     */
    public static ShareCapabilities probe(FuseClient client) {
        StringBuilder detail = new StringBuilder();
        Xattrs x;
        Boolean readOnly = null;
        try {
            setProbe(client);
            byte[] back = client.getxattr(FuseFlags.ROOT_ID, PROBE_NAME);
            client.removexattr(FuseFlags.ROOT_ID, PROBE_NAME);
            if (Arrays.equals(back, PROBE_VALUE)) {
                x = Xattrs.WRITABLE;
                detail.append("SETXATTR ").append(PROBE_NAME).append(" set, read back and removed");
            } else {
                x = Xattrs.REFUSED;
                detail.append("SETXATTR ").append(PROBE_NAME).append(" read back ").append(back.length)
                        .append(" other bytes");
            }
            readOnly = false;
        } catch (FuseErrnoException e) {
            detail.append("SETXATTR ").append(PROBE_NAME).append(": ").append(errno(e));
            if (e.is(Errno.EROFS)) {
                readOnly = true;
                x = readable(client, detail);
            } else if (e.is(Errno.ENOSYS) || e.is(Errno.EOPNOTSUPP)) {
                x = Xattrs.NONE;
            } else if (e.is(Errno.ENOSPC) || e.is(Errno.EDQUOT) || e.is(Errno.E2BIG)) {
                x = Xattrs.WRITABLE; // writing works; the root's attribute space is full
                readOnly = false;
            } else {
                x = Xattrs.REFUSED;
            }
        }
        if (readOnly == null) {
            readOnly = refusesWrites(client, detail);
        }
        ShareCapabilities c = new ShareCapabilities(x, readOnly, detail.toString());
        LOG.fine(() -> "share capabilities: " + c.describe());
        return c;
    }

    private static String errno(FuseErrnoException e) {
        Errno n = e.errno();
        return n != null ? n.name() : "errno " + e.errnoNumber();
    }

    /**
     * For a volume mounted read-only by its configuration: nothing is written to the share, so only a
     * LISTXATTR of the root says whether stored values can be shown.
     */
    public static ShareCapabilities probeWithoutWriting(FuseClient client) {
        StringBuilder detail = new StringBuilder("mounted read-only, the share is not written to");
        return new ShareCapabilities(readable(client, detail), true, detail.toString());
    }

    /** SETXATTR(create) of the probe attribute; one left by an interrupted probe is removed first. */
    private static void setProbe(FuseClient client) {
        try {
            client.setxattr(FuseFlags.ROOT_ID, PROBE_NAME, PROBE_VALUE, FuseFlags.XATTR_CREATE);
        } catch (FuseErrnoException e) {
            if (!e.is(Errno.EEXIST)) {
                throw e;
            }
            client.removexattr(FuseFlags.ROOT_ID, PROBE_NAME);
            client.setxattr(FuseFlags.ROOT_ID, PROBE_NAME, PROBE_VALUE, FuseFlags.XATTR_CREATE);
        }
    }

    /** On a read-only share: whether attributes can at least be listed (LISTXATTR of the root). */
    private static Xattrs readable(FuseClient client, StringBuilder detail) {
        try {
            client.listxattrSize(FuseFlags.ROOT_ID);
            detail.append("; LISTXATTR answered");
            return Xattrs.READABLE;
        } catch (FuseErrnoException e) {
            detail.append("; LISTXATTR: ").append(errno(e));
            return Xattrs.NONE;
        }
    }

    /** SETATTR of the root's own mode: EROFS means the share is read-only; any other answer does not. */
    private static boolean refusesWrites(FuseClient client, StringBuilder detail) {
        try {
            AttrOut root = client.getattr(FuseFlags.ROOT_ID);
            client.setattr(FuseFlags.ROOT_ID, SetattrIn.builder().mode(root.attr().mode() & 07777).build());
            detail.append("; SETATTR of the root's mode succeeded");
            return false;
        } catch (FuseErrnoException e) {
            detail.append("; SETATTR of the root's mode: ").append(errno(e));
            return e.is(Errno.EROFS);
        }
    }
}
