package org.viofs.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.viofs.bridge.FuseTransport;
import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.abi.GetattrIn;
import org.viofs.fuse.abi.InHeader;
import org.viofs.fuse.Opcode;
import org.viofs.fuse.abi.OutHeader;
import org.viofs.fuse.abi.ReadIn;
import org.viofs.fuse.abi.WriteIn;
import org.viofs.fuse.abi.WriteOut;

/**
 * GETATTR, READ and WRITE requests encoded once and sent straight through a transport, without the FUSE
 * client: the baseline {@code viofs bench} compares the client with. Replies are checked only for a
 * zero error. Not thread-safe (one reusable request buffer each).
 */
final class RawRequests {
    /** {@code unique} values far above the client's counter, so logs tell the two apart. */
    private static final long UNIQUE_BASE = 1L << 48;

    private final FuseTransport transport;
    private final long fh;
    private final ByteBuffer getattr;
    private final ByteBuffer[] getattrReq;
    private final ByteBuffer read;
    private final ByteBuffer[] readReq;
    private final ByteBuffer write;
    private final long node;

    RawRequests(FuseTransport transport, long node, long fh) {
        this.transport = transport;
        this.node = node;
        this.fh = fh;
        getattr = ByteBuffer.allocateDirect(InHeader.SIZE + GetattrIn.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        new InHeader(getattr.capacity(), Opcode.GETATTR.code(), UNIQUE_BASE, node, 0, 0, 0).encode(getattr);
        new GetattrIn(0, 0).encode(getattr);
        getattr.flip();
        getattrReq = new ByteBuffer[] {getattr};
        read = ByteBuffer.allocateDirect(InHeader.SIZE + ReadIn.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        readReq = new ByteBuffer[] {read};
        write = ByteBuffer.allocateDirect(InHeader.SIZE + WriteIn.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    void getattr() {
        int error = transport.exchange(getattrReq, OutHeader.SIZE + AttrOut.SIZE, r -> r.getInt(4));
        check(error, "GETATTR");
    }

    /** Reads the file sequentially in {@code chunk}-byte requests; returns a byte of each reply. */
    long readAll(long fileBytes, int chunk) {
        long sink = 0;
        for (long off = 0; off < fileBytes; off += chunk) {
            int want = (int) Math.min(chunk, fileBytes - off);
            read.clear();
            new InHeader(InHeader.SIZE + ReadIn.SIZE, Opcode.READ.code(), UNIQUE_BASE + 1, node, 0, 0, 0).encode(read);
            new ReadIn(fh, off, want, 0, 0, 0).encode(read);
            read.flip();
            long got = transport.exchange(readReq, OutHeader.SIZE + want, r -> {
                check(r.getInt(4), "READ");
                return ((long) (r.limit() - OutHeader.SIZE) << 8) | (r.get(OutHeader.SIZE) & 0xff);
            });
            if (got >>> 8 != want) {
                throw new IllegalStateException("short raw READ at " + off + ": " + (got >>> 8) + " of " + want);
            }
            sink += got & 0xff;
        }
        return sink;
    }

    /** Writes the file sequentially in {@code chunk}-byte requests of a fixed pattern; returns 0. */
    long writeAll(long fileBytes, int chunk) {
        ByteBuffer data = ByteBuffer.allocateDirect(chunk);
        for (int i = 0; i < chunk; i++) {
            data.put(i, (byte) (i * 31 + 7));
        }
        ByteBuffer[] req = {write, null};
        for (long off = 0; off < fileBytes; off += chunk) {
            int n = (int) Math.min(chunk, fileBytes - off);
            write.clear();
            new InHeader(InHeader.SIZE + WriteIn.SIZE + n, Opcode.WRITE.code(), UNIQUE_BASE + 2, node, 0, 0, 0)
                    .encode(write);
            WriteIn.encode(write, fh, off, n, 0, 0, 0);
            write.flip();
            req[1] = data.duplicate().limit(n);
            int wrote = transport.exchange(req, OutHeader.SIZE + WriteOut.SIZE, r -> {
                check(r.getInt(4), "WRITE");
                return r.getInt(OutHeader.SIZE);
            });
            if (wrote != n) {
                throw new IllegalStateException("short raw WRITE at " + off + ": " + wrote + " of " + n);
            }
        }
        return 0;
    }

    private static void check(int error, String op) {
        if (error != 0) {
            throw new IllegalStateException("raw " + op + " failed with error " + error);
        }
    }
}
