package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.viofs.bridge.DeviceInfo;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.fuse.Opcode;

/**
 * A real daemon's transport whose replies pass through a {@link Lie} on the way back: a host that
 * answers most requests truthfully and lies in a few, the way a broken or hostile virtiofsd could.
 * Counts requests per opcode. The zero-copy READ path is not offered (the client copies).
 */
final class LyingTransport implements FuseTransport {
    /** In a LOOKUP reply (include/uapi/linux/fuse.h): fuse_entry_out.nodeid, .attr.ino, .attr.mode (fuse_attr starts at 40). */
    static final int ENTRY_NODEID = OUT_HEADER_BYTES;
    static final int ENTRY_INO = OUT_HEADER_BYTES + 40;
    static final int ENTRY_MODE = OUT_HEADER_BYTES + 40 + 60;
    /** In a GETATTR reply: fuse_attr_out.attr (after attr_valid, attr_valid_nsec, dummy) .mode. */
    static final int ATTR_MODE = OUT_HEADER_BYTES + 16 + 60;

    /** A request as sent: opcode, node id and the bytes after the header. */
    record Request(Opcode opcode, long nodeId, ByteBuffer body) {
        /** The NUL-terminated name a LOOKUP carries. */
        String name() {
            int end = 0;
            while (end < body.remaining() && body.get(body.position() + end) != 0) {
                end++;
            }
            byte[] b = new byte[end];
            body.duplicate().get(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** Rewrites a reply (a writable little-endian copy, position 0) in place or returns another. */
    @FunctionalInterface
    interface Lie {
        ByteBuffer apply(Request request, ByteBuffer reply);
    }

    private final FuseTransport real;
    volatile Lie lie = (q, a) -> a;
    private final Map<Opcode, AtomicInteger> sent = new ConcurrentHashMap<>();

    LyingTransport(FuseTransport real) {
        this.real = real;
    }

    /** Requests of this opcode sent so far. */
    int sent(Opcode op) {
        AtomicInteger n = sent.get(op);
        return n == null ? 0 : n.get();
    }

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        int total = 0;
        for (ByteBuffer b : request) {
            total += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        for (ByteBuffer b : request) {
            all.put(b.duplicate());
        }
        Opcode op = Opcode.of(all.getInt(4));
        sent.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
        Request q = new Request(op, all.getLong(16), all.position(IN_HEADER_BYTES).slice().order(ByteOrder.LITTLE_ENDIAN));
        return real.exchange(request, replyCapacity, reply -> {
            ByteBuffer copy = ByteBuffer.allocate(reply.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            copy.put(reply.duplicate()).flip();
            ByteBuffer told = lie.apply(q, copy);
            return handler.handle(told.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
        });
    }

    @Override
    public void sendNoReply(ByteBuffer[] request) {
        real.sendNoReply(request);
    }

    @Override
    public int maxInFlight() {
        return real.maxInFlight();
    }

    @Override
    public int maxRequestBytes() {
        return real.maxRequestBytes();
    }

    @Override
    public int maxReplyBytes() {
        return real.maxReplyBytes();
    }

    @Override
    public DeviceInfo device() {
        return real.device();
    }

    @Override
    public void close() {
        real.close();
    }

    /** Sets every entry's {@code off} in a READDIRPLUS reply to {@code cookie} (fuse_direntplus records). */
    static void setCookies(ByteBuffer reply, long cookie) {
        int p = OUT_HEADER_BYTES;
        while (p + 128 + 24 <= reply.limit()) {
            int nameLen = reply.getInt(p + 128 + 16);
            reply.putLong(p + 128 + 8, cookie);
            p += 128 + 24 + ((nameLen + 7) & ~7);
        }
    }
}
