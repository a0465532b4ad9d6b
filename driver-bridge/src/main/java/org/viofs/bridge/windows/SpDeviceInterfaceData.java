package org.viofs.bridge.windows;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.Guid;

/**
 * setupapi.h {@code SP_DEVICE_INTERFACE_DATA}: x64 size 32 (cbSize @0, InterfaceClassGuid @4,
 * Flags @20, Reserved ULONG_PTR @24). Declared here, not taken from jna-platform, so that its layout
 * is ours to test (jna-platform's {@code SP_DEVICE_INTERFACE_DATA.ByReference} extends the wrong type).
 */
@Structure.FieldOrder({"cbSize", "InterfaceClassGuid", "Flags", "Reserved"})
public class SpDeviceInterfaceData extends Structure {
    /** Size of this structure in bytes; set by the constructor. */
    public int cbSize;
    /** The interface class. */
    public Guid.GUID InterfaceClassGuid;
    /** SPINT_ACTIVE 1, SPINT_DEFAULT 2, SPINT_REMOVED 4. */
    public int Flags;
    /** ULONG_PTR, reserved. */
    public Pointer Reserved;

    public SpDeviceInterfaceData() {
        cbSize = size();
    }
}
