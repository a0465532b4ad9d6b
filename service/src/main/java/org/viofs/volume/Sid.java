package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A Windows security identifier, in the binary form of {@code winnt.h}'s {@code SID}:
 * <pre>
 * +0 Revision (1)  +1 SubAuthorityCount (1)  +2 IdentifierAuthority (6, big-endian)
 * +8 SubAuthority[count] (4 each, little-endian)
 * </pre>
 * Immutable and thread-safe.
 */
public final class Sid {
    /** SID_REVISION (winnt.h). */
    public static final int REVISION = 1;
    /** SID_MAX_SUB_AUTHORITIES (winnt.h). */
    public static final int MAX_SUB_AUTHORITIES = 15;

    /** S-1-1-0, Everyone (WinFsp's world SID: POSIX id 0x10100). */
    public static final Sid EVERYONE = new Sid(1, 0);
    /** S-1-5-32-545, BUILTIN\\Users: the default SID of the share owner's uid. */
    public static final Sid BUILTIN_USERS = new Sid(5, 32, 545);
    /** S-1-5-11, Authenticated Users; treated like Everyone when mapping a DACL to mode bits. */
    public static final Sid AUTHENTICATED_USERS = new Sid(5, 11);
    /** S-1-0-65534, the SID WinFsp shows for an id it cannot map ("nobody"). */
    public static final Sid UNMAPPED = new Sid(0, 65534);
    /** The POSIX id paired with {@link #UNMAPPED} (65534, Linux's overflow uid). */
    public static final int UNMAPPED_ID = 65534;

    private final long authority;
    private final int[] subAuthorities;

    public Sid(long authority, int... subAuthorities) {
        if (authority < 0 || authority > 0xFFFF_FFFF_FFFFL) {
            throw new IllegalArgumentException("identifier authority out of 48 bits: " + authority);
        }
        if (subAuthorities.length > MAX_SUB_AUTHORITIES) {
            throw new IllegalArgumentException(subAuthorities.length + " sub-authorities, at most "
                    + MAX_SUB_AUTHORITIES);
        }
        this.authority = authority;
        this.subAuthorities = subAuthorities.clone();
    }

    public long authority() {
        return authority;
    }

    public int subAuthorityCount() {
        return subAuthorities.length;
    }

    public int subAuthority(int i) {
        return subAuthorities[i];
    }

    /** Size of the binary form: 8 + 4 per sub-authority. */
    public int size() {
        return 8 + 4 * subAuthorities.length;
    }

    /** Writes the binary form at the buffer's position (which advances); order is set here. */
    public void encode(ByteBuffer out) {
        ByteOrder saved = out.order();
        out.put((byte) REVISION).put((byte) subAuthorities.length);
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.put((byte) (authority >>> shift));
        }
        out.order(ByteOrder.LITTLE_ENDIAN);
        for (int s : subAuthorities) {
            out.putInt(s);
        }
        out.order(saved);
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(size());
        encode(b);
        return b.array();
    }

    /**
     * Reads a SID at {@code offset} of a little-endian buffer, checking every length against the
     * bytes present.
     *
     * @throws IllegalArgumentException on a bad revision, too many sub-authorities or a short buffer
     */
    public static Sid decode(ByteBuffer in, int offset) {
        if (offset < 0 || offset > in.limit() - 8) { // not offset + 8: it wraps near 2^31
            throw new IllegalArgumentException("SID header at " + offset + " does not fit in " + in.limit() + " bytes");
        }
        int rev = in.get(offset) & 0xFF;
        int count = in.get(offset + 1) & 0xFF;
        if (rev != REVISION) {
            throw new IllegalArgumentException("SID revision " + rev + " at " + offset + ", expected " + REVISION);
        }
        if (count > MAX_SUB_AUTHORITIES) {
            throw new IllegalArgumentException("SID with " + count + " sub-authorities, at most " + MAX_SUB_AUTHORITIES);
        }
        if (8 + 4 * count > in.limit() - offset) {
            throw new IllegalArgumentException("SID of " + (8 + 4 * count) + " bytes at " + offset
                    + " does not fit in " + in.limit());
        }
        long auth = 0;
        for (int k = 0; k < 6; k++) {
            auth = (auth << 8) | (in.get(offset + 2 + k) & 0xFF);
        }
        int[] subs = new int[count];
        ByteBuffer le = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < count; k++) {
            subs[k] = le.getInt(offset + 8 + 4 * k);
        }
        return new Sid(auth, subs);
    }

    /** Parses "S-1-5-32-545". */
    public static Sid parse(String text) {
        String[] parts = text.trim().split("-");
        if (parts.length < 3 || !parts[0].equalsIgnoreCase("S") || !parts[1].equals("1")) {
            throw new IllegalArgumentException("not a SID string (S-1-authority-…): \"" + text + "\"");
        }
        try {
            long auth = Long.parseLong(parts[2]);
            int[] subs = new int[parts.length - 3];
            for (int k = 0; k < subs.length; k++) {
                subs[k] = Integer.parseUnsignedInt(parts[k + 3]);
            }
            return new Sid(auth, subs);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a SID string (S-1-authority-…): \"" + text + "\"", e);
        }
    }

    /**
     * The SID WinFsp shows for a POSIX uid or gid, after {@code FspPosixMapUidToSid}
     * (docs/winfsp-native.md §3.2): S-1-5-RID / S-1-5-32-RID for RIDs, S-1-5-X-RID for 0x1000·X+RID,
     * S-1-X-Y for 0x10000+0x100·X+Y, S-1-16-RID for 0x60000+RID. Ids that need the Windows machine's
     * domain SIDs (0x30000+, 0x100000+), the logon-session ids and 65534 become {@link #UNMAPPED}.
     */
    public static Sid fromPosixId(int id) {
        long u = Integer.toUnsignedLong(id);
        if (u == UNMAPPED_ID) {
            return UNMAPPED;
        }
        if (u < 0x200 || u == 1000) {
            return new Sid(5, (int) u);
        }
        if (u < 1000) {
            return new Sid(5, 32, (int) u);
        }
        if (u == 0xFFE || u == 0xFFF) {
            return UNMAPPED;
        }
        if (u >= 0x30000 && u < 0x40000 || u >= 0x100000) {
            return UNMAPPED;
        }
        if (u >= 0x60000 && u < 0x70000) {
            return new Sid(16, (int) (u - 0x60000));
        }
        if (u >= 0x10000 && u < 0x11000) {
            return new Sid((u - 0x10000) >> 8, (int) ((u - 0x10000) & 0xFF));
        }
        if (u >= 0x1000) {
            return new Sid(5, (int) (u >> 12), (int) (u & 0xFFF));
        }
        return UNMAPPED;
    }

    /**
     * The POSIX id of a SID by the same rules ({@code FspPosixMapSidToUid}), or -1 when it has none
     * (domain accounts, logon sessions).
     */
    public long toPosixId() {
        if (equals(UNMAPPED)) {
            return UNMAPPED_ID;
        }
        int count = subAuthorities.length;
        if (count == 0) {
            return -1;
        }
        long rid = Integer.toUnsignedLong(subAuthorities[count - 1]);
        long sub0 = count >= 2 ? Integer.toUnsignedLong(subAuthorities[0]) : 0;
        if (authority == 5) {
            if (count == 1 || (count == 2 && sub0 == 32)) {
                return rid;
            }
            if (sub0 == 5 || sub0 == 21) {
                return -1;
            }
            if (count == 2) {
                return 0x1000 * sub0 + rid;
            }
            return -1;
        }
        if (authority == 16) {
            return 0x60000 + rid;
        }
        if (authority <= 0xFF && count == 1 && rid <= 0xFF) {
            return 0x10000 + 0x100 * authority + rid;
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sid s && s.authority == authority && Arrays.equals(s.subAuthorities, subAuthorities);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(authority) * 31 + Arrays.hashCode(subAuthorities);
    }

    /** "S-1-5-32-545". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("S-1-").append(authority);
        for (int s : subAuthorities) {
            sb.append('-').append(Integer.toUnsignedString(s));
        }
        return sb.toString();
    }
}
