package org.viofs.winfsp;

import java.util.EnumSet;
import java.util.Set;

/**
 * Turns {@link MountOptions} into {@code FSP_FSCTL_VOLUME_PARAMS} (docs/winfsp-native.md §1.2). Pure Java.
 *
 * <p>Always set: Version 504 (so the V1 timeouts count), CasePreservedNames, UnicodeOnDisk,
 * PersistentAcls, ReparsePoints, PostCleanupWhenModifiedOnly, PassQueryDirectoryFileName (the volume
 * implements GetDirInfoByName) and UmFileContextIsUserContext2 (FileContext = the per-handle id of
 * {@link FileContextTable}). Never set: DirectoryMarkerAsNextOffset (the volume's markers are names),
 * UmFileContextIsFullContext (exclusive with UserContext2), DeviceControl (no such callback),
 * HardLinks (unimplemented in WinFsp). ExtendedAttributes (bit 8) is set exactly when the callback
 * table has the EA slots 27–30 ({@link FspCallbacks#extendedAttributes()}): with the flag but without
 * the slots the DLL would answer every EA request STATUS_INVALID_DEVICE_REQUEST.
 */
public final class VolumeParamsBuilder {
    private VolumeParamsBuilder() {
    }

    /** The flags every viofs volume has. */
    static final Set<VolumeFlag> ALWAYS = EnumSet.of(
            VolumeFlag.CASE_PRESERVED_NAMES,
            VolumeFlag.UNICODE_ON_DISK,
            VolumeFlag.PERSISTENT_ACLS,
            VolumeFlag.REPARSE_POINTS,
            VolumeFlag.POST_CLEANUP_WHEN_MODIFIED_ONLY,
            VolumeFlag.PASS_QUERY_DIRECTORY_FILE_NAME,
            VolumeFlag.UM_FILE_CONTEXT_IS_USER_CONTEXT2);

    /** The flags chosen by these options, for a volume without extended attributes. */
    public static Set<VolumeFlag> flags(MountOptions o) {
        return flags(o, false);
    }

    /**
     * The flags chosen by these options.
     *
     * @param extendedAttributes the callback table has slots 27–30 (adds ExtendedAttributes)
     */
    public static Set<VolumeFlag> flags(MountOptions o, boolean extendedAttributes) {
        return flags(o, extendedAttributes, false);
    }

    /**
     * The flags chosen by these options and the volume.
     *
     * @param extendedAttributes the callback table has slots 27–30 (adds ExtendedAttributes)
     * @param readOnlyVolume     the volume is read-only whatever the options say (adds ReadOnlyVolume)
     */
    public static Set<VolumeFlag> flags(MountOptions o, boolean extendedAttributes, boolean readOnlyVolume) {
        Set<VolumeFlag> f = EnumSet.copyOf(ALWAYS);
        if (extendedAttributes) {
            f.add(VolumeFlag.EXTENDED_ATTRIBUTES);
        }
        if (o.caseSensitive) {
            f.add(VolumeFlag.CASE_SENSITIVE_SEARCH);
        }
        if (o.readOnly || readOnlyVolume) {
            f.add(VolumeFlag.READ_ONLY_VOLUME);
        }
        if (o.namedStreams) {
            f.add(VolumeFlag.NAMED_STREAMS);
        }
        if (o.flushAndPurgeOnCleanup) {
            f.add(VolumeFlag.FLUSH_AND_PURGE_ON_CLEANUP);
        }
        if (o.volumeInfoTimeoutMs != null) {
            f.add(VolumeFlag.VOLUME_INFO_TIMEOUT_VALID);
        }
        if (o.dirInfoTimeoutMs != null) {
            f.add(VolumeFlag.DIR_INFO_TIMEOUT_VALID);
        }
        if (o.securityTimeoutMs != null) {
            f.add(VolumeFlag.SECURITY_TIMEOUT_VALID);
        }
        if (o.streamInfoTimeoutMs != null) {
            f.add(VolumeFlag.STREAM_INFO_TIMEOUT_VALID);
        }
        if (o.eaTimeoutMs != null) {
            f.add(VolumeFlag.EA_TIMEOUT_VALID);
        }
        return f;
    }

    /** The value of flags word {@code word} (0 at offset 36, 1 at offset 456). */
    public static int word(Set<VolumeFlag> flags, int word) {
        int v = 0;
        for (VolumeFlag f : flags) {
            if (f.word() == word) {
                v |= f.mask();
            }
        }
        return v;
    }

    /** {@link #build(MountOptions, long, boolean)} for a volume without extended attributes. */
    public static FspFsctlVolumeParams build(MountOptions o, long creationTime) {
        return build(o, creationTime, false);
    }

    /**
     * @param creationTime       the volume creation time as FILETIME (mount time in the anchor)
     * @param extendedAttributes the callback table has slots 27–30 ({@link FspCallbacks#extendedAttributes()})
     * @throws IllegalArgumentException for values WinFsp would refuse or silently change
     */
    public static FspFsctlVolumeParams build(MountOptions o, long creationTime, boolean extendedAttributes) {
        return build(o, creationTime, extendedAttributes, false);
    }

    /**
     * @param readOnlyVolume the volume is read-only whatever the options say ({@link FspCallbacks#readOnlyVolume()})
     * @see #build(MountOptions, long, boolean)
     */
    public static FspFsctlVolumeParams build(MountOptions o, long creationTime, boolean extendedAttributes,
                                             boolean readOnlyVolume) {
        checkUnsigned16("sectorSize", o.sectorSize);
        checkUnsigned16("sectorsPerAllocationUnit", o.sectorsPerAllocationUnit);
        checkUnsigned16("maxComponentLength", o.maxComponentLength);
        if (o.sectorSize != 0 && Integer.bitCount(o.sectorSize) != 1) {
            throw new IllegalArgumentException("sector size " + o.sectorSize + " is not a power of two");
        }
        Set<VolumeFlag> flags = flags(o, extendedAttributes, readOnlyVolume);
        FspFsctlVolumeParams p = new FspFsctlVolumeParams();
        p.Version = (short) FspFsctlVolumeParams.SIZE_V1;
        p.SectorSize = (short) o.sectorSize;
        p.SectorsPerAllocationUnit = (short) o.sectorsPerAllocationUnit;
        p.MaxComponentLength = (short) o.maxComponentLength;
        p.VolumeCreationTime = creationTime;
        p.VolumeSerialNumber = o.volumeSerialNumber;
        p.FileInfoTimeout = o.fileInfoTimeoutMs;
        p.Flags = word(flags, 0);
        p.AdditionalFlags = word(flags, 1);
        p.VolumeInfoTimeout = o.volumeInfoTimeoutMs == null ? 0 : o.volumeInfoTimeoutMs;
        p.DirInfoTimeout = o.dirInfoTimeoutMs == null ? 0 : o.dirInfoTimeoutMs;
        p.SecurityTimeout = o.securityTimeoutMs == null ? 0 : o.securityTimeoutMs;
        p.StreamInfoTimeout = o.streamInfoTimeoutMs == null ? 0 : o.streamInfoTimeoutMs;
        p.EaTimeout = o.eaTimeoutMs == null ? 0 : o.eaTimeoutMs;
        if (o.network()) {
            p.Prefix = Utf16.fixed(MountPoint.checkNetworkPrefix(o.networkPrefix), FspFsctlVolumeParams.PREFIX_BYTES);
        }
        String fsName = o.fileSystemName == null ? "" : o.fileSystemName;
        if ((fsName.length() + 1) * 2 > FspFsctlVolumeParams.FSNAME_BYTES) {
            throw new IllegalArgumentException("file system name \"" + fsName + "\" is longer than "
                    + (FspFsctlVolumeParams.FSNAME_BYTES / 2 - 1) + " characters (WCHAR[16] with its NUL)");
        }
        p.FileSystemName = Utf16.fixed(fsName, FspFsctlVolumeParams.FSNAME_BYTES);
        p.write();
        return p;
    }

    /** The device to create the volume on: {@code WinFsp.Net} with a prefix, else {@code WinFsp.Disk}. */
    public static String devicePath(MountOptions o) {
        return o.network() ? WinFspConstants.NET_DEVICE_NAME : WinFspConstants.DISK_DEVICE_NAME;
    }

    private static void checkUnsigned16(String name, int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(name + " " + v + " does not fit a UINT16");
        }
    }
}
