package org.viofs.winfsp;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The one place where Java strings meet WinFsp's UTF-16LE (WCHAR) strings. JNA's WString and
 * getWideString use the platform's wchar_t, which is 4 bytes on Linux, so they are never used: this
 * class reads and writes 2-byte units explicitly, identically on both systems.
 */
public final class Utf16 {
    private Utf16() {
    }

    /** Longest NUL-terminated string read from native memory, in bytes; WinFsp paths are at most 2,048. */
    public static final int MAX_READ_BYTES = 64 * 1024;

    /** The NUL-terminated string at {@code p}, or null when {@code p} is NULL. */
    public static String read(Pointer p) {
        if (p == null) {
            return null;
        }
        int n = 0;
        while (p.getShort(n) != 0) {
            n += 2;
            if (n >= MAX_READ_BYTES) {
                throw new IllegalArgumentException("UTF-16 string without a NUL in the first " + MAX_READ_BYTES + " bytes");
            }
        }
        return read(p, 0, n);
    }

    /** {@code byteLength} bytes (no NUL needed) at {@code p + offset}. */
    public static String read(Pointer p, long offset, int byteLength) {
        return new String(p.getByteArray(offset, byteLength), StandardCharsets.UTF_16LE);
    }

    /** The UTF-16LE bytes of {@code s}, without a NUL. */
    public static byte[] encode(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    /** A new native NUL-terminated copy of {@code s}, for PWSTR arguments; null for null. */
    public static Memory toNative(String s) {
        if (s == null) {
            return null;
        }
        byte[] b = encode(s);
        Memory m = new Memory(b.length + 2L);
        m.write(0, b, 0, b.length);
        m.setShort(b.length, (short) 0);
        return m;
    }

    /**
     * {@code s} in a fixed WCHAR array of {@code bytes} bytes, NUL-padded, as in
     * {@code WCHAR Prefix[192]}.
     *
     * @throws IllegalArgumentException if {@code s} and its NUL do not fit
     */
    public static byte[] fixed(String s, int bytes) {
        byte[] b = encode(s);
        if (b.length + 2 > bytes) {
            throw new IllegalArgumentException("\"" + s + "\" needs " + (b.length / 2 + 1) + " WCHARs with its NUL; the"
                    + " field holds " + bytes / 2);
        }
        byte[] out = new byte[bytes];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }
}
