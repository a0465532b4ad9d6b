package org.viofs.bridge.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;

/**
 * A viofs.sys device opened with CreateFile and driven with synchronous DeviceIoControl
 * (docs/viofs-anchor.md §1.3: GENERIC_READ|GENERIC_WRITE, share 0, OPEN_EXISTING, no FILE_FLAG_OVERLAPPED).
 * Windows-only; makes the calls and nothing else.
 */
public final class Kernel32DeviceHandle implements ViofsDeviceHandle {
    private final String path;
    private WinNT.HANDLE handle;

    private Kernel32DeviceHandle(String path, WinNT.HANDLE handle) {
        this.path = path;
        this.handle = handle;
    }

    /** Opens a device interface path. */
    public static Kernel32DeviceHandle open(String devicePath) throws Win32CallException {
        WinNT.HANDLE h = Kernel32.INSTANCE.CreateFile(devicePath, WinNT.GENERIC_READ | WinNT.GENERIC_WRITE, 0, null,
                WinNT.OPEN_EXISTING, 0, null);
        if (h == null || WinBase.INVALID_HANDLE_VALUE.equals(h)) {
            throw new Win32CallException("CreateFile(" + devicePath + ")", Native.getLastError());
        }
        return new Kernel32DeviceHandle(devicePath, h);
    }

    @Override
    public int deviceIoControl(int ioControlCode, Pointer in, int inLength, Pointer out, int outLength)
            throws Win32CallException {
        WinNT.HANDLE h = handle;
        if (h == null) {
            throw new Win32CallException("DeviceIoControl on a closed handle", Win32Error.ERROR_INVALID_HANDLE);
        }
        IntByReference returned = new IntByReference();
        if (!Kernel32.INSTANCE.DeviceIoControl(h, ioControlCode, in, inLength, out, outLength, returned, null)) {
            throw new Win32CallException("DeviceIoControl(" + ViofsIoctl.describe(ioControlCode) + ")",
                    Native.getLastError());
        }
        return returned.getValue();
    }

    /** The handle, e.g. for a DEVICEHANDLE notification filter. */
    public WinNT.HANDLE handle() {
        return handle;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public synchronized void close() {
        if (handle != null) {
            Kernel32.INSTANCE.CloseHandle(handle);
            handle = null;
        }
    }
}
