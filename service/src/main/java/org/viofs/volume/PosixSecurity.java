package org.viofs.volume;

import java.util.ArrayList;
import java.util.List;

/**
 * POSIX owner, group and mode bits ⇄ a self-relative security descriptor, following the rules of
 * WinFsp's {@code FspPosixMapPermissionsToSecurityDescriptor} and
 * {@code FspPosixMapSecurityDescriptorToPermissions} (which follow Microsoft's Services for UNIX
 * "[PERMS]" rules), restated in Java so they are testable on Linux.
 *
 * <p>Which SIDs stand for which ids is {@link IdMapping}'s business; this class only sees SIDs.
 * Stateless and thread-safe.
 */
public final class PosixSecurity {
    private PosixSecurity() {
    }

    // Access rights (winnt.h)
    public static final int FILE_READ_DATA = 0x0001;
    public static final int FILE_WRITE_DATA = 0x0002;
    public static final int FILE_APPEND_DATA = 0x0004;
    public static final int FILE_READ_EA = 0x0008;
    public static final int FILE_WRITE_EA = 0x0010;
    public static final int FILE_EXECUTE = 0x0020;
    public static final int FILE_DELETE_CHILD = 0x0040;
    public static final int FILE_READ_ATTRIBUTES = 0x0080;
    public static final int FILE_WRITE_ATTRIBUTES = 0x0100;
    public static final int DELETE = 0x00010000;
    public static final int READ_CONTROL = 0x00020000;
    public static final int WRITE_DAC = 0x00040000;
    public static final int WRITE_OWNER = 0x00080000;
    public static final int SYNCHRONIZE = 0x00100000;
    public static final int GENERIC_ALL = 0x10000000;
    public static final int GENERIC_EXECUTE = 0x20000000;
    public static final int GENERIC_WRITE = 0x40000000;
    public static final int GENERIC_READ = 0x80000000;
    /** FILE_GENERIC_READ / WRITE / EXECUTE and FILE_ALL_ACCESS: the file generic mapping (winnt.h). */
    public static final int FILE_GENERIC_READ = 0x00120089;
    public static final int FILE_GENERIC_WRITE = 0x00120116;
    public static final int FILE_GENERIC_EXECUTE = 0x001200A0;
    public static final int FILE_ALL_ACCESS = 0x001F01FF;

    /** What every class gets whatever its bits ([PERMS], as in WinFsp's posix.c). */
    static final int DEFAULT_RIGHTS = SYNCHRONIZE | READ_CONTROL | FILE_READ_ATTRIBUTES | FILE_READ_EA;
    /** What the owner gets on top: it may always change the DACL, attributes and EAs, and delete. */
    static final int OWNER_DEFAULT_RIGHTS = DEFAULT_RIGHTS | DELETE | WRITE_DAC | WRITE_OWNER
            | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA;

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_ISVTX = 0001000;

    /** Owner, group and mode recovered from a descriptor; a null SID means the descriptor had none. */
    public record Permissions(Sid owner, Sid group, int mode) {
    }

    /**
     * The rights one rwx triple grants. A directory without the sticky bit also grants DELETE_CHILD
     * with w (POSIX lets anyone who can write the directory delete its entries).
     */
    static int rightsOf(int mode, int rwx) {
        int deleteChild = (mode & (S_IFMT | S_ISVTX)) == S_IFDIR ? FILE_DELETE_CHILD : 0;
        int m = 0;
        if ((rwx & 4) != 0) {
            m |= FILE_READ_DATA;
        }
        if ((rwx & 2) != 0) {
            m |= FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_ATTRIBUTES | deleteChild;
        }
        if ((rwx & 1) != 0) {
            m |= FILE_EXECUTE;
        }
        return m;
    }

    /**
     * The descriptor for a file: owner and group SIDs, a protected DACL of allow ACEs for owner,
     * group and Everyone, with deny ACEs where a less-privileged class would otherwise gain (for
     * example mode 0604 must not let the group read through Everyone).
     *
     * @param mode st_mode including the file type bits (they decide DELETE_CHILD)
     */
    public static SecurityDescriptor toDescriptor(Sid owner, Sid group, int mode) {
        int ownerBits = (mode >> 6) & 7;
        int groupBits = (mode >> 3) & 7;
        int worldBits = mode & 7;
        // bits a wider class has that a narrower one lacks are denied to the narrower one
        int ownerDeny = (groupBits | worldBits) & ~ownerBits;
        int groupDeny = worldBits & ~groupBits;
        List<SecurityDescriptor.Ace> aces = new ArrayList<>(5);
        // the owner's sticky bit does not reduce its own DELETE_CHILD
        aces.add(SecurityDescriptor.Ace.allow(OWNER_DEFAULT_RIGHTS | rightsOf(mode & ~S_ISVTX, ownerBits), owner));
        if (ownerDeny != 0) {
            aces.add(SecurityDescriptor.Ace.deny(rightsOf(mode & ~S_ISVTX, ownerDeny), owner));
        }
        aces.add(SecurityDescriptor.Ace.allow(DEFAULT_RIGHTS | rightsOf(mode, groupBits), group));
        if (groupDeny != 0) {
            aces.add(SecurityDescriptor.Ace.deny(rightsOf(mode, groupDeny), group));
        }
        aces.add(SecurityDescriptor.Ace.allow(DEFAULT_RIGHTS | rightsOf(mode, worldBits), Sid.EVERYONE));
        return new SecurityDescriptor(owner, group, aces, SecurityDescriptor.SE_DACL_PROTECTED);
    }

    /**
     * The descriptor viofs shows for a file when read grants execute ({@link VolumeConfig#readGrantsExecute}):
     * {@link #toDescriptor} of the {@link #shownMode}, and for a regular file whose owner may write, the
     * owner's allow ACE also carries FILE_DELETE_CHILD. That right means nothing on a file, but NTFS's
     * "Full control" of a file includes it and GENERIC_ALL maps to FILE_ALL_ACCESS, which asks for it:
     * without it no GENERIC_ALL open of a file could succeed.
     */
    public static SecurityDescriptor toShownDescriptor(Sid owner, Sid group, int mode) {
        int shown = shownMode(mode);
        SecurityDescriptor sd = toDescriptor(owner, group, shown);
        if ((mode & S_IFMT) != S_IFREG || (mode & 0200) == 0) {
            return sd;
        }
        List<SecurityDescriptor.Ace> aces = new ArrayList<>(sd.dacl());
        aces.set(0, SecurityDescriptor.Ace.allow(aces.get(0).mask() | FILE_DELETE_CHILD, owner));
        return new SecurityDescriptor(sd.owner(), sd.group(), aces, sd.control());
    }

    /**
     * The mode a regular file's descriptor is built from when read grants execute: every class with r
     * also shows x (0644 shows as 0755). Other file types keep their bits (a directory's x is
     * traverse and means what it says). Only the descriptor changes; the host's bits do not.
     */
    public static int shownMode(int mode) {
        if ((mode & S_IFMT) != S_IFREG) {
            return mode;
        }
        return mode | ((mode & 0444) >> 2);
    }

    /**
     * The host permission bits a SetSecurity leaves on a regular file when read grants execute. A
     * class whose x bit was only shown (it had r and no x on the host) and that still has r and x in
     * {@code wanted} keeps its x bit off: the descriptor said nothing the shown one did not. An x
     * granted without r, or to a class that could not read before, is a real x bit. A class that keeps
     * r but loses x keeps x off (it had none), so execute cannot be denied to a reader: Linux cannot
     * stop a reader from running a copy anyway.
     *
     * @param hostMode the file's st_mode now (type bits included)
     * @param wanted   the 07777 bits the new descriptor maps to
     */
    public static int hostBitsAfterSet(int hostMode, int wanted) {
        if ((hostMode & S_IFMT) != S_IFREG) {
            return wanted;
        }
        int onlyShown = ((hostMode & 0444) >> 2) & ~hostMode & 0111;
        int readersWithX = ((wanted & 0444) >> 2) & wanted;
        return wanted & ~(onlyShown & readersWithX);
    }

    /** Expands GENERIC_* bits with the file generic mapping and drops them. */
    static int canonical(int mask) {
        int m = mask;
        if ((mask & GENERIC_READ) != 0) {
            m |= FILE_GENERIC_READ;
        }
        if ((mask & GENERIC_WRITE) != 0) {
            m |= FILE_GENERIC_WRITE;
        }
        if ((mask & GENERIC_EXECUTE) != 0) {
            m |= FILE_GENERIC_EXECUTE;
        }
        if ((mask & GENERIC_ALL) != 0) {
            m |= FILE_ALL_ACCESS;
        }
        return m & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
    }

    /** r if READ_DATA; w only if both WRITE_DATA and APPEND_DATA; x if EXECUTE ([PERMS]). */
    static int bitsOf(int rights) {
        int b = 0;
        if ((rights & FILE_READ_DATA) != 0) {
            b |= 4;
        }
        if ((rights & (FILE_WRITE_DATA | FILE_APPEND_DATA)) == (FILE_WRITE_DATA | FILE_APPEND_DATA)) {
            b |= 2;
        }
        if ((rights & FILE_EXECUTE) != 0) {
            b |= 1;
        }
        return b;
    }

    /**
     * The permission bits (07777 part only) a descriptor expresses. ACEs are read in order; a right
     * granted earlier in a class cannot be denied later and vice versa. Everyone and Authenticated
     * Users count for all three classes; the owner's and group's SIDs for their class (both, if they
     * are the same SID). No DACL means 0777.
     */
    public static Permissions fromDescriptor(SecurityDescriptor sd) {
        if (sd.dacl() == null) {
            return new Permissions(sd.owner(), sd.group(), 0777);
        }
        int ownerAllow = 0;
        int ownerDeny = 0;
        int groupAllow = 0;
        int groupDeny = 0;
        int worldAllow = 0;
        int worldDeny = 0;
        for (SecurityDescriptor.Ace ace : sd.dacl()) {
            if (!ace.isAllow() && !ace.isDeny()) {
                continue;
            }
            int m = canonical(ace.mask());
            boolean allow = ace.isAllow();
            boolean world = ace.sid().equals(Sid.EVERYONE) || ace.sid().equals(Sid.AUTHENTICATED_USERS);
            boolean isOwner = world || ace.sid().equals(sd.owner());
            boolean isGroup = world || ace.sid().equals(sd.group());
            if (world) {
                if (allow) {
                    worldAllow |= m & ~worldDeny;
                } else {
                    worldDeny |= m & ~worldAllow;
                }
            }
            if (isGroup) {
                if (allow) {
                    groupAllow |= m & ~groupDeny;
                } else {
                    groupDeny |= m & ~groupAllow;
                }
            }
            if (isOwner) {
                if (allow) {
                    ownerAllow |= m & ~ownerDeny;
                } else {
                    ownerDeny |= m & ~ownerAllow;
                }
            }
        }
        int mode = (bitsOf(ownerAllow) << 6) | (bitsOf(groupAllow) << 3) | bitsOf(worldAllow);
        boolean groupMayWrite = (mode & 0020) != 0;
        boolean worldMayWrite = (mode & 0002) != 0;
        if ((ownerAllow & FILE_DELETE_CHILD) != 0
                && ((groupMayWrite && (groupAllow & FILE_DELETE_CHILD) == 0)
                || (worldMayWrite && (worldAllow & FILE_DELETE_CHILD) == 0))) {
            mode |= S_ISVTX; // writers who may not delete others' entries: the sticky bit
        }
        return new Permissions(sd.owner(), sd.group(), mode);
    }
}
