package org.viofs.bridge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link FuseTransport} decorator that counts the requests passing through it, per FUSE opcode.
 * Counting requests per Windows operation is viofs's main efficiency metric, and this is where it
 * is measured: every request, replied or not, is counted once when it is handed to the delegate.
 *
 * <p>It offers {@link DirectReadTransport} whatever the delegate is: a zero-copy READ goes through
 * when the delegate has one, otherwise the data is copied ({@link DirectReadTransport#readInto}).
 *
 * <p>Thread-safe. Closing it closes the delegate.
 */
public final class CountingTransport implements DirectReadTransport {
    /** Offset of {@code opcode} in {@code fuse_in_header} (vhost-user-frontend.md §7.3). */
    private static final int OPCODE_OFFSET = 4;

    private final FuseTransport delegate;
    private final Map<Integer, LongAdder> byOpcode = new ConcurrentHashMap<>();

    public CountingTransport(FuseTransport delegate) {
        this.delegate = delegate;
    }

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        count(request);
        return delegate.exchange(request, replyCapacity, handler);
    }

    @Override
    public <T> T exchangeRead(ByteBuffer[] request, ByteBuffer destination, ReplyHandler<T> handler) {
        count(request);
        return DirectReadTransport.readInto(delegate, request, destination, handler);
    }

    @Override
    public Boolean directReadAccepted() {
        return delegate instanceof DirectReadTransport d ? d.directReadAccepted() : Boolean.FALSE;
    }

    @Override
    public void sendNoReply(ByteBuffer[] request) {
        count(request);
        delegate.sendNoReply(request);
    }

    private void count(ByteBuffer[] request) {
        ByteBuffer head = request[0];
        if (head.remaining() < OPCODE_OFFSET + 4) {
            throw new IllegalArgumentException("the first request buffer must hold the fuse_in_header, has "
                    + head.remaining() + " bytes");
        }
        int opcode = head.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(head.position() + OPCODE_OFFSET);
        byOpcode.computeIfAbsent(opcode, k -> new LongAdder()).increment();
    }

    /** Requests sent so far, by opcode number, in opcode order. */
    public Map<Integer, Long> snapshot() {
        Map<Integer, Long> out = new TreeMap<>();
        byOpcode.forEach((op, n) -> {
            long v = n.sum();
            if (v != 0) {
                out.put(op, v);
            }
        });
        return out;
    }

    /** All requests sent so far. */
    public long total() {
        return byOpcode.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Requests with this opcode sent so far. */
    public long count(int opcode) {
        LongAdder n = byOpcode.get(opcode);
        return n == null ? 0 : n.sum();
    }

    /** Starts counting from zero. */
    public void reset() {
        byOpcode.values().forEach(LongAdder::reset);
    }

    @Override
    public int maxInFlight() {
        return delegate.maxInFlight();
    }

    @Override
    public int maxRequestBytes() {
        return delegate.maxRequestBytes();
    }

    @Override
    public int maxReplyBytes() {
        return delegate.maxReplyBytes();
    }

    @Override
    public DeviceInfo device() {
        return delegate.device();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
