package org.viofs.volume;

/** The Flags argument of Cleanup (docs/winfsp-native.md §1.1). */
public final class CleanupFlags {
    private CleanupFlags() {
    }

    public static final int DELETE = 0x01;
    public static final int SET_ALLOCATION_SIZE = 0x02;
    public static final int SET_ARCHIVE_BIT = 0x10;
    public static final int SET_LAST_ACCESS_TIME = 0x20;
    public static final int SET_LAST_WRITE_TIME = 0x40;
    public static final int SET_CHANGE_TIME = 0x80;
}
