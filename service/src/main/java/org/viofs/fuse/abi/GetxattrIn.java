package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_getxattr_in} (8), sent by GETXATTR (name follows) and LISTXATTR: {@code 0 size u32 | 4 padding u32}. Size 0 asks for the needed size ({@link GetxattrOut}).
 */
public record GetxattrIn(int size) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        b.putInt(size).putInt(0);
    }

    public static GetxattrIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_getxattr_in");
        GetxattrIn r = new GetxattrIn(b.getInt());
        b.getInt();
        return r;
    }
}
