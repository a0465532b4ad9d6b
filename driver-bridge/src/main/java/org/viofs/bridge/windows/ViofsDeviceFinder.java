package org.viofs.bridge.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.IntByReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds viofs.sys devices with SetupDi (docs/viofs-anchor.md §1.3) and connects to one. Windows-only;
 * the choice of device is {@link ViofsDevices}'s.
 */
public final class ViofsDeviceFinder {
    /** {@code GUID_DEVINTERFACE_VIRT_FS} (virtiofs.h, docs/viofs-anchor.md §1.2). */
    public static final String GUID_DEVINTERFACE_VIRT_FS_STRING = "{A1B0CBF2-F488-4B29-B89F-16C78E68C737}";

    private ViofsDeviceFinder() {
    }

    /** The interface GUID as a JNA structure. */
    public static Guid.GUID interfaceGuid() {
        return Guid.GUID.fromString(GUID_DEVINTERFACE_VIRT_FS_STRING);
    }

    /** Interface paths of the present virtio-fs devices, in enumeration order. */
    public static List<String> interfacePaths() throws Win32CallException {
        SetupApiLibrary setupApi = SetupApiLibrary.Holder.INSTANCE;
        Guid.GUID guid = interfaceGuid();
        Pointer set = setupApi.SetupDiGetClassDevsW(guid, null, null,
                SetupApiLibrary.DIGCF_PRESENT | SetupApiLibrary.DIGCF_DEVICEINTERFACE);
        if (set == null || Pointer.nativeValue(set) == -1L) {
            throw new Win32CallException("SetupDiGetClassDevsW", Native.getLastError());
        }
        try {
            List<String> paths = new ArrayList<>();
            for (int index = 0; ; index++) {
                SpDeviceInterfaceData data = new SpDeviceInterfaceData();
                if (!setupApi.SetupDiEnumDeviceInterfaces(set, null, guid, index, data)) {
                    int error = Native.getLastError();
                    if (error == Win32Error.ERROR_NO_MORE_ITEMS) {
                        return paths;
                    }
                    throw new Win32CallException("SetupDiEnumDeviceInterfaces(" + index + ")", error);
                }
                IntByReference required = new IntByReference();
                if (!setupApi.SetupDiGetDeviceInterfaceDetailW(set, data, null, 0, required, null)) {
                    int error = Native.getLastError();
                    if (error != Win32Error.ERROR_INSUFFICIENT_BUFFER) {
                        throw new Win32CallException("SetupDiGetDeviceInterfaceDetailW(size)", error);
                    }
                }
                int size = required.getValue();
                try (Memory detail = new Memory(Math.max(size, SpDeviceInterfaceDetailData.CB_SIZE_X64 + 2))) {
                    detail.clear();
                    detail.setInt(0, SpDeviceInterfaceDetailData.CB_SIZE_X64);
                    if (!setupApi.SetupDiGetDeviceInterfaceDetailW(set, data, detail, (int) detail.size(), null,
                            null)) {
                        throw new Win32CallException("SetupDiGetDeviceInterfaceDetailW", Native.getLastError());
                    }
                    paths.add(SpDeviceInterfaceDetailData.devicePath(detail.getByteArray(0, (int) detail.size()),
                            (int) detail.size()));
                }
            }
        } finally {
            setupApi.SetupDiDestroyDeviceInfoList(set);
        }
    }

    /**
     * Connects to the device with this mount tag (null: the first present one).
     *
     * @throws ViofsDeviceNotFoundException if there is none
     * @throws org.viofs.bridge.TransportException if enumeration itself fails
     */
    public static ViofsTransport connect(String tag, ChunkPolicy policy, Duration lockTimeout) {
        List<String> paths;
        try {
            paths = interfacePaths();
        } catch (Win32CallException e) {
            throw Win32ErrorMapper.map(e, GUID_DEVINTERFACE_VIRT_FS_STRING);
        }
        return ViofsDevices.connect(paths, Kernel32DeviceHandle::open, tag, policy, lockTimeout);
    }
}
