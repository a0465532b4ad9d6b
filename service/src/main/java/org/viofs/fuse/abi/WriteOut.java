package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/** {@code fuse_write_out} (8 bytes): {@code 0 size u32 | 4 padding u32}, bytes written. */
public record WriteOut(int size) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        b.putInt(size).putInt(0);
    }

    public static WriteOut decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_write_out");
        WriteOut r = new WriteOut(b.getInt());
        b.getInt();
        return r;
    }
}
