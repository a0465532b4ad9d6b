package org.viofs.winfsp;

import org.viofs.volume.VolumeConfig;

/**
 * How a volume is presented to Windows. Defaults follow the anchor's volume (docs/viofs-anchor.md §4.1):
 * 4 KiB sectors, one sector per allocation unit, FileInfoTimeout 1 s, a disk device on the first free
 * drive letter. The settings a volume also knows (file system name, case sensitivity, read-only,
 * streams) default to {@link VolumeConfig}'s, and {@link #forVolume} takes them from a configuration,
 * so the two never disagree (org.viofs.service.Setting documents each default and its reason).
 * Immutable; build with {@link #builder()}.
 */
public final class MountOptions {
    /** The default file system name: the volume's ({@link VolumeConfig#DEFAULT_FILE_SYSTEM_NAME}). */
    public static final String DEFAULT_FILE_SYSTEM_NAME = VolumeConfig.DEFAULT_FILE_SYSTEM_NAME;

    final String mountPoint;
    final String networkPrefix;
    final String fileSystemName;
    final boolean caseSensitive;
    final boolean readOnly;
    final boolean namedStreams;
    final boolean flushAndPurgeOnCleanup;
    final int sectorSize;
    final int sectorsPerAllocationUnit;
    final int maxComponentLength;
    final int fileInfoTimeoutMs;
    final Integer volumeInfoTimeoutMs;
    final Integer dirInfoTimeoutMs;
    final Integer securityTimeoutMs;
    final Integer streamInfoTimeoutMs;
    final Integer eaTimeoutMs;
    final int volumeSerialNumber;
    final int dispatcherThreads;
    final int debugLogMask;

    private MountOptions(Builder b) {
        mountPoint = b.mountPoint;
        networkPrefix = b.networkPrefix;
        fileSystemName = b.fileSystemName;
        caseSensitive = b.caseSensitive;
        readOnly = b.readOnly;
        namedStreams = b.namedStreams;
        flushAndPurgeOnCleanup = b.flushAndPurgeOnCleanup;
        sectorSize = b.sectorSize;
        sectorsPerAllocationUnit = b.sectorsPerAllocationUnit;
        maxComponentLength = b.maxComponentLength;
        fileInfoTimeoutMs = b.fileInfoTimeoutMs;
        volumeInfoTimeoutMs = b.volumeInfoTimeoutMs;
        dirInfoTimeoutMs = b.dirInfoTimeoutMs;
        securityTimeoutMs = b.securityTimeoutMs;
        streamInfoTimeoutMs = b.streamInfoTimeoutMs;
        eaTimeoutMs = b.eaTimeoutMs;
        volumeSerialNumber = b.volumeSerialNumber;
        dispatcherThreads = b.dispatcherThreads;
        debugLogMask = b.debugLogMask;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder preset from a volume's configuration: file system name, CaseSensitiveSearch (the
     * volume's case mode), read-only, NamedStreams (streams live in xattrs) and its drive, if known.
     */
    public static Builder forVolume(VolumeConfig config) {
        Builder b = new Builder()
                .fileSystemName(config.fileSystemName())
                .caseSensitive(!config.caseInsensitive())
                .readOnly(config.readOnly())
                .namedStreams(config.xattrs());
        if (config.mountPoint() != null) {
            b.mountPoint(config.mountPoint());
        }
        return b;
    }

    public String fileSystemName() {
        return fileSystemName;
    }

    public boolean caseSensitive() {
        return caseSensitive;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public boolean namedStreams() {
        return namedStreams;
    }

    public int sectorSize() {
        return sectorSize;
    }

    public int sectorsPerAllocationUnit() {
        return sectorsPerAllocationUnit;
    }

    public int maxComponentLength() {
        return maxComponentLength;
    }

    public int volumeSerialNumber() {
        return volumeSerialNumber;
    }

    /** The mount point text as given ({@link MountPoint#parse}). */
    public String mountPoint() {
        return mountPoint;
    }

    /** {@code \server\share} for a network volume, or null for a disk volume. */
    public String networkPrefix() {
        return networkPrefix;
    }

    /** Whether this is a network volume (WinFsp.Net). */
    public boolean network() {
        return networkPrefix != null;
    }

    /** Dispatcher threads; 0 = WinFsp's default. */
    public int dispatcherThreads() {
        return dispatcherThreads;
    }

    /** FspFileSystemSetDebugLogF mask; 0 = no debug log. */
    public int debugLogMask() {
        return debugLogMask;
    }

    /** Fluent builder; every setter returns this. */
    public static final class Builder {
        private String mountPoint = "*";
        private String networkPrefix;
        private String fileSystemName = DEFAULT_FILE_SYSTEM_NAME;
        private boolean caseSensitive = !VolumeConfig.builder().build().caseInsensitive();
        private boolean readOnly;
        private boolean namedStreams;
        private boolean flushAndPurgeOnCleanup = true;
        private int sectorSize = 4096;
        private int sectorsPerAllocationUnit = 1;
        private int maxComponentLength = 255;
        private int fileInfoTimeoutMs = 1000;
        private Integer volumeInfoTimeoutMs;
        private Integer dirInfoTimeoutMs;
        private Integer securityTimeoutMs;
        private Integer streamInfoTimeoutMs;
        private Integer eaTimeoutMs;
        private int volumeSerialNumber;
        private int dispatcherThreads;
        private int debugLogMask;

        private Builder() {
        }

        /** "X:", "*" (default), a non-existing directory, or "\\.\X:". */
        public Builder mountPoint(String v) {
            mountPoint = v;
            return this;
        }

        /** Makes it a network volume reachable as {@code \\server\share}; null (default) = disk. */
        public Builder networkPrefix(String v) {
            networkPrefix = v;
            return this;
        }

        /** At most 15 characters; WinFsp prefixes names starting with '-', '/' or '\' with "WinFsp". */
        public Builder fileSystemName(String v) {
            fileSystemName = v;
            return this;
        }

        public Builder caseSensitive(boolean v) {
            caseSensitive = v;
            return this;
        }

        public Builder readOnly(boolean v) {
            readOnly = v;
            return this;
        }

        public Builder namedStreams(boolean v) {
            namedStreams = v;
            return this;
        }

        /** Keep file data off the standby list after Cleanup (anchor: on). */
        public Builder flushAndPurgeOnCleanup(boolean v) {
            flushAndPurgeOnCleanup = v;
            return this;
        }

        public Builder sectorSize(int v) {
            sectorSize = v;
            return this;
        }

        public Builder sectorsPerAllocationUnit(int v) {
            sectorsPerAllocationUnit = v;
            return this;
        }

        public Builder maxComponentLength(int v) {
            maxComponentLength = v;
            return this;
        }

        public Builder fileInfoTimeoutMs(int v) {
            fileInfoTimeoutMs = v;
            return this;
        }

        /** Sets the V1 VolumeInfoTimeout and its Valid bit; null = use FileInfoTimeout. */
        public Builder volumeInfoTimeoutMs(Integer v) {
            volumeInfoTimeoutMs = v;
            return this;
        }

        public Builder dirInfoTimeoutMs(Integer v) {
            dirInfoTimeoutMs = v;
            return this;
        }

        public Builder securityTimeoutMs(Integer v) {
            securityTimeoutMs = v;
            return this;
        }

        public Builder streamInfoTimeoutMs(Integer v) {
            streamInfoTimeoutMs = v;
            return this;
        }

        /** Sets the V1 EaTimeout and its Valid bit; null = use FileInfoTimeout. */
        public Builder eaTimeoutMs(Integer v) {
            eaTimeoutMs = v;
            return this;
        }

        public Builder volumeSerialNumber(int v) {
            volumeSerialNumber = v;
            return this;
        }

        public Builder dispatcherThreads(int v) {
            dispatcherThreads = v;
            return this;
        }

        /** Bit {@code 1 << transactKind}; 0xFFFFFFFF = all; 0 (default) = none. */
        public Builder debugLogMask(int v) {
            debugLogMask = v;
            return this;
        }

        public MountOptions build() {
            return new MountOptions(this);
        }
    }
}
