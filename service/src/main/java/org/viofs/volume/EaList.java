package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules for a file's set of extended attributes, apart from where it is kept: which names are
 * valid, how a SetEa list changes a set, what FileInfo.EaSize counts, and the packed form
 * {@link XattrAttributes} stores. A set is a list of {@link Ea} with upper-case names, no two alike,
 * no empty value, in insertion order (a replaced EA keeps its place).
 *
 * <p>Stateless; thread-safe.
 */
final class EaList {
    /** Characters Windows refuses in an EA name (INVALID_EA_NAME), besides the controls 0x00–0x1F. */
    static final String ILLEGAL_NAME_CHARS = "\"*+,/:;<=>?[\\]|";
    /** Bytes before an entry's name in the packed form: flags (1), name length (1), value length (2). */
    static final int ENTRY_HEADER = 4;

    private EaList() {
    }

    /** Why the name is not a valid EA name, or null when it is. */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "an empty EA name";
        }
        if (name.length() > Ea.MAX_NAME_BYTES) {
            return "EA name of " + name.length() + " bytes, at most " + Ea.MAX_NAME_BYTES;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0xFF) {
                return String.format("EA name %s: U+%04X is not one byte", name, (int) c);
            }
            if (c < 0x20 || ILLEGAL_NAME_CHARS.indexOf(c) >= 0) {
                return String.format("EA name %s: byte 0x%02X is not allowed", name, (int) c);
            }
        }
        return null;
    }

    /**
     * Checks every entry of a SetEa list before anything changes: INVALID_EA_NAME for a bad name,
     * INVALID_PARAMETER for a value over {@link Ea#MAX_VALUE_BYTES} (EaValueLength is a USHORT).
     */
    static void check(List<Ea> changes) {
        for (Ea e : changes) {
            String problem = nameProblem(e.name());
            if (problem != null) {
                throw new NtStatusException(NtStatus.INVALID_EA_NAME, problem);
            }
            int len = e.value().length;
            if (len > Ea.MAX_VALUE_BYTES) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "EA " + e.name() + " has a value of " + len
                        + " bytes, at most " + Ea.MAX_VALUE_BYTES);
            }
        }
    }

    /**
     * The set after applying {@code changes} in order (already {@link #check checked}): names upper-case,
     * an empty value deletes, any other adds or replaces (flags too; only {@link Ea#FILE_NEED_EA} is kept).
     */
    static List<Ea> apply(List<Ea> current, List<Ea> changes) {
        Map<String, Ea> byName = new LinkedHashMap<>();
        for (Ea e : current) {
            byName.put(e.name(), e);
        }
        for (Ea c : changes) {
            String name = c.normalizedName();
            byte[] value = c.value();
            if (value.length == 0) {
                byName.remove(name);
            } else {
                byName.put(name, new Ea(name, c.flags() & Ea.FILE_NEED_EA, value));
            }
        }
        return List.copyOf(byName.values());
    }

    /** FileInfo.EaSize: the sum of the entries' packed sizes (what memfs reports, FspFileSystemGetEaPackedSize). */
    static int eaSize(List<Ea> set) {
        int sum = 0;
        for (Ea e : set) {
            sum += e.packedSize();
        }
        return sum;
    }

    /** Whether any EA carries FILE_NEED_EA. */
    static boolean needEa(List<Ea> set) {
        for (Ea e : set) {
            if ((e.flags() & Ea.FILE_NEED_EA) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of the packed entries ({@link #put}). */
    static int packedBytes(List<Ea> set) {
        int n = 0;
        for (Ea e : set) {
            n += ENTRY_HEADER + e.name().length() + e.value().length;
        }
        return n;
    }

    /**
     * Appends the entries, each as:
     * <pre>
     * +0 flags (1)   +1 name length (1)   +2 value length (2, little-endian)
     * +4 name (ISO-8859-1, upper-case, no NUL)   then the value
     * </pre>
     */
    static void put(ByteBuffer b, List<Ea> set) {
        ByteBuffer le = b.order(ByteOrder.LITTLE_ENDIAN);
        for (Ea e : set) {
            byte[] name = e.nameBytes();
            byte[] value = e.value();
            le.put((byte) e.flags()).put((byte) name.length).putShort((short) value.length).put(name).put(value);
        }
    }

    /**
     * Reads {@code length} bytes of entries at {@code offset} of {@code b} (bounds already checked by
     * the caller). Returns null when they are malformed: an entry running past the end, an invalid,
     * lower-case or repeated name, an empty value, or bytes left over.
     */
    static List<Ea> parse(byte[] b, int offset, int length) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        List<Ea> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (end - at < ENTRY_HEADER) {
                return null;
            }
            int flags = b[at] & 0xFF;
            int nameLen = b[at + 1] & 0xFF;
            int valueLen = bb.getShort(at + 2) & 0xFFFF;
            at += ENTRY_HEADER;
            if (nameLen == 0 || valueLen == 0 || end - at < nameLen + valueLen) {
                return null;
            }
            String name = new String(b, at, nameLen, StandardCharsets.ISO_8859_1);
            byte[] value = new byte[valueLen];
            System.arraycopy(b, at + nameLen, value, 0, valueLen);
            at += nameLen + valueLen;
            Ea e = new Ea(name, flags & Ea.FILE_NEED_EA, value);
            if (nameProblem(name) != null || !e.normalizedName().equals(name) || !seen.add(name)) {
                return null;
            }
            out.add(e);
        }
        return List.copyOf(out);
    }
}
