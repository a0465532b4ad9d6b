package org.viofs.winfsp;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * {@code FSP_FILE_SYSTEM}, 792 bytes, allocated by the DLL (docs/winfsp-native.md §3.1). The binding reads
 * {@link #MountPoint} and sets {@link #UserContext}; the rest is declared for its layout only.
 */
@Structure.FieldOrder({"Version", "UserContext", "VolumeName", "VolumeHandle", "EnterOperation", "LeaveOperation",
        "Operations", "Interface", "DispatcherThread", "DispatcherThreadCount", "DispatcherResult", "MountPoint",
        "MountHandle", "DebugLog", "OpGuardStrategy", "OpGuardLock", "UmFileContextIsUserContext2",
        "UmFileContextIsFullContext", "UmFlags"})
public class FspFileSystemStruct extends Structure {
    public static final int SIZE = 792;

    public short Version;
    public Pointer UserContext;
    public byte[] VolumeName = new byte[512];
    public Pointer VolumeHandle;
    public Pointer EnterOperation;
    public Pointer LeaveOperation;
    public Pointer[] Operations = new Pointer[22];
    public Pointer Interface;
    public Pointer DispatcherThread;
    public int DispatcherThreadCount;
    public int DispatcherResult;
    /** PWSTR: the mount point actually used (the chosen letter after "*:" or NULL). */
    public Pointer MountPoint;
    public Pointer MountHandle;
    public int DebugLog;
    public int OpGuardStrategy;
    public Pointer OpGuardLock;
    public byte UmFileContextIsUserContext2;
    public byte UmFileContextIsFullContext;
    public short UmFlags;

    public FspFileSystemStruct() {
    }

    public FspFileSystemStruct(Pointer p) {
        super(p);
    }

    /** Offset of UserContext, for a direct write. */
    public static long userContextOffset() {
        return new FspFileSystemStruct().fieldOffset("UserContext");
    }

    /** Offset of MountPoint, for a direct read. */
    public static long mountPointOffset() {
        return new FspFileSystemStruct().fieldOffset("MountPoint");
    }
}
