package org.viofs.fuse.abi;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.viofs.fuse.FuseProtocolException;

/** Shared checks and helpers of the wire records. Package-private: records are the API. */
public final class Wire {
    private Wire() {
    }

    /**
     * Longest name component accepted in a request, in UTF-8 bytes. Linux {@code NAME_MAX} is 255;
     * the daemon answers ENAMETOOLONG past it, so this only stops absurd sizes before allocating.
     */
    public static final int MAX_NAME_BYTES = 4096;

    /** Longest path (symlink target) accepted, Linux {@code PATH_MAX} (include/uapi/linux/limits.h). */
    public static final int MAX_PATH_BYTES = 4096;

    /** Throws unless {@code b} has at least {@code n} bytes left for {@code what}. */
    public static void need(ByteBuffer b, int n, String what) {
        if (b.remaining() < n) {
            throw new FuseProtocolException(what + " needs " + n + " bytes, reply has " + b.remaining());
        }
    }

    /** Largest valid nanosecond count within a second. */
    public static final int MAX_NANOS = 999_999_999;

    /**
     * A {@code u32} nanosecond field as read: values at or past one second (including those that are
     * negative as an {@code int}) become {@link #MAX_NANOS}, so a lying host moves a time by less than a
     * second and never makes it invalid.
     */
    public static int nanos(int raw) {
        return Integer.compareUnsigned(raw, MAX_NANOS) > 0 ? MAX_NANOS : raw;
    }

    /**
     * Reads {@code n} bytes at the position as strict UTF-8 and moves past them; null when they are not
     * valid UTF-8 (a name that could not be sent back unchanged).
     */
    public static String readStrictUtf8(ByteBuffer b, int n) {
        ByteBuffer src = b.slice(b.position(), n);
        b.position(b.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(src).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    public static int align8(int n) {
        return (n + 7) & ~7;
    }

    /** UTF-8 bytes of one name component; refuses NUL (it would end the name early on the wire). */
    public static byte[] nameBytes(String name, int max) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length > max) {
            throw new IllegalArgumentException("name is " + b.length + " bytes, more than " + max);
        }
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("name contains NUL: " + name.replace('\0', '?'));
            }
        }
        return b;
    }

    /** Reads {@code n} bytes at the position as UTF-8 (invalid sequences become U+FFFD). */
    public static String readString(ByteBuffer b, int n) {
        String s;
        if (b.hasArray()) {
            s = new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
        } else {
            byte[] tmp = new byte[n];
            b.get(b.position(), tmp);
            s = new String(tmp, StandardCharsets.UTF_8);
        }
        b.position(b.position() + n);
        return s;
    }

    public static void skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
    }
}
