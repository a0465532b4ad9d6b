package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_attr_out} (104 bytes): the answer to GETATTR and SETATTR.
 *
 * <pre>
 *  0 attr_valid u64 | 8 attr_valid_nsec u32 | 12 dummy u32 | 16 attr (fuse_attr, 88)
 * </pre>
 */
public record AttrOut(long attrValid, int attrValidNsec, Attr attr) {
    public static final int SIZE = 104;

    public void encode(ByteBuffer b) {
        b.putLong(attrValid).putInt(attrValidNsec).putInt(0);
        attr.encode(b);
    }

    public static AttrOut decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_attr_out");
        long valid = b.getLong();
        int nsec = Wire.nanos(b.getInt());
        b.getInt();
        return new AttrOut(valid, nsec, Attr.decode(b));
    }
}
