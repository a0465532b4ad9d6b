package org.viofs.winfsp;

import com.sun.jna.Structure;

/**
 * {@code FSP_FSCTL_VOLUME_PARAMS}, V1 layout, 504 bytes (docs/winfsp-native.md §1.2). All kernel flags
 * are bits of the single word {@link #Flags} at 36 ({@link VolumeFlag}); the V1 "Valid" bits are
 * {@link #AdditionalFlags} at 456 ({@link VolumeFlag#VOLUME_INFO_TIMEOUT_VALID} …). Filled by
 * {@link VolumeParamsBuilder}.
 */
@Structure.FieldOrder({"Version", "SectorSize", "SectorsPerAllocationUnit", "MaxComponentLength",
        "VolumeCreationTime", "VolumeSerialNumber", "TransactTimeout", "IrpTimeout", "IrpCapacity",
        "FileInfoTimeout", "Flags", "Prefix", "FileSystemName", "AdditionalFlags", "VolumeInfoTimeout",
        "DirInfoTimeout", "SecurityTimeout", "StreamInfoTimeout", "EaTimeout", "FsextControlCode", "Reserved32",
        "Reserved64"})
public class FspFsctlVolumeParams extends Structure {
    /** sizeof, and the Version value that makes the FSD honour the V1 fields. */
    public static final int SIZE_V1 = 504;
    /** WCHAR[192]. */
    public static final int PREFIX_BYTES = 384;
    /** WCHAR[16]. */
    public static final int FSNAME_BYTES = 32;

    public short Version;
    public short SectorSize;
    public short SectorsPerAllocationUnit;
    public short MaxComponentLength;
    public long VolumeCreationTime;
    public int VolumeSerialNumber;
    public int TransactTimeout;
    public int IrpTimeout;
    public int IrpCapacity;
    public int FileInfoTimeout;
    /** Flags word 0: CaseSensitiveSearch (bit 0) … KmReservedFlags (bit 31). */
    public int Flags;
    public byte[] Prefix = new byte[PREFIX_BYTES];
    public byte[] FileSystemName = new byte[FSNAME_BYTES];
    /** Flags word 1: the V1 timeout Valid bits. */
    public int AdditionalFlags;
    public int VolumeInfoTimeout;
    public int DirInfoTimeout;
    public int SecurityTimeout;
    public int StreamInfoTimeout;
    public int EaTimeout;
    public int FsextControlCode;
    public int Reserved32;
    public long[] Reserved64 = new long[2];
}
