package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_forget_in} (8): {@code 0 nlookup u64}, the lookup references to drop from the header nodeid.
 */
public record ForgetIn(long nlookup) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        encode(b, nlookup);
    }

    /** Writes the argument without allocating. */
    public static void encode(ByteBuffer b, long nlookup) {
        b.putLong(nlookup);
    }

    public static ForgetIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_forget_in");
        return new ForgetIn(b.getLong());
    }
}
