package org.viofs.winfsp;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The fixed part of {@code FSP_FSCTL_DIR_INFO}, 104 bytes; the name (WCHARs, no NUL) follows at
 * {@link #NAME_OFFSET} and {@code Size} counts both (docs/winfsp-native.md §1.3). The 24-byte union at 80
 * is {@code UINT64 NextOffset} or padding; it is always zeroed here.
 */
@Structure.FieldOrder({"Size", "FileInfo", "NextOffset", "Padding"})
public class FspFsctlDirInfo extends Structure {
    public static final int NAME_OFFSET = 104;

    /** UINT16 = 104 + name bytes. */
    public short Size;
    public FspFsctlFileInfo FileInfo;
    /** First 8 bytes of the union (NextOffset with DirectoryMarkerAsNextOffset). */
    public long NextOffset;
    /** Rest of the 24-byte union. */
    public byte[] Padding = new byte[16];

    public FspFsctlDirInfo() {
    }

    public FspFsctlDirInfo(Pointer p) {
        super(p);
    }
}
