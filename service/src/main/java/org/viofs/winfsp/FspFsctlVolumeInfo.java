package org.viofs.winfsp;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** {@code FSP_FSCTL_VOLUME_INFO}, 88 bytes (docs/winfsp-native.md §1.3). */
@Structure.FieldOrder({"TotalSize", "FreeSize", "VolumeLabelLength", "VolumeLabel"})
public class FspFsctlVolumeInfo extends Structure {
    public static final int SIZE = 88;
    /** WCHAR[32]. */
    public static final int LABEL_BYTES = 64;

    public long TotalSize;
    public long FreeSize;
    /** In bytes, without a NUL; at most 64. */
    public short VolumeLabelLength;
    public byte[] VolumeLabel = new byte[LABEL_BYTES];

    public FspFsctlVolumeInfo() {
    }

    public FspFsctlVolumeInfo(Pointer p) {
        super(p);
    }
}
