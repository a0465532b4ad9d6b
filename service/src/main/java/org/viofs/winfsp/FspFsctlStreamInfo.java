package org.viofs.winfsp;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** The fixed part of {@code FSP_FSCTL_STREAM_INFO}, 24 bytes; the name follows (docs/winfsp-native.md §1.3). */
@Structure.FieldOrder({"Size", "StreamSize", "StreamAllocationSize"})
public class FspFsctlStreamInfo extends Structure {
    public static final int NAME_OFFSET = 24;

    /** UINT16 = 24 + name bytes. */
    public short Size;
    public long StreamSize;
    public long StreamAllocationSize;

    public FspFsctlStreamInfo() {
    }

    public FspFsctlStreamInfo(Pointer p) {
        super(p);
    }
}
