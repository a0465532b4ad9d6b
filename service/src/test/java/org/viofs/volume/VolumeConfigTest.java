package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VolumeConfigTest {

    @Test
    void defaults() {
        VolumeConfig c = VolumeConfig.builder().mountTag("share").build();
        assertEquals("NTFS", c.fileSystemName());
        assertFalse(c.caseInsensitive());
        assertFalse(c.readOnly());
        assertTrue(c.hideDotFiles());
        assertEquals("share", c.effectiveLabel(), "label = mount tag unless set");
        assertEquals("mine", c.toBuilder().volumeLabel("mine").build().effectiveLabel());
        assertEquals(-1, c.ownerUid());
    }

    @Test
    void ownerAndNames() {
        VolumeConfig c = VolumeConfig.builder().owner("1000:100").fileSystemName("NTFS").build();
        assertEquals(1000, c.ownerUid());
        assertEquals(100, c.ownerGid());
        assertEquals("NTFS", c.fileSystemName());
        assertThrows(IllegalArgumentException.class, () -> VolumeConfig.builder().owner("1000"));
        assertThrows(IllegalArgumentException.class, () -> VolumeConfig.builder().owner("a:b"));
        assertThrows(IllegalArgumentException.class, () -> VolumeConfig.builder().fileSystemName("X".repeat(17)).build());
        assertThrows(IllegalArgumentException.class, () -> VolumeConfig.builder().volumeLabel("L".repeat(33)).build());
    }
}
