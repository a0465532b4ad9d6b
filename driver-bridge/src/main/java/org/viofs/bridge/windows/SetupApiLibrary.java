package org.viofs.bridge.windows;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.IntByReference;

/**
 * setupapi.dll, the few functions device discovery needs. Declarations only; Windows-only (loading
 * {@link Holder} loads the DLL). Explicit {@code W} names, so no function mapper is involved.
 */
public interface SetupApiLibrary extends Library {
    /** setupapi.h {@code DIGCF_PRESENT}. */
    int DIGCF_PRESENT = 0x00000002;
    /** setupapi.h {@code DIGCF_DEVICEINTERFACE}. */
    int DIGCF_DEVICEINTERFACE = 0x00000010;

    /** Loaded on first use, so that Linux tests can use this interface's constants. */
    final class Holder {
        private Holder() {
        }

        public static final SetupApiLibrary INSTANCE = Native.load("setupapi", SetupApiLibrary.class);
    }

    /** @return HDEVINFO, or INVALID_HANDLE_VALUE (-1) */
    Pointer SetupDiGetClassDevsW(Guid.GUID classGuid, Pointer enumerator, Pointer hwndParent, int flags);

    boolean SetupDiEnumDeviceInterfaces(Pointer deviceInfoSet, Pointer deviceInfoData, Guid.GUID interfaceClassGuid,
                                        int memberIndex, SpDeviceInterfaceData deviceInterfaceData);

    boolean SetupDiGetDeviceInterfaceDetailW(Pointer deviceInfoSet, SpDeviceInterfaceData deviceInterfaceData,
                                             Pointer deviceInterfaceDetailData, int deviceInterfaceDetailDataSize,
                                             IntByReference requiredSize, Pointer deviceInfoData);

    boolean SetupDiDestroyDeviceInfoList(Pointer deviceInfoSet);
}
