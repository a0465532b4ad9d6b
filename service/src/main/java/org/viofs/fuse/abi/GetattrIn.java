package org.viofs.fuse.abi;

import java.nio.ByteBuffer;
import org.viofs.fuse.FuseFlags;

/**
 * {@code fuse_getattr_in} (16): {@code 0 getattr_flags u32 | 4 dummy u32 | 8 fh u64}; flag {@link FuseFlags#GETATTR_FH} says fh is valid.
 */
public record GetattrIn(int getattrFlags, long fh) {
    public static final int SIZE = 16;

    public void encode(ByteBuffer b) {
        encode(b, getattrFlags, fh);
    }

    /** Writes the arguments without allocating. */
    public static void encode(ByteBuffer b, int getattrFlags, long fh) {
        b.putInt(getattrFlags).putInt(0).putLong(fh);
    }

    public static GetattrIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_getattr_in");
        int f = b.getInt();
        b.getInt();
        return new GetattrIn(f, b.getLong());
    }
}
