package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/** The answer to CREATE: {@code fuse_entry_out} then {@code fuse_open_out} (144 bytes). */
public record CreateOut(EntryOut entry, OpenOut open) {
    public static final int SIZE = EntryOut.SIZE + OpenOut.SIZE;

    public void encode(ByteBuffer b) {
        entry.encode(b);
        open.encode(b);
    }

    public static CreateOut decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_entry_out + fuse_open_out");
        return new CreateOut(EntryOut.decode(b), OpenOut.decode(b));
    }
}
