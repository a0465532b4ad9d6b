package org.viofs.bridge.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** IOCTL codes from CTL_CODE against the numbers in docs/viofs-anchor.md §1.4. */
class ViofsIoctlTest {

    @Test
    void getVolumeNameIsFunction0x800Buffered() {
        assertEquals(0x00226000, ViofsIoctl.ctlCode(0x22, 0x800, 0, 1));
        assertEquals(0x00226000, ViofsIoctl.GET_VOLUME_NAME);
    }

    @Test
    void fuseRequestOfCurrentDriversIsOutDirect() {
        assertEquals(0x0022E006, ViofsIoctl.ctlCode(0x22, 0x801, 2, 3));
        assertEquals(0x0022E006, ViofsIoctl.FUSE_REQUEST);
    }

    @Test
    void fuseRequestOfOldDriversIsBuffered() {
        assertEquals(0x0022E004, ViofsIoctl.ctlCode(0x22, 0x801, 0, 3));
        assertEquals(0x0022E004, ViofsIoctl.FUSE_REQUEST_BUFFERED);
    }

    @Test
    void zeroCopyReadIsFunction0x802OutDirect() {
        assertEquals(0x0022E00A, ViofsIoctl.ctlCode(0x22, 0x802, 2, 3));
        assertEquals(0x0022E00A, ViofsIoctl.FUSE_REQUEST_READ);
    }

    @Test
    void winioctlConstants() {
        assertEquals(0x22, ViofsIoctl.FILE_DEVICE_UNKNOWN);
        assertEquals(0, ViofsIoctl.METHOD_BUFFERED);
        assertEquals(2, ViofsIoctl.METHOD_OUT_DIRECT);
        assertEquals(1, ViofsIoctl.FILE_READ_ACCESS);
        assertEquals(2, ViofsIoctl.FILE_WRITE_ACCESS);
    }

    @Test
    void describeNamesTheCode() {
        assertEquals("FUSE_REQUEST (0x0022E006)", ViofsIoctl.describe(0x0022E006));
    }
}
