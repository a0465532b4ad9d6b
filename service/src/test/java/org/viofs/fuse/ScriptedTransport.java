package org.viofs.fuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import org.viofs.bridge.DeviceInfo;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.bridge.TransportException;
import org.viofs.fuse.abi.InHeader;
import org.viofs.fuse.abi.InitOut;
import org.viofs.fuse.abi.OutHeader;

/**
 * A transport that answers from a script, to inject replies a real daemon never sends. Records every
 * request (concatenated, as the device would see it). Answers INIT by itself unless the script does.
 */
final class ScriptedTransport implements FuseTransport {
    /** One request as the device sees it. */
    record Request(InHeader header, ByteBuffer bytes, boolean noReply, int replyCapacity) {
        /** The bytes after the header, a fresh little-endian view on each call. */
        ByteBuffer body() {
            return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        Opcode opcode() {
            return Opcode.of(header.opcode());
        }

        long unique() {
            return header.unique();
        }
    }

    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    volatile Function<Request, ByteBuffer> script = r -> null;
    /** Answers INIT when set; otherwise INIT gets {@link #initReply}. */
    volatile Function<Request, ByteBuffer> initScript;
    int maxRequestBytes = 1024 * 1024 + 4096;
    int maxReplyBytes = 1024 * 1024 + 16;
    volatile boolean closed;
    /** Lets a script write more than the reply capacity, as a broken device or transport might. */
    volatile boolean overfill;
    /** INIT reply fields the default INIT answer uses. */
    int initFlags = 0x44f039;
    int initMaxWrite = 1024 * 1024;
    int initMaxPages = 256;
    int initMinor = 36;

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        if (closed) {
            throw new TransportException("closed");
        }
        Request r = capture(request, false, replyCapacity);
        events.add("exchange " + r.opcode());
        ByteBuffer reply;
        if (r.opcode() == Opcode.INIT) {
            reply = initScript != null ? initScript.apply(r) : initReply(r.unique());
        } else {
            reply = script.apply(r);
        }
        if (reply == null) {
            throw new AssertionError("script has no answer for " + r.opcode());
        }
        if (reply.remaining() > replyCapacity && !overfill) {
            throw new AssertionError("script answer of " + reply.remaining() + " bytes exceeds reply capacity "
                    + replyCapacity + " for " + r.opcode());
        }
        return handler.handle(reply.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    @Override
    public void sendNoReply(ByteBuffer[] request) {
        if (closed) {
            throw new TransportException("closed");
        }
        Request r = capture(request, true, 0);
        events.add("noReply " + r.opcode());
    }

    /** The request as the device sees it: every buffer back to back, little-endian, position 0. */
    static ByteBuffer bytesOf(ByteBuffer[] request) {
        int total = 0;
        for (ByteBuffer b : request) {
            total += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        for (ByteBuffer b : request) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    private Request capture(ByteBuffer[] request, boolean noReply, int cap) {
        ByteBuffer all = bytesOf(request);
        int total = all.remaining();
        InHeader h = InHeader.decode(all);
        if (h.len() != total) {
            throw new AssertionError("in_header.len " + h.len() + " != request bytes " + total);
        }
        Request r = new Request(h, all.slice().order(ByteOrder.LITTLE_ENDIAN), noReply, cap);
        requests.add(r);
        return r;
    }

    ByteBuffer initReply(long unique) {
        ByteBuffer body = ByteBuffer.allocate(InitOut.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        new InitOut(7, initMinor, 131072, initFlags, 0, 0, initMaxWrite, 1, initMaxPages, 0, 0).encode(body);
        return reply(unique, 0, body.flip());
    }

    /** A well-formed reply: header with len = 16 + body. */
    static ByteBuffer reply(long unique, int error, ByteBuffer body) {
        int n = body == null ? 0 : body.remaining();
        ByteBuffer b = ByteBuffer.allocate(OutHeader.SIZE + n).order(ByteOrder.LITTLE_ENDIAN);
        new OutHeader(OutHeader.SIZE + n, error, unique).encode(b);
        if (body != null) {
            b.put(body.duplicate());
        }
        return b.flip();
    }

    static ByteBuffer ok(Request r) {
        return reply(r.unique(), 0, null);
    }

    static ByteBuffer error(Request r, int errno) {
        return reply(r.unique(), -errno, null);
    }

    static ByteBuffer body(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    List<Request> of(Opcode op) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.opcode() == op).toList();
        }
    }

    List<Opcode> opcodes() {
        synchronized (requests) {
            return requests.stream().map(Request::opcode).toList();
        }
    }

    @Override
    public int maxInFlight() {
        return 8;
    }

    @Override
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    @Override
    public int maxReplyBytes() {
        return maxReplyBytes;
    }

    @Override
    public DeviceInfo device() {
        return new DeviceInfo("scripted", "test", "-");
    }

    @Override
    public void close() {
        events.add("close");
        closed = true;
    }
}
