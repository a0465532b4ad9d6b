package org.viofs.fuse.abi;

import java.nio.ByteBuffer;
import org.viofs.fuse.NodeTable;

/**
 * {@code fuse_entry_out} (128 bytes): the answer to LOOKUP, MKDIR, SYMLINK, LINK, CREATE and each
 * READDIRPLUS entry. A nonzero {@code nodeId} carries one lookup reference (see {@link NodeTable}).
 *
 * <pre>
 *  0 nodeid u64 | 8 generation u64 | 16 entry_valid u64 | 24 attr_valid u64
 * 32 entry_valid_nsec u32 | 36 attr_valid_nsec u32 | 40 attr (fuse_attr, 88)
 * </pre>
 */
public record EntryOut(long nodeId, long generation, long entryValid, long attrValid, int entryValidNsec,
                       int attrValidNsec, Attr attr) {
    public static final int SIZE = 128;

    public void encode(ByteBuffer b) {
        b.putLong(nodeId).putLong(generation).putLong(entryValid).putLong(attrValid).putInt(entryValidNsec)
                .putInt(attrValidNsec);
        attr.encode(b);
    }

    public static EntryOut decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_entry_out");
        return new EntryOut(b.getLong(), b.getLong(), b.getLong(), b.getLong(), Wire.nanos(b.getInt()),
                Wire.nanos(b.getInt()), Attr.decode(b));
    }
}
