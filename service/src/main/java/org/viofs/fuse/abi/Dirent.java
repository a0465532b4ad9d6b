package org.viofs.fuse.abi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseProtocolException;

/**
 * {@code fuse_dirent}: one READDIR entry, 24 bytes plus the name, padded to a multiple of 8.
 *
 * <pre>
 *  0 ino u64 | 8 off u64 (cookie for the next READDIR) | 16 namelen u32 | 20 type u32 (DT_*) | 24 name
 * </pre>
 * The name is decoded as strict UTF-8; a decoded entry whose bytes are not UTF-8 has a null
 * {@code name} (the client skips it, see {@link FuseClient#readdir}).
 */
public record Dirent(long ino, long off, int type, String name) {
    /** Fixed part before the name. */
    public static final int SIZE = 24;

    /** Encodes with the name and padding; returns the record length. */
    public int encode(ByteBuffer b) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        b.putLong(ino).putLong(off).putInt(n.length).putInt(type).put(n);
        int len = Wire.align8(SIZE + n.length);
        for (int i = SIZE + n.length; i < len; i++) {
            b.put((byte) 0);
        }
        return len;
    }

    /**
     * Decodes one entry and moves past its padding. Only the structure is checked here; what the name
     * says is the client's to judge.
     *
     * @throws FuseProtocolException if the fixed part or the name runs past the end, or the name
     *                               length is zero
     */
    public static Dirent decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_dirent");
        long ino = b.getLong();
        long off = b.getLong();
        int namelen = b.getInt();
        int type = b.getInt();
        String name = readName(b, namelen);
        return new Dirent(ino, off, type, name);
    }

    static String readName(ByteBuffer b, int namelen) {
        if (namelen == 0) {
            throw new FuseProtocolException("dirent namelen is 0");
        }
        if (Integer.compareUnsigned(namelen, b.remaining()) > 0) {
            throw new FuseProtocolException("dirent namelen " + Integer.toUnsignedString(namelen)
                    + " runs past the end of the reply (" + b.remaining() + " bytes left)");
        }
        String name = Wire.readStrictUtf8(b, namelen);
        int pad = Wire.align8(SIZE + namelen) - SIZE - namelen;
        // The last entry's padding may be cut off by the end of the reply; take what is there.
        Wire.skip(b, Math.min(pad, b.remaining()));
        return name;
    }

    public boolean isDotOrDotDot() {
        return ".".equals(name) || "..".equals(name);
    }
}
