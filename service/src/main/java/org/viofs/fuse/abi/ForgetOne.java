package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_forget_one} (16), one entry of BATCH_FORGET: {@code 0 nodeid u64 | 8 nlookup u64}.
 */
public record ForgetOne(long nodeId, long nlookup) {
    public static final int SIZE = 16;

    public void encode(ByteBuffer b) {
        encode(b, nodeId, nlookup);
    }

    /** Writes one entry without allocating. */
    public static void encode(ByteBuffer b, long nodeId, long nlookup) {
        b.putLong(nodeId).putLong(nlookup);
    }

    public static ForgetOne decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_forget_one");
        return new ForgetOne(b.getLong(), b.getLong());
    }
}
