package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

import org.viofs.bridge.FuseTransport;
import org.viofs.fuse.Opcode;

/**
 * {@code fuse_in_header} (40 bytes), the start of every request (docs/vhost-user-frontend.md §7.3).
 *
 * <pre>
 *  0 len u32 | 4 opcode u32 | 8 unique u64 | 16 nodeid u64 | 24 uid u32 | 28 gid u32 | 32 pid u32 | 36 padding u32
 * </pre>
 *
 * @param len    total request length, header included
 * @param opcode the {@link Opcode#code()}
 */
public record InHeader(int len, int opcode, long unique, long nodeId, int uid, int gid, int pid) {
    /** The one definition lives with the transport contract, which needs it too. */
    public static final int SIZE = FuseTransport.IN_HEADER_BYTES;
    /** Offset of {@code unique}. */
    public static final int UNIQUE_OFFSET = 8;

    public void encode(ByteBuffer b) {
        encode(b, len, opcode, unique, nodeId, uid, gid, pid);
    }

    /** Writes a header at the position without allocating (every request's first 40 bytes). */
    public static void encode(ByteBuffer b, int len, int opcode, long unique, long nodeId, int uid, int gid, int pid) {
        b.putInt(len).putInt(opcode).putLong(unique).putLong(nodeId).putInt(uid).putInt(gid).putInt(pid).putInt(0);
    }

    /** {@code unique} of the header that starts at {@code b}'s position. */
    public static long unique(ByteBuffer b) {
        return b.getLong(b.position() + UNIQUE_OFFSET);
    }

    public static InHeader decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_in_header");
        InHeader h = new InHeader(b.getInt(), b.getInt(), b.getLong(), b.getLong(), b.getInt(), b.getInt(), b.getInt());
        b.getInt();
        return h;
    }
}
