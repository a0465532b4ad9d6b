package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.viofs.conformance.EaBuffers.FullEa;
import org.viofs.volume.NtStatus;

/**
 * The FSD's NtQueryEaFile filtering ({@link EaQuery}, after src/sys/ea.c) and the EA list
 * layouts ({@link EaBuffers}), against byte images written by hand from the wdm.h layouts:
 * FILE_FULL_EA_INFORMATION is NextEntryOffset(4) Flags(1) EaNameLength(1) EaValueLength(2)
 * name NUL value, entries 4-byte aligned.
 */
class EaQueryTest {
    private static final FullEa A = FullEa.of("Aname1", 0, "first");
    private static final FullEa B = FullEa.of("bnameTwo", 0x80, "second");

    /** ANAME1=first at 0 (20 bytes, next 20), BNAMETWO=second with FILE_NEED_EA at 20 (23 bytes, last). */
    private static final byte[] BOTH = hex("14000000 00 06 0500 414e414d4531 00 6669727374"
            + "00000000 80 08 0600 424e414d4554574f 00 7365636f6e64");
    /** ANAME1 alone: the first 20 bytes of BOTH with NextEntryOffset 0. */
    private static final byte[] A_ALONE = hex("00000000 00 06 0500 414e414d4531 00 6669727374");

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] head(byte[] b, int n) {
        return Arrays.copyOf(b, n);
    }

    @Test
    void aFullListIsPackedAsFspFileSystemAddEaPacksIt() {
        byte[] packed = EaBuffers.full(List.of(A, B));
        // the names keep their case here: upper-casing is the FSD's, on the way out
        byte[] expected = BOTH.clone();
        System.arraycopy("Aname1".getBytes(), 0, expected, 8, 6);
        System.arraycopy("bnameTwo".getBytes(), 0, expected, 28, 8);
        assertArrayEquals(expected, packed);
        assertEquals(43, packed.length, "the unaligned end of the last entry");
    }

    @Test
    void aGetListIsPackedAsEaTestsAddGetEa() {
        // "bnameTwo": 5 + 8 + 1 = 14 bytes, next 16; "nonexistent": 5 + 11 + 1 = 17, last
        assertArrayEquals(hex("10000000 08 626e616d6554776f 00 0000"
                + "00000000 0b 6e6f6e6578697374656e74 00"), EaBuffers.get(List.of("bnameTwo", "nonexistent")));
    }

    @Test
    void anIndexCopyFromTheStartReturnsEveryEntryUpperCasedAndLinked() {
        byte[] out = new byte[512];
        EaQuery.Result r = EaQuery.indexCopy(List.of(A, B), false, 0, out, out.length, false);
        assertEquals(new EaQuery.Result(NtStatus.SUCCESS, 43, 3), r);
        assertArrayEquals(BOTH, head(out, 43));
    }

    @Test
    void anExplicitIndexIsOneBasedAndZeroIsNoEntry() {
        byte[] out = new byte[512];
        EaQuery.Result r = EaQuery.indexCopy(List.of(A, B), true, 2, out, out.length, false);
        assertEquals(new EaQuery.Result(NtStatus.SUCCESS, 23, 3), r);
        assertArrayEquals(Arrays.copyOfRange(BOTH, 20, 43), head(out, 23));
        assertEquals(NtStatus.NONEXISTENT_EA_ENTRY, EaQuery.indexCopy(List.of(A, B), true, 0, out, 512, false).status());
        assertEquals(NtStatus.NO_MORE_EAS, EaQuery.indexCopy(List.of(A, B), true, 3, out, 512, false).status());
        assertEquals(NtStatus.NONEXISTENT_EA_ENTRY, EaQuery.indexCopy(List.of(A, B), true, 4, out, 512, false).status());
    }

    @Test
    void theCursorPastTheEndIsNoMoreEasAndAFileWithoutEasSaysSo() {
        byte[] out = new byte[512];
        assertEquals(NtStatus.NO_MORE_EAS, EaQuery.indexCopy(List.of(A, B), false, 3, out, 512, false).status());
        assertEquals(NtStatus.NO_EAS_ON_FILE, EaQuery.indexCopy(List.of(), false, 0, out, 512, false).status());
    }

    @Test
    void returnSingleEntryStopsAfterOneWithSuccessNotOverflow() {
        byte[] out = new byte[512];
        EaQuery.Result r = EaQuery.indexCopy(List.of(A, B), false, 0, out, out.length, true);
        assertEquals(new EaQuery.Result(NtStatus.SUCCESS, 20, 2), r);
        assertArrayEquals(A_ALONE, head(out, 20));
    }

    @Test
    void aBufferShortOfTheFirstEntryIsTooSmallAndShortOfALaterOneOverflows() {
        byte[] out = new byte[512];
        EaQuery.Result small = EaQuery.indexCopy(List.of(A, B), false, 0, out, 19, false);
        assertEquals(new EaQuery.Result(NtStatus.BUFFER_TOO_SMALL, 0, 0), small);
        EaQuery.Result overflow = EaQuery.indexCopy(List.of(A, B), false, 0, out, 42, false);
        // the entries that fitted are returned and the cursor moves past them only
        assertEquals(new EaQuery.Result(NtStatus.BUFFER_OVERFLOW, 20, 2), overflow);
        assertArrayEquals(A_ALONE, head(out, 20));
    }

    @Test
    void anEaListNameTheFileLacksComesBackEmptyWithFlagsZero() {
        byte[] out = new byte[512];
        EaQuery.Result r = EaQuery.getCopy(List.of(A, B), List.of("nonexistent".getBytes()), out, out.length, false);
        assertEquals(new EaQuery.Result(NtStatus.SUCCESS, 20, 0), r);
        assertArrayEquals(hex("00000000 00 0b 0000 4e4f4e4558495354454e54 00"), head(out, 20));
    }

    @Test
    void anEaListIsAnsweredInItsOrderWithoutCaseAndWithoutDuplicates() {
        byte[] out = new byte[512];
        EaQuery.Result r = EaQuery.getCopy(List.of(A, B),
                List.of("BNAMEtwo".getBytes(), "aname1".getBytes(), "bnametwo".getBytes()), out, out.length, false);
        // BNAMETWO (23 bytes, next 24) then ANAME1 (20 bytes): information 44
        assertEquals(new EaQuery.Result(NtStatus.SUCCESS, 44, 0), r);
        byte[] expected = new byte[44];
        System.arraycopy(BOTH, 20, expected, 0, 23);
        expected[0] = 24;
        System.arraycopy(A_ALONE, 0, expected, 24, 20);
        assertArrayEquals(expected, head(out, 44));
    }

    @Test
    void anEaListThatDoesNotFitOverflowsWithNothingReturned() {
        byte[] out = new byte[512];
        EaQuery.Result r = EaQuery.getCopy(List.of(A, B), List.of("Aname1".getBytes(), "bnameTwo".getBytes()), out, 25,
                false);
        assertEquals(new EaQuery.Result(NtStatus.BUFFER_OVERFLOW, 0, 0), r);
    }

    @Test
    void anInvalidEaListNameStopsTheQueryAtItsOffsetInTheList() {
        byte[] out = new byte[512];
        EaQuery.Result r = EaQuery.getCopy(List.of(A, B), List.of("bnameTwo".getBytes(), "bnameTwo*".getBytes()), out,
                out.length, false);
        // the second entry starts at align(5 + 8 + 1) = 16
        assertEquals(new EaQuery.Result(NtStatus.INVALID_EA_NAME, 16, 0), r);
    }

    @Test
    void eaNamesAreFatNamesWithoutWildcards() {
        for (char c : "\"*+,/:;<=>?[\\]|\u0001\u001f".toCharArray()) {
            assertFalse(EaBuffers.nameIsValid(new byte[] {'a', (byte) c}), "0x" + Integer.toHexString(c));
        }
        assertFalse(EaBuffers.nameIsValid(new byte[0]));
        assertFalse(EaBuffers.nameIsValid(new byte[255]));
        byte[] max = new byte[254];
        Arrays.fill(max, (byte) 'A');
        assertTrue(EaBuffers.nameIsValid(max));
        assertTrue(EaBuffers.nameIsValid("$LXUID .-_~!#%&'()@^`{}".getBytes()));
        assertTrue(EaBuffers.nameIsValid(new byte[] {(byte) 0xE9}), "bytes from 0x80 up are legal");
    }

    @Test
    void ioCheckEaBufferValidityWantsExactAlignedOffsetsAndNulTerminatedNames() {
        assertTrue(EaBuffers.checkFull(BOTH, BOTH.length).ok());
        byte[] misaligned = BOTH.clone();
        misaligned[0] = 21;
        assertEquals(new EaBuffers.Check(NtStatus.EA_LIST_INCONSISTENT, 0), EaBuffers.checkFull(misaligned, 43));
        byte[] noNul = BOTH.clone();
        noNul[20 + 8 + 8] = 'x';
        assertEquals(new EaBuffers.Check(NtStatus.EA_LIST_INCONSISTENT, 20), EaBuffers.checkFull(noNul, 43));
        assertEquals(NtStatus.EA_LIST_INCONSISTENT, EaBuffers.checkFull(BOTH, 42).status(), "value cut short");
        byte[] bad = EaBuffers.full(List.of(A, FullEa.of("b*", 0, "x")));
        assertEquals(new EaBuffers.Check(NtStatus.INVALID_EA_NAME, 20), EaBuffers.validateFromCaller(bad, bad.length));
    }
}
