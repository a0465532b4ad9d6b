package org.viofs.winfsp;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A stand-in for winfsp-x64.dll that records calls: FspFileSystemCreate allocates a 792-byte
 * FSP_FILE_SYSTEM like the DLL and keeps the interface table, so a test can call the callbacks through
 * their native function pointers as the DLL's dispatcher threads do; SetMountPoint writes the letter to
 * FSP_FILE_SYSTEM.MountPoint @752 (docs/winfsp-native.md §3.1). No DLL involved.
 */
public final class RecordingWinFsp implements WinFspLibrary {
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public final Memory fileSystem = new Memory(792);
    public int createStatus;
    public int mountStatus;
    public int startStatus;
    public Pointer interfaceTable;
    public byte[] volumeParams;
    public String chosenLetter = "Z:";

    public RecordingWinFsp() {
        fileSystem.clear();
    }

    @Override
    public int FspFileSystemPreflight(Pointer devicePath, Pointer mountPoint) {
        calls.add("Preflight");
        return 0;
    }

    @Override
    public int FspFileSystemCreate(Pointer devicePath, Pointer params, Pointer iface, PointerByReference pfs) {
        calls.add("Create " + Utf16.read(devicePath));
        interfaceTable = iface;
        volumeParams = params.getByteArray(0, 504);
        if (createStatus == 0) {
            pfs.setValue(fileSystem);
        }
        return createStatus;
    }

    @Override
    public void FspFileSystemDelete(Pointer fs) {
        calls.add("Delete");
    }

    @Override
    public int FspFileSystemSetMountPoint(Pointer fs, Pointer mountPoint) {
        String mp = Utf16.read(mountPoint);
        calls.add("SetMountPoint " + mp);
        if (mountStatus == 0) {
            fileSystem.setPointer(752, Utf16.toNative(mp == null ? chosenLetter : mp));
        }
        return mountStatus;
    }

    @Override
    public int FspFileSystemSetMountPointEx(Pointer fs, Pointer mountPoint, Pointer sd) {
        throw new AssertionError("not used");
    }

    @Override
    public void FspFileSystemRemoveMountPoint(Pointer fs) {
        calls.add("RemoveMountPoint");
    }

    @Override
    public int FspFileSystemStartDispatcher(Pointer fs, int threadCount) {
        calls.add("StartDispatcher " + threadCount);
        return startStatus;
    }

    @Override
    public void FspFileSystemStopDispatcher(Pointer fs) {
        calls.add("StopDispatcher");
    }

    @Override
    public byte FspFileSystemAddDirInfo(Pointer dirInfo, Pointer buffer, int length, Pointer pBytes) {
        return (byte) (new PortableInfoBuffer().addDirInfo(dirInfo, buffer, length, pBytes) ? 1 : 0);
    }

    @Override
    public byte FspFileSystemAddStreamInfo(Pointer streamInfo, Pointer buffer, int length, Pointer pBytes) {
        return (byte) (new PortableInfoBuffer().addStreamInfo(streamInfo, buffer, length, pBytes) ? 1 : 0);
    }

    @Override
    public void FspFileSystemSetDebugLogF(Pointer fs, int mask) {
        calls.add("SetDebugLogF");
    }

    @Override
    public void FspDebugLogSetHandle(Pointer handle) {
        calls.add("DebugLogSetHandle");
    }

    @Override
    public int FspFileSystemOperationProcessIdF() {
        return 4711;
    }

    @Override
    public int FspNtStatusFromWin32(int error) {
        return 0xC0000000 | error;
    }

    @Override
    public int FspFileSystemNotifyBegin(Pointer fs, int timeout) {
        calls.add("NotifyBegin " + timeout);
        return 0;
    }

    @Override
    public int FspFileSystemNotify(Pointer fs, Pointer info, long size) {
        calls.add("Notify " + size + " " + info.getShort(0) + " " + info.getInt(4) + " " + info.getInt(8) + " "
                + Utf16.read(info, 12, info.getShort(0) - 12));
        return 0;
    }

    @Override
    public int FspFileSystemNotifyEnd(Pointer fs) {
        calls.add("NotifyEnd");
        return 0;
    }
}
