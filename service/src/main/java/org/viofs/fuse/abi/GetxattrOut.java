package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_getxattr_out} (8): {@code 0 size u32 | 4 padding u32}, the answer to a size probe (size 0) of GETXATTR or LISTXATTR.
 */
public record GetxattrOut(int size) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        b.putInt(size).putInt(0);
    }

    public static GetxattrOut decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_getxattr_out");
        GetxattrOut r = new GetxattrOut(b.getInt());
        b.getInt();
        return r;
    }
}
