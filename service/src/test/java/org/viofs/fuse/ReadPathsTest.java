package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.viofs.bridge.DeviceInfo;
import org.viofs.bridge.DirectReadTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.fuse.abi.OutHeader;
import org.viofs.fuse.abi.ReadIn;

/**
 * A READ reply goes one of three ways: copied out of an ordinary exchange, written by the device
 * straight into the caller's buffer (viofs.sys's zero-copy IOCTL: only the out header comes back), or
 * an ordinary exchange on a zero-copy transport whose device refused the IOCTL. The transport checks
 * none of them; a malformed reply is a {@link FuseProtocolException} whichever way it came.
 */
class ReadPathsTest {
    /** A zero-copy transport over a scripted one: {@code direct} plays the device's IOCTL, or null to refuse it. */
    static final class ZeroCopy implements DirectReadTransport {
        final ScriptedTransport base = new ScriptedTransport();
        /** (unique, destination) → the bytes the IOCTL returns; it may write into the destination. */
        volatile BiFunction<Long, ByteBuffer, ByteBuffer> direct;
        /** The last request the zero-copy path carried, as sent. */
        volatile ByteBuffer lastRequest;

        @Override
        public <T> T exchangeRead(ByteBuffer[] request, ByteBuffer destination, ReadReplyHandler<T> handler) {
            if (direct == null) {
                return base.exchange(request, OutHeader.SIZE + destination.remaining(), r -> handler.handle(r, false));
            }
            lastRequest = ScriptedTransport.bytesOf(request);
            long unique = lastRequest.getLong(8);
            ByteBuffer returned = direct.apply(unique, destination.duplicate());
            return handler.handle(returned.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN), true);
        }

        @Override
        public Boolean directReadAccepted() {
            return direct != null;
        }

        @Override
        public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
            return base.exchange(request, replyCapacity, handler);
        }

        @Override
        public void sendNoReply(ByteBuffer[] request) {
            base.sendNoReply(request);
        }

        @Override
        public int maxInFlight() {
            return 1;
        }

        @Override
        public int maxRequestBytes() {
            return base.maxRequestBytes();
        }

        @Override
        public int maxReplyBytes() {
            return base.maxReplyBytes();
        }

        @Override
        public DeviceInfo device() {
            return base.device();
        }

        @Override
        public void close() {
            base.close();
        }
    }

    private static ByteBuffer header(int len, int error, long unique) {
        ByteBuffer h = ByteBuffer.allocate(OutHeader.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        new OutHeader(len, error, unique).encode(h);
        return h.flip();
    }

    @Test
    void zeroCopyReadLandsInTheCallersBufferAndIsChecked() {
        ZeroCopy t = new ZeroCopy();
        FuseClient c = FuseClient.init(t);
        byte[] data = "zero copy".getBytes();
        t.direct = (unique, dst) -> {
            dst.put(data);
            return header(OutHeader.SIZE + data.length, 0, unique);
        };
        ByteBuffer dst = ByteBuffer.allocateDirect(64);
        assertEquals(data.length, c.read(5, 1, 0, dst), "a short read: end of file");
        assertEquals(data.length, dst.position());
        byte[] got = new byte[data.length];
        dst.flip().get(got);
        assertArrayEquals(data, got);
        ReadIn sent = ReadIn.decode(t.lastRequest.position(40));
        assertEquals(64, sent.size(), "the READ as sent asks for the whole buffer");
        assertEquals(java.util.List.of(Opcode.INIT), t.base.opcodes(), "no ordinary exchange carried the READ");
    }

    @Test
    void lenBeyondTheBufferIsAProtocolErrorOnEveryPath() {
        // zero-copy: the header claims one byte more than the buffer holds
        ZeroCopy z = new ZeroCopy();
        FuseClient c = FuseClient.init(z);
        z.direct = (unique, dst) -> header(OutHeader.SIZE + 33, 0, unique);
        FuseProtocolException e = assertThrows(FuseProtocolException.class,
                () -> c.read(5, 1, 0, ByteBuffer.allocateDirect(32)));
        assertTrue(e.getMessage().contains("zero-copy READ reply header says len 49 for a 32-byte READ"), e.getMessage());
        // zero-copy: more than the header came back
        z.direct = (unique, dst) -> ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .put(header(OutHeader.SIZE, 0, unique)).flip().limit(24);
        e = assertThrows(FuseProtocolException.class, () -> c.read(5, 1, 0, ByteBuffer.allocateDirect(32)));
        assertTrue(e.getMessage().contains("zero-copy READ returned 24 bytes"), e.getMessage());
        // zero-copy: nothing came back at all
        z.direct = (unique, dst) -> ByteBuffer.allocate(0);
        assertThrows(FuseProtocolException.class, () -> c.read(5, 1, 0, ByteBuffer.allocateDirect(32)));
        // the IOCTL refused: an ordinary exchange whose header len runs past what was written
        z.direct = null;
        z.base.script = r -> {
            ByteBuffer b = ByteBuffer.allocate(OutHeader.SIZE + 8).order(ByteOrder.LITTLE_ENDIAN);
            new OutHeader(OutHeader.SIZE + 32, 0, r.unique()).encode(b);
            return b.position(b.capacity()).flip();
        };
        e = assertThrows(FuseProtocolException.class, () -> c.read(5, 1, 0, ByteBuffer.allocateDirect(32)));
        assertTrue(e.getMessage().contains("len past the end"), e.getMessage());
        // a plain transport, copying into a heap buffer: the same reply, the same answer
        ScriptedTransport plain = new ScriptedTransport();
        FuseClient p = FuseClient.init(plain);
        plain.script = z.base.script;
        e = assertThrows(FuseProtocolException.class, () -> p.read(5, 1, 0, ByteBuffer.allocate(32)));
        assertTrue(e.getMessage().contains("len past the end"), e.getMessage());
    }

    @Test
    void anErrorHeaderWithDataIsAProtocolErrorOnTheZeroCopyPath() {
        ZeroCopy z = new ZeroCopy();
        FuseClient c = FuseClient.init(z);
        z.direct = (unique, dst) -> header(OutHeader.SIZE + 4, -Errno.EIO.number(), unique);
        FuseProtocolException e = assertThrows(FuseProtocolException.class,
                () -> c.read(5, 1, 0, ByteBuffer.allocateDirect(32)));
        assertTrue(e.getMessage().contains("an error reply is the bare header"), e.getMessage());
        z.direct = (unique, dst) -> header(OutHeader.SIZE, -Errno.EIO.number(), unique);
        FuseErrnoException errno = assertThrows(FuseErrnoException.class,
                () -> c.read(5, 1, 0, ByteBuffer.allocateDirect(32)));
        assertTrue(errno.is(Errno.EIO));
    }
}
