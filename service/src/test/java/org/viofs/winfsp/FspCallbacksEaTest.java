package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.viofs.volume.Ea;
import org.viofs.volume.NtStatusException;

/**
 * Slots 27–30 (CreateEx, OverwriteEx, GetEa, SetEa; docs/winfsp-native.md §2) called as winfsp-x64.dll
 * calls them: EA lists built byte by byte in native memory, results read back at the offsets of
 * FILE_FULL_EA_INFORMATION, FSP_FSCTL_FILE_INFO (§1.3) and OPEN_FILE_INFO. Status values are the SDK
 * numbers (ntstatus.h), written out.
 */
class FspCallbacksEaTest {
    private static final int STATUS_SUCCESS = 0;
    private static final int STATUS_INVALID_EA_NAME = 0x80000013;
    private static final int STATUS_EA_LIST_INCONSISTENT = 0x80000014;
    private static final int STATUS_ACCESS_DENIED = 0xC0000022;
    private static final int STATUS_UNEXPECTED_IO_ERROR = 0xC00000E9;
    private static final int IO_REPARSE_TAG_SYMLINK = 0xA000000C;
    private static final int FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
    private static final int SENTINEL = 0xA5A5A5A5;
    private static final Pointer FS = new Pointer(0x1000);

    private static final Ea AB = new Ea("AB", 0, new byte[] {1, 2, 3});
    private static final Ea C = new Ea("C", 0x80, new byte[0]);
    /** AB then C as FILE_FULL_EA_INFORMATION: 14 bytes + 2 padding, then 10 bytes ending the list. */
    private static final byte[] AB_C = {
            16, 0, 0, 0, 0, 2, 3, 0, 'A', 'B', 0, 1, 2, 3, 0, 0,
            0, 0, 0, 0, (byte) 0x80, 1, 0, 0, 'C', 0};

    private FakeVolume volume;
    private FileContextTable contexts;
    private FspCallbacks cb;

    @BeforeEach
    void setUp() {
        volume = new FakeVolume();
        volume.eas = true;
        contexts = new FileContextTable();
        cb = new FspCallbacks(volume, contexts, new PortableInfoBuffer());
    }

    private static Memory filled(int size) {
        Memory m = new Memory(size);
        m.setMemory(0, size, (byte) 0xEE);
        return m;
    }

    private static Memory nativeBytes(byte[] b) {
        Memory m = filled(b.length + 16); // trailing bytes the callback must not read as EAs
        m.write(0, b, 0, b.length);
        return m;
    }

    private static Memory ulong(int initial) {
        Memory m = new Memory(8);
        m.setInt(0, initial);
        m.setInt(4, SENTINEL);
        return m;
    }

    /** An OPEN_FILE_INFO as the DLL hands it over without a normalized-name buffer. */
    private static Memory openFileInfo() {
        Memory info = filled(88);
        info.setPointer(72, null);
        info.setShort(80, (short) 0);
        return info;
    }

    private Pointer openFile() {
        Memory pContext = filled(16);
        assertEquals(STATUS_SUCCESS, cb.open.invoke(FS, Utf16.toNative(FakeVolume.FILE), 1, 0x120089, pContext,
                openFileInfo()));
        return new Pointer(pContext.getLong(0));
    }

    // ---- the table and the flag -----------------------------------------------------------------

    @Test
    void theEaSlotsSitAt216To240() {
        Pointer t = cb.table();
        assertEquals(216, 8 * FspInterface.SLOT_CREATE_EX);
        assertEquals(224, 8 * FspInterface.SLOT_OVERWRITE_EX);
        assertEquals(232, 8 * FspInterface.SLOT_GET_EA);
        assertEquals(240, 8 * FspInterface.SLOT_SET_EA);
        assertEquals(CallbackReference.getFunctionPointer(cb.createEx), t.getPointer(216));
        assertEquals(CallbackReference.getFunctionPointer(cb.overwriteEx), t.getPointer(224));
        assertEquals(CallbackReference.getFunctionPointer(cb.getEa), t.getPointer(232));
        assertEquals(CallbackReference.getFunctionPointer(cb.setEa), t.getPointer(240));
        assertNotNull(t.getPointer(24), "Create stays; CreateEx takes precedence in the DLL");
        assertNotNull(t.getPointer(40), "Overwrite stays");
        for (int slot = 31; slot < 64; slot++) {
            assertNull(t.getPointer(8L * slot), "slot " + slot);
        }
        assertTrue(cb.extendedAttributes());
        assertEquals(List.of(27, 28, 29, 30), cb.implementedSlots().subList(cb.implementedSlots().size() - 4,
                cb.implementedSlots().size()));
    }

    @Test
    void aVolumeWithoutEasGetsNeitherSlotsNorFlag() {
        FspCallbacks plain = new FspCallbacks(new FakeVolume(), new FileContextTable(), new PortableInfoBuffer());
        for (int slot = 27; slot <= 30; slot++) {
            assertNull(plain.table().getPointer(8L * slot), "slot " + slot);
        }
        assertFalse(plain.extendedAttributes());
        MountOptions o = MountOptions.builder().build();
        assertEquals(0, VolumeParamsBuilder.build(o, 1L, plain.extendedAttributes()).getPointer().getInt(36) & 0x100,
                "ExtendedAttributes is bit 8 of the flags word at 36");
        assertEquals(0x100, VolumeParamsBuilder.build(o, 1L, cb.extendedAttributes()).getPointer().getInt(36) & 0x100);
    }

    // ---- CreateEx (slot 27) ---------------------------------------------------------------------

    @Test
    void createExDecodesTheEaBufferForTheVolume() {
        Memory pContext = filled(16);
        Memory info = openFileInfo();
        int status = cb.createEx.invoke(FS, Utf16.toNative("\\dir\\new"), 0, 0x12019F, 0x80, null, 0L,
                nativeBytes(AB_C), AB_C.length, (byte) 0, pContext, info);
        assertEquals(STATUS_SUCCESS, status);
        assertEquals(List.of("createWithEas \\dir\\new [AB, C]"), volume.calls);
        assertEquals(List.of(AB, C), volume.lastEas);
        assertNotEquals(0, pContext.getLong(0), "*PFileContext set");
        assertEquals(1, contexts.size());
        assertEquals(10 + 6, info.getInt(68), "EaSize @68: 5+2+3 and 5+1+0");
    }

    @Test
    void createExWithoutExtraBufferIsCreateWithNoEas() {
        int status = cb.createEx.invoke(FS, Utf16.toNative("\\dir\\new"), 0, 0x12019F, 0x80, null, 0L, null, 0,
                (byte) 0, filled(16), openFileInfo());
        assertEquals(STATUS_SUCCESS, status);
        assertEquals(List.of("createWithEas \\dir\\new []"), volume.calls);
        assertEquals(List.of(), volume.lastEas);
    }

    @Test
    void createExRefusesAMalformedListBeforeTheVolumeSeesIt() {
        byte[] bad = AB_C.clone();
        bad[0] = 18; // NextEntryOffset not a multiple of 4
        Memory pContext = filled(16);
        int status = cb.createEx.invoke(FS, Utf16.toNative("\\dir\\new"), 0, 0x12019F, 0x80, null, 0L,
                nativeBytes(bad), bad.length, (byte) 0, pContext, openFileInfo());
        assertEquals(STATUS_EA_LIST_INCONSISTENT, status);
        assertEquals(List.of(), volume.calls);
        assertEquals(0xEEEEEEEEEEEEEEEEL, pContext.getLong(0), "*PFileContext untouched");
    }

    /** A symlink REPARSE_DATA_BUFFER head: tag, data length, reserved (winnt.h). */
    private static byte[] symlinkReparseData() {
        return new byte[] {0x0C, 0, 0, (byte) 0xA0, 4, 0, 0, 0, 1, 2, 3, 4};
    }

    @Test
    void createExWithReparseDataCreatesThenSetsTheReparsePoint() {
        byte[] data = symlinkReparseData();
        Memory pContext = filled(16);
        Memory info = openFileInfo();
        int status = cb.createEx.invoke(FS, Utf16.toNative("\\dir\\link"), 0, 0x12019F, 0x80, null, 0L,
                nativeBytes(data), data.length, (byte) 1, pContext, info);
        assertEquals(STATUS_SUCCESS, status);
        assertEquals(List.of("create \\dir\\link 0 12019f 80 sd=-1 0",
                "setReparsePoint Ctx[name=\\dir\\link] \\dir\\link 12",
                "getFileInfo Ctx[name=\\dir\\link]"), volume.calls);
        assertArrayEquals(data, volume.lastReparse);
        assertEquals(0x20 | FILE_ATTRIBUTE_REPARSE_POINT, info.getInt(0), "FileAttributes @0 as it is now");
        assertEquals(IO_REPARSE_TAG_SYMLINK, info.getInt(4), "ReparseTag @4");
        assertEquals(1, contexts.size());
    }

    @Test
    void aFailedReparsePointRemovesTheNewFileAndReportsTheFailure() {
        volume.reparseFailure = new NtStatusException(STATUS_ACCESS_DENIED, "no");
        byte[] data = symlinkReparseData();
        Memory pContext = filled(16);
        int status = cb.createEx.invoke(FS, Utf16.toNative("\\dir\\link"), 0, 0x12019F, 0x80, null, 0L,
                nativeBytes(data), data.length, (byte) 1, pContext, openFileInfo());
        assertEquals(STATUS_ACCESS_DENIED, status);
        assertEquals(List.of("create \\dir\\link 0 12019f 80 sd=-1 0",
                "setReparsePoint Ctx[name=\\dir\\link] \\dir\\link 12",
                "cleanup Ctx[name=\\dir\\link] \\dir\\link 1", // CleanupFlags.DELETE
                "close Ctx[name=\\dir\\link]"), volume.calls);
        assertEquals(0, contexts.size(), "no FileContext handed to WinFsp");
        assertEquals(0xEEEEEEEEEEEEEEEEL, pContext.getLong(0));
    }

    // ---- OverwriteEx (slot 28) ------------------------------------------------------------------

    @Test
    void overwriteExWithoutEasRemovesThemAll() {
        Pointer fc = openFile();
        volume.storedEas.add(AB);
        Memory fi = filled(72);
        assertEquals(STATUS_SUCCESS, cb.overwriteEx.invoke(FS, fc, 0x20, (byte) 1, 0L, null, 0, fi));
        assertEquals("overwriteWithEas Ctx[name=\\dir\\file.txt] 20 true 0 []", volume.calls.get(1));
        assertEquals(0x20, fi.getInt(0), "FileAttributes @0");
        assertEquals(0, fi.getInt(68), "EaSize @68");
        assertEquals(77, fi.getLong(56), "IndexNumber @56");
    }

    @Test
    void overwriteExPassesTheNewList() {
        Pointer fc = openFile();
        Memory fi = filled(72);
        assertEquals(STATUS_SUCCESS, cb.overwriteEx.invoke(FS, fc, 0x80, (byte) 0, 4096L, nativeBytes(AB_C),
                AB_C.length, fi));
        assertEquals("overwriteWithEas Ctx[name=\\dir\\file.txt] 80 false 4096 [AB, C]", volume.calls.get(1));
        assertEquals(16, fi.getInt(68));
    }

    // ---- GetEa (slot 29) ------------------------------------------------------------------------

    @Test
    void getEaPacksIntoTheCallersBufferAndWritesAFourByteCount() {
        Pointer fc = openFile();
        volume.storedEas.addAll(List.of(AB, C));
        Memory ea = filled(64);
        Memory n = ulong(0); // FspFileSystemOpQueryEa starts BytesTransferred at 0
        assertEquals(STATUS_SUCCESS, cb.getEa.invoke(FS, fc, ea, 64, n));
        assertEquals(26, n.getInt(0));
        assertEquals(SENTINEL, n.getInt(4), "PULONG is 4 bytes");
        assertArrayEquals(AB_C, ea.getByteArray(0, 26));
        assertEquals((byte) 0xEE, ea.getByte(26), "nothing past the list");
    }

    @Test
    void getEaIntoATooSmallBufferReturnsWhatFitWithoutAnEndMarker() {
        Pointer fc = openFile();
        volume.storedEas.addAll(List.of(AB, C));
        Memory ea = filled(32);
        Memory n = ulong(0);
        assertEquals(STATUS_SUCCESS, cb.getEa.invoke(FS, fc, ea, 20, n), "as memfs: success with what fit");
        assertEquals(14, n.getInt(0));
        assertEquals(16, ea.getInt(0), "NextEntryOffset of the first entry not zeroed: AddEa(NULL) not called");
        assertEquals((byte) 0xEE, ea.getByte(14), "the refused entry wrote nothing, not even padding");
    }

    @Test
    void getEaOfAFileWithoutEas() {
        Pointer fc = openFile();
        Memory n = ulong(0);
        assertEquals(STATUS_SUCCESS, cb.getEa.invoke(FS, fc, filled(16), 16, n));
        assertEquals(0, n.getInt(0));
    }

    // ---- SetEa (slot 30) ------------------------------------------------------------------------

    @Test
    void setEaAppliesTheListAndWritesFileInfoBack() {
        Pointer fc = openFile();
        byte[] ab = java.util.Arrays.copyOf(AB_C, 14);
        ab[0] = 0; // a single entry ends the list
        Memory fi = filled(72);
        assertEquals(STATUS_SUCCESS, cb.setEa.invoke(FS, fc, nativeBytes(ab), ab.length, fi));
        assertEquals("setEa Ctx[name=\\dir\\file.txt] [AB]", volume.calls.get(1));
        assertEquals(List.of(AB), volume.storedEas);
        assertEquals(0x20, fi.getInt(0), "FileAttributes @0");
        assertEquals(11, fi.getLong(16), "FileSize @16");
        assertEquals(10, fi.getInt(68), "EaSize @68 = 5 + 2 + 3");
    }

    @Test
    void setEaRefusesAMalformedList() {
        Pointer fc = openFile();
        Memory fi = filled(72);
        assertEquals(STATUS_EA_LIST_INCONSISTENT, cb.setEa.invoke(FS, fc, nativeBytes(AB_C), 20, fi));
        assertEquals(1, volume.calls.size(), "only the open");
        assertEquals(0xEEEEEEEE, fi.getInt(0), "FileInfo untouched");
    }

    // ---- a volume that throws -------------------------------------------------------------------

    @Test
    void aVolumeStatusIsReturnedAndABugBecomesUnexpectedIoError() {
        Pointer fc = openFile();
        volume.failure = new NtStatusException(STATUS_INVALID_EA_NAME, "bad name");
        assertEquals(STATUS_INVALID_EA_NAME, cb.setEa.invoke(FS, fc, nativeBytes(AB_C), AB_C.length, filled(72)));

        volume.failure = new IllegalStateException("bug");
        Memory n = ulong(0);
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.getEa.invoke(FS, fc, filled(64), 64, n));
        assertEquals(0, n.getInt(0), "count untouched");
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.overwriteEx.invoke(FS, fc, 0, (byte) 0, 0L, null, 0, filled(72)));
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.createEx.invoke(FS, Utf16.toNative("\\x"), 0, 0, 0, null, 0L,
                null, 0, (byte) 0, filled(16), openFileInfo()));

        volume.failure = new OutOfMemoryError("an Error, not an Exception");
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.setEa.invoke(FS, fc, null, 0, filled(72)));
    }

    @Test
    void anEaTheFormatCannotHoldIsABug() {
        Pointer fc = openFile();
        volume.storedEas.add(new Ea("N".repeat(256), 0, new byte[1]));
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.getEa.invoke(FS, fc, filled(512), 512, ulong(0)));
    }
}
