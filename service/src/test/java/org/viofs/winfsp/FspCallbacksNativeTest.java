package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Calls trampolines through the native function pointers in the interface table, as the DLL does,
 * so that JNA's closure path (argument conversion of BOOLEAN bytes, SIZE_T longs, the lambda-backed
 * Callback classes) is exercised here too. The calling convention is Linux's, not Windows x64's.
 */
class FspCallbacksNativeTest {
    private static final int SENTINEL = 0xA5A5A5A5;

    private final FakeVolume volume = new FakeVolume();
    private final FspCallbacks cb = new FspCallbacks(volume, new FileContextTable(), new PortableInfoBuffer());

    private Function slot(int slot) {
        return Function.getFunction(cb.table().getPointer(8L * slot));
    }

    private Pointer open() {
        Memory pContext = new Memory(8);
        Memory info = new Memory(88);
        info.clear();
        int status = slot(FspInterface.SLOT_OPEN).invokeInt(new Object[] {Pointer.NULL,
                Utf16.toNative(FakeVolume.FILE), 1, 0x120089, pContext, info});
        assertEquals(0, status);
        return new Pointer(pContext.getLong(0));
    }

    @Test
    void readThroughTheTable() {
        Pointer fc = open();
        Memory buf = new Memory(16);
        Memory n = new Memory(8);
        n.setInt(0, -1);
        n.setInt(4, SENTINEL);
        int status = slot(FspInterface.SLOT_READ).invokeInt(new Object[] {Pointer.NULL, fc, buf, 0L, 16, n});
        assertEquals(0, status);
        assertEquals(11, n.getInt(0));
        assertEquals(SENTINEL, n.getInt(4));
        assertEquals("hello world", new String(buf.getByteArray(0, 11)));
    }

    @Test
    void booleanBytesArriveAsBooleans() {
        Pointer fc = open();
        Memory buf = new Memory(3);
        buf.write(0, new byte[] {1, 2, 3}, 0, 3);
        Memory n = new Memory(8);
        Memory fi = new Memory(72);
        int status = slot(FspInterface.SLOT_WRITE).invokeInt(new Object[] {Pointer.NULL, fc, buf, 5L, 3,
                (byte) 0, (byte) 1, n, fi});
        assertEquals(0, status);
        assertEquals("write Ctx[name=\\dir\\file.txt] 5 3 false true", volume.calls.get(1));
    }

    @Test
    void aFailureComesBackAsItsStatusNotAsSuccess() {
        Pointer fc = open();
        volume.failure = new IllegalStateException("bug");
        int status = slot(FspInterface.SLOT_GET_FILE_INFO).invokeInt(new Object[] {Pointer.NULL, fc, new Memory(72)});
        assertEquals(0xC00000E9, status, "STATUS_UNEXPECTED_IO_ERROR; JNA would have turned an escape into 0");
    }

    @Test
    void voidCallbacksReturnNormally() {
        Pointer fc = open();
        slot(FspInterface.SLOT_CLEANUP).invokeVoid(new Object[] {Pointer.NULL, fc, Pointer.NULL, 0x40});
        slot(FspInterface.SLOT_CLOSE).invokeVoid(new Object[] {Pointer.NULL, fc});
        assertEquals("close Ctx[name=\\dir\\file.txt]", volume.calls.get(2));
    }

    @Test
    void sizeTArgumentsAreEightBytes() {
        Pointer fc = open();
        Memory data = new Memory(5);
        data.write(0, new byte[] {1, 2, 3, 4, 5}, 0, 5);
        int status = slot(FspInterface.SLOT_SET_REPARSE_POINT).invokeInt(new Object[] {Pointer.NULL, fc,
                Utf16.toNative(FakeVolume.FILE), data, 5L});
        assertEquals(0, status);
        assertEquals(5, volume.lastReparse.length);
    }

    @Test
    void eaSlotsThroughTheTableWithBooleanAndUlongArguments() {
        FakeVolume eaVolume = new FakeVolume();
        eaVolume.eas = true;
        FspCallbacks eaCb = new FspCallbacks(eaVolume, new FileContextTable(), new PortableInfoBuffer());
        // "AB" = {1,2,3}, the only entry: NextEntryOffset 0, Flags 0, EaNameLength 2, EaValueLength 3
        byte[] list = {0, 0, 0, 0, 0, 2, 3, 0, 'A', 'B', 0, 1, 2, 3};
        Memory ea = new Memory(list.length);
        ea.write(0, list, 0, list.length);
        Memory pContext = new Memory(8);
        Memory info = new Memory(88);
        info.clear();
        int status = Function.getFunction(eaCb.table().getPointer(8L * FspInterface.SLOT_CREATE_EX)).invokeInt(
                new Object[] {Pointer.NULL, Utf16.toNative("\\n"), 0, 0x12019F, 0x80, Pointer.NULL, 0L, ea,
                        list.length, (byte) 0, pContext, info});
        assertEquals(0, status);
        assertEquals("createWithEas \\n [AB]", eaVolume.calls.get(0));
        assertEquals(10, info.getInt(68), "EaSize @68");

        Memory out = new Memory(32);
        Memory n = new Memory(8);
        n.setInt(0, 0);
        n.setInt(4, SENTINEL);
        status = Function.getFunction(eaCb.table().getPointer(8L * FspInterface.SLOT_GET_EA)).invokeInt(
                new Object[] {Pointer.NULL, new Pointer(pContext.getLong(0)), out, 32, n});
        assertEquals(0, status);
        assertEquals(14, n.getInt(0));
        assertEquals(SENTINEL, n.getInt(4), "PULONG is 4 bytes");
    }
}
