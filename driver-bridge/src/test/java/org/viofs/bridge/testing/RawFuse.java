package org.viofs.bridge.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.viofs.bridge.FuseTransport;

/**
 * Test-only: hand-built FUSE request bytes and reply accessors for transport tests (the real codec
 * lives in the service module). Layouts from docs/vhost-user-frontend.md §7.2-§7.4 (protocol 7.36).
 *
 * <p>Each builder returns a fresh little-endian buffer holding the whole request (in header + args),
 * positioned at 0. Thread-safe: {@code unique} values come from one atomic counter.
 */
public final class RawFuse {
    private RawFuse() {
    }

    /** {@code sizeof(struct fuse_in_header)}, as the transport contract defines it. */
    public static final int IN_HEADER_SIZE = org.viofs.bridge.FuseTransport.IN_HEADER_BYTES;
    /** {@code sizeof(struct fuse_out_header)}, as the transport contract defines it. */
    public static final int OUT_HEADER_SIZE = org.viofs.bridge.FuseTransport.OUT_HEADER_BYTES;
    /** FUSE_LOOKUP. */
    public static final int FUSE_LOOKUP = 1;
    /** FUSE_FORGET. */
    public static final int FUSE_FORGET = 2;
    /** FUSE_GETATTR. */
    public static final int FUSE_GETATTR = 3;
    /** FUSE_OPEN. */
    public static final int FUSE_OPEN = 14;
    /** FUSE_READ. */
    public static final int FUSE_READ = 15;
    /** FUSE_WRITE. */
    public static final int FUSE_WRITE = 16;
    /** FUSE_RELEASE. */
    public static final int FUSE_RELEASE = 18;
    /** FUSE_INIT. */
    public static final int FUSE_INIT = 26;
    /** FUSE_DESTROY. */
    public static final int FUSE_DESTROY = 38;
    /** FUSE_BATCH_FORGET. */
    public static final int FUSE_BATCH_FORGET = 42;
    /** Root node id. */
    public static final long ROOT_ID = 1;
    /** FUSE kernel protocol major. */
    public static final int KERNEL_VERSION = 7;
    /** Minor we announce; virtiofsd 7.2 needs ≥ 31 and answers 36 (§7.4). */
    public static final int KERNEL_MINOR_VERSION = 36;
    /** INIT flag FUSE_MAX_PAGES (1 << 22): needed for 1 MiB I/O. */
    public static final int FUSE_MAX_PAGES = 1 << 22;
    /** INIT flag FUSE_INIT_EXT (1 << 30): the 64-byte fuse_init_in. */
    public static final int FUSE_INIT_EXT = 1 << 30;
    /** INIT flag FUSE_BIG_WRITES (1 << 5). */
    public static final int FUSE_BIG_WRITES = 1 << 5;
    /** INIT flag FUSE_DO_READDIRPLUS (1 << 13). */
    public static final int FUSE_DO_READDIRPLUS = 1 << 13;
    /** INIT flag FUSE_ASYNC_READ (1 << 0). */
    public static final int FUSE_ASYNC_READ = 1;
    /** {@code sizeof(struct fuse_init_in)} with INIT_EXT. */
    public static final int INIT_IN_SIZE = 64;
    /** {@code sizeof(struct fuse_init_out)}. */
    public static final int INIT_OUT_SIZE = 64;
    /** {@code sizeof(struct fuse_attr_out)}. */
    public static final int ATTR_OUT_SIZE = 104;
    /** {@code sizeof(struct fuse_entry_out)}. */
    public static final int ENTRY_OUT_SIZE = 128;
    /** {@code sizeof(struct fuse_open_out)}. */
    public static final int OPEN_OUT_SIZE = 16;
    /** Offset of {@code attr} in fuse_attr_out. */
    public static final int ATTR_OUT_ATTR_OFF = 16;
    /** Offset of {@code attr} in fuse_entry_out. */
    public static final int ENTRY_OUT_ATTR_OFF = 40;
    /** Offsets in fuse_attr. */
    public static final int ATTR_INO_OFF = 0, ATTR_SIZE_OFF = 8, ATTR_MODE_OFF = 60;

    private static final AtomicLong UNIQUE = new AtomicLong();

    private static ByteBuffer header(int opcode, long nodeId, int argBytes) {
        ByteBuffer b = ByteBuffer.allocate(IN_HEADER_SIZE + argBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, IN_HEADER_SIZE + argBytes).putInt(4, opcode).putLong(8, UNIQUE.incrementAndGet())
                .putLong(16, nodeId).putInt(24, 0).putInt(28, 0).putInt(32, 0).putInt(36, 0);
        return b;
    }

    /** The {@code unique} of a request built here. */
    public static long unique(ByteBuffer request) {
        return request.getLong(8);
    }

    /** FUSE_INIT 7.36 with the 64-byte init_in, MAX_PAGES | INIT_EXT | BIG_WRITES | DO_READDIRPLUS | ASYNC_READ. */
    public static ByteBuffer init() {
        ByteBuffer b = header(FUSE_INIT, 0, INIT_IN_SIZE);
        b.putInt(40, KERNEL_VERSION).putInt(44, KERNEL_MINOR_VERSION).putInt(48, 1 << 20)
                .putInt(52, FUSE_MAX_PAGES | FUSE_INIT_EXT | FUSE_BIG_WRITES | FUSE_DO_READDIRPLUS | FUSE_ASYNC_READ).putInt(56, 0);
        return b;
    }

    /** Reply capacity for INIT. */
    public static final int INIT_REPLY = OUT_HEADER_SIZE + INIT_OUT_SIZE;
    /** Reply capacity for GETATTR. */
    public static final int GETATTR_REPLY = OUT_HEADER_SIZE + ATTR_OUT_SIZE;
    /** Reply capacity for LOOKUP. */
    public static final int LOOKUP_REPLY = OUT_HEADER_SIZE + ENTRY_OUT_SIZE;
    /** Reply capacity for OPEN. */
    public static final int OPEN_REPLY = OUT_HEADER_SIZE + OPEN_OUT_SIZE;

    /** FUSE_GETATTR without a file handle. */
    public static ByteBuffer getattr(long nodeId) {
        ByteBuffer b = header(FUSE_GETATTR, nodeId, 16);
        b.putInt(40, 0).putInt(44, 0).putLong(48, 0);
        return b;
    }

    /** FUSE_LOOKUP of {@code name} in {@code parent}. */
    public static ByteBuffer lookup(long parent, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = header(FUSE_LOOKUP, parent, n.length + 1);
        b.put(40, n);
        b.put(40 + n.length, (byte) 0);
        return b;
    }

    /** FUSE_OPEN read-only. */
    public static ByteBuffer open(long nodeId) {
        ByteBuffer b = header(FUSE_OPEN, nodeId, 8);
        b.putInt(40, 0).putInt(44, 0); // O_RDONLY
        return b;
    }

    /** FUSE_READ of {@code size} bytes at {@code offset}. */
    public static ByteBuffer read(long nodeId, long fh, long offset, int size) {
        ByteBuffer b = header(FUSE_READ, nodeId, 40);
        b.putLong(40, fh).putLong(48, offset).putInt(56, size).putInt(60, 0).putLong(64, 0).putInt(72, 0).putInt(76, 0);
        return b;
    }

    /** FUSE_RELEASE of a file handle. */
    public static ByteBuffer release(long nodeId, long fh) {
        ByteBuffer b = header(FUSE_RELEASE, nodeId, 24);
        b.putLong(40, fh).putInt(48, 0).putInt(52, 0).putLong(56, 0);
        return b;
    }

    /** FUSE_FORGET of {@code nlookup} references (hiprio, no reply). */
    public static ByteBuffer forget(long nodeId, long nlookup) {
        ByteBuffer b = header(FUSE_FORGET, nodeId, 8);
        b.putLong(40, nlookup);
        return b;
    }

    /** FUSE_BATCH_FORGET: {@code count} × {nodeid, nlookup} after {u32 count, u32 dummy} (hiprio, no reply). */
    public static ByteBuffer batchForget(long[] nodeIds, long[] nlookups) {
        ByteBuffer b = header(FUSE_BATCH_FORGET, 0, 8 + 16 * nodeIds.length);
        b.putInt(40, nodeIds.length).putInt(44, 0);
        for (int i = 0; i < nodeIds.length; i++) {
            b.putLong(48 + 16 * i, nodeIds[i]).putLong(56 + 16 * i, nlookups[i]);
        }
        return b;
    }

    /** FUSE_DESTROY. */
    public static ByteBuffer destroy() {
        return header(FUSE_DESTROY, 0, 0);
    }

    /** A request of exactly {@code totalBytes}: a GETATTR header padded with zeros (for size-limit tests). */
    public static ByteBuffer padded(long nodeId, int totalBytes) {
        ByteBuffer b = header(FUSE_GETATTR, nodeId, totalBytes - IN_HEADER_SIZE);
        return b;
    }

    /** Wraps one request for {@code FuseTransport.exchange}. */
    public static ByteBuffer[] of(ByteBuffer request) {
        return new ByteBuffer[] {request};
    }

    /**
     * Sends INIT and checks the reply (no error, major 7, max_write 1 MiB); returns the
     * {@code fuse_init_out} bytes.
     */
    public static ByteBuffer initialize(FuseTransport transport) {
        ByteBuffer init = init();
        ByteBuffer reply = transport.exchange(of(init), INIT_REPLY, r -> copy(checkReply(init, r)));
        if (outError(reply) != 0) {
            throw new AssertionError("INIT failed with error " + outError(reply));
        }
        if (reply.getInt(OUT_HEADER_SIZE) != KERNEL_VERSION || reply.getInt(OUT_HEADER_SIZE + 20) != 1 << 20) {
            throw new AssertionError("INIT reply: major " + reply.getInt(OUT_HEADER_SIZE) + ", max_write "
                    + reply.getInt(OUT_HEADER_SIZE + 20) + " (expected 7 and 1 MiB with MAX_PAGES)");
        }
        return reply;
    }

    /** GETATTR of {@code nodeId}; returns {@code fuse_attr.mode}, failing on an error reply. */
    public static int getattrMode(FuseTransport transport, long nodeId) {
        ByteBuffer req = getattr(nodeId);
        return transport.exchange(of(req), GETATTR_REPLY, r -> {
            checkReply(req, r);
            if (outError(r) != 0) {
                throw new AssertionError("GETATTR " + nodeId + " failed with error " + outError(r));
            }
            return r.getInt(OUT_HEADER_SIZE + ATTR_OUT_ATTR_OFF + ATTR_MODE_OFF);
        });
    }

    // ------------------------------------------------------------------ reply accessors

    /** {@code fuse_out_header.len}. */
    public static int outLen(ByteBuffer reply) {
        return reply.getInt(0);
    }

    /** {@code fuse_out_header.error} (0 or a negative errno). */
    public static int outError(ByteBuffer reply) {
        return reply.getInt(4);
    }

    /** {@code fuse_out_header.unique}. */
    public static long outUnique(ByteBuffer reply) {
        return reply.getLong(8);
    }

    /** A snapshot of the reply (the transport's buffer is valid only inside the handler). */
    public static ByteBuffer copy(ByteBuffer reply) {
        ByteBuffer c = ByteBuffer.allocate(reply.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        c.put(0, reply, reply.position(), reply.remaining());
        return c;
    }

    /**
     * Checks the out header against the request and the device's byte count; throws AssertionError
     * with the details otherwise. Returns the reply.
     */
    public static ByteBuffer checkReply(ByteBuffer request, ByteBuffer reply) {
        if (reply.limit() < OUT_HEADER_SIZE) {
            throw new AssertionError("reply of " + reply.limit() + " bytes has no out header");
        }
        if (outLen(reply) != reply.limit()) {
            throw new AssertionError("out header len " + outLen(reply) + " != bytes written " + reply.limit());
        }
        if (outUnique(reply) != unique(request)) {
            throw new AssertionError("reply unique " + outUnique(reply) + " != request unique " + unique(request));
        }
        return reply;
    }
}
