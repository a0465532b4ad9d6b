package org.viofs.conformance;

import java.util.Objects;
import java.util.Set;

/**
 * What the WinFsp volume parameters would tell the FSD about the volume (docs/winfsp-native.md §1.2),
 * for the facade: the same values the WinFsp binding puts in {@code FSP_FSCTL_VOLUME_PARAMS}, plus
 * who the emulated caller is. Immutable; build with {@link #builder()} (or {@link #defaults()}, then
 * {@link #toBuilder()}).
 */
public final class FacadeOptions {

    /** Everyone, Authenticated Users, BUILTIN\Users, BUILTIN\Administrators. */
    public static final Set<String> DEFAULT_GROUP_SIDS = Set.of("S-1-1-0", "S-1-5-11", "S-1-5-32-545", "S-1-5-32-544");
    /** The default VolumeSerialNumber, "VIOF". */
    public static final int DEFAULT_VOLUME_SERIAL_NUMBER = 0x56494F46;

    private final boolean caseSensitive;
    private final int sectorSize;
    private final int sectorsPerAllocationUnit;
    private final int maxComponentLength;
    private final String fileSystemName;
    private final boolean namedStreams;
    private final boolean reparsePoints;
    private final boolean persistentAcls;
    private final boolean postCleanupWhenModifiedOnly;
    private final int volumeSerialNumber;
    private final Set<String> callerSids;

    private FacadeOptions(Builder b) {
        caseSensitive = b.caseSensitive;
        sectorSize = b.sectorSize;
        sectorsPerAllocationUnit = b.sectorsPerAllocationUnit;
        maxComponentLength = b.maxComponentLength;
        fileSystemName = b.fileSystemName;
        namedStreams = b.namedStreams;
        reparsePoints = b.reparsePoints;
        persistentAcls = b.persistentAcls;
        postCleanupWhenModifiedOnly = b.postCleanupWhenModifiedOnly;
        volumeSerialNumber = b.volumeSerialNumber;
        callerSids = b.callerSids;
    }

    /** A case-sensitive volume with 512-byte sectors, 8 per allocation unit, and every optional feature on. */
    public static FacadeOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .caseSensitive(caseSensitive)
                .sectorSize(sectorSize)
                .sectorsPerAllocationUnit(sectorsPerAllocationUnit)
                .maxComponentLength(maxComponentLength)
                .fileSystemName(fileSystemName)
                .namedStreams(namedStreams)
                .reparsePoints(reparsePoints)
                .persistentAcls(persistentAcls)
                .postCleanupWhenModifiedOnly(postCleanupWhenModifiedOnly)
                .volumeSerialNumber(volumeSerialNumber)
                .callerSids(callerSids);
    }

    /** CaseSensitiveSearch: names compare exactly; otherwise case-insensitively. */
    public boolean caseSensitive() {
        return caseSensitive;
    }

    /** SectorSize: the unit non-cached I/O must be aligned to. */
    public int sectorSize() {
        return sectorSize;
    }

    /** SectorsPerAllocationUnit, for GetDiskFreeSpace and the FSD's allocation rounding. */
    public int sectorsPerAllocationUnit() {
        return sectorsPerAllocationUnit;
    }

    /** SectorSize × SectorsPerAllocationUnit, in bytes. */
    public long allocationUnit() {
        return (long) sectorSize * sectorsPerAllocationUnit;
    }

    /** MaxComponentLength, in UTF-16 units. */
    public int maxComponentLength() {
        return maxComponentLength;
    }

    /** FileSystemName reported by GetVolumeInformation. */
    public String fileSystemName() {
        return fileSystemName;
    }

    /** NamedStreams: the volume stores {@code file:stream}. */
    public boolean namedStreams() {
        return namedStreams;
    }

    /** ReparsePoints: the volume stores reparse points (symlinks). */
    public boolean reparsePoints() {
        return reparsePoints;
    }

    /** PersistentAcls: security descriptors are kept. */
    public boolean persistentAcls() {
        return persistentAcls;
    }

    /**
     * PostCleanupWhenModifiedOnly (VOLUME_PARAMS bit 10, set by the WinFsp binding): the FSD sends
     * no Cleanup that would carry no flag but SetLastAccessTime ({@link CleanupRule}).
     */
    public boolean postCleanupWhenModifiedOnly() {
        return postCleanupWhenModifiedOnly;
    }

    /** VolumeSerialNumber. */
    public int volumeSerialNumber() {
        return volumeSerialNumber;
    }

    /**
     * The SIDs of the emulated caller's token (user, groups), for access checks; null = the volume
     * root's owner plus {@link #DEFAULT_GROUP_SIDS} (winfsp-tests run elevated).
     */
    public Set<String> callerSids() {
        return callerSids;
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

    @Override
    public String toString() {
        return "FacadeOptions[caseSensitive=" + caseSensitive + ", sectorSize=" + sectorSize
                + ", sectorsPerAllocationUnit=" + sectorsPerAllocationUnit + ", maxComponentLength="
                + maxComponentLength + ", fileSystemName=" + fileSystemName + ", namedStreams=" + namedStreams
                + ", reparsePoints=" + reparsePoints + ", persistentAcls=" + persistentAcls
                + ", postCleanupWhenModifiedOnly=" + postCleanupWhenModifiedOnly + ", volumeSerialNumber=0x"
                + Integer.toHexString(volumeSerialNumber) + ", callerSids=" + callerSids + "]";
    }

    /** Defaults: as {@link #defaults()}; file system name "NTFS", all features on, caller SIDs from the root. */
    public static final class Builder {
        private boolean caseSensitive = true;
        private int sectorSize = 512;
        private int sectorsPerAllocationUnit = 8;
        private int maxComponentLength = 255;
        private String fileSystemName = "NTFS";
        private boolean namedStreams = true;
        private boolean reparsePoints = true;
        private boolean persistentAcls = true;
        private boolean postCleanupWhenModifiedOnly = true;
        private int volumeSerialNumber = DEFAULT_VOLUME_SERIAL_NUMBER;
        private Set<String> callerSids;

        private Builder() {
        }

        public Builder caseSensitive(boolean v) {
            caseSensitive = v;
            return this;
        }

        public Builder sectorSize(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("sector size must be positive: " + v);
            }
            sectorSize = v;
            return this;
        }

        public Builder sectorsPerAllocationUnit(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("sectors per allocation unit must be positive: " + v);
            }
            sectorsPerAllocationUnit = v;
            return this;
        }

        public Builder maxComponentLength(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("max component length must be positive: " + v);
            }
            maxComponentLength = v;
            return this;
        }

        public Builder fileSystemName(String v) {
            fileSystemName = Objects.requireNonNull(v, "fileSystemName");
            return this;
        }

        public Builder namedStreams(boolean v) {
            namedStreams = v;
            return this;
        }

        public Builder reparsePoints(boolean v) {
            reparsePoints = v;
            return this;
        }

        public Builder persistentAcls(boolean v) {
            persistentAcls = v;
            return this;
        }

        public Builder postCleanupWhenModifiedOnly(boolean v) {
            postCleanupWhenModifiedOnly = v;
            return this;
        }

        public Builder volumeSerialNumber(int v) {
            volumeSerialNumber = v;
            return this;
        }

        /** The caller's SIDs, or null for the root's owner plus {@link #DEFAULT_GROUP_SIDS}. */
        public Builder callerSids(Set<String> v) {
            callerSids = v == null ? null : Set.copyOf(v);
            return this;
        }

        public FacadeOptions build() {
            return new FacadeOptions(this);
        }
    }
}
