package org.viofs.volume;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One extended attribute as Windows sees it: one {@code FILE_FULL_EA_INFORMATION} entry without the
 * list linkage. EA names are 8-bit strings (OEM code page on Windows); viofs keeps their bytes as
 * ISO-8859-1 characters, so every byte maps to exactly one char and back.
 *
 * @param name  1..255 bytes, no NUL; compared without case, stored upper-case ({@link #normalizedName()})
 * @param flags 0 or {@link #FILE_NEED_EA}
 * @param value 0..65535 bytes; empty means "delete" in a set
 */
public record Ea(String name, int flags, byte[] value) {
    /** FILE_NEED_EA (wdm.h): a program that does not understand EAs should not open the file. */
    public static final int FILE_NEED_EA = 0x80;
    /** EaNameLength is a UCHAR. */
    public static final int MAX_NAME_BYTES = 255;
    /** EaValueLength is a USHORT. */
    public static final int MAX_VALUE_BYTES = 0xFFFF;

    public Ea {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The name's bytes (ISO-8859-1 of {@link #name()}). */
    public byte[] nameBytes() {
        return name.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The name as stored: ASCII letters upper-case, every other byte as it is (NTFS upcases EA names). */
    public String normalizedName() {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return b.toString();
    }

    /** FspFileSystemGetEaPackedSize: 5 + name bytes + value bytes, what FileInfo.EaSize sums. */
    public int packedSize() {
        return 5 + name.length() + value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ea e && e.name.equals(name) && e.flags == flags && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, flags, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "Ea[" + name + " flags 0x" + Integer.toHexString(flags) + ", " + value.length + " bytes]";
    }
}
