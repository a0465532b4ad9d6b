package org.viofs.bridge.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.viofs.bridge.DeviceRemovedException;
import org.viofs.bridge.TransportException;

/** Win32 numbers from winerror.h; meanings from docs/viofs-anchor.md §1.7. */
class Win32ErrorMapperTest {
    private static final String PATH = "\\\\?\\pci#ven_1af4&dev_105a#x#{a1b0cbf2-f488-4b29-b89f-16c78e68c737}";

    private static TransportException map(int code) {
        return Win32ErrorMapper.map(new Win32CallException("DeviceIoControl(FUSE_REQUEST (0x0022E006))", code), PATH);
    }

    @Test
    void winerrorNumbers() {
        assertEquals(1, Win32Error.ERROR_INVALID_FUNCTION);
        assertEquals(2, Win32Error.ERROR_FILE_NOT_FOUND);
        assertEquals(22, Win32Error.ERROR_BAD_COMMAND);
        assertEquals(31, Win32Error.ERROR_GEN_FAILURE);
        assertEquals(55, Win32Error.ERROR_DEV_NOT_EXIST);
        assertEquals(122, Win32Error.ERROR_INSUFFICIENT_BUFFER);
        assertEquals(259, Win32Error.ERROR_NO_MORE_ITEMS);
        assertEquals(433, Win32Error.ERROR_NO_SUCH_DEVICE);
        assertEquals(995, Win32Error.ERROR_OPERATION_ABORTED);
        assertEquals(1167, Win32Error.ERROR_DEVICE_NOT_CONNECTED);
        assertEquals(1450, Win32Error.ERROR_NO_SYSTEM_RESOURCES);
        assertEquals(1617, Win32Error.ERROR_DEVICE_REMOVED);
    }

    @Test
    void deviceGoneErrorsBecomeDeviceRemoved() {
        for (int code : new int[] {2, 3, 6, 21, 22, 55, 433, 1167, 1617}) {
            TransportException e = map(code);
            assertInstanceOf(DeviceRemovedException.class, e, Win32Error.describe(code));
            assertTrue(e.getMessage().contains(PATH));
        }
    }

    @Test
    void requestErrorsKeepTheirNumberAndSayWhy() {
        assertWhy(1, "incompatible generations");
        assertWhy(31, "queue-size=1024");
        assertWhy(122, "minimum");
        assertWhy(995, "cancelled");
        assertWhy(1450, "resources");
    }

    private static void assertWhy(int code, String words) {
        TransportException e = map(code);
        Win32TransportException w = assertInstanceOf(Win32TransportException.class, e);
        assertEquals(code, w.win32Error());
        assertTrue(e.getMessage().contains(Win32Error.describe(code)), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    @Test
    void describeNamesKnownAndUnknownNumbers() {
        assertEquals("ERROR_GEN_FAILURE (31)", Win32Error.describe(31));
        assertEquals("Win32 error 4711", Win32Error.describe(4711));
    }
}
