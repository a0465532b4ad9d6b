package org.viofs.fuse.abi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.viofs.fuse.FuseClient;

/**
 * {@code fuse_direntplus}: one READDIRPLUS entry, {@code fuse_entry_out} (128) then {@code fuse_dirent}
 * (24 + name), padded to a multiple of 8. {@code "."} and {@code ".."} come with
 * {@code entry.nodeId() == 0} and carry no lookup reference (docs/vhost-user-frontend.md §7.5); every
 * other entry carries one, recorded by {@link FuseClient#readdirplus}.
 */
public record DirentPlus(EntryOut entry, Dirent dirent) {
    /** Fixed part before the name. */
    public static final int SIZE = EntryOut.SIZE + Dirent.SIZE;

    public String name() {
        return dirent.name();
    }

    /** The cookie to pass to the next READDIRPLUS to continue after this entry. */
    public long off() {
        return dirent.off();
    }

    public long nodeId() {
        return entry.nodeId();
    }

    /** Encodes with padding; returns the record length. */
    public int encode(ByteBuffer b) {
        entry.encode(b);
        return EntryOut.SIZE + dirent.encode(b);
    }

    /** Decodes one entry; see {@link Dirent#decode} for the checks. */
    public static DirentPlus decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_direntplus");
        EntryOut e = EntryOut.decode(b);
        long ino = b.getLong();
        long off = b.getLong();
        int namelen = b.getInt();
        int type = b.getInt();
        String name = Dirent.readName(b, namelen);
        return new DirentPlus(e, new Dirent(ino, off, type, name));
    }

    /** Record length of an entry with this name, for tests and buffer sizing. */
    public static int recordLength(String name) {
        return Wire.align8(SIZE + name.getBytes(StandardCharsets.UTF_8).length);
    }
}
