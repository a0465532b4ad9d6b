package org.viofs.winfsp;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.viofs.volume.Ea;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;

/**
 * Lists of {@code FILE_FULL_EA_INFORMATION} (the EA buffers of CreateEx, OverwriteEx, GetEa and SetEa,
 * docs/winfsp-native.md §2 slots 27–30) to and from {@link Ea}. Pure Java over {@link ByteBuffer}s; the
 * {@link Pointer} overloads only wrap native memory of a length the caller vouches for.
 *
 * <pre>
 * +0              +4      +5            +6              +8                 +8+n  +9+n
 * | NextEntryOffset| Flags | EaNameLength | EaValueLength | EaName (n bytes)  | NUL | value (v bytes) |
 *   ULONG            UCHAR   UCHAR = n      USHORT = v      CHAR[]
 * </pre>
 *
 * <p>Layout and FILE_NEED_EA: mingw-w64 headers, {@code mingw-w64-headers/ddk/include/ddk/wdm.h}
 * ({@code _FILE_FULL_EA_INFORMATION}) and {@code ddk/ntifs.h} ({@code FILE_NEED_EA 0x00000080}); the
 * offsets 0/4/5/6/8 and sizeof 12 were read back from an object file built with x86_64-w64-mingw32-gcc 12
 * over those headers (Debian mingw-w64-x86-64-dev 10.0.0). A NextEntryOffset of 0 ends the list.
 *
 * <p>Packing restates WinFsp's {@code FspFileSystemAddEa} ({@code winfsp/winfsp src/dll/fsop.c}): an
 * entry is {@code 8 + n + 1 + v} bytes, starts at {@code *PBytesTransferred} rounded up to 4
 * ({@code sizeof(ULONG)}), gets NextEntryOffset = its size rounded up to 4, and moves
 * {@code *PBytesTransferred} to its unrounded end; one that would pass the buffer's end is refused with
 * nothing written. The end marker (a NULL entry) walks the list and sets the last NextEntryOffset to 0,
 * leaving the byte count alone. One difference: the DLL leaves the 0–3 padding bytes before an entry as
 * they were; here they are zeroed, so no stale bytes of the response buffer reach the caller.
 *
 * <p>Decoding checks every bound against the given length before reading and answers
 * {@link NtStatus#EA_LIST_INCONSISTENT} (0x80000014, ntstatus.h) for any malformed list. It checks
 * structure only; whether a name is acceptable is the volume's decision (INVALID_EA_NAME).
 * Stateless and thread-safe.
 */
public final class FullEaInformation {
    /** {@code NextEntryOffset}, ULONG. */
    public static final int NEXT_ENTRY_OFFSET = 0;
    /** {@code Flags}, UCHAR: 0 or {@link Ea#FILE_NEED_EA}. */
    public static final int FLAGS = 4;
    /** {@code EaNameLength}, UCHAR, without the NUL. */
    public static final int EA_NAME_LENGTH = 5;
    /** {@code EaValueLength}, USHORT. */
    public static final int EA_VALUE_LENGTH = 6;
    /** {@code EaName}; {@code FIELD_OFFSET(FILE_FULL_EA_INFORMATION, EaName)}. */
    public static final int EA_NAME = 8;
    /** Entries start on a ULONG boundary (FspFileSystemAddEa's {@code FSP_FSCTL_ALIGN_UP(…, sizeof(ULONG))}). */
    public static final int ALIGNMENT = 4;

    private FullEaInformation() {
    }

    /** Bytes one entry takes before alignment: header, name, NUL, value. */
    public static int entrySize(Ea ea) {
        return EA_NAME + ea.name().length() + 1 + ea.value().length;
    }

    private static int alignUp(long n) {
        return (int) ((n + ALIGNMENT - 1) & -ALIGNMENT);
    }

    // ---- decoding ------------------------------------------------------------------------------

    /**
     * Decodes the {@code length} bytes at {@code p}. A NULL pointer or length 0 is the empty list.
     *
     * @throws NtStatusException EA_LIST_INCONSISTENT for a malformed list, or a negative or over-2 GiB length
     */
    public static List<Ea> decode(Pointer p, long length) {
        if (p == null || length == 0) {
            return List.of();
        }
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw inconsistent("EA buffer length " + length);
        }
        // one copy into the heap: every later read is bounds-checked by the JVM as well as below
        return decode(ByteBuffer.wrap(p.getByteArray(0, (int) length)));
    }

    /**
     * Decodes the list in {@code buffer} from its position to its limit (the buffer is not moved).
     *
     * @throws NtStatusException EA_LIST_INCONSISTENT when an entry or its name passes the end, the NUL
     *                           after a name is missing, or a NextEntryOffset is not a multiple of 4,
     *                           lands inside its own entry or leaves no room for the next header
     */
    public static List<Ea> decode(ByteBuffer buffer) {
        ByteBuffer b = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        long length = b.remaining();
        if (length == 0) {
            return List.of();
        }
        List<Ea> eas = new ArrayList<>();
        long at = 0;
        while (true) {
            if (at + EA_NAME > length) {
                throw inconsistent("entry at " + at + " has no room for its 8-byte header in " + length + " bytes");
            }
            int entry = (int) at;
            long next = b.getInt(entry + NEXT_ENTRY_OFFSET) & 0xFFFFFFFFL;
            int flags = b.get(entry + FLAGS) & 0xFF;
            int nameLength = b.get(entry + EA_NAME_LENGTH) & 0xFF;
            int valueLength = b.getShort(entry + EA_VALUE_LENGTH) & 0xFFFF;
            long nul = at + EA_NAME + nameLength;
            if (nul >= length) {
                throw inconsistent("name of entry at " + at + " (" + nameLength + " bytes) and its NUL pass the end "
                        + length);
            }
            if (b.get((int) nul) != 0) {
                throw inconsistent("no NUL after the name of entry at " + at);
            }
            long end = nul + 1 + valueLength;
            if (end > length) {
                throw inconsistent("value of entry at " + at + " (" + valueLength + " bytes) passes the end " + length);
            }
            byte[] name = new byte[nameLength];
            b.get(entry + EA_NAME, name);
            byte[] value = new byte[valueLength];
            b.get((int) nul + 1, value);
            eas.add(new Ea(new String(name, StandardCharsets.ISO_8859_1), flags, value));
            if (next == 0) {
                return Collections.unmodifiableList(eas);
            }
            if (next % ALIGNMENT != 0) {
                throw inconsistent("NextEntryOffset " + next + " of entry at " + at + " is not a multiple of 4");
            }
            if (at + next < end) {
                throw inconsistent("NextEntryOffset " + next + " of entry at " + at + " points into that entry (size "
                        + (end - at) + ")");
            }
            at += next; // a forward step of at least 12 bytes; the header check above bounds it
        }
    }

    private static NtStatusException inconsistent(String detail) {
        return new NtStatusException(NtStatus.EA_LIST_INCONSISTENT, detail);
    }

    // ---- packing (FspFileSystemAddEa) ----------------------------------------------------------

    /**
     * What {@link #pack} did.
     *
     * @param bytesTransferred the value for {@code *PBytesTransferred}
     * @param complete         every EA fit and the list was terminated; false: the ones that fit, no end marker
     */
    public record Packed(int bytesTransferred, boolean complete) {
    }

    /**
     * Appends one EA at {@code bytesTransferred} rounded up to 4, as FspFileSystemAddEa does.
     *
     * @param buffer the caller's buffer from index 0 to its limit ({@code EaLength}); absolute writes only
     * @return the new {@code *PBytesTransferred}, or -1 if the entry does not fit (nothing written)
     * @throws IllegalArgumentException for a name of 0 or over 255 bytes, a non-Latin-1 name or a value over
     *                                  65535 bytes: the volume broke the {@link Ea} contract
     */
    public static int add(Ea ea, ByteBuffer buffer, int bytesTransferred) {
        String name = ea.name();
        byte[] value = ea.value();
        if (name.isEmpty() || name.length() > Ea.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("EA name of " + name.length() + " bytes (1.." + Ea.MAX_NAME_BYTES + ")");
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) > 0xFF || name.charAt(i) == 0) {
                throw new IllegalArgumentException("EA name \"" + name + "\" has a character that is no 8-bit name byte");
            }
        }
        if (value.length > Ea.MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("EA value of " + value.length + " bytes (max " + Ea.MAX_VALUE_BYTES + ")");
        }
        if ((ea.flags() & ~0xFF) != 0) {
            throw new IllegalArgumentException("EA flags 0x" + Integer.toHexString(ea.flags()) + " do not fit a UCHAR");
        }
        long start = alignUp(bytesTransferred & 0xFFFFFFFFL);
        int size = entrySize(ea);
        if (start + size > buffer.limit()) {
            return -1;
        }
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int at = (int) start;
        for (int pad = bytesTransferred; pad < at; pad++) {
            b.put(pad, (byte) 0);
        }
        b.putInt(at + NEXT_ENTRY_OFFSET, alignUp(size));
        b.put(at + FLAGS, (byte) ea.flags());
        b.put(at + EA_NAME_LENGTH, (byte) name.length());
        b.putShort(at + EA_VALUE_LENGTH, (short) value.length);
        b.put(at + EA_NAME, name.getBytes(StandardCharsets.ISO_8859_1));
        b.put(at + EA_NAME + name.length(), (byte) 0);
        b.put(at + EA_NAME + name.length() + 1, value);
        return at + size;
    }

    /**
     * The end marker, FspFileSystemAddEa with a NULL entry: follows the NextEntryOffsets from 0 to the
     * entry that reaches {@code bytesTransferred} and sets its NextEntryOffset to 0. Nothing happens when
     * fewer than 8 bytes were transferred (no entry yet).
     */
    public static void end(ByteBuffer buffer, int bytesTransferred) {
        if (bytesTransferred < EA_NAME) {
            return;
        }
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (true) {
            long next = b.getInt(at + NEXT_ENTRY_OFFSET) & 0xFFFFFFFFL;
            if (next == 0 || at + next >= bytesTransferred) {
                break;
            }
            at += (int) next;
        }
        b.putInt(at + NEXT_ENTRY_OFFSET, 0);
    }

    /**
     * GetEa as memfs writes it: each EA through {@link #add}; if all fit, the end marker; if one does not,
     * stop there without an end marker (the caller still answers STATUS_SUCCESS).
     */
    public static Packed pack(List<Ea> eas, ByteBuffer buffer) {
        int n = 0;
        for (Ea ea : eas) {
            int after = add(ea, buffer, n);
            if (after < 0) {
                return new Packed(n, false);
            }
            n = after;
        }
        end(buffer, n);
        return new Packed(n, true);
    }

    /** {@link #pack} into {@code length} bytes of native memory at {@code p}. */
    public static Packed pack(List<Ea> eas, Pointer p, int length) {
        long capacity = length & 0xFFFFFFFFL;
        if (p == null || capacity == 0) {
            return eas.isEmpty() ? new Packed(0, true) : new Packed(0, false);
        }
        return pack(eas, p.getByteBuffer(0, capacity));
    }

    /** Encodes a whole list into a new array of exactly the packed length (for tests and callers building input). */
    public static byte[] encode(List<Ea> eas) {
        long total = 0;
        for (Ea ea : eas) {
            total = alignUp(total) + entrySize(ea);
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("EA list of " + total + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) total);
        Packed p = pack(eas, b);
        if (!p.complete()) {
            throw new IllegalStateException("sized " + total + " but packed " + p.bytesTransferred());
        }
        return b.array();
    }
}
