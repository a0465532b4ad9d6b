package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host's sequence against a stand-in for winfsp-x64.dll that records calls: create → mount →
 * start, and StopDispatcher → RemoveMountPoint → Delete (docs/winfsp-native.md §3.2, §5.1). No DLL involved.
 */
class WinFspHostTest {

    private final RecordingWinFsp dll = new RecordingWinFsp();

    @Test
    void mountsOnTheFirstFreeLetterAndUnmountsInOrder() {
        WinFspHost host = WinFspHost.mount(dll, new FakeVolume(), MountOptions.builder().build(), 1L);
        assertEquals(List.of("Create WinFsp.Disk", "SetMountPoint null", "StartDispatcher 0"), dll.calls);
        assertEquals("Z:", host.mountPoint(), "read back from FSP_FILE_SYSTEM.MountPoint @752");
        assertEquals(504, dll.volumeParams[0] & 0xFF | (dll.volumeParams[1] & 0xFF) << 8);
        assertTrue(dll.interfaceTable.getPointer(8L * FspInterface.SLOT_OPEN) != null);
        assertEquals(4711, host.operationProcessId());
        host.close();
        host.close();
        assertEquals(List.of("Create WinFsp.Disk", "SetMountPoint null", "StartDispatcher 0", "StopDispatcher",
                "RemoveMountPoint", "Delete"), dll.calls);
    }

    @Test
    void aNetworkVolumeWithoutMountPointIsNotMounted() {
        WinFspHost host = WinFspHost.mount(dll, new FakeVolume(),
                MountOptions.builder().networkPrefix("\\viofs\\share").mountPoint(null).dispatcherThreads(4).build(), 1L);
        assertNull(host.mountPoint());
        host.close();
        assertEquals(List.of("Create WinFsp.Net", "StartDispatcher 4", "StopDispatcher", "Delete"), dll.calls);
        assertEquals("\\viofs\\share", new String(dll.volumeParams, 40, 24, StandardCharsets.UTF_16LE));
    }

    @Test
    void aBadMountPointFailsBeforeAnythingNative() {
        assertThrows(IllegalArgumentException.class,
                () -> WinFspHost.mount(dll, new FakeVolume(), MountOptions.builder().mountPoint("XY").build(), 1L));
        assertTrue(dll.calls.isEmpty());
    }

    @Test
    void aFailedCreateLeavesNothing() {
        dll.createStatus = 0xC000000D;
        WinFspException e = assertThrows(WinFspException.class,
                () -> WinFspHost.mount(dll, new FakeVolume(), MountOptions.builder().mountPoint("X:").build(), 1L));
        assertEquals(0xC000000D, e.status());
        assertTrue(e.getMessage().startsWith("FspFileSystemCreate failed with"), e.getMessage());
        assertEquals(List.of("Create WinFsp.Disk"), dll.calls);
    }

    @Test
    void aFailedMountDeletesTheFileSystem() {
        dll.mountStatus = 0xC0000035; // OBJECT_NAME_COLLISION: the letter is taken
        assertThrows(WinFspException.class,
                () -> WinFspHost.mount(dll, new FakeVolume(), MountOptions.builder().mountPoint("X:").build(), 1L));
        assertEquals(List.of("Create WinFsp.Disk", "SetMountPoint X:", "Delete"), dll.calls);
    }

    @Test
    void aFailedStartRemovesTheMountPointThenDeletes() {
        dll.startStatus = 0xC0000001;
        assertThrows(WinFspException.class,
                () -> WinFspHost.mount(dll, new FakeVolume(), MountOptions.builder().mountPoint("X:").build(), 1L));
        assertEquals(List.of("Create WinFsp.Disk", "SetMountPoint X:", "StartDispatcher 0", "RemoveMountPoint",
                "Delete"), dll.calls);
    }

    @Test
    void notifyBuildsANotifyInfoRecord() {
        WinFspHost host = WinFspHost.mount(dll, new FakeVolume(), MountOptions.builder().mountPoint("X:").build(), 1L);
        host.notifyChanged(0x1, 3, "\\dir\\fg", 1000);
        assertEquals(List.of("NotifyBegin 1000", "Notify 32 26 1 3 \\dir\\fg", "NotifyEnd"),
                dll.calls.subList(3, 6));
        host.close();
    }

    private int flagsWord0() {
        return dll.volumeParams[36] & 0xFF | (dll.volumeParams[37] & 0xFF) << 8 | (dll.volumeParams[38] & 0xFF) << 16
                | (dll.volumeParams[39] & 0xFF) << 24;
    }

    @Test
    void aVolumeWithEasGetsTheFlagAndTheSlots() {
        FakeVolume volume = new FakeVolume();
        volume.eas = true;
        WinFspHost host = WinFspHost.mount(dll, volume, MountOptions.builder().build(), 1L);
        assertEquals(0x100, flagsWord0() & 0x100, "ExtendedAttributes, bit 8 of VOLUME_PARAMS+36");
        for (int slot = 27; slot <= 30; slot++) {
            assertTrue(dll.interfaceTable.getPointer(8L * slot) != null, "slot " + slot);
        }
        host.close();
    }

    @Test
    void aVolumeWithoutEasGetsNeitherFlagNorSlots() {
        WinFspHost host = WinFspHost.mount(dll, new FakeVolume(), MountOptions.builder().build(), 1L);
        assertEquals(0, flagsWord0() & 0x100);
        for (int slot = 27; slot <= 30; slot++) {
            assertNull(dll.interfaceTable.getPointer(8L * slot), "slot " + slot);
        }
        host.close();
    }

    /** A volume that says it is read-only (a share the host exports read-only) is mounted ReadOnlyVolume. */
    @Test
    void aReadOnlyVolumeGetsTheReadOnlyVolumeFlag() {
        FakeVolume volume = new FakeVolume();
        volume.readOnly = true;
        WinFspHost host = WinFspHost.mount(dll, volume, MountOptions.builder().build(), 1L);
        assertEquals(1 << 9, flagsWord0() & (1 << 9), "ReadOnlyVolume, bit 9 of VOLUME_PARAMS+36");
        host.close();
        WinFspHost writable = WinFspHost.mount(dll, new FakeVolume(), MountOptions.builder().build(), 1L);
        assertEquals(0, flagsWord0() & (1 << 9), "a writable volume without the option");
        writable.close();
    }
}
