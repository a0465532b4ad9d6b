package org.viofs.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.viofs.conformance.EaBuffers.FullEa;
import org.viofs.volume.NtStatus;

/**
 * What WinFsp's FSD does with the file's whole EA list (the volume's GetEa, packed by the DLL) to
 * answer NtQueryEaFile: {@code src/sys/ea.c}, FspFsvolQueryEaGetCopy (an EaList was given) and
 * FspFsvolQueryEaIndexCopy (no EaList: from an index or the handle's cursor). The volume never
 * sees the query's parameters. Names are copied upper-cased (the binding leaves
 * CasePreservedExtendedAttributes clear). Entries are written 4-byte aligned and linked by
 * NextEntryOffset; {@code information} is the unaligned end of the last one written.
 *
 * <p>Stateless; the per-handle cursor lives in {@link Win32Facade}.
 */
final class EaQuery {
    private EaQuery() {
    }

    /**
     * @param status      the NTSTATUS of the query
     * @param information IO_STATUS_BLOCK.Information: bytes of the output buffer that hold entries
     *                    (the offending EaList entry's offset for INVALID_EA_NAME)
     * @param nextIndex   for an index copy: the 1-based index of the next entry, which becomes the
     *                    handle's cursor when the status is a success or BUFFER_OVERFLOW
     */
    record Result(int status, int information, int nextIndex) {
    }

    /** NT_SUCCESS: informational and success codes (0x0…–0x7…), not warnings (0x8…) nor errors. */
    static boolean ntSuccess(int status) {
        return status >= 0;
    }

    /**
     * FspFsvolQueryEaGetCopy: for each name of the EaList in order, skipping a name equal (without
     * case) to an earlier one: an invalid name stops with INVALID_EA_NAME (Information = that
     * entry's offset in the list); the file's EA of that name is copied, or, when it has none, an
     * entry with Flags 0, the asked name and no value. An entry that does not fit ends the query
     * with BUFFER_OVERFLOW and Information 0, whatever was copied before. ReturnSingleEntry stops
     * after the first entry copied. The cursor is neither used nor changed.
     */
    static Result getCopy(List<FullEa> source, List<byte[]> names, byte[] dst, int dstLength, boolean single) {
        ByteBuffer out = ByteBuffer.wrap(dst).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        int prev = -1;
        int information = 0;
        int listOffset = 0;
        for (int i = 0; i < names.size(); i++) {
            byte[] name = names.get(i);
            int offsetInList = listOffset;
            listOffset += EaBuffers.alignUp(EaBuffers.GET_NAME_OFFSET + name.length + 1);
            boolean duplicate = false;
            for (int j = 0; j < i; j++) {
                duplicate |= EaBuffers.equalIgnoreCase(names.get(j), name);
            }
            if (duplicate) {
                continue;
            }
            if (!EaBuffers.nameIsValid(name)) {
                return new Result(NtStatus.INVALID_EA_NAME, offsetInList, 0);
            }
            FullEa src = null;
            for (FullEa e : source) {
                if (EaBuffers.equalIgnoreCase(e.name(), name)) {
                    src = e;
                    break;
                }
            }
            FullEa copy = src != null ? src : new FullEa(name, 0, new byte[0]);
            if (at + copy.size() > dstLength) {
                return new Result(NtStatus.BUFFER_OVERFLOW, 0, 0);
            }
            put(out, at, copy);
            if (prev >= 0) {
                out.putInt(prev, at - prev);
            }
            prev = at;
            information = at + copy.size();
            at += EaBuffers.alignUp(copy.size());
            if (single) {
                break;
            }
        }
        return new Result(NtStatus.SUCCESS, information, 0);
    }

    /**
     * FspFsvolQueryEaIndexCopy. {@code eaIndex} is 1-based (0 and 1 both mean "the first"); an
     * explicitly given index of 0 is NONEXISTENT_EA_ENTRY. Entries are copied from there while
     * they fit (one only with ReturnSingleEntry). When the first one does not fit:
     * BUFFER_TOO_SMALL. When some were copied and more remain (without ReturnSingleEntry):
     * BUFFER_OVERFLOW with the copied bytes, else SUCCESS. When none remain: with an explicit
     * index, NO_MORE_EAS if it is just past the last entry and NONEXISTENT_EA_ENTRY beyond;
     * without, NO_EAS_ON_FILE if the file has none and NO_MORE_EAS otherwise.
     */
    static Result indexCopy(List<FullEa> source, boolean indexSpecified, int eaIndex, byte[] dst, int dstLength,
                            boolean single) {
        if (indexSpecified && eaIndex == 0) {
            return new Result(NtStatus.NONEXISTENT_EA_ENTRY, 0, eaIndex);
        }
        int index = 1;
        int from = 0;
        while (index < Integer.toUnsignedLong(eaIndex) && from < source.size()) {
            index++;
            from++;
        }
        ByteBuffer out = ByteBuffer.wrap(dst).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        int prev = -1;
        int information = 0;
        int next = from;
        for (; next < source.size(); next++) {
            FullEa e = source.get(next);
            if (at + e.size() > dstLength) {
                if (prev >= 0) {
                    break;
                }
                return new Result(NtStatus.BUFFER_TOO_SMALL, 0, eaIndex);
            }
            put(out, at, e);
            if (prev >= 0) {
                out.putInt(prev, at - prev);
            }
            prev = at;
            information = at + e.size();
            at += EaBuffers.alignUp(e.size());
            index++;
            if (single) {
                next++;
                break;
            }
        }
        boolean more = next < source.size();
        if (prev >= 0) {
            return new Result(more && !single ? NtStatus.BUFFER_OVERFLOW : NtStatus.SUCCESS, information, index);
        }
        if (indexSpecified) {
            return new Result(eaIndex == index ? NtStatus.NO_MORE_EAS : NtStatus.NONEXISTENT_EA_ENTRY, 0, eaIndex);
        }
        return new Result(from == 0 ? NtStatus.NO_EAS_ON_FILE : NtStatus.NO_MORE_EAS, 0, eaIndex);
    }

    /** One entry at {@code at}, NextEntryOffset 0, the name upper-cased. */
    private static void put(ByteBuffer out, int at, FullEa e) {
        byte[] name = EaBuffers.upcase(e.name());
        out.putInt(at, 0);
        out.put(at + 4, (byte) e.flags());
        out.put(at + 5, (byte) name.length);
        out.putShort(at + 6, (short) e.value().length);
        out.put(at + EaBuffers.FULL_NAME_OFFSET, name);
        out.put(at + EaBuffers.FULL_NAME_OFFSET + name.length, (byte) 0);
        out.put(at + EaBuffers.FULL_NAME_OFFSET + name.length + 1, e.value());
    }
}
