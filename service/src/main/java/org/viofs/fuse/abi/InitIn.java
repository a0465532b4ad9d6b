package org.viofs.fuse.abi;

import java.nio.ByteBuffer;
import org.viofs.fuse.InitFlags;

/**
 * {@code fuse_init_in}, the 64-byte form sent with {@link InitFlags#INIT_EXT} (7.36).
 *
 * <pre>
 *  0 major | 4 minor | 8 max_readahead | 12 flags | 16 flags2 | 20 unused[11]   (all u32)
 * </pre>
 */
public record InitIn(int major, int minor, int maxReadahead, int flags, int flags2) {
    public static final int SIZE = 64;

    public void encode(ByteBuffer b) {
        b.putInt(major).putInt(minor).putInt(maxReadahead).putInt(flags).putInt(flags2);
        for (int i = 0; i < 11; i++) {
            b.putInt(0);
        }
    }

    public static InitIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_init_in");
        InitIn r = new InitIn(b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt());
        Wire.skip(b, 44);
        return r;
    }
}
