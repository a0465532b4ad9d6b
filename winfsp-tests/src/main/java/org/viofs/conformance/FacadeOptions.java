package org.viofs.conformance;

import java.util.Set;

/**
 * What the WinFsp volume parameters would tell the FSD about the volume (winfsp-native.md §1.2),
 * for the facade: the same values the WinFsp binding puts in {@code FSP_FSCTL_VOLUME_PARAMS}.
 *
 * @param caseSensitive      CaseSensitiveSearch: names compare exactly; otherwise case-insensitively
 * @param sectorSize         SectorSize: the unit non-cached I/O must be aligned to
 * @param sectorsPerAllocationUnit SectorsPerAllocationUnit, for GetDiskFreeSpace
 * @param maxComponentLength MaxComponentLength, in UTF-16 units
 * @param fileSystemName     FileSystemName reported by GetVolumeInformation
 * @param namedStreams       NamedStreams: the volume stores {@code file:stream}
 * @param reparsePoints      ReparsePoints: the volume stores reparse points (symlinks)
 * @param persistentAcls     PersistentAcls: security descriptors are kept
 * @param volumeSerialNumber VolumeSerialNumber
 * @param callerSids         the SIDs of the emulated caller's token (user, groups), for access checks;
 *                           null = the volume root's owner plus Everyone, Authenticated Users,
 *                           BUILTIN\Users and BUILTIN\Administrators (winfsp-tests run elevated)
 */
public record FacadeOptions(
        boolean caseSensitive,
        int sectorSize,
        int sectorsPerAllocationUnit,
        int maxComponentLength,
        String fileSystemName,
        boolean namedStreams,
        boolean reparsePoints,
        boolean persistentAcls,
        int volumeSerialNumber,
        Set<String> callerSids) {

    /** Everyone, Authenticated Users, BUILTIN\Users, BUILTIN\Administrators. */
    public static final Set<String> DEFAULT_GROUP_SIDS = Set.of("S-1-1-0", "S-1-5-11", "S-1-5-32-545", "S-1-5-32-544");

    /** A case-sensitive volume with 512-byte sectors and every optional feature on. */
    public static FacadeOptions defaults() {
        return new FacadeOptions(true, 512, 8, 255, "NTFS", true, true, true, 0x56494F46 /* "VIOF" */, null);
    }

    public FacadeOptions withNamedStreams(boolean on) {
        return new FacadeOptions(caseSensitive, sectorSize, sectorsPerAllocationUnit, maxComponentLength,
                fileSystemName, on, reparsePoints, persistentAcls, volumeSerialNumber, callerSids);
    }

    public FacadeOptions withCaseSensitive(boolean on) {
        return new FacadeOptions(on, sectorSize, sectorsPerAllocationUnit, maxComponentLength,
                fileSystemName, namedStreams, reparsePoints, persistentAcls, volumeSerialNumber, callerSids);
    }

    public FacadeOptions withCallerSids(Set<String> sids) {
        return new FacadeOptions(caseSensitive, sectorSize, sectorsPerAllocationUnit, maxComponentLength,
                fileSystemName, namedStreams, reparsePoints, persistentAcls, volumeSerialNumber, sids);
    }

    /** The FileSystemFlags word GetVolumeInformation reports (winnt.h FILE_* volume flags). */
    public int fileSystemFlags() {
        int flags = Win32.FILE_CASE_PRESERVED_NAMES | Win32.FILE_UNICODE_ON_DISK;
        if (caseSensitive) {
            flags |= Win32.FILE_CASE_SENSITIVE_SEARCH;
        }
        if (persistentAcls) {
            flags |= Win32.FILE_PERSISTENT_ACLS;
        }
        if (reparsePoints) {
            flags |= Win32.FILE_SUPPORTS_REPARSE_POINTS;
        }
        if (namedStreams) {
            flags |= Win32.FILE_NAMED_STREAMS;
        }
        return flags;
    }
}
