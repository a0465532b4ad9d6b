package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Structure;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.viofs.bridge.testing.StructLayout;

/**
 * Every structure's size and field offsets against the tables of docs/winfsp-native.md §1.2, §1.3 and
 * §3.1 (read back from the real headers compiled for x64). JNA lays fixed-width fields out on Linux
 * x86-64 as MSVC does on x64.
 */
class WinFspLayoutTest {

    private static void assertLayout(Structure s, int size, Map<String, Integer> offsets) {
        assertEquals(size, s.size(), s.getClass().getSimpleName() + " size");
        offsets.forEach((field, offset) ->
                assertEquals(offset, StructLayout.offsetOf(s, field), s.getClass().getSimpleName() + "." + field));
        assertEquals(offsets.keySet().size(), s.getClass().getAnnotation(Structure.FieldOrder.class).value().length, "every field is checked");
    }

    private static Map<String, Integer> offsets(Object... pairs) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return m;
    }

    @Test
    void volumeParamsV1Is504() {
        assertLayout(new FspFsctlVolumeParams(), 504, offsets(
                "Version", 0, "SectorSize", 2, "SectorsPerAllocationUnit", 4, "MaxComponentLength", 6,
                "VolumeCreationTime", 8, "VolumeSerialNumber", 16, "TransactTimeout", 20, "IrpTimeout", 24,
                "IrpCapacity", 28, "FileInfoTimeout", 32, "Flags", 36, "Prefix", 40, "FileSystemName", 424,
                "AdditionalFlags", 456, "VolumeInfoTimeout", 460, "DirInfoTimeout", 464, "SecurityTimeout", 468,
                "StreamInfoTimeout", 472, "EaTimeout", 476, "FsextControlCode", 480, "Reserved32", 484,
                "Reserved64", 488));
        assertEquals(384, new FspFsctlVolumeParams().Prefix.length, "WCHAR[192]");
        assertEquals(32, new FspFsctlVolumeParams().FileSystemName.length, "WCHAR[16]");
    }

    @Test
    void volumeInfoIs88() {
        assertLayout(new FspFsctlVolumeInfo(), 88, offsets(
                "TotalSize", 0, "FreeSize", 8, "VolumeLabelLength", 16, "VolumeLabel", 18));
        assertEquals(64, new FspFsctlVolumeInfo().VolumeLabel.length, "WCHAR[32]");
    }

    @Test
    void fileInfoIs72() {
        assertLayout(new FspFsctlFileInfo(), 72, offsets(
                "FileAttributes", 0, "ReparseTag", 4, "AllocationSize", 8, "FileSize", 16, "CreationTime", 24,
                "LastAccessTime", 32, "LastWriteTime", 40, "ChangeTime", 48, "IndexNumber", 56, "HardLinks", 64,
                "EaSize", 68));
    }

    @Test
    void fileInfoWriteStoresTheBytesTheStructureWould() {
        // every field distinct, with bytes set in each half, so a swapped or shifted field shows
        org.viofs.volume.FileInfo f = new org.viofs.volume.FileInfo(0x11223344, 0xA000000C, 0x0102030405060708L,
                0x1112131415161718L, 0x2122232425262728L, 0x3132333435363738L, 0x4142434445464748L,
                0x5152535455565758L, 0x6162636465666768L, 0x71727374, 0x7A7B7C7D);
        com.sun.jna.Memory direct = new com.sun.jna.Memory(80);
        direct.setLong(72, 0x0F0F0F0F0F0F0F0FL);
        FspFsctlFileInfo.write(direct, f);
        com.sun.jna.Memory viaStructure = new com.sun.jna.Memory(72);
        FspFsctlFileInfo s = new FspFsctlFileInfo(viaStructure);
        s.set(f);
        s.write();
        assertArrayEquals(viaStructure.getByteArray(0, 72), direct.getByteArray(0, 72));
        assertEquals(0x0F0F0F0F0F0F0F0FL, direct.getLong(72), "nothing written past the 72 bytes");
        assertEquals(f, FspFsctlFileInfo.read(direct), "read back as written");
    }

    @Test
    void openFileInfoIs88() {
        assertLayout(new FspFsctlOpenFileInfo(), 88, offsets(
                "FileInfo", 0, "NormalizedName", 72, "NormalizedNameSize", 80));
    }

    @Test
    void dirInfoFixedPartIs104WithTheNameAt104() {
        assertLayout(new FspFsctlDirInfo(), 104, offsets(
                "Size", 0, "FileInfo", 8, "NextOffset", 80, "Padding", 88));
        assertEquals(104, FspFsctlDirInfo.NAME_OFFSET);
    }

    @Test
    void streamInfoFixedPartIs24() {
        assertLayout(new FspFsctlStreamInfo(), 24, offsets("Size", 0, "StreamSize", 8, "StreamAllocationSize", 16));
        assertEquals(24, FspFsctlStreamInfo.NAME_OFFSET);
    }

    @Test
    void notifyInfoFixedPartIs12() {
        assertLayout(new FspFsctlNotifyInfo(), 12, offsets("Size", 0, "Filter", 4, "Action", 8));
        assertEquals(12, FspFsctlNotifyInfo.NAME_OFFSET);
    }

    @Test
    void fileSystemIs792WithUserContextAt8() {
        assertLayout(new FspFileSystemStruct(), 792, offsets(
                "Version", 0, "UserContext", 8, "VolumeName", 16, "VolumeHandle", 528, "EnterOperation", 536,
                "LeaveOperation", 544, "Operations", 552, "Interface", 728, "DispatcherThread", 736,
                "DispatcherThreadCount", 744, "DispatcherResult", 748, "MountPoint", 752, "MountHandle", 760,
                "DebugLog", 768, "OpGuardStrategy", 772, "OpGuardLock", 776, "UmFileContextIsUserContext2", 784,
                "UmFileContextIsFullContext", 785, "UmFlags", 786));
        assertEquals(8, FspFileSystemStruct.userContextOffset());
        assertEquals(752, FspFileSystemStruct.mountPointOffset());
    }

    @Test
    void interfaceTableIs64SlotsOf8Bytes() {
        assertEquals(64, WinFspConstants.INTERFACE_SLOTS);
        assertEquals(512, new FspCallbacks(new FakeVolume(), new FileContextTable(), new PortableInfoBuffer())
                .table().getByteArray(0, 512).length);
    }

    @Test
    void extendedAttributeSlotsAre27To30() {
        // docs/winfsp-native.md §2: CreateEx 216, OverwriteEx 224, GetEa 232, SetEa 240
        assertEquals(216, 8 * FspInterface.SLOT_CREATE_EX);
        assertEquals(224, 8 * FspInterface.SLOT_OVERWRITE_EX);
        assertEquals(232, 8 * FspInterface.SLOT_GET_EA);
        assertEquals(240, 8 * FspInterface.SLOT_SET_EA);
        assertEquals(0x100, VolumeFlag.EXTENDED_ATTRIBUTES.mask(), "§1.2 bit 8");
        assertEquals(0, VolumeFlag.EXTENDED_ATTRIBUTES.word(), "in the flags word at 36");
    }

    @Test
    void deviceNames() {
        assertEquals("WinFsp.Disk", WinFspConstants.DISK_DEVICE_NAME);
        assertEquals("WinFsp.Net", WinFspConstants.NET_DEVICE_NAME);
    }
}
