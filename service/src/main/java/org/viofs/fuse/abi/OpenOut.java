package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_open_out} (16 bytes): the answer to OPEN and OPENDIR, second half of CREATE's.
 * {@code fh = 0} is a valid handle (docs/vhost-user-frontend.md §7.5).
 *
 * <pre>
 *  0 fh u64 | 8 open_flags u32 (FOPEN_*) | 12 padding u32
 * </pre>
 */
public record OpenOut(long fh, int openFlags) {
    public static final int SIZE = 16;

    public void encode(ByteBuffer b) {
        b.putLong(fh).putInt(openFlags).putInt(0);
    }

    public static OpenOut decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_open_out");
        OpenOut r = new OpenOut(b.getLong(), b.getInt());
        b.getInt();
        return r;
    }
}
