package org.viofs.bridge.windows;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Union;
import com.sun.jna.platform.win32.Guid;

/**
 * cfgmgr32.h {@code CM_NOTIFY_FILTER}, x64 size 416: cbSize @0, Flags @4, FilterType @8, Reserved @12,
 * then a union @16 of {@code GUID ClassGuid} (DEVICEINTERFACE), {@code HANDLE hTarget} (DEVICEHANDLE)
 * and {@code WCHAR InstanceId[200]} (DEVICEINSTANCE). For device arrival and removal
 * ({@code CM_Register_Notification}, docs/viofs-anchor.md §2); see {@link CfgMgr32Library}.
 */
@Structure.FieldOrder({"cbSize", "Flags", "FilterType", "Reserved", "u"})
public class CmNotifyFilter extends Structure {
    /** {@code CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE}. */
    public static final int TYPE_DEVICEINTERFACE = 0;
    /** {@code CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE}. */
    public static final int TYPE_DEVICEHANDLE = 1;
    /** {@code CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE}. */
    public static final int TYPE_DEVICEINSTANCE = 2;
    /** cfgmgr32.h {@code MAX_DEVICE_ID_LEN}. */
    public static final int MAX_DEVICE_ID_LEN = 200;

    /** The union of the three filter kinds. */
    public static class FilterUnion extends Union {
        public Guid.GUID ClassGuid;
        public Pointer hTarget;
        /** WCHAR[200] as bytes (UTF-16LE). */
        public byte[] InstanceId = new byte[MAX_DEVICE_ID_LEN * 2];
    }

    public int cbSize;
    public int Flags;
    public int FilterType;
    public int Reserved;
    public FilterUnion u;

    public CmNotifyFilter() {
        cbSize = size();
    }

    /** A filter for arrivals and removals of interfaces of this class. */
    public static CmNotifyFilter forInterfaceClass(Guid.GUID classGuid) {
        CmNotifyFilter f = new CmNotifyFilter();
        f.FilterType = TYPE_DEVICEINTERFACE;
        f.u.ClassGuid = classGuid;
        f.u.setType(Guid.GUID.class);
        return f;
    }

    /** A filter for query-remove and removal of the device behind an open handle. */
    public static CmNotifyFilter forHandle(Pointer handle) {
        CmNotifyFilter f = new CmNotifyFilter();
        f.FilterType = TYPE_DEVICEHANDLE;
        f.u.hTarget = handle;
        f.u.setType(Pointer.class);
        return f;
    }
}
