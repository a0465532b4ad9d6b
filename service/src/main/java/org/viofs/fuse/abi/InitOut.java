package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_init_out} (64 bytes since 7.23).
 *
 * <pre>
 *  0 major u32 | 4 minor u32 | 8 max_readahead u32 | 12 flags u32 | 16 max_background u16
 * 18 congestion_threshold u16 | 20 max_write u32 | 24 time_gran u32 | 28 max_pages u16
 * 30 map_alignment u16 | 32 flags2 u32 | 36 unused[7]
 * </pre>
 * The u16 fields are returned unsigned in an int.
 */
public record InitOut(int major, int minor, int maxReadahead, int flags, int maxBackground,
                      int congestionThreshold, int maxWrite, int timeGran, int maxPages, int mapAlignment,
                      int flags2) {
    public static final int SIZE = 64;

    public void encode(ByteBuffer b) {
        b.putInt(major).putInt(minor).putInt(maxReadahead).putInt(flags).putShort((short) maxBackground)
                .putShort((short) congestionThreshold).putInt(maxWrite).putInt(timeGran).putShort((short) maxPages)
                .putShort((short) mapAlignment).putInt(flags2);
        for (int i = 0; i < 7; i++) {
            b.putInt(0);
        }
    }

    public static InitOut decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_init_out");
        InitOut r = new InitOut(b.getInt(), b.getInt(), b.getInt(), b.getInt(), Short.toUnsignedInt(b.getShort()),
                Short.toUnsignedInt(b.getShort()), b.getInt(), b.getInt(), Short.toUnsignedInt(b.getShort()),
                Short.toUnsignedInt(b.getShort()), b.getInt());
        Wire.skip(b, 28);
        return r;
    }
}
