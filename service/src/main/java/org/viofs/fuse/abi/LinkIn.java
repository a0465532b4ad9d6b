package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_link_in} (8): {@code 0 oldnodeid u64}; the new name follows. The header nodeid is the new parent.
 */
public record LinkIn(long oldNodeId) {
    public static final int SIZE = 8;

    public void encode(ByteBuffer b) {
        b.putLong(oldNodeId);
    }

    public static LinkIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_link_in");
        return new LinkIn(b.getLong());
    }
}
