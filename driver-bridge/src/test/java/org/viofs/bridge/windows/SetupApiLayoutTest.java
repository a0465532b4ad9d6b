package org.viofs.bridge.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Structure;
import com.sun.jna.platform.win32.Guid;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Win32 structure layouts on x64 (setupapi.h, cfgmgr32.h). JNA lays fixed-width fields out on Linux
 * x86-64 as MSVC does on x64, so these run here. No native function is called.
 */
class SetupApiLayoutTest {

    @Test
    void spDeviceInterfaceDataIs32BytesOnX64() {
        SpDeviceInterfaceData d = new SpDeviceInterfaceData();
        assertEquals(32, d.size());
        assertEquals(32, d.cbSize, "cbSize must be set to sizeof");
        assertEquals(0, Layout.offsetOf(d, "cbSize"));
        assertEquals(4, Layout.offsetOf(d, "InterfaceClassGuid"));
        assertEquals(20, Layout.offsetOf(d, "Flags"));
        assertEquals(24, Layout.offsetOf(d, "Reserved"));
    }

    /** The C declaration {@code struct { DWORD cbSize; WCHAR DevicePath[1]; }}, laid out by JNA. */
    @Structure.FieldOrder({"cbSize", "DevicePath"})
    public static class DeclaredDetailData extends Structure {
        public int cbSize;
        public short[] DevicePath = new short[1];
    }

    @Test
    void detailDataCbSizeIs8OnX64AndPathAt4() {
        DeclaredDetailData declared = new DeclaredDetailData();
        assertEquals(8, declared.size(), "sizeof(SP_DEVICE_INTERFACE_DETAIL_DATA_W) on x64: 4 + 2, padded to 4");
        assertEquals(4, Layout.offsetOf(declared, "DevicePath"));
        assertEquals(8, SpDeviceInterfaceDetailData.CB_SIZE_X64);
        assertEquals(4, SpDeviceInterfaceDetailData.DEVICE_PATH_OFFSET);
    }

    @Test
    void detailDataPathDecodesUpToNul() {
        String path = "\\\\?\\pci#ven_1af4&dev_105a#3&267a616a&0&20#{a1b0cbf2-f488-4b29-b89f-16c78e68c737}";
        byte[] utf16 = path.getBytes(StandardCharsets.UTF_16LE);
        byte[] detail = new byte[4 + utf16.length + 2 + 6];
        detail[0] = 8;
        System.arraycopy(utf16, 0, detail, 4, utf16.length);
        detail[detail.length - 1] = 'x'; // garbage after the NUL must not be read
        assertEquals(path, SpDeviceInterfaceDetailData.devicePath(detail, detail.length));
    }

    @Test
    void cmNotifyFilterIs416BytesOnX64() {
        CmNotifyFilter f = new CmNotifyFilter();
        assertEquals(416, f.size());
        assertEquals(416, f.cbSize);
        assertEquals(0, Layout.offsetOf(f, "cbSize"));
        assertEquals(4, Layout.offsetOf(f, "Flags"));
        assertEquals(8, Layout.offsetOf(f, "FilterType"));
        assertEquals(12, Layout.offsetOf(f, "Reserved"));
        assertEquals(16, Layout.offsetOf(f, "u"));
        assertEquals(400, f.u.size(), "union of GUID, HANDLE and WCHAR[MAX_DEVICE_ID_LEN=200]");
    }

    @Test
    void cmNotifyFilterForInterfaceClassPutsTheGuidAt16() {
        CmNotifyFilter f = CmNotifyFilter.forInterfaceClass(ViofsDeviceFinder.interfaceGuid());
        f.write();
        assertEquals(0, f.getPointer().getInt(8), "CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE");
        assertEquals(0xA1B0CBF2, f.getPointer().getInt(16));
    }

    @Test
    void interfaceGuidBytesMatchTheAnchor() {
        Guid.GUID g = ViofsDeviceFinder.interfaceGuid();
        assertEquals(0xA1B0CBF2, g.Data1);
        assertEquals((short) 0xF488, g.Data2);
        assertEquals((short) 0x4B29, g.Data3);
        assertArrayEquals(new byte[] {(byte) 0xB8, (byte) 0x9F, 0x16, (byte) 0xC7, (byte) 0x8E, 0x68, (byte) 0xC7,
                0x37}, g.Data4);
        assertEquals(16, g.size());
    }

    @Test
    void setupDiFlags() {
        assertEquals(0x2, SetupApiLibrary.DIGCF_PRESENT);
        assertEquals(0x10, SetupApiLibrary.DIGCF_DEVICEINTERFACE);
    }
}
