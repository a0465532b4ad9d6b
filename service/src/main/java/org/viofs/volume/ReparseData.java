package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The symbolic-link reparse data buffer ({@code REPARSE_DATA_BUFFER}, ntifs.h):
 * <pre>
 * +0  ReparseTag (4) = IO_REPARSE_TAG_SYMLINK 0xA000000C
 * +4  ReparseDataLength (2) = 12 + PathBuffer bytes     +6 Reserved (2)
 * +8  SubstituteNameOffset (2)  +10 SubstituteNameLength (2)   (bytes, within PathBuffer)
 * +12 PrintNameOffset (2)       +14 PrintNameLength (2)
 * +16 Flags (4): SYMLINK_FLAG_RELATIVE = 1
 * +20 PathBuffer (UTF-16LE, no NULs required)
 * </pre>
 * This volume writes the substitute name first and the print name after it, both the same text.
 *
 * @param substituteName the target in Windows form (backslashes)
 * @param printName      the target as shown to users
 * @param relative       SYMLINK_FLAG_RELATIVE
 */
public record ReparseData(String substituteName, String printName, boolean relative) {
    public static final int IO_REPARSE_TAG_SYMLINK = FileInfoMapper.IO_REPARSE_TAG_SYMLINK;
    public static final int SYMLINK_FLAG_RELATIVE = 1;
    /** FIELD_OFFSET(REPARSE_DATA_BUFFER, SymbolicLinkReparseBuffer.PathBuffer). */
    public static final int HEADER_SIZE = 20;
    /** FIELD_OFFSET(REPARSE_DATA_BUFFER, GenericReparseBuffer): tag, length, reserved. */
    public static final int GENERIC_HEADER_SIZE = 8;

    public byte[] toBytes() {
        byte[] sub = substituteName.getBytes(StandardCharsets.UTF_16LE);
        byte[] print = printName.getBytes(StandardCharsets.UTF_16LE);
        int dataLength = 12 + sub.length + print.length;
        if (dataLength > 0xFFFF) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, "symlink target of "
                    + substituteName.length() + " UTF-16 units does not fit a reparse buffer");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + sub.length + print.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(IO_REPARSE_TAG_SYMLINK).putShort((short) dataLength).putShort((short) 0);
        b.putShort((short) 0).putShort((short) sub.length);
        b.putShort((short) sub.length).putShort((short) print.length);
        b.putInt(relative ? SYMLINK_FLAG_RELATIVE : 0);
        b.put(sub).put(print);
        return b.array();
    }

    /** The reparse tag of a buffer (its first 4 bytes). */
    public static int tagOf(byte[] buffer) {
        if (buffer == null || buffer.length < 4) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, "reparse buffer of "
                    + (buffer == null ? "no" : buffer.length) + " bytes has no tag");
        }
        return ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    }

    /**
     * Parses a symlink reparse buffer, checking lengths and offsets.
     *
     * @throws NtStatusException IO_REPARSE_TAG_INVALID for another tag, IO_REPARSE_DATA_INVALID for
     *                           a malformed buffer
     */
    public static ReparseData parse(byte[] buffer) {
        int tag = tagOf(buffer);
        if (tag != IO_REPARSE_TAG_SYMLINK) {
            throw new NtStatusException(NtStatus.IO_REPARSE_TAG_INVALID, String.format(
                    "reparse tag 0x%08X; this volume stores only symlinks (0x%08X)", tag, IO_REPARSE_TAG_SYMLINK));
        }
        if (buffer.length < HEADER_SIZE) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, "symlink buffer of " + buffer.length
                    + " bytes, the header is " + HEADER_SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        int dataLength = b.getShort(4) & 0xFFFF;
        if (GENERIC_HEADER_SIZE + dataLength > buffer.length || dataLength < 12) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, "ReparseDataLength " + dataLength
                    + " with " + buffer.length + " bytes");
        }
        int pathBytes = dataLength - 12;
        String sub = slice(b, b.getShort(8) & 0xFFFF, b.getShort(10) & 0xFFFF, pathBytes, "substitute");
        String print = slice(b, b.getShort(12) & 0xFFFF, b.getShort(14) & 0xFFFF, pathBytes, "print");
        boolean relative = (b.getInt(16) & SYMLINK_FLAG_RELATIVE) != 0;
        return new ReparseData(sub, print, relative);
    }

    private static String slice(ByteBuffer b, int off, int len, int pathBytes, String what) {
        if ((off & 1) != 0 || (len & 1) != 0 || off + len > pathBytes) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, what + " name at " + off + "+" + len
                    + " outside a path buffer of " + pathBytes + " bytes");
        }
        byte[] bytes = new byte[len];
        b.duplicate().position(HEADER_SIZE + off).get(bytes);
        return new String(bytes, StandardCharsets.UTF_16LE);
    }

    /**
     * A host symlink target → reparse data. Relative targets keep their form with "/" → "\"
     * (and forbidden characters moved to U+F000+c); absolute host targets are shown relative to
     * the volume root ({@code /a/b} → {@code \a\b}, flag not relative), since the volume cannot
     * know where the share sits on the host.
     */
    public static ReparseData fromHostTarget(String hostTarget) {
        boolean absolute = hostTarget.startsWith("/");
        StringBuilder sb = new StringBuilder();
        String[] parts = hostTarget.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('\\');
            }
            String p = parts[i];
            sb.append(p.equals(".") || p.equals("..") ? p : WinPath.toWindowsName(p));
        }
        String win = sb.toString();
        return new ReparseData(win, win, !absolute);
    }

    /**
     * This target as a host symlink target: "\" → "/", U+F000+c → c. Refuses NUL and "/" inside a
     * component, and NT-namespace targets ({@code \??\C:\…}) that cannot exist on the host.
     */
    public String toHostTarget() {
        String t = substituteName;
        if (t.isEmpty()) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, "empty symlink target");
        }
        if (!relative && !t.startsWith("\\")) {
            throw new NtStatusException(NtStatus.IO_REPARSE_DATA_INVALID, "absolute target without a root: " + t);
        }
        if (t.startsWith("\\??\\") || t.startsWith("\\\\") || (t.length() >= 2 && t.charAt(1) == ':')) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER,
                    "a target outside the volume cannot be stored on the host: " + t);
        }
        StringBuilder sb = new StringBuilder();
        String[] parts = t.split("\\\\", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            String p = parts[i];
            if (p.isEmpty() || p.equals(".") || p.equals("..")) {
                sb.append(p);
            } else {
                sb.append(WinPath.toHostName(p));
            }
        }
        return sb.toString();
    }
}
