package org.viofs.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Counting by opcode, and zero-copy READ passed through or emulated by a copy. */
class CountingTransportTest {
    /** Answers every request with the out header and {@code data} bytes 1, 2, 3, …; records nothing else. */
    private static class Echo implements FuseTransport {
        final int data;
        int exchanges;

        Echo(int data) {
            this.data = data;
        }

        @Override
        public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
            exchanges++;
            ByteBuffer r = ByteBuffer.allocate(16 + data).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(16 + data).putInt(0).putLong(request[0].getLong(request[0].position() + 8));
            for (int i = 0; i < data; i++) {
                r.put((byte) (i + 1));
            }
            return handler.handle(r.flip().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
        }

        @Override
        public void sendNoReply(ByteBuffer[] request) {
        }

        @Override
        public int maxInFlight() {
            return 1;
        }

        @Override
        public int maxRequestBytes() {
            return 4096;
        }

        @Override
        public int maxReplyBytes() {
            return 4096;
        }

        @Override
        public DeviceInfo device() {
            return new DeviceInfo("echo", "t", "-");
        }

        @Override
        public void close() {
        }
    }

    /** Like Echo, but claims the zero-copy path and writes 0x7F bytes so the test can tell. */
    private static final class DirectEcho extends Echo implements DirectReadTransport {
        int direct;

        DirectEcho(int data) {
            super(data);
        }

        @Override
        public <T> T exchangeRead(ByteBuffer[] request, ByteBuffer destination, ReadReplyHandler<T> handler) {
            direct++;
            for (int i = 0; i < data; i++) {
                destination.put(destination.position() + i, (byte) 0x7F);
            }
            ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(16 + data).putInt(0).putLong(request[0].getLong(8));
            return handler.handle(h.flip(), true);
        }

        @Override
        public Boolean directReadAccepted() {
            return Boolean.TRUE;
        }
    }

    private static ByteBuffer[] header(int opcode) {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(40).putInt(opcode).putLong(99);
        return new ByteBuffer[] {b.position(0)};
    }

    @Test
    void countsEachRequestByItsOpcode() {
        CountingTransport c = new CountingTransport(new Echo(0));
        c.exchange(header(3), 120, r -> null);
        c.exchange(header(3), 120, r -> null);
        c.sendNoReply(header(2));
        assertEquals(Map.of(2, 1L, 3, 2L), c.snapshot());
        assertEquals(3, c.total());
        c.reset();
        assertEquals(0, c.total());
        assertThrows(IllegalArgumentException.class, () -> c.exchange(new ByteBuffer[] {ByteBuffer.allocate(4)}, 16,
                r -> null), "a first buffer without the in header is refused");
    }

    @Test
    void exchangeReadIsAnOrdinaryExchangeWhenTheDelegateHasNoZeroCopyPath() {
        Echo echo = new Echo(5);
        CountingTransport c = new CountingTransport(echo);
        ByteBuffer dst = ByteBuffer.allocateDirect(8);
        dst.position(2);
        int len = c.exchangeRead(header(15), dst, (r, direct) -> {
            assertFalse(direct);
            return r.remaining();
        });
        assertEquals(21, len, "the whole reply (16 + 5 data bytes) reaches the handler");
        assertEquals(2, dst.position(), "position unchanged");
        assertEquals(0, dst.get(2), "nothing copied: the client does that");
        assertEquals(1, echo.exchanges);
        assertEquals(1, c.count(15));
        assertEquals(Boolean.FALSE, c.directReadAccepted());
    }

    @Test
    void exchangeReadUsesTheDelegatesZeroCopyPath() {
        DirectEcho echo = new DirectEcho(3);
        CountingTransport c = new CountingTransport(echo);
        ByteBuffer dst = ByteBuffer.allocateDirect(4);
        int len = c.exchangeRead(header(15), dst, (h, direct) -> {
            assertTrue(direct);
            return h.getInt(0);
        });
        assertEquals(19, len);
        assertEquals(0x7F, dst.get(0), "written by the delegate's zero-copy path");
        assertEquals(1, echo.direct);
        assertEquals(0, echo.exchanges, "no ordinary exchange");
        assertTrue(c.directReadAccepted());
        assertEquals(1, c.count(15));
    }
}
