package org.viofs.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.viofs.volume.NtStatus;

/**
 * Reparse data buffers (winnt.h REPARSE_DATA_BUFFER and REPARSE_GUID_DATA_BUFFER): the checks the
 * FSD makes before SetReparsePoint/DeleteReparsePoint, and builders for the symlink, NFS and GUID
 * buffers the reparse cases use.
 *
 * <pre>
 * Microsoft tag (bit 31 set):      non-Microsoft tag:
 * +0  ReparseTag        u32        +0  ReparseTag        u32
 * +4  ReparseDataLength u16        +4  ReparseDataLength u16
 * +6  Reserved          u16        +6  Reserved          u16
 * +8  data …                       +8  ReparseGuid       16 bytes
 *                                  +24 data …
 * </pre>
 */
public final class ReparseData {
    private ReparseData() {
    }

    /** REPARSE_DATA_BUFFER_HEADER_SIZE. */
    public static final int HEADER_SIZE = 8;
    /** REPARSE_GUID_DATA_BUFFER_HEADER_SIZE. */
    public static final int GUID_HEADER_SIZE = 24;
    /** MAXIMUM_REPARSE_DATA_BUFFER_SIZE (16 KiB). */
    public static final int MAXIMUM_SIZE = 16 * 1024;

    public static boolean isMicrosoftTag(int tag) {
        return (tag & 0x80000000) != 0;
    }

    public static int tag(byte[] data) {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    }

    /**
     * The FSD's buffer checks (FSCTL_SET/DELETE_REPARSE_POINT): too short or inconsistent →
     * IO_REPARSE_DATA_INVALID; tag 0 or 1 (reserved) → IO_REPARSE_TAG_INVALID; a delete carries
     * the header only.
     */
    public static int check(byte[] data, boolean delete) {
        if (data == null || data.length < HEADER_SIZE || data.length > MAXIMUM_SIZE) {
            return NtStatus.IO_REPARSE_DATA_INVALID;
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int tag = b.getInt(0);
        int length = b.getShort(4) & 0xFFFF;
        if (tag == 0 || tag == 1) {
            return NtStatus.IO_REPARSE_TAG_INVALID;
        }
        int header = isMicrosoftTag(tag) ? HEADER_SIZE : GUID_HEADER_SIZE;
        if (data.length < header) {
            return NtStatus.IO_REPARSE_DATA_INVALID;
        }
        if (delete ? (length != 0 || data.length != header) : header + length != data.length) {
            return NtStatus.IO_REPARSE_DATA_INVALID;
        }
        return NtStatus.SUCCESS;
    }

    /**
     * An IO_REPARSE_TAG_SYMLINK buffer: SubstituteNameOffset/Length, PrintNameOffset/Length, Flags,
     * then the substitute name followed by the print name (UTF-16LE, no NULs).
     */
    public static byte[] symlink(String substituteName, String printName, boolean relative) {
        byte[] sub = substituteName.getBytes(StandardCharsets.UTF_16LE);
        byte[] print = printName.getBytes(StandardCharsets.UTF_16LE);
        int dataLength = 12 + sub.length + print.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + dataLength).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Win32.IO_REPARSE_TAG_SYMLINK).putShort((short) dataLength).putShort((short) 0);
        b.putShort((short) 0).putShort((short) sub.length);
        b.putShort((short) sub.length).putShort((short) print.length);
        b.putInt(relative ? Win32.SYMLINK_FLAG_RELATIVE : 0);
        b.put(sub).put(print);
        return b.array();
    }

    /** The substitute name of a symlink buffer. */
    public static String symlinkSubstituteName(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int off = b.getShort(8) & 0xFFFF;
        int len = b.getShort(10) & 0xFFFF;
        return new String(data, HEADER_SIZE + 12 + off, len, StandardCharsets.UTF_16LE);
    }

    /** A buffer with a Microsoft tag and opaque data (e.g. IO_REPARSE_TAG_NFS). */
    public static byte[] microsoft(int tag, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(tag).putShort((short) payload.length).putShort((short) 0).put(payload);
        return b.array();
    }

    /** A REPARSE_GUID_DATA_BUFFER with a non-Microsoft tag. */
    public static byte[] guid(int tag, byte[] guid16, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(GUID_HEADER_SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(tag).putShort((short) payload.length).putShort((short) 0).put(guid16, 0, 16).put(payload);
        return b.array();
    }

    /** The header-only buffer FSCTL_DELETE_REPARSE_POINT takes for this tag (and GUID). */
    public static byte[] deleteHeader(int tag, byte[] guid16) {
        if (isMicrosoftTag(tag)) {
            return microsoft(tag, new byte[0]);
        }
        return guid(tag, guid16, new byte[0]);
    }
}
