package org.viofs.winfsp;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.ptr.PointerByReference;

/**
 * The exported functions of winfsp-x64.dll that viofs uses (docs/winfsp-native.md §3.2). Declarations
 * only; Windows-only ({@link #load()} loads the DLL). Strings are passed as {@link Utf16#toNative}
 * memory, never as WString. x64 has a single calling convention, so a plain {@link Library} fits.
 */
public interface WinFspLibrary extends Library {

    /** Loads the DLL the way FspLoad does ({@link WinFspDllLocator}). */
    static WinFspLibrary load() {
        String arch = System.getProperty("os.arch");
        return WinFspDllLocator.load(arch, name -> Native.load(name, WinFspLibrary.class), () -> {
            try {
                return Advapi32Util.registryGetStringValue(WinReg.HKEY_LOCAL_MACHINE,
                        WinFspDllLocator.registryKey(arch), WinFspDllLocator.INSTALL_DIR_VALUE);
            } catch (Win32Exception e) {
                return null;
            }
        });
    }

    int FspFileSystemPreflight(Pointer devicePath, Pointer mountPoint);

    int FspFileSystemCreate(Pointer devicePath, Pointer volumeParams, Pointer fileSystemInterface,
                            PointerByReference pFileSystem);

    void FspFileSystemDelete(Pointer fileSystem);

    int FspFileSystemSetMountPoint(Pointer fileSystem, Pointer mountPoint);

    int FspFileSystemSetMountPointEx(Pointer fileSystem, Pointer mountPoint, Pointer securityDescriptor);

    void FspFileSystemRemoveMountPoint(Pointer fileSystem);

    int FspFileSystemStartDispatcher(Pointer fileSystem, int threadCount);

    void FspFileSystemStopDispatcher(Pointer fileSystem);

    /** BOOLEAN: only the low byte counts. */
    byte FspFileSystemAddDirInfo(Pointer dirInfo, Pointer buffer, int length, Pointer pBytesTransferred);

    byte FspFileSystemAddStreamInfo(Pointer streamInfo, Pointer buffer, int length, Pointer pBytesTransferred);

    void FspFileSystemSetDebugLogF(Pointer fileSystem, int mask);

    void FspDebugLogSetHandle(Pointer handle);

    /** Valid inside Create, Open and Rename only. */
    int FspFileSystemOperationProcessIdF();

    int FspNtStatusFromWin32(int error);

    int FspFileSystemNotifyBegin(Pointer fileSystem, int timeout);

    int FspFileSystemNotify(Pointer fileSystem, Pointer notifyInfo, long size);

    int FspFileSystemNotifyEnd(Pointer fileSystem);
}
