package org.viofs.bridge.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestIoctlProbeTest {

    @Test
    void triesTheCurrentCodeFirstThenTheBufferedOne() {
        RequestIoctlProbe p = new RequestIoctlProbe();
        assertEquals(0x0022E006, p.requestCode());
        assertTrue(p.rejected());
        assertEquals(0x0022E004, p.requestCode());
        assertFalse(p.rejected(), "no third code");
    }

    @Test
    void anAcceptedCodeIsKeptEvenIfLaterRejected() {
        RequestIoctlProbe p = new RequestIoctlProbe();
        p.accepted();
        assertFalse(p.rejected());
        assertEquals(0x0022E006, p.requestCode());
    }

    @Test
    void readProbeIsRecordedOnce() {
        RequestIoctlProbe p = new RequestIoctlProbe();
        assertNull(p.readAccepted());
        p.readProbed(false);
        p.readProbed(true);
        assertEquals(Boolean.FALSE, p.readAccepted());
    }
}
