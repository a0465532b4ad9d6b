package org.viofs.fuse.abi;

/** Bits of {@code fuse_setattr_in.valid}: which fields to set ({@code FATTR_*}, Linux {@code fuse.h}). */
public final class SetattrValid {
    private SetattrValid() {
    }

    public static final int FATTR_MODE = 1 << 0;
    public static final int FATTR_UID = 1 << 1;
    public static final int FATTR_GID = 1 << 2;
    public static final int FATTR_SIZE = 1 << 3;
    public static final int FATTR_ATIME = 1 << 4;
    public static final int FATTR_MTIME = 1 << 5;
    public static final int FATTR_FH = 1 << 6;
    /** With FATTR_ATIME: use the daemon's current time instead of the given one. */
    public static final int FATTR_ATIME_NOW = 1 << 7;
    /** With FATTR_MTIME: use the daemon's current time instead of the given one. */
    public static final int FATTR_MTIME_NOW = 1 << 8;
    public static final int FATTR_LOCKOWNER = 1 << 9;
    public static final int FATTR_CTIME = 1 << 10;
    public static final int FATTR_KILL_SUIDGID = 1 << 11;
}
