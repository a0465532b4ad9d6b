package org.viofs.winfsp;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * {@code FSP_FSCTL_OPEN_FILE_INFO}, 88 bytes: the real type behind the FileInfo argument of Create
 * and Open (docs/winfsp-native.md §1.3). NormalizedName is a DLL-owned buffer whose capacity in bytes is
 * NormalizedNameSize on entry.
 */
@Structure.FieldOrder({"FileInfo", "NormalizedName", "NormalizedNameSize"})
public class FspFsctlOpenFileInfo extends Structure {
    public static final int SIZE = 88;
    /** A NormalizedNameSize above this (FSP_FSCTL_TRANSACT_PATH_SIZEMAX) means "no normalized name". */
    public static final int MAX_NORMALIZED_NAME_BYTES = 2048;

    public FspFsctlFileInfo FileInfo;
    public Pointer NormalizedName;
    /** UINT16 byte count; read with {@code & 0xFFFF}. */
    public short NormalizedNameSize;

    public FspFsctlOpenFileInfo() {
    }

    public FspFsctlOpenFileInfo(Pointer p) {
        super(p);
    }
}
