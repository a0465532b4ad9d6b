package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.viofs.volume.Ea;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;

/**
 * FILE_FULL_EA_INFORMATION lists: the layout read back from the mingw-w64 headers, packing as WinFsp's
 * FspFileSystemAddEa (src/dll/fsop.c) does, and every malformed-list branch of decoding. Expected
 * bytes are written out by hand, never produced by the code under test.
 */
class FullEaInformationTest {
    private static final int STATUS_EA_LIST_INCONSISTENT = 0x80000014;

    /** "AB" = {1,2,3}: 8 + 2 + NUL + 3 = 14 bytes, NextEntryOffset 16. */
    private static final Ea AB = new Ea("AB", 0, new byte[] {1, 2, 3});
    /** "C" (FILE_NEED_EA) with an empty value: 8 + 1 + NUL = 10 bytes. */
    private static final Ea C = new Ea("C", 0x80, new byte[0]);

    /** The two of them as FspFileSystemAddEa + the end marker leave them (padding zeroed). */
    private static final byte[] AB_C = {
            16, 0, 0, 0, 0, 2, 3, 0, 'A', 'B', 0, 1, 2, 3, 0, 0,
            0, 0, 0, 0, (byte) 0x80, 1, 0, 0, 'C', 0};

    private static void assertInconsistent(byte[] list) {
        NtStatusException e = assertThrows(NtStatusException.class, () -> FullEaInformation.decode(ByteBuffer.wrap(list)));
        assertEquals(STATUS_EA_LIST_INCONSISTENT, e.status(), "expected STATUS_EA_LIST_INCONSISTENT: " + e.getMessage());
    }

    private static byte[] withInt(byte[] list, int at, int value) {
        byte[] copy = list.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return copy;
    }

    @Test
    void layoutAndConstantsAreTheHeaders() {
        // mingw-w64 ddk/wdm.h _FILE_FULL_EA_INFORMATION compiled for x86_64: 0, 4, 5, 6, 8 (sizeof 12)
        assertEquals(0, FullEaInformation.NEXT_ENTRY_OFFSET);
        assertEquals(4, FullEaInformation.FLAGS);
        assertEquals(5, FullEaInformation.EA_NAME_LENGTH);
        assertEquals(6, FullEaInformation.EA_VALUE_LENGTH);
        assertEquals(8, FullEaInformation.EA_NAME);
        assertEquals(4, FullEaInformation.ALIGNMENT, "FSP_FSCTL_ALIGN_UP(…, sizeof(ULONG))");
        assertEquals(0x80, Ea.FILE_NEED_EA, "ddk/ntifs.h FILE_NEED_EA");
        assertEquals(STATUS_EA_LIST_INCONSISTENT, NtStatus.EA_LIST_INCONSISTENT, "ntstatus.h");
        assertEquals(14, FullEaInformation.entrySize(AB));
    }

    @Test
    void packsLikeAddEaThenTheEndMarker() {
        ByteBuffer b = ByteBuffer.allocate(40);
        Arrays.fill(b.array(), (byte) 0xEE);
        FullEaInformation.Packed p = FullEaInformation.pack(List.of(AB, C), b);
        assertTrue(p.complete());
        assertEquals(26, p.bytesTransferred(), "the unrounded end of the last entry");
        assertArrayEquals(AB_C, Arrays.copyOf(b.array(), 26));
        assertEquals((byte) 0xEE, b.get(26), "nothing written past the list");
    }

    @Test
    void addStartsAtTheCountRoundedUpToFourAndRefusesWhatDoesNotFit() {
        ByteBuffer b = ByteBuffer.allocate(26);
        assertEquals(14, FullEaInformation.add(AB, b, 0));
        assertEquals(16, b.order(ByteOrder.LITTLE_ENDIAN).getInt(0), "NextEntryOffset = 14 rounded up to 4");
        b.put(14, (byte) 0x55).put(15, (byte) 0x55);
        assertEquals(26, FullEaInformation.add(C, b, 14), "starts at 16; fits exactly");
        assertEquals(0, b.get(14), "padding zeroed");

        ByteBuffer small = ByteBuffer.allocate(25);
        FullEaInformation.add(AB, small, 0);
        byte[] before = small.array().clone();
        assertEquals(-1, FullEaInformation.add(C, small, 14), "16 + 10 > 25");
        assertArrayEquals(before, small.array(), "a refused entry writes nothing, not even padding");
    }

    @Test
    void theEndMarkerZeroesTheLastOffsetAndKeepsTheCount() {
        ByteBuffer b = ByteBuffer.allocate(32);
        int n = FullEaInformation.add(AB, b, 0);
        n = FullEaInformation.add(C, b, n);
        FullEaInformation.end(b, n);
        assertEquals(16, b.order(ByteOrder.LITTLE_ENDIAN).getInt(0), "first entry still links to the second");
        assertEquals(0, b.getInt(16), "last entry ends the list");

        ByteBuffer empty = ByteBuffer.allocate(8);
        Arrays.fill(empty.array(), (byte) 7);
        FullEaInformation.end(empty, 0);
        assertEquals(7, empty.get(0), "no entry, nothing to terminate");
    }

    @Test
    void aBufferTooSmallKeepsWhatFitAndHasNoEndMarker() {
        ByteBuffer b = ByteBuffer.allocate(20);
        FullEaInformation.Packed p = FullEaInformation.pack(List.of(AB, C), b);
        assertFalse(p.complete());
        assertEquals(14, p.bytesTransferred());
        assertEquals(16, b.order(ByteOrder.LITTLE_ENDIAN).getInt(0), "AddEa(NULL) was not called");

        FullEaInformation.Packed none = FullEaInformation.pack(List.of(AB), ByteBuffer.allocate(13));
        assertEquals(new FullEaInformation.Packed(0, false), none);
    }

    @Test
    void decodesWhatWasPackedAndNamesKeepTheirBytes() {
        Ea latin = new Ea("\u00e9t\u00e9", 0, new byte[] {9});
        byte[] bytes = FullEaInformation.encode(List.of(AB, C, latin));
        assertEquals(List.of(AB, C, latin), FullEaInformation.decode(ByteBuffer.wrap(bytes)));
        assertEquals(List.of(AB, C), FullEaInformation.decode(ByteBuffer.wrap(AB_C)));
        assertEquals(List.of(), FullEaInformation.decode(ByteBuffer.allocate(0)));
    }

    @Test
    void aGapBetweenEntriesAndBytesAfterTheLastAreAccepted() {
        byte[] gap = new byte[32];
        System.arraycopy(AB_C, 0, gap, 0, 16);
        System.arraycopy(AB_C, 16, gap, 20, 10);
        gap[0] = 20;
        assertEquals(List.of(AB, C), FullEaInformation.decode(ByteBuffer.wrap(gap)));
    }

    @Test
    void everyMalformedListIsInconsistent() {
        assertInconsistent(Arrays.copyOf(AB_C, 7)); // header cut
        assertInconsistent(Arrays.copyOf(AB_C, 10)); // name's NUL past the end
        assertInconsistent(Arrays.copyOf(AB_C, 13)); // value past the end
        byte[] noNul = AB_C.clone();
        noNul[10] = 'X';
        assertInconsistent(noNul);
        byte[] longName = AB_C.clone();
        longName[5] = (byte) 200;
        assertInconsistent(longName);
        byte[] longValue = AB_C.clone();
        longValue[6] = 100;
        assertInconsistent(longValue);
        assertInconsistent(withInt(AB_C, 0, 18)); // not a multiple of 4
        assertInconsistent(withInt(AB_C, 0, 12)); // into its own 14-byte entry
        assertInconsistent(withInt(AB_C, 0, 1000)); // out of range
        assertInconsistent(withInt(AB_C, 0, 0xFFFFFFFC)); // -4 as a signed offset: backwards
        assertInconsistent(withInt(AB_C, 0, 24)); // 24 + 8 > 26: no room for the next header
        assertInconsistent(withInt(AB_C, 16, 12)); // second entry links on past the end
    }

    @Test
    void nativeDecodingReadsOnlyTheGivenLength() {
        Memory m = new Memory(64);
        m.clear();
        m.write(0, AB_C, 0, AB_C.length);
        assertEquals(List.of(AB, C), FullEaInformation.decode(m, AB_C.length));
        NtStatusException e = assertThrows(NtStatusException.class, () -> FullEaInformation.decode(m, 20));
        assertEquals(STATUS_EA_LIST_INCONSISTENT, e.status(), "the second header lies past the 20 given bytes");
        assertEquals(List.of(), FullEaInformation.decode(null, 100), "NULL buffer");
        assertEquals(List.of(), FullEaInformation.decode(m, 0), "length 0");
    }

    @Test
    void nativePackingWritesIntoTheCallersMemory() {
        Memory m = new Memory(32);
        m.setMemory(0, 32, (byte) 0xEE);
        FullEaInformation.Packed p = FullEaInformation.pack(List.of(AB, C), m, 32);
        assertEquals(new FullEaInformation.Packed(26, true), p);
        assertArrayEquals(AB_C, m.getByteArray(0, 26));
        assertEquals((byte) 0xEE, m.getByte(26));
    }

    @Test
    void eaRecordsOutsideTheFormatAreRefused() {
        ByteBuffer b = ByteBuffer.allocate(1 << 17);
        assertThrows(IllegalArgumentException.class, () -> FullEaInformation.add(new Ea("", 0, new byte[1]), b, 0));
        assertThrows(IllegalArgumentException.class,
                () -> FullEaInformation.add(new Ea("N".repeat(256), 0, new byte[1]), b, 0));
        assertThrows(IllegalArgumentException.class, () -> FullEaInformation.add(new Ea("\u0100", 0, new byte[1]), b, 0));
        assertThrows(IllegalArgumentException.class, () -> FullEaInformation.add(new Ea("V", 0, new byte[65536]), b, 0));
        assertEquals(8 + 255 + 1 + 65535, FullEaInformation.add(new Ea("N".repeat(255), 0, new byte[65535]), b, 0),
                "the largest entry the UCHAR and USHORT allow");
    }
}
