package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.viofs.volume.DirInfo;
import org.viofs.volume.FileInfo;
import org.viofs.volume.NtStatusException;

/**
 * The trampolines called the way winfsp-x64.dll calls them: native memory allocated here, pointers
 * passed in, and what the callback wrote read back at the offsets of docs/winfsp-native.md. Status values
 * are the SDK numbers (ntstatus.h), written out.
 */
class FspCallbacksTest {
    private static final int STATUS_SUCCESS = 0;
    private static final int STATUS_REPARSE = 0x00000104;
    private static final int STATUS_BUFFER_OVERFLOW = 0x80000005;
    private static final int STATUS_INVALID_HANDLE = 0xC0000008;
    private static final int STATUS_END_OF_FILE = 0xC0000011;
    private static final int STATUS_ACCESS_DENIED = 0xC0000022;
    private static final int STATUS_BUFFER_TOO_SMALL = 0xC0000023;
    private static final int STATUS_OBJECT_NAME_NOT_FOUND = 0xC0000034;
    private static final int STATUS_UNEXPECTED_IO_ERROR = 0xC00000E9;
    private static final int SENTINEL = 0xA5A5A5A5;
    private static final Pointer FS = new Pointer(0x1000);

    private FakeVolume volume;
    private FileContextTable contexts;
    private FspCallbacks cb;

    @BeforeEach
    void setUp() {
        volume = new FakeVolume();
        contexts = new FileContextTable();
        cb = new FspCallbacks(volume, contexts, new PortableInfoBuffer());
    }

    /** A PULONG: 4 bytes for the value, then a 4-byte sentinel that must survive. */
    private static Memory ulong(int initial) {
        Memory m = new Memory(8);
        m.setInt(0, initial);
        m.setInt(4, SENTINEL);
        return m;
    }

    /** A SIZE_T*: 8 bytes, then a sentinel. */
    private static Memory sizeT(long initial) {
        Memory m = new Memory(16);
        m.setLong(0, initial);
        m.setInt(8, SENTINEL);
        return m;
    }

    private static Memory filled(int size) {
        Memory m = new Memory(size);
        m.setMemory(0, size, (byte) 0xEE);
        return m;
    }

    private static Memory w(String s) {
        return Utf16.toNative(s);
    }

    /** Opens FakeVolume.FILE and returns the FileContext pointer WinFsp would pass back. */
    private Pointer openFile() {
        Memory pContext = filled(16);
        Memory info = openFileInfo(0);
        assertEquals(STATUS_SUCCESS, cb.open.invoke(FS, w(FakeVolume.FILE), 1, 0x120089, pContext, info));
        return new Pointer(pContext.getLong(0));
    }

    /** An OPEN_FILE_INFO as the DLL prepares it: NormalizedName buffer + its capacity at 80. */
    private static Memory openFileInfo(int nameCapacity) {
        Memory info = filled(88);
        if (nameCapacity > 0) {
            Memory name = filled(nameCapacity);
            info.setPointer(72, name);
            info.setShort(80, (short) nameCapacity);
            KEEP.add(name);
        } else {
            info.setPointer(72, null);
            info.setShort(80, (short) 0);
        }
        return info;
    }

    private static final List<Memory> KEEP = new java.util.ArrayList<>();

    private static void assertFileInfo(Pointer p, long base) {
        assertEquals(0x20, p.getInt(base), "FileAttributes @0");
        assertEquals(4096, p.getLong(base + 8), "AllocationSize @8");
        assertEquals(11, p.getLong(base + 16), "FileSize @16");
        assertEquals(1, p.getLong(base + 24), "CreationTime @24");
        assertEquals(3, p.getLong(base + 40), "LastWriteTime @40");
        assertEquals(77, p.getLong(base + 56), "IndexNumber @56");
        assertEquals(1, p.getInt(base + 64), "HardLinks @64");
    }

    // ---- the table ----------------------------------------------------------------------------

    @Test
    void eachCallbackSitsInItsSlot() {
        Pointer t = cb.table();
        assertEquals(CallbackReference.getFunctionPointer(cb.getVolumeInfo), t.getPointer(0));
        assertEquals(CallbackReference.getFunctionPointer(cb.getSecurityByName), t.getPointer(16));
        assertEquals(CallbackReference.getFunctionPointer(cb.create), t.getPointer(24));
        assertEquals(CallbackReference.getFunctionPointer(cb.open), t.getPointer(32));
        assertEquals(CallbackReference.getFunctionPointer(cb.overwrite), t.getPointer(40));
        assertEquals(CallbackReference.getFunctionPointer(cb.cleanup), t.getPointer(48));
        assertEquals(CallbackReference.getFunctionPointer(cb.close), t.getPointer(56));
        assertEquals(CallbackReference.getFunctionPointer(cb.read), t.getPointer(64));
        assertEquals(CallbackReference.getFunctionPointer(cb.write), t.getPointer(72));
        assertEquals(CallbackReference.getFunctionPointer(cb.flush), t.getPointer(80));
        assertEquals(CallbackReference.getFunctionPointer(cb.getFileInfo), t.getPointer(88));
        assertEquals(CallbackReference.getFunctionPointer(cb.setBasicInfo), t.getPointer(96));
        assertEquals(CallbackReference.getFunctionPointer(cb.setFileSize), t.getPointer(104));
        assertEquals(CallbackReference.getFunctionPointer(cb.canDelete), t.getPointer(112));
        assertEquals(CallbackReference.getFunctionPointer(cb.rename), t.getPointer(120));
        assertEquals(CallbackReference.getFunctionPointer(cb.getSecurity), t.getPointer(128));
        assertEquals(CallbackReference.getFunctionPointer(cb.setSecurity), t.getPointer(136));
        assertEquals(CallbackReference.getFunctionPointer(cb.readDirectory), t.getPointer(144));
        assertEquals(CallbackReference.getFunctionPointer(cb.resolveReparsePoints), t.getPointer(152));
        assertEquals(CallbackReference.getFunctionPointer(cb.getReparsePoint), t.getPointer(160));
        assertEquals(CallbackReference.getFunctionPointer(cb.setReparsePoint), t.getPointer(168));
        assertEquals(CallbackReference.getFunctionPointer(cb.deleteReparsePoint), t.getPointer(176));
        assertEquals(CallbackReference.getFunctionPointer(cb.getStreamInfo), t.getPointer(184));
        assertEquals(CallbackReference.getFunctionPointer(cb.getDirInfoByName), t.getPointer(192));
        assertEquals(CallbackReference.getFunctionPointer(cb.setVolumeLabel), t.getPointer(8));
        assertEquals(CallbackReference.getFunctionPointer(cb.setDelete), t.getPointer(208));
    }

    @Test
    void slotsWithoutAVolumeMethodStayNull() {
        Pointer t = cb.table();
        assertNull(t.getPointer(200), "Control (25)");
        for (int slot = 27; slot < 64; slot++) {
            assertNull(t.getPointer(8L * slot), "slot " + slot);
        }
    }

    // ---- volume -------------------------------------------------------------------------------

    @Test
    void getVolumeInfoWritesSizesAndALabelLengthInBytes() {
        Memory vi = filled(88);
        assertEquals(STATUS_SUCCESS, cb.getVolumeInfo.invoke(FS, vi));
        assertEquals(1L << 40, vi.getLong(0), "TotalSize @0");
        assertEquals(1L << 30, vi.getLong(8), "FreeSize @8");
        assertEquals(8, vi.getShort(16), "VolumeLabelLength @16 in bytes");
        assertEquals("myfs", new String(vi.getByteArray(18, 8), StandardCharsets.UTF_16LE), "VolumeLabel @18");
    }

    @Test
    void aLabelLongerThan32CharsIsCut() {
        Memory vi = filled(88);
        assertEquals(STATUS_SUCCESS, cb.setVolumeLabel.invoke(FS, w("x".repeat(40)), vi));
        assertEquals(64, vi.getShort(16));
        assertEquals((byte) 0xEE, vi.getByte(88 - 1), "nothing written past the 82 bytes of fields");
    }

    // ---- GetSecurityByName (§2.2) -------------------------------------------------------------

    @Test
    void securityByNameCopiesWhatFits() {
        Memory attrs = ulong(0);
        Memory sd = filled(1024);
        Memory size = sizeT(1024);
        assertEquals(STATUS_SUCCESS, cb.getSecurityByName.invoke(FS, w(FakeVolume.FILE), attrs, sd, size));
        assertEquals(0x20, attrs.getInt(0));
        assertEquals(SENTINEL, attrs.getInt(4), "PUINT32 is 4 bytes");
        assertEquals(80, size.getLong(0), "copied size");
        assertEquals(SENTINEL, size.getInt(8));
        assertArrayEquals(volume.security, sd.getByteArray(0, 80));
        assertEquals((byte) 0xEE, sd.getByte(80));
    }

    @Test
    void securityByNameAsksForMoreWithBufferOverflow() {
        Memory sd = filled(64);
        Memory size = sizeT(64);
        assertEquals(STATUS_BUFFER_OVERFLOW, cb.getSecurityByName.invoke(FS, w(FakeVolume.FILE), null, sd, size));
        assertEquals(80, size.getLong(0), "the size needed");
        assertEquals((byte) 0xEE, sd.getByte(0), "nothing copied into a too-small buffer");
    }

    @Test
    void securityByNameWithoutBufferReportsTheSizeOnly() {
        Memory size = sizeT(0);
        assertEquals(STATUS_SUCCESS, cb.getSecurityByName.invoke(FS, w(FakeVolume.FILE), null, null, size));
        assertEquals(80, size.getLong(0));
    }

    @Test
    void securityByNameWithOnlyAttributes() {
        Memory attrs = ulong(0);
        assertEquals(STATUS_SUCCESS, cb.getSecurityByName.invoke(FS, w("\\dir"), attrs, null, null));
        assertEquals(0x20, attrs.getInt(0));
    }

    @Test
    void securityByNameOfAMissingFile() {
        assertEquals(STATUS_OBJECT_NAME_NOT_FOUND,
                cb.getSecurityByName.invoke(FS, w("\\nope"), ulong(0), filled(1024), sizeT(1024)));
    }

    @Test
    void securityByNameReparseCarriesTheComponentIndex() {
        Memory attrs = ulong(0);
        assertEquals(STATUS_REPARSE, cb.getSecurityByName.invoke(FS, w("\\link\\x"), attrs, filled(1024),
                sizeT(1024)));
        assertEquals(1, attrs.getInt(0));
    }

    // ---- Create / Open / Close and the FileContext map ----------------------------------------

    @Test
    void openWritesAnIdAndTheOpenFileInfo() {
        volume.normalizedName = "\\Dir\\File.txt";
        Memory pContext = filled(16);
        Memory info = openFileInfo(16256);
        assertEquals(STATUS_SUCCESS, cb.open.invoke(FS, w("\\dir\\file.txt"), 1, 0x120089, pContext, info));
        long id = pContext.getLong(0);
        assertNotEquals(0, id);
        assertEquals((byte) 0xEE, pContext.getByte(8), "PVOID* is 8 bytes");
        assertFileInfo(info, 0);
        assertEquals(26, info.getShort(80), "NormalizedNameSize @80: bytes, no NUL");
        assertEquals("\\Dir\\File.txt", Utf16.read(info.getPointer(72), 0, 26));
        assertEquals(new FakeVolume.Ctx("\\dir\\file.txt"), contexts.get(id));
    }

    @Test
    void aNameTooLongForTheBufferIsNotReported() {
        volume.normalizedName = "\\Dir\\File.txt";
        Memory info = openFileInfo(8);
        assertEquals(STATUS_SUCCESS, cb.open.invoke(FS, w("\\dir\\file.txt"), 1, 0, filled(8), info));
        assertEquals(8, info.getShort(80), "capacity left unchanged");
    }

    @Test
    void laterCallbacksGetTheSameContextAndCloseForgetsIt() {
        Pointer fc = openFile();
        assertEquals(STATUS_SUCCESS, cb.getFileInfo.invoke(FS, fc, filled(72)));
        assertEquals("getFileInfo Ctx[name=\\dir\\file.txt]", volume.calls.get(1));
        cb.close.invoke(FS, fc);
        assertEquals("close Ctx[name=\\dir\\file.txt]", volume.calls.get(2));
        assertEquals(0, contexts.size());
        assertEquals(STATUS_INVALID_HANDLE, cb.getFileInfo.invoke(FS, fc, filled(72)));
    }

    @Test
    void createPassesTheWholeSelfRelativeDescriptor() {
        byte[] sd = SelfRelativeSecurityDescriptorTest.ownerGroupDacl();
        Memory sdMem = filled(200);
        sdMem.write(0, sd, 0, sd.length);
        Memory pContext = filled(8);
        Memory info = openFileInfo(0);
        assertEquals(STATUS_SUCCESS, cb.create.invoke(FS, w("\\new"), 0x02000040, 0x1F01FF, 0x80, sdMem, 4096L,
                pContext, info));
        assertEquals("create \\new 2000040 1f01ff 80 sd=80 4096", volume.calls.get(0));
        assertArrayEquals(sd, volume.lastSecurity);
        assertFileInfo(info, 0);
        assertNotEquals(0, pContext.getLong(0));
    }

    @Test
    void createWithoutDescriptor() {
        assertEquals(STATUS_SUCCESS, cb.create.invoke(FS, w("\\s:ads"), 0, 0, 0, null, 0L, filled(8),
                openFileInfo(0)));
        assertTrue(volume.calls.get(0).contains("sd=-1"));
    }

    @Test
    void overwriteMapsTheBoolean() {
        Pointer fc = openFile();
        Memory fi = filled(80);
        assertEquals(STATUS_SUCCESS, cb.overwrite.invoke(FS, fc, 0x20, (byte) 1, 0L, fi));
        assertEquals("overwrite Ctx[name=\\dir\\file.txt] 20 true 0", volume.calls.get(1));
        assertFileInfo(fi, 0);
        assertEquals((byte) 0xEE, fi.getByte(72), "FILE_INFO is 72 bytes");
    }

    // ---- Read / Write -------------------------------------------------------------------------

    @Test
    void readWritesTheDataAndA4ByteCount() {
        Pointer fc = openFile();
        Memory buf = filled(64);
        Memory n = ulong(0xFFFFFFFF);
        assertEquals(STATUS_SUCCESS, cb.read.invoke(FS, fc, buf, 6L, 64, n));
        assertEquals(5, n.getInt(0));
        assertEquals(SENTINEL, n.getInt(4), "PULONG is 4 bytes, not 8");
        assertEquals("world", new String(buf.getByteArray(0, 5), StandardCharsets.US_ASCII));
        assertEquals(STATUS_END_OF_FILE, cb.read.invoke(FS, fc, buf, 11L, 64, ulong(0)));
    }

    @Test
    void writeReportsBytesAndFileInfo() {
        Pointer fc = openFile();
        Memory buf = new Memory(5);
        buf.write(0, "abcde".getBytes(), 0, 5);
        Memory n = ulong(0);
        Memory fi = filled(72);
        assertEquals(STATUS_SUCCESS, cb.write.invoke(FS, fc, buf, -1L, 5, (byte) 1, (byte) 0, n, fi));
        assertEquals(5, n.getInt(0));
        assertEquals(SENTINEL, n.getInt(4));
        assertFileInfo(fi, 0);
        assertEquals("write Ctx[name=\\dir\\file.txt] -1 5 true false", volume.calls.get(1));
        assertEquals("abcde", StandardCharsets.US_ASCII.decode(volume.lastWrite).toString());
    }

    @Test
    void aVolumeFlushHasANullContextAndZeroedInfo() {
        Memory fi = filled(72);
        assertEquals(STATUS_SUCCESS, cb.flush.invoke(FS, null, fi));
        assertEquals("flush null", volume.calls.get(0));
        assertArrayEquals(new byte[72], fi.getByteArray(0, 72));
    }

    // ---- information --------------------------------------------------------------------------

    @Test
    void setBasicInfoAndSizesPassArgumentsThrough() {
        Pointer fc = openFile();
        assertEquals(STATUS_SUCCESS, cb.setBasicInfo.invoke(FS, fc, 0xFFFFFFFF, 0L, 5L, 6L, 0L, filled(72)));
        assertEquals("setBasicInfo Ctx[name=\\dir\\file.txt] ffffffff 0 5 6 0", volume.calls.get(1));
        assertEquals(STATUS_SUCCESS, cb.setFileSize.invoke(FS, fc, 100L, (byte) 0, filled(72)));
        assertEquals("setFileSize Ctx[name=\\dir\\file.txt] 100 false", volume.calls.get(2));
        assertEquals(STATUS_SUCCESS, cb.setFileSize.invoke(FS, fc, 8192L, (byte) 1, filled(72)));
        assertEquals("setFileSize Ctx[name=\\dir\\file.txt] 8192 true", volume.calls.get(3));
    }

    @Test
    void deleteAndRename() {
        Pointer fc = openFile();
        assertEquals(STATUS_SUCCESS, cb.canDelete.invoke(FS, fc, w(FakeVolume.FILE)));
        assertEquals(STATUS_SUCCESS, cb.setDelete.invoke(FS, fc, w(FakeVolume.FILE), (byte) 1));
        assertEquals(STATUS_SUCCESS, cb.rename.invoke(FS, fc, w(FakeVolume.FILE), w("\\dir\\b.txt"), (byte) 0));
        cb.cleanup.invoke(FS, fc, w(FakeVolume.FILE), 0x01);
        cb.cleanup.invoke(FS, fc, null, 0x40);
        assertEquals(List.of("open \\dir\\file.txt", "canDelete Ctx[name=\\dir\\file.txt] \\dir\\file.txt",
                "setDelete Ctx[name=\\dir\\file.txt] \\dir\\file.txt true",
                "rename Ctx[name=\\dir\\file.txt] \\dir\\file.txt \\dir\\b.txt false",
                "cleanup Ctx[name=\\dir\\file.txt] \\dir\\file.txt 1",
                "cleanup Ctx[name=\\dir\\file.txt] null 64"), volume.calls);
    }

    @Test
    void getSecurityUsesTheSameOverflowProtocol() {
        Pointer fc = openFile();
        Memory size = sizeT(16);
        assertEquals(STATUS_BUFFER_OVERFLOW, cb.getSecurity.invoke(FS, fc, filled(16), size));
        assertEquals(80, size.getLong(0));
        Memory sd = filled(16256);
        size.setLong(0, 16256);
        assertEquals(STATUS_SUCCESS, cb.getSecurity.invoke(FS, fc, sd, size));
        assertEquals(80, size.getLong(0));
        assertArrayEquals(volume.security, sd.getByteArray(0, 80));
    }

    @Test
    void setSecurityMeasuresTheModificationDescriptor() {
        Pointer fc = openFile();
        byte[] sd = SelfRelativeSecurityDescriptorTest.ownerGroupDacl();
        Memory m = filled(300);
        m.write(0, sd, 0, sd.length);
        assertEquals(STATUS_SUCCESS, cb.setSecurity.invoke(FS, fc, 4, m));
        assertEquals("setSecurity Ctx[name=\\dir\\file.txt] 4 80", volume.calls.get(1));
    }

    // ---- ReadDirectory (§2.3) -----------------------------------------------------------------

    private static FileInfo info(long index) {
        return new FileInfo(0x10, 0, 0, 0, 0, 0, 0, 0, index, 1, 0);
    }

    @Test
    void entriesArePaddedTo8AndTheListingEnds() {
        volume.listing = List.of(new DirInfo(".", info(1)), new DirInfo("..", info(2)), new DirInfo("abc", info(3)));
        Pointer fc = openFile();
        Memory buf = filled(4096);
        Memory n = ulong(12345);
        assertEquals(STATUS_SUCCESS, cb.readDirectory.invoke(FS, fc, null, null, buf, 4096, n));
        // "." : 104 + 2 = 106 -> next at 112; "..": 108 -> 112 + 112 = 224; "abc": 110 -> 224 + 112 = 336
        assertEquals(106, buf.getShort(0));
        assertEquals(1, buf.getLong(8 + 56), "FileInfo @8, IndexNumber @56 within it");
        assertEquals(0, buf.getLong(80), "union zeroed");
        assertEquals(".", Utf16.read(buf, 104, 2));
        assertEquals(108, buf.getShort(112));
        assertEquals("..", Utf16.read(buf, 112 + 104, 4));
        assertEquals(110, buf.getShort(224));
        assertEquals("abc", Utf16.read(buf, 224 + 104, 6));
        assertEquals(0, buf.getShort(336), "the 2-byte end-of-listing record");
        assertEquals(338, n.getInt(0));
        assertEquals(SENTINEL, n.getInt(4));
        assertEquals("readDirectory Ctx[name=\\dir\\file.txt] null null", volume.calls.get(1));
    }

    @Test
    void aFullBufferEndsWithoutTheEndRecord() {
        volume.listing = List.of(new DirInfo(".", info(0)), new DirInfo("a", info(1)), new DirInfo("b", info(2)));
        Pointer fc = openFile();
        Memory buf = filled(200);
        Memory n = ulong(0);
        assertEquals(STATUS_SUCCESS, cb.readDirectory.invoke(FS, fc, w("*"), w("."), buf, 200, n));
        assertEquals(112, n.getInt(0), "only \"a\" (after the marker) fits; no end record");
        assertEquals("a", Utf16.read(buf, 104, 2));
        assertEquals((byte) 0xEE, buf.getByte(112));
        assertEquals("readDirectory Ctx[name=\\dir\\file.txt] * .", volume.calls.get(1));
    }

    @Test
    void getDirInfoByNameWritesOneRecord() {
        Pointer fc = openFile();
        Memory di = filled(104 + 255 * 2);
        assertEquals(STATUS_SUCCESS, cb.getDirInfoByName.invoke(FS, fc, w("file.txt"), di));
        assertEquals(104 + 16, di.getShort(0));
        assertEquals(11, di.getLong(8 + 16), "FileSize");
        assertEquals("file.txt", Utf16.read(di, 104, 16));
        assertEquals(STATUS_OBJECT_NAME_NOT_FOUND, cb.getDirInfoByName.invoke(FS, fc, w("x"), di));
    }

    @Test
    void streamsArePaddedAndEnded() {
        Pointer fc = openFile();
        Memory buf = filled(256);
        Memory n = ulong(0);
        assertEquals(STATUS_SUCCESS, cb.getStreamInfo.invoke(FS, fc, buf, 256, n));
        assertEquals(24, buf.getShort(0), "main stream: empty name");
        assertEquals(11, buf.getLong(8), "StreamSize @8");
        assertEquals(4096, buf.getLong(16), "StreamAllocationSize @16");
        assertEquals(30, buf.getShort(24), "24 + \"ads\"");
        assertEquals("ads", Utf16.read(buf, 24 + 24, 6));
        assertEquals(0, buf.getShort(56), "end record after 24 + 32");
        assertEquals(58, n.getInt(0));
    }

    // ---- reparse points -----------------------------------------------------------------------

    @Test
    void resolveReparsePointsFillsIoStatusAndBuffer() {
        Memory io = filled(16);
        Memory buf = filled(100);
        Memory size = sizeT(100);
        assertEquals(STATUS_REPARSE, cb.resolveReparsePoints.invoke(FS, w("\\l\\x"), 1, (byte) 1, io, buf, size));
        assertEquals(STATUS_REPARSE, io.getInt(0), "IoStatus.Status @0");
        assertEquals(0, io.getLong(8), "Information @8 = IO_REPARSE");
        assertEquals(14, size.getLong(0));
        assertEquals("\\target", Utf16.read(buf, 0, 14));
        assertEquals("resolveReparsePoints \\l\\x 1 true", volume.calls.get(0));
        // a resolved path that does not fit: STATUS_REPARSE_POINT_NOT_RESOLVED, as WinFsp's own resolver
        assertEquals(0xC0000280, cb.resolveReparsePoints.invoke(FS, w("\\l\\x"), 1, (byte) 1, io, buf, sizeT(4)));
    }

    @Test
    void reparseDataInAndOut() {
        Pointer fc = openFile();
        Memory size = sizeT(4);
        assertEquals(STATUS_BUFFER_TOO_SMALL, cb.getReparsePoint.invoke(FS, fc, w(FakeVolume.FILE), filled(4), size));
        Memory buf = filled(64);
        size.setLong(0, 64);
        assertEquals(STATUS_SUCCESS, cb.getReparsePoint.invoke(FS, fc, w(FakeVolume.FILE), buf, size));
        assertEquals(10, size.getLong(0));
        Memory data = new Memory(6);
        data.write(0, new byte[] {9, 8, 7, 6, 5, 4}, 0, 6);
        assertEquals(STATUS_SUCCESS, cb.setReparsePoint.invoke(FS, fc, w(FakeVolume.FILE), data, 6L));
        assertArrayEquals(new byte[] {9, 8, 7, 6, 5, 4}, volume.lastReparse);
        assertEquals(STATUS_SUCCESS, cb.deleteReparsePoint.invoke(FS, fc, w(FakeVolume.FILE), data, 6L));
    }

    // ---- failures -----------------------------------------------------------------------------

    @Test
    void anNtStatusExceptionGivesItsStatus() {
        Pointer fc = openFile();
        volume.failure = new NtStatusException(STATUS_ACCESS_DENIED);
        assertEquals(STATUS_ACCESS_DENIED, cb.getFileInfo.invoke(FS, fc, filled(72)));
    }

    @Test
    void anyOtherThrowableGivesUnexpectedIoError() {
        Pointer fc = openFile();
        volume.failure = new IllegalStateException("bug in the volume");
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.read.invoke(FS, fc, filled(8), 0L, 8, ulong(0)));
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.getVolumeInfo.invoke(FS, filled(88)));
    }

    @Test
    void anErrorIsCaughtToo() {
        volume.failure = new OutOfMemoryError("simulated");
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.open.invoke(FS, w(FakeVolume.FILE), 1, 0, filled(8),
                openFileInfo(0)));
        assertEquals(0, contexts.size(), "no context is registered for a failed open");
    }

    @Test
    void anOpenThatFailsInTheBindingReleasesTheVolumesContext() {
        volume.brokenOpenInfo = true;
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.open.invoke(FS, w(FakeVolume.FILE), 1, 0, filled(8),
                openFileInfo(0)));
        assertEquals(List.of("open \\dir\\file.txt", "close Ctx[name=\\dir\\file.txt]"), volume.calls,
                "WinFsp sends no Close for a failed open");
        assertEquals(0, contexts.size());
    }

    @Test
    void pendingIsNeverReturned() {
        Pointer fc = openFile();
        volume.failure = new NtStatusException(0x00000103);
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.getFileInfo.invoke(FS, fc, filled(72)));
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.read.invoke(FS, fc, filled(8), 0L, 8, ulong(0)));
        assertEquals(STATUS_UNEXPECTED_IO_ERROR, cb.readDirectory.invoke(FS, fc, null, null, filled(8), 8, ulong(0)));
    }

    @Test
    void cleanupAndCloseSwallowFailures() {
        Pointer fc = openFile();
        volume.failure = new IllegalStateException("boom");
        cb.cleanup.invoke(FS, fc, null, 0);
        cb.close.invoke(FS, fc);
        cb.close.invoke(FS, new Pointer(999));
        assertEquals(0, contexts.size(), "the context is forgotten even when the volume's close fails");
    }

    @Test
    void anUnknownContextIsAnInvalidHandle() {
        assertEquals(STATUS_INVALID_HANDLE, cb.getFileInfo.invoke(FS, new Pointer(4242), filled(72)));
    }
}
