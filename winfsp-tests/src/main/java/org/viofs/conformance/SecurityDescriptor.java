package org.viofs.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Windows security descriptor as the conformance cases need it: owner, group and DACL, read from
 * and written to the self-relative binary form (MS-DTYP §2.4.6), and built from the small SDDL
 * subset the upstream cases use ({@code "D:P(A;;GA;;;SY)(D;;GA;;;WD)"}, {@code O:}/{@code G:},
 * hex or two-letter rights, two-letter or {@code S-1-…} SIDs). The SACL is not modelled: a case
 * never asks for it.
 *
 * <p>Immutable; SIDs are kept as their {@code S-1-…} strings.
 *
 * @param owner       owner SID, or null when absent
 * @param group       group SID, or null when absent
 * @param daclPresent whether SE_DACL_PRESENT is set (a present but null DACL grants everything)
 * @param dacl        the DACL's ACEs in order; null for a NULL DACL
 * @param control     the SECURITY_DESCRIPTOR_CONTROL word as read (SE_SELF_RELATIVE is always set on write)
 */
public record SecurityDescriptor(String owner, String group, boolean daclPresent, List<Ace> dacl, int control) {

    public static final int SE_DACL_PRESENT = 0x0004;
    public static final int SE_SACL_PRESENT = 0x0010;
    public static final int SE_DACL_PROTECTED = 0x1000;
    public static final int SE_SELF_RELATIVE = 0x8000;
    public static final int ACCESS_ALLOWED_ACE_TYPE = 0;
    public static final int ACCESS_DENIED_ACE_TYPE = 1;
    /** ACE flag: the ACE is only inherited, it does not apply to this object. */
    public static final int INHERIT_ONLY_ACE = 0x08;

    private static final int HEADER_SIZE = 20;

    /** SDDL two-letter SID aliases used by the upstream cases (sddl.h). */
    private static final Map<String, String> SID_ALIASES = Map.of(
            "WD", "S-1-1-0",
            "SY", "S-1-5-18",
            "BA", "S-1-5-32-544",
            "BU", "S-1-5-32-545",
            "AU", "S-1-5-11",
            "CO", "S-1-3-0",
            "CG", "S-1-3-1");

    /** SDDL two-letter rights (sddl.h), generic rights kept generic as Windows stores them. */
    private static final Map<String, Integer> RIGHT_ALIASES = Map.ofEntries(
            Map.entry("GA", Win32.GENERIC_ALL),
            Map.entry("GR", Win32.GENERIC_READ),
            Map.entry("GW", Win32.GENERIC_WRITE),
            Map.entry("GX", Win32.GENERIC_EXECUTE),
            Map.entry("SD", Win32.DELETE),
            Map.entry("RC", Win32.READ_CONTROL),
            Map.entry("WD", Win32.WRITE_DAC),
            Map.entry("WO", Win32.WRITE_OWNER),
            Map.entry("FA", Win32.FILE_ALL_ACCESS),
            Map.entry("FR", Win32.FILE_GENERIC_READ),
            Map.entry("FW", Win32.FILE_GENERIC_WRITE),
            Map.entry("FX", Win32.FILE_GENERIC_EXECUTE));

    /** One ACE of a DACL. */
    public record Ace(int type, int flags, int mask, String sid) {
        public Ace {
            Objects.requireNonNull(sid, "sid");
        }
    }

    public SecurityDescriptor {
        dacl = dacl == null ? null : List.copyOf(dacl);
    }

    /** Parses the SDDL subset described on the type. */
    public static SecurityDescriptor fromSddl(String sddl) {
        String owner = null;
        String group = null;
        boolean daclPresent = false;
        List<Ace> dacl = null;
        int control = 0;
        int i = 0;
        while (i < sddl.length()) {
            char kind = sddl.charAt(i);
            if (i + 1 >= sddl.length() || sddl.charAt(i + 1) != ':') {
                throw new IllegalArgumentException("bad SDDL at " + i + ": " + sddl);
            }
            int next = nextSection(sddl, i + 2);
            String body = sddl.substring(i + 2, next);
            switch (kind) {
                case 'O' -> owner = sid(body);
                case 'G' -> group = sid(body);
                case 'D' -> {
                    daclPresent = true;
                    control |= SE_DACL_PRESENT;
                    int p = 0;
                    while (p < body.length() && body.charAt(p) != '(') {
                        char f = body.charAt(p++);
                        if (f == 'P') {
                            control |= SE_DACL_PROTECTED;
                        }
                    }
                    dacl = new ArrayList<>();
                    while (p < body.length()) {
                        int close = body.indexOf(')', p);
                        dacl.add(ace(body.substring(p + 1, close)));
                        p = close + 1;
                    }
                }
                default -> throw new IllegalArgumentException("unsupported SDDL section " + kind);
            }
            i = next;
        }
        return new SecurityDescriptor(owner, group, daclPresent, dacl, control);
    }

    private static int nextSection(String s, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && i + 1 < s.length() && s.charAt(i + 1) == ':' && "OGDS".indexOf(c) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    private static Ace ace(String text) {
        String[] f = text.split(";", -1);
        if (f.length != 6) {
            throw new IllegalArgumentException("bad ACE: " + text);
        }
        int type = switch (f[0]) {
            case "A" -> ACCESS_ALLOWED_ACE_TYPE;
            case "D" -> ACCESS_DENIED_ACE_TYPE;
            default -> throw new IllegalArgumentException("unsupported ACE type: " + f[0]);
        };
        int flags = 0;
        for (int p = 0; p + 1 < f[1].length() + 1 && p < f[1].length(); p += 2) {
            flags |= switch (f[1].substring(p, p + 2)) {
                case "OI" -> 0x01;
                case "CI" -> 0x02;
                case "NP" -> 0x04;
                case "IO" -> INHERIT_ONLY_ACE;
                case "ID" -> 0x10;
                default -> throw new IllegalArgumentException("unsupported ACE flag in " + text);
            };
        }
        int mask = 0;
        String rights = f[2];
        if (rights.startsWith("0x") || rights.startsWith("0X")) {
            mask = (int) Long.parseLong(rights.substring(2), 16);
        } else {
            for (int p = 0; p < rights.length(); p += 2) {
                Integer r = RIGHT_ALIASES.get(rights.substring(p, p + 2));
                if (r == null) {
                    throw new IllegalArgumentException("unsupported right in " + text);
                }
                mask |= r;
            }
        }
        return new Ace(type, flags, mask, sid(f[5]));
    }

    private static String sid(String text) {
        String alias = SID_ALIASES.get(text);
        if (alias != null) {
            return alias;
        }
        if (!text.startsWith("S-1-")) {
            throw new IllegalArgumentException("unsupported SID: " + text);
        }
        return text;
    }

    /** Parses a self-relative security descriptor. */
    public static SecurityDescriptor parse(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_SIZE) {
            throw new IllegalArgumentException("security descriptor shorter than its 20-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get(0) != 1) {
            throw new IllegalArgumentException("security descriptor revision " + b.get(0));
        }
        int control = b.getShort(2) & 0xFFFF;
        int offOwner = b.getInt(4);
        int offGroup = b.getInt(8);
        int offDacl = b.getInt(16);
        String owner = offOwner == 0 ? null : readSid(b, offOwner);
        String group = offGroup == 0 ? null : readSid(b, offGroup);
        boolean daclPresent = (control & SE_DACL_PRESENT) != 0;
        List<Ace> dacl = null;
        if (daclPresent && offDacl != 0) {
            dacl = new ArrayList<>();
            int aceCount = b.getShort(offDacl + 4) & 0xFFFF;
            int p = offDacl + 8;
            for (int n = 0; n < aceCount; n++) {
                int type = b.get(p) & 0xFF;
                int flags = b.get(p + 1) & 0xFF;
                int size = b.getShort(p + 2) & 0xFFFF;
                if (size < 8 || p + size > bytes.length) {
                    throw new IllegalArgumentException("ACE " + n + " size " + size + " out of bounds");
                }
                if (type == ACCESS_ALLOWED_ACE_TYPE || type == ACCESS_DENIED_ACE_TYPE) {
                    dacl.add(new Ace(type, flags, b.getInt(p + 4), readSid(b, p + 8)));
                } else {
                    // object or callback ACEs: kept as an opaque type with no SID match
                    dacl.add(new Ace(type, flags, b.getInt(p + 4), "S-0-0"));
                }
                p += size;
            }
        }
        return new SecurityDescriptor(owner, group, daclPresent, dacl, control);
    }

    private static String readSid(ByteBuffer b, int off) {
        int count = b.get(off + 1) & 0xFF;
        long authority = 0;
        for (int i = 0; i < 6; i++) {
            authority = (authority << 8) | (b.get(off + 2 + i) & 0xFF);
        }
        StringBuilder s = new StringBuilder("S-").append(b.get(off) & 0xFF).append('-').append(authority);
        for (int i = 0; i < count; i++) {
            s.append('-').append(Integer.toUnsignedLong(b.getInt(off + 8 + 4 * i)));
        }
        return s.toString();
    }

    static byte[] sidBytes(String sid) {
        String[] parts = sid.split("-");
        int count = parts.length - 3;
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) Integer.parseInt(parts[1]));
        b.put((byte) count);
        long authority = Long.parseLong(parts[2]);
        for (int i = 5; i >= 0; i--) {
            b.put((byte) (authority >>> (8 * i)));
        }
        for (int i = 0; i < count; i++) {
            b.putInt((int) Long.parseLong(parts[3 + i]));
        }
        return b.array();
    }

    /** The self-relative binary form: header, owner, group, DACL. */
    public byte[] toBytes() {
        byte[] ownerBytes = owner == null ? new byte[0] : sidBytes(owner);
        byte[] groupBytes = group == null ? new byte[0] : sidBytes(group);
        byte[] daclBytes = new byte[0];
        if (daclPresent && dacl != null) {
            List<byte[]> aces = new ArrayList<>();
            int size = 8;
            for (Ace ace : dacl) {
                byte[] s = sidBytes(ace.sid());
                ByteBuffer a = ByteBuffer.allocate(8 + s.length).order(ByteOrder.LITTLE_ENDIAN);
                a.put((byte) ace.type()).put((byte) ace.flags()).putShort((short) (8 + s.length)).putInt(ace.mask()).put(s);
                aces.add(a.array());
                size += a.capacity();
            }
            ByteBuffer d = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            d.put((byte) 2).put((byte) 0).putShort((short) size).putShort((short) aces.size()).putShort((short) 0);
            aces.forEach(d::put);
            daclBytes = d.array();
        }
        int total = HEADER_SIZE + ownerBytes.length + groupBytes.length + daclBytes.length;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        int ctl = (control & ~SE_SACL_PRESENT) | SE_SELF_RELATIVE | (daclPresent ? SE_DACL_PRESENT : 0);
        b.put((byte) 1).put((byte) 0).putShort((short) ctl);
        int p = HEADER_SIZE;
        b.putInt(owner == null ? 0 : p);
        p += ownerBytes.length;
        b.putInt(group == null ? 0 : p);
        p += groupBytes.length;
        b.putInt(0);
        b.putInt(daclPresent && dacl != null ? p : 0);
        b.put(ownerBytes).put(groupBytes).put(daclBytes);
        return b.array();
    }

    /** A copy with the given owner, group or DACL replaced (null arguments keep the current part). */
    public SecurityDescriptor with(String newOwner, String newGroup, SecurityDescriptor daclFrom) {
        return new SecurityDescriptor(
                newOwner != null ? newOwner : owner,
                newGroup != null ? newGroup : group,
                daclFrom != null ? daclFrom.daclPresent : daclPresent,
                daclFrom != null ? daclFrom.dacl : dacl,
                daclFrom != null ? (control & ~(SE_DACL_PRESENT | SE_DACL_PROTECTED))
                        | (daclFrom.control & (SE_DACL_PRESENT | SE_DACL_PROTECTED)) : control);
    }

    /** Maps generic rights to the file-specific ones (the file object's GENERIC_MAPPING). */
    public static int mapGeneric(int mask) {
        int m = mask & ~(Win32.GENERIC_ALL | Win32.GENERIC_READ | Win32.GENERIC_WRITE | Win32.GENERIC_EXECUTE);
        if ((mask & Win32.GENERIC_READ) != 0) {
            m |= Win32.FILE_GENERIC_READ;
        }
        if ((mask & Win32.GENERIC_WRITE) != 0) {
            m |= Win32.FILE_GENERIC_WRITE;
        }
        if ((mask & Win32.GENERIC_EXECUTE) != 0) {
            m |= Win32.FILE_GENERIC_EXECUTE;
        }
        if ((mask & Win32.GENERIC_ALL) != 0) {
            m |= Win32.FILE_ALL_ACCESS;
        }
        return m;
    }

    /**
     * The rights this DACL grants to a caller with these SIDs (the DACL walk of Windows' AccessCheck,
     * MS-DTYP §2.5.3.2, without privileges): denied bits seen first win; the owner always gets
     * READ_CONTROL and WRITE_DAC; a NULL DACL grants everything.
     */
    public int grantedTo(java.util.Set<String> callerSids) {
        int owner = this.owner != null && callerSids.contains(this.owner)
                ? Win32.READ_CONTROL | Win32.WRITE_DAC : 0;
        if (!daclPresent || dacl == null) {
            return Win32.FILE_ALL_ACCESS;
        }
        int granted = 0;
        int denied = 0;
        for (Ace ace : dacl) {
            if ((ace.flags() & INHERIT_ONLY_ACE) != 0 || !callerSids.contains(ace.sid())) {
                continue;
            }
            int mask = mapGeneric(ace.mask());
            if (ace.type() == ACCESS_ALLOWED_ACE_TYPE) {
                granted |= mask & ~denied;
            } else if (ace.type() == ACCESS_DENIED_ACE_TYPE) {
                denied |= mask & ~granted;
            }
        }
        return (granted | (owner & ~denied)) | owner;
    }
}
