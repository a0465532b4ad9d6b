package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The native bytes of FSP_FSCTL_VOLUME_PARAMS (docs/winfsp-native.md §1.2; anchor volume §4.1). */
class VolumeParamsBuilderTest {
    private static final long T = 133_000_000_000_000_000L;

    private static Pointer build(MountOptions o) {
        return VolumeParamsBuilder.build(o, T).getPointer();
    }

    @Test
    void defaultsAreTheAnchorsVolumeWithVersion504() {
        Pointer p = build(MountOptions.builder().build());
        assertEquals(504, p.getShort(0), "Version = sizeof V1 so the V1 fields count");
        assertEquals(4096, p.getShort(2), "SectorSize");
        assertEquals(1, p.getShort(4), "SectorsPerAllocationUnit");
        assertEquals(255, p.getShort(6), "MaxComponentLength");
        assertEquals(T, p.getLong(8), "VolumeCreationTime");
        assertEquals(1000, p.getInt(32), "FileInfoTimeout 1 s");
        // CaseSensitiveSearch 0x1 (the volume's default, as the anchor without -i), CasePreservedNames 0x2,
        // UnicodeOnDisk 0x4, PersistentAcls 0x8, ReparsePoints 0x10, PostCleanupWhenModifiedOnly 0x400,
        // PassQueryDirectoryFileName 0x2000, FlushAndPurgeOnCleanup 0x4000, UmFileContextIsUserContext2 0x10000
        assertEquals(0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x400 | 0x2000 | 0x4000 | 0x10000, p.getInt(36));
        assertEquals("NTFS", new String(p.getByteArray(424, 8), StandardCharsets.UTF_16LE),
                "the name the anchor's installer writes (docs/viofs-anchor.md §5.4)");
        assertEquals(0, p.getShort(424 + 8), "NUL after the name");
        assertEquals(0, p.getShort(40), "no prefix for a disk volume");
        assertEquals(0, p.getInt(456), "no V1 timeout is valid unless given");
    }

    @Test
    void neverTheFullContextNorTheOffsetMarker() {
        int flags = build(MountOptions.builder().caseSensitive(true).readOnly(true).namedStreams(true).build())
                .getInt(36);
        assertEquals(0, flags & 0x00020000, "UmFileContextIsFullContext is exclusive with UserContext2");
        assertEquals(0, flags & 0x08000000, "markers are names, not NextOffset");
        assertEquals(0x1 | 0x200 | 0x40, flags & (0x1 | 0x200 | 0x40), "case-sensitive, read-only, streams");
    }

    @Test
    void v1TimeoutsCarryTheirValidBits() {
        Pointer p = build(MountOptions.builder().volumeInfoTimeoutMs(5000).dirInfoTimeoutMs(0)
                .securityTimeoutMs(250).build());
        assertEquals(0x1 | 0x2 | 0x4, p.getInt(456));
        assertEquals(5000, p.getInt(460));
        assertEquals(0, p.getInt(464));
        assertEquals(250, p.getInt(468));
        assertEquals(0, p.getInt(472));
    }

    @Test
    void allSixCacheTimeoutsAtTheirDocumentedOffsets() {
        // docs/winfsp-native.md §1.2: FileInfoTimeout at 32; VolumeInfo 460, DirInfo 464, Security 468,
        // StreamInfo 472, Ea 476, each honoured only with its Valid bit in the word at 456 (0x1, 0x2,
        // 0x4, 0x8, 0x10) and Version 504
        Pointer p = build(new CacheTimeouts(11, 22, 33, 44, 55, 66).applyTo(MountOptions.builder()).build());
        assertEquals(504, p.getShort(0) & 0xFFFF, "Version");
        assertEquals(11, p.getInt(32));
        assertEquals(33, p.getInt(460));
        assertEquals(22, p.getInt(464));
        assertEquals(44, p.getInt(468));
        assertEquals(55, p.getInt(472));
        assertEquals(66, p.getInt(476));
        assertEquals(0x1 | 0x2 | 0x4 | 0x8 | 0x10, p.getInt(456));
    }

    @Test
    void cacheTimeoutsMatchTheDaemonsAttributeTimeout() {
        assertEquals(new CacheTimeouts(0, 0, CacheTimeouts.VOLUME_INFO_MS, 0, 0, 0), CacheTimeouts.matching(Duration.ZERO));
        assertEquals(new CacheTimeouts(1500, 1500, 1000, 1500, 1500, 1500),
                CacheTimeouts.matching(Duration.ofMillis(1500)));
        assertEquals(Integer.MAX_VALUE, CacheTimeouts.matching(Duration.ofDays(100)).fileInfoMs(), "UINT32 ms, kept in range");
        assertThrows(IllegalArgumentException.class, () -> new CacheTimeouts(-1, 0, 0, 0, 0, 0));
    }

    @Test
    void aNetworkVolumeGetsThePrefixAndTheNetDevice() {
        MountOptions o = MountOptions.builder().networkPrefix("\\viofs\\share\\").mountPoint(null).build();
        Pointer p = build(o);
        assertEquals("\\viofs\\share", new String(p.getByteArray(40, 24), StandardCharsets.UTF_16LE));
        assertEquals(0, p.getShort(40 + 24));
        assertEquals("WinFsp.Net", VolumeParamsBuilder.devicePath(o));
        assertEquals("WinFsp.Disk", VolumeParamsBuilder.devicePath(MountOptions.builder().build()));
    }

    @Test
    void tooLongNamesAndOddSectorsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> build(MountOptions.builder().fileSystemName("0123456789abcdef").build()));
        build(MountOptions.builder().fileSystemName("0123456789abcde").build());
        assertThrows(IllegalArgumentException.class, () -> build(MountOptions.builder().sectorSize(3000).build()));
        assertThrows(IllegalArgumentException.class, () -> build(MountOptions.builder().sectorSize(65536).build()));
    }

    @Test
    void flagsWordsSplitByWord() {
        var flags = VolumeParamsBuilder.flags(MountOptions.builder().streamInfoTimeoutMs(1).build());
        assertTrue(flags.contains(VolumeFlag.STREAM_INFO_TIMEOUT_VALID));
        assertEquals(0x8, VolumeParamsBuilder.word(flags, 1));
    }

    @Test
    void extendedAttributesOnlyWhenTheTableHasTheEaSlots() {
        MountOptions o = MountOptions.builder().build();
        int without = VolumeParamsBuilder.build(o, T).getPointer().getInt(36);
        int with = VolumeParamsBuilder.build(o, T, true).getPointer().getInt(36);
        assertEquals(0, without & 0x100, "ExtendedAttributes (bit 8) off by default");
        assertEquals(without | 0x100, with, "on, and nothing else changes");
        assertEquals(without, VolumeParamsBuilder.build(o, T, false).getPointer().getInt(36));
    }
}
