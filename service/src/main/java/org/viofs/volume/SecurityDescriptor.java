package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-relative Windows security descriptor, built and parsed in pure Java (winnt.h layouts):
 * <pre>
 * SECURITY_DESCRIPTOR_RELATIVE (20 bytes)
 *   +0 Revision (1) = 1   +1 Sbz1 (1)   +2 Control (2, SE_SELF_RELATIVE set)
 *   +4 OffsetOwner (4)  +8 OffsetGroup (4)  +12 OffsetSacl (4)  +16 OffsetDacl (4)   (0 = absent)
 * ACL (8-byte header)
 *   +0 AclRevision (1) = 2   +1 Sbz1   +2 AclSize (2)   +4 AceCount (2)   +6 Sbz2 (2)
 * ACE (ACCESS_ALLOWED_ACE / ACCESS_DENIED_ACE)
 *   +0 AceType (1)  +1 AceFlags (1)  +2 AceSize (2)  +4 Mask (4)  +8 SID
 * </pre>
 * Only the owner, the group and the DACL are modelled; a SACL in the input is ignored, and ACE types
 * other than allow/deny are kept as opaque bytes so a round trip loses nothing.
 * Immutable and thread-safe.
 *
 * @param owner   the owner SID, or null
 * @param group   the primary group SID, or null
 * @param dacl    the DACL's ACEs in order, or null for "no DACL" (everyone has full access)
 * @param control the SECURITY_DESCRIPTOR_CONTROL bits other than SE_SELF_RELATIVE and SE_DACL_PRESENT
 */
public record SecurityDescriptor(Sid owner, Sid group, List<Ace> dacl, int control) {
    /** SECURITY_DESCRIPTOR_REVISION (winnt.h). */
    public static final int REVISION = 1;
    /** ACL_REVISION (winnt.h). */
    public static final int ACL_REVISION = 2;
    /** sizeof(SECURITY_DESCRIPTOR_RELATIVE). */
    public static final int HEADER_SIZE = 20;
    /** sizeof(ACL). */
    public static final int ACL_HEADER_SIZE = 8;

    // SECURITY_DESCRIPTOR_CONTROL bits (winnt.h)
    public static final int SE_OWNER_DEFAULTED = 0x0001;
    public static final int SE_GROUP_DEFAULTED = 0x0002;
    public static final int SE_DACL_PRESENT = 0x0004;
    public static final int SE_DACL_DEFAULTED = 0x0008;
    public static final int SE_SACL_PRESENT = 0x0010;
    public static final int SE_DACL_AUTO_INHERITED = 0x0400;
    public static final int SE_DACL_PROTECTED = 0x1000;
    public static final int SE_SELF_RELATIVE = 0x8000;

    // SECURITY_INFORMATION bits (winnt.h)
    public static final int OWNER_SECURITY_INFORMATION = 0x1;
    public static final int GROUP_SECURITY_INFORMATION = 0x2;
    public static final int DACL_SECURITY_INFORMATION = 0x4;
    public static final int SACL_SECURITY_INFORMATION = 0x8;

    // ACE types (winnt.h)
    public static final int ACCESS_ALLOWED_ACE_TYPE = 0;
    public static final int ACCESS_DENIED_ACE_TYPE = 1;

    /**
     * One ACE. For allow and deny ACEs {@code sid} and {@code mask} are set; for other types
     * {@code raw} holds the whole ACE and sid is null.
     */
    public record Ace(int type, int flags, int mask, Sid sid, byte[] raw) {
        public static Ace allow(int mask, Sid sid) {
            return new Ace(ACCESS_ALLOWED_ACE_TYPE, 0, mask, sid, null);
        }

        public static Ace deny(int mask, Sid sid) {
            return new Ace(ACCESS_DENIED_ACE_TYPE, 0, mask, sid, null);
        }

        int size() {
            return raw != null ? raw.length : 8 + sid.size();
        }

        public boolean isAllow() {
            return raw == null && type == ACCESS_ALLOWED_ACE_TYPE;
        }

        public boolean isDeny() {
            return raw == null && type == ACCESS_DENIED_ACE_TYPE;
        }
    }

    public SecurityDescriptor {
        dacl = dacl == null ? null : List.copyOf(dacl);
        control &= ~(SE_SELF_RELATIVE | SE_DACL_PRESENT | SE_SACL_PRESENT);
    }

    /** The self-relative bytes: header, owner, group, DACL (the order MakeSelfRelativeSD uses). */
    public byte[] toBytes() {
        int size = HEADER_SIZE;
        int ownerOff = 0;
        int groupOff = 0;
        int daclOff = 0;
        if (owner != null) {
            ownerOff = size;
            size += owner.size();
        }
        if (group != null) {
            groupOff = size;
            size += group.size();
        }
        int aclSize = 0;
        if (dacl != null) {
            daclOff = size;
            aclSize = ACL_HEADER_SIZE;
            for (Ace a : dacl) {
                aclSize += a.size();
            }
            if (aclSize > 0xFFFF) {
                throw new IllegalArgumentException("ACL of " + aclSize + " bytes, the limit is 65535");
            }
            size += aclSize;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) REVISION).put((byte) 0);
        b.putShort((short) (control | SE_SELF_RELATIVE | (dacl != null ? SE_DACL_PRESENT : 0)));
        b.putInt(ownerOff).putInt(groupOff).putInt(0).putInt(daclOff);
        if (owner != null) {
            owner.encode(b);
        }
        if (group != null) {
            group.encode(b);
        }
        if (dacl != null) {
            b.put((byte) ACL_REVISION).put((byte) 0).putShort((short) aclSize)
                    .putShort((short) dacl.size()).putShort((short) 0);
            for (Ace a : dacl) {
                if (a.raw() != null) {
                    b.put(a.raw());
                } else {
                    b.put((byte) a.type()).put((byte) a.flags()).putShort((short) a.size()).putInt(a.mask());
                    a.sid().encode(b);
                }
            }
        }
        return b.array();
    }

    /**
     * Parses a self-relative descriptor, checking every offset and length against the bytes given.
     *
     * @throws NtStatusException INVALID_SECURITY_DESCR (or INVALID_ACL / INVALID_SID) with the reason
     */
    public static SecurityDescriptor parse(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_SIZE) {
            throw new NtStatusException(NtStatus.INVALID_SECURITY_DESCR, "descriptor of "
                    + (bytes == null ? "no" : bytes.length) + " bytes, the header alone is " + HEADER_SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int rev = b.get(0) & 0xFF;
        if (rev != REVISION) {
            throw new NtStatusException(NtStatus.INVALID_SECURITY_DESCR, "revision " + rev + ", expected " + REVISION);
        }
        int control = b.getShort(2) & 0xFFFF;
        if ((control & SE_SELF_RELATIVE) == 0) {
            throw new NtStatusException(NtStatus.INVALID_SECURITY_DESCR, "not self-relative (control 0x"
                    + Integer.toHexString(control) + ")");
        }
        int ownerOff = b.getInt(4);
        int groupOff = b.getInt(8);
        int daclOff = b.getInt(16);
        Sid owner;
        Sid group;
        try {
            owner = ownerOff == 0 ? null : Sid.decode(b, ownerOff);
            group = groupOff == 0 ? null : Sid.decode(b, groupOff);
        } catch (IllegalArgumentException e) {
            throw new NtStatusException(NtStatus.INVALID_SID, e.getMessage(), e);
        }
        List<Ace> aces = null;
        if ((control & SE_DACL_PRESENT) != 0 && daclOff != 0) {
            aces = parseAcl(b, daclOff);
        }
        return new SecurityDescriptor(owner, group, aces, control);
    }

    private static List<Ace> parseAcl(ByteBuffer b, int off) {
        if (off < 0 || off > b.limit() - ACL_HEADER_SIZE) { // not off + size: it wraps near 2^31
            throw new NtStatusException(NtStatus.INVALID_ACL, "ACL header at " + off + " outside " + b.limit() + " bytes");
        }
        int aclRev = b.get(off) & 0xFF;
        if (aclRev != ACL_REVISION && aclRev != 4) { // ACL_REVISION_DS = 4 for object ACEs
            throw new NtStatusException(NtStatus.INVALID_ACL, "ACL revision " + aclRev);
        }
        int aclSize = b.getShort(off + 2) & 0xFFFF;
        int count = b.getShort(off + 4) & 0xFFFF;
        if (aclSize < ACL_HEADER_SIZE || aclSize > b.limit() - off) {
            throw new NtStatusException(NtStatus.INVALID_ACL, "ACL of " + aclSize + " bytes at " + off
                    + " outside " + b.limit() + " bytes");
        }
        int end = off + aclSize;
        int p = off + ACL_HEADER_SIZE;
        List<Ace> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (p + 4 > end) {
                throw new NtStatusException(NtStatus.INVALID_ACL, "ACE " + i + " header past the ACL end");
            }
            int type = b.get(p) & 0xFF;
            int flags = b.get(p + 1) & 0xFF;
            int size = b.getShort(p + 2) & 0xFFFF;
            if (size < 4 || p + size > end) {
                throw new NtStatusException(NtStatus.INVALID_ACL, "ACE " + i + " of " + size + " bytes at " + p
                        + " past the ACL end " + end);
            }
            if (type == ACCESS_ALLOWED_ACE_TYPE || type == ACCESS_DENIED_ACE_TYPE) {
                if (size < 16) {
                    throw new NtStatusException(NtStatus.INVALID_ACL, "ACE " + i + " of " + size + " bytes");
                }
                Sid sid;
                try {
                    sid = Sid.decode(b.duplicate().order(ByteOrder.LITTLE_ENDIAN).limit(p + size), p + 8);
                } catch (IllegalArgumentException e) {
                    throw new NtStatusException(NtStatus.INVALID_ACL, "ACE " + i + ": " + e.getMessage(), e);
                }
                out.add(new Ace(type, flags, b.getInt(p + 4), sid, null));
            } else {
                byte[] raw = new byte[size];
                b.duplicate().position(p).get(raw);
                out.add(new Ace(type, flags, size >= 8 ? b.getInt(p + 4) : 0, null, raw));
            }
            p += size;
        }
        return out;
    }

    /**
     * This descriptor with the parts named by {@code securityInformation} taken from
     * {@code modification} (what FspSetSecurityDescriptor does for SetSecurity).
     */
    public SecurityDescriptor merge(int securityInformation, SecurityDescriptor modification) {
        Sid o = (securityInformation & OWNER_SECURITY_INFORMATION) != 0 ? modification.owner() : owner;
        Sid g = (securityInformation & GROUP_SECURITY_INFORMATION) != 0 ? modification.group() : group;
        List<Ace> d = dacl;
        int c = control;
        if ((securityInformation & DACL_SECURITY_INFORMATION) != 0) {
            d = modification.dacl();
            c = (control & ~(SE_DACL_PROTECTED | SE_DACL_AUTO_INHERITED | SE_DACL_DEFAULTED))
                    | (modification.control() & (SE_DACL_PROTECTED | SE_DACL_AUTO_INHERITED | SE_DACL_DEFAULTED));
        }
        return new SecurityDescriptor(o, g, d, c);
    }
}
