package org.viofs.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.viofs.volume.Ea;
import org.viofs.volume.NtStatus;
import org.viofs.winfsp.FullEaInformation;

/**
 * The two EA list layouts of NtCreateFile, NtQueryEaFile and NtSetEaFile (wdm.h / ntifs.h),
 * little-endian, byte for byte, because the ea-test.c assertions size buffers to the byte.
 *
 * <pre>
 * FILE_FULL_EA_INFORMATION                     FILE_GET_EA_INFORMATION
 * +0 ULONG  NextEntryOffset                    +0 ULONG NextEntryOffset
 * +4 UCHAR  Flags (FILE_NEED_EA)               +4 UCHAR EaNameLength
 * +5 UCHAR  EaNameLength                       +5 CHAR  EaName[EaNameLength], NUL
 * +6 USHORT EaValueLength
 * +8 CHAR   EaName[EaNameLength], NUL, value
 * </pre>
 *
 * Entries start 4-byte aligned; NextEntryOffset is 0 on the last one. A list built here is built
 * as WinFsp's FspFileSystemAddEa (and ea-test.c's AddGetEa) build them: each entry at the aligned
 * end of the previous one, the length being the unaligned end of the last entry.
 *
 * <p>Stateless; not instantiable.
 */
public final class EaBuffers {
    private EaBuffers() {
    }

    /** FIELD_OFFSET(FILE_FULL_EA_INFORMATION, EaName). */
    public static final int FULL_NAME_OFFSET = 8;
    /** FIELD_OFFSET(FILE_GET_EA_INFORMATION, EaName). */
    public static final int GET_NAME_OFFSET = 5;

    /** One FILE_FULL_EA_INFORMATION entry as bytes: the name is raw (8-bit), so invalid names survive. */
    public record FullEa(byte[] name, int flags, byte[] value) {
        public static FullEa of(String name, int flags, String value) {
            return new FullEa(name.getBytes(StandardCharsets.ISO_8859_1), flags,
                    value.getBytes(StandardCharsets.ISO_8859_1));
        }

        public String nameString() {
            return new String(name, StandardCharsets.ISO_8859_1);
        }

        /** FIELD_OFFSET(EaName) + EaNameLength + 1 + EaValueLength: the bytes an entry takes. */
        public int size() {
            return fullEntrySize(name.length, value.length);
        }

        public Ea toEa() {
            return new Ea(nameString(), flags, value);
        }

        public static FullEa of(Ea ea) {
            return new FullEa(ea.nameBytes(), ea.flags(), ea.value());
        }
    }

    public static int fullEntrySize(int nameLength, int valueLength) {
        return FULL_NAME_OFFSET + nameLength + 1 + valueLength;
    }

    public static int alignUp(int n) {
        return (n + 3) & ~3;
    }

    /**
     * A FILE_FULL_EA_INFORMATION list (FspFileSystemAddEa for each entry, then AddEa(0)): the WinFsp
     * binding's own packing, so the cases also exercise the code that packs GetEa on Windows.
     */
    public static byte[] full(List<FullEa> entries) {
        return FullEaInformation.encode(entries.stream().map(FullEa::toEa).toList());
    }

    /** A FILE_GET_EA_INFORMATION list of these names (ea-test.c's AddGetEa for each, then AddGetEa(0)). */
    public static byte[] get(List<String> names) {
        int length = 0;
        for (int i = 0; i < names.size(); i++) {
            length = (i == 0 ? 0 : alignUp(length)) + GET_NAME_OFFSET + names.get(i).length() + 1;
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        for (int i = 0; i < names.size(); i++) {
            byte[] n = names.get(i).getBytes(StandardCharsets.ISO_8859_1);
            int size = GET_NAME_OFFSET + n.length + 1;
            b.putInt(at, i == names.size() - 1 ? 0 : alignUp(size));
            b.put(at + 4, (byte) n.length);
            b.put(at + GET_NAME_OFFSET, n);
            at += alignUp(size);
        }
        return b.array();
    }

    /**
     * Walks a FILE_FULL_EA_INFORMATION list as FspFileSystemEnumerateEa and the FSD's FSP_NEXT_EA
     * do: from offset 0, following NextEntryOffset until it is 0. The list must be valid ({@link
     * #checkFull}); the walk is the WinFsp binding's decoder, the one SetEa and CreateEx use.
     */
    public static List<FullEa> parseFull(byte[] buffer, int length) {
        return FullEaInformation.decode(ByteBuffer.wrap(buffer, 0, length)).stream().map(FullEa::of).toList();
    }

    /** The names of a FILE_GET_EA_INFORMATION list, walked as {@link #parseFull}; valid per {@link #checkGet}. */
    public static List<byte[]> parseGet(byte[] buffer, int length) {
        List<byte[]> l = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at < length) {
            int next = b.getInt(at);
            byte[] name = new byte[b.get(at + 4) & 0xFF];
            b.get(at + GET_NAME_OFFSET, name);
            l.add(name);
            if (next == 0) {
                break;
            }
            at += next;
        }
        return l;
    }

    /** A status and the offset of the entry it is about (IO_STATUS_BLOCK.Information on failure). */
    public record Check(int status, int errorOffset) {
        public boolean ok() {
            return status == NtStatus.SUCCESS;
        }
    }

    /**
     * IoCheckEaBufferValidity (ntos io/iomgr/util.c): every entry fits in what is left, its name
     * is NUL-terminated, and NextEntryOffset is exactly the aligned entry size (or 0 on the last).
     * Failure is STATUS_EA_LIST_INCONSISTENT at the offending entry.
     */
    public static Check checkFull(byte[] buffer, int length) {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        int left = length;
        while (true) {
            if (left < FULL_NAME_OFFSET) {
                return new Check(NtStatus.EA_LIST_INCONSISTENT, at);
            }
            int nameLength = b.get(at + 5) & 0xFF;
            int size = fullEntrySize(nameLength, b.getShort(at + 6) & 0xFFFF);
            if (left < size || b.get(at + FULL_NAME_OFFSET + nameLength) != 0) {
                return new Check(NtStatus.EA_LIST_INCONSISTENT, at);
            }
            int next = b.getInt(at);
            if (next == 0) {
                return new Check(NtStatus.SUCCESS, 0);
            }
            if (next != alignUp(size) || next > left) {
                return new Check(NtStatus.EA_LIST_INCONSISTENT, at);
            }
            left -= next;
            at += next;
        }
    }

    /**
     * The I/O manager's check of NtQueryEaFile's EaList before the IRP is built: each
     * FILE_GET_EA_INFORMATION entry (fixed part, name and NUL) lies within EaListLength and a
     * NextEntryOffset is 4-byte aligned and no shorter than its entry; else EA_LIST_INCONSISTENT.
     */
    public static Check checkGet(byte[] buffer, int length) {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (true) {
            if (length - at < GET_NAME_OFFSET) {
                return new Check(NtStatus.EA_LIST_INCONSISTENT, at);
            }
            int size = GET_NAME_OFFSET + (b.get(at + 4) & 0xFF) + 1;
            int next = b.getInt(at);
            if (length - at < size) {
                return new Check(NtStatus.EA_LIST_INCONSISTENT, at);
            }
            if (next == 0) {
                return new Check(NtStatus.SUCCESS, 0);
            }
            if ((next & 3) != 0 || next < size || next > length - at) {
                return new Check(NtStatus.EA_LIST_INCONSISTENT, at);
            }
            at += next;
        }
    }

    /**
     * The FSD's FspEaNameIsValid (src/sys/name.c, after FastFat's
     * FatIsEaNameValid): 1 to 254 bytes, each legal in a FAT name without wildcards
     * (FsRtlIsAnsiCharacterLegalFat(c, FALSE)): not a control character (0x00–0x1F) nor one of
     * {@code " * + , / : ; < = > ? [ \ ] |}; bytes from 0x80 up are legal. (A DBCS lead byte,
     * which skips the byte after it, does not occur in the single-byte code pages assumed here.)
     */
    public static boolean nameIsValid(byte[] name) {
        if (name.length == 0 || name.length > 254) {
            return false;
        }
        for (byte c : name) {
            if (c >= 0 && (c < 0x20 || "\"*+,/:;<=>?[\\]|".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * FspEaBufferFromOriginatingProcessValidate (src/sys/util.c): {@link #checkFull}, then every
     * name {@link #nameIsValid} (STATUS_INVALID_EA_NAME at the first bad entry).
     */
    public static Check validateFromCaller(byte[] buffer, int length) {
        Check c = checkFull(buffer, length);
        if (!c.ok()) {
            return c;
        }
        int at = 0;
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        for (FullEa e : parseFull(buffer, length)) {
            if (!nameIsValid(e.name())) {
                return new Check(NtStatus.INVALID_EA_NAME, at);
            }
            at += b.getInt(at);
        }
        return new Check(NtStatus.SUCCESS, 0);
    }

    /** RtlUpperString over an 8-bit name: ASCII letters up-cased (the FSD's FspEaNameUpcase). */
    public static byte[] upcase(byte[] name) {
        byte[] u = name.clone();
        for (int i = 0; i < u.length; i++) {
            if (u[i] >= 'a' && u[i] <= 'z') {
                u[i] -= 32;
            }
        }
        return u;
    }

    /** RtlEqualString(a, b, TRUE): equal ignoring ASCII case. */
    public static boolean equalIgnoreCase(byte[] a, byte[] b) {
        return java.util.Arrays.equals(upcase(a), upcase(b));
    }

    /** The DLL's decoding of a checked FILE_FULL_EA_INFORMATION list into the volume's records. */
    static List<Ea> toEas(byte[] buffer, int length) {
        List<Ea> eas = new ArrayList<>();
        for (EaBuffers.FullEa e : EaBuffers.parseFull(buffer, length)) {
            eas.add(e.toEa());
        }
        return eas;
    }
}
