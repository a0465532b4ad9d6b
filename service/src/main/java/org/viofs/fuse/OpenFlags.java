package org.viofs.fuse;

/**
 * Linux {@code open(2)} flags as carried in {@code fuse_open_in.flags} and {@code fuse_create_in.flags}.
 * Octal values from Linux {@code include/uapi/asm-generic/fcntl.h} (x86-64 and arm64 agree), because
 * the daemon interprets them as its own host flags.
 */
public final class OpenFlags {
    private OpenFlags() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    /** Mask for the access mode (O_RDONLY / O_WRONLY / O_RDWR). */
    public static final int O_ACCMODE = 03;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    public static final int O_DIRECT = 040000;
    public static final int O_LARGEFILE = 0100000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;
    /** {@code __O_SYNC | O_DSYNC}. */
    public static final int O_SYNC = 04010000;
    public static final int O_PATH = 010000000;
}
