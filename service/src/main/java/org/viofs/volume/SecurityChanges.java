package org.viofs.volume;

import org.viofs.fuse.FuseClient;
import org.viofs.fuse.SetattrIn;

/**
 * SetSecurity: a merged descriptor goes to the host as mode bits and owner/group (chown when the SID
 * maps to an id), or, with {@code -o xattr}, is stored as it is when mode bits cannot express it.
 *
 * <p>Thread-safe.
 */
final class SecurityChanges {
    private final FuseClient client;
    private final NodeCache cache;
    private final NodeView view;
    /** Null without {@code -o xattr}. */
    private final XattrAttributes winAttrs;
    private final boolean readGrantsExecute;

    SecurityChanges(FuseClient client, NodeCache cache, NodeView view, XattrAttributes winAttrs,
                    boolean readGrantsExecute) {
        this.client = client;
        this.cache = cache;
        this.view = view;
        this.winAttrs = winAttrs;
        this.readGrantsExecute = readGrantsExecute;
    }

    void set(Handle h, int securityInformation, byte[] modificationDescriptor) {
        HostStat st = cache.freshStat(h.node, h.fhIfOpen()).stat();
        SecurityDescriptor current = SecurityDescriptor.parse(view.securityDescriptor(h.node, st));
        SecurityDescriptor merged = current.merge(securityInformation, SecurityDescriptor.parse(modificationDescriptor));
        if (winAttrs != null && (st.isRegular() || st.isDirectory())
                && !view.representable(merged, st.mode() & HostStat.S_IFMT)) {
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
        int mode = hostMode(st, p.mode() & 07777);
        if ((securityInformation & SecurityDescriptor.DACL_SECURITY_INFORMATION) != 0 && mode != st.mode()) {
            b.mode(mode & 07777);
            any = true;
        }
        IdMapping ids = view.ids();
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
    }

    /** The full host mode for the permission bits a descriptor maps to. */
    private int hostMode(HostStat st, int wanted) {
        if (st.isSymlink()) {
            return st.mode();
        }
        if (readGrantsExecute) {
            wanted = PosixSecurity.hostBitsAfterSet(st.mode(), wanted); // shown x bits stay off the host
        }
        int mode = (st.mode() & ~07777) | wanted;
        if (st.isRegular()) {
            // S_ISVTX on a file is the stored-attributes marker (XattrAttributes), not a permission
            mode = (mode & ~XattrAttributes.MARKER) | (st.mode() & XattrAttributes.MARKER);
        }
        return mode;
    }
}
