package org.viofs.service;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

import org.viofs.winfsp.FspInterface;
import org.viofs.winfsp.Utf16;

/**
 * File operations the way WinFsp's dispatcher makes them: through the native function pointers of a
 * mounted volume's interface table (docs/winfsp-native.md §2), with the argument types of the x64 ABI.
 */
final class NativeCalls {
    /** FILE_GENERIC_READ | FILE_GENERIC_WRITE. */
    static final int READ_WRITE = 0x0012019F;
    /** FILE_GENERIC_READ. */
    static final int READ = 0x00120089;
    /** FILE_ATTRIBUTE_NORMAL. */
    static final int NORMAL = 0x80;

    private final Pointer table;

    NativeCalls(Pointer table) {
        this.table = table;
    }

    private Function slot(int slot) {
        return Function.getFunction(table.getPointer(8L * slot));
    }

    /** Create (new file) → Write → Cleanup → Close; returns the first failing NTSTATUS, or 0. */
    int createAndWrite(String name, String text) {
        Memory pContext = new Memory(8);
        Memory info = new Memory(88);
        info.clear();
        int status = slot(FspInterface.SLOT_CREATE).invokeInt(new Object[] {Pointer.NULL, Utf16.toNative(name), 0,
                READ_WRITE, NORMAL, Pointer.NULL, 0L, pContext, info});
        if (status != 0) {
            return status;
        }
        Pointer fc = new Pointer(pContext.getLong(0));
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Memory buf = new Memory(bytes.length);
        buf.write(0, bytes, 0, bytes.length);
        Memory n = new Memory(8);
        n.clear();
        Memory fileInfo = new Memory(72);
        status = slot(FspInterface.SLOT_WRITE).invokeInt(new Object[] {Pointer.NULL, fc, buf, 0L, bytes.length,
                (byte) 0, (byte) 0, n, fileInfo});
        slot(FspInterface.SLOT_CLEANUP).invokeVoid(new Object[] {Pointer.NULL, fc, Utf16.toNative(name), 0});
        slot(FspInterface.SLOT_CLOSE).invokeVoid(new Object[] {Pointer.NULL, fc});
        return status != 0 ? status : (n.getInt(0) == bytes.length ? 0 : -1);
    }

    /** Open → Read (up to 4 KiB) → Cleanup → Close; the text, or "status 0x…" when a call fails. */
    String read(String name) {
        Memory pContext = new Memory(8);
        Memory info = new Memory(88);
        info.clear();
        int status = slot(FspInterface.SLOT_OPEN).invokeInt(new Object[] {Pointer.NULL, Utf16.toNative(name), 0, READ,
                pContext, info});
        if (status != 0) {
            return String.format("status 0x%08X", status);
        }
        Pointer fc = new Pointer(pContext.getLong(0));
        Memory buf = new Memory(4096);
        Memory n = new Memory(8);
        n.clear();
        status = slot(FspInterface.SLOT_READ).invokeInt(new Object[] {Pointer.NULL, fc, buf, 0L, 4096, n});
        slot(FspInterface.SLOT_CLEANUP).invokeVoid(new Object[] {Pointer.NULL, fc, Pointer.NULL, 0});
        slot(FspInterface.SLOT_CLOSE).invokeVoid(new Object[] {Pointer.NULL, fc});
        if (status != 0) {
            return String.format("status 0x%08X", status);
        }
        return new String(buf.getByteArray(0, n.getInt(0)), StandardCharsets.UTF_8);
    }
}
