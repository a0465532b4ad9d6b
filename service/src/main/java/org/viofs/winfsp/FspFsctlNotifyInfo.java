package org.viofs.winfsp;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** The fixed part of {@code FSP_FSCTL_NOTIFY_INFO}, 12 bytes; the name follows (docs/winfsp-native.md §1.3). */
@Structure.FieldOrder({"Size", "Filter", "Action"})
public class FspFsctlNotifyInfo extends Structure {
    public static final int NAME_OFFSET = 12;

    /** UINT16 = 12 + name bytes. */
    public short Size;
    /** FILE_NOTIFY_CHANGE_* bits. */
    public int Filter;
    /** FILE_ACTION_* value. */
    public int Action;

    public FspFsctlNotifyInfo() {
    }

    public FspFsctlNotifyInfo(Pointer p) {
        super(p);
    }
}
