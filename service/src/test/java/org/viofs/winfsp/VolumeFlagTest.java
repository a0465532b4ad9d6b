package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Masks from the flags tables of docs/winfsp-native.md §1.2. */
class VolumeFlagTest {

    @Test
    void kernelFlagsWordAt36() {
        assertEquals(0x00000001, VolumeFlag.CASE_SENSITIVE_SEARCH.mask());
        assertEquals(0x00000002, VolumeFlag.CASE_PRESERVED_NAMES.mask());
        assertEquals(0x00000004, VolumeFlag.UNICODE_ON_DISK.mask());
        assertEquals(0x00000008, VolumeFlag.PERSISTENT_ACLS.mask());
        assertEquals(0x00000010, VolumeFlag.REPARSE_POINTS.mask());
        assertEquals(0x00000020, VolumeFlag.REPARSE_POINTS_ACCESS_CHECK.mask());
        assertEquals(0x00000040, VolumeFlag.NAMED_STREAMS.mask());
        assertEquals(0x00000080, VolumeFlag.HARD_LINKS.mask());
        assertEquals(0x00000100, VolumeFlag.EXTENDED_ATTRIBUTES.mask());
        assertEquals(0x00000200, VolumeFlag.READ_ONLY_VOLUME.mask());
        assertEquals(0x00000400, VolumeFlag.POST_CLEANUP_WHEN_MODIFIED_ONLY.mask());
        assertEquals(0x00000800, VolumeFlag.PASS_QUERY_DIRECTORY_PATTERN.mask());
        assertEquals(0x00001000, VolumeFlag.ALWAYS_USE_DOUBLE_BUFFERING.mask());
        assertEquals(0x00002000, VolumeFlag.PASS_QUERY_DIRECTORY_FILE_NAME.mask());
        assertEquals(0x00004000, VolumeFlag.FLUSH_AND_PURGE_ON_CLEANUP.mask());
        assertEquals(0x00008000, VolumeFlag.DEVICE_CONTROL.mask());
        assertEquals(0x00010000, VolumeFlag.UM_FILE_CONTEXT_IS_USER_CONTEXT2.mask());
        assertEquals(0x00020000, VolumeFlag.UM_FILE_CONTEXT_IS_FULL_CONTEXT.mask());
        assertEquals(0x00040000, VolumeFlag.UM_NO_REPARSE_POINTS_DIR_CHECK.mask());
        assertEquals(0x01000000, VolumeFlag.ALLOW_OPEN_IN_KERNEL_MODE.mask());
        assertEquals(0x02000000, VolumeFlag.CASE_PRESERVED_EXTENDED_ATTRIBUTES.mask());
        assertEquals(0x04000000, VolumeFlag.WSL_FEATURES.mask());
        assertEquals(0x08000000, VolumeFlag.DIRECTORY_MARKER_AS_NEXT_OFFSET.mask());
        assertEquals(0x10000000, VolumeFlag.REJECT_IRP_PRIOR_TO_TRANSACT0.mask());
        assertEquals(0x20000000, VolumeFlag.SUPPORTS_POSIX_UNLINK_RENAME.mask());
        assertEquals(0x40000000, VolumeFlag.POST_DISPOSITION_WHEN_NECESSARY_ONLY.mask());
        for (VolumeFlag f : VolumeFlag.values()) {
            if (f.name().endsWith("_VALID")) {
                assertEquals(1, f.word(), f.name());
            } else {
                assertEquals(0, f.word(), f.name());
            }
        }
    }

    @Test
    void validBitsWordAt456() {
        assertEquals(0x1, VolumeFlag.VOLUME_INFO_TIMEOUT_VALID.mask());
        assertEquals(0x2, VolumeFlag.DIR_INFO_TIMEOUT_VALID.mask());
        assertEquals(0x4, VolumeFlag.SECURITY_TIMEOUT_VALID.mask());
        assertEquals(0x8, VolumeFlag.STREAM_INFO_TIMEOUT_VALID.mask());
        assertEquals(0x10, VolumeFlag.EA_TIMEOUT_VALID.mask());
    }
}
