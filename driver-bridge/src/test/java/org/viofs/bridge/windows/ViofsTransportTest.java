package org.viofs.bridge.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.viofs.bridge.DeviceRemovedException;
import org.viofs.bridge.RequestTooLargeException;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.TransportTimeoutException;
import org.viofs.bridge.testing.RawFuse;

/** The transport's decisions against a scripted handle (docs/viofs-anchor.md §1.4–§1.8). */
class ViofsTransportTest {
    private final FakeViofsDevice device = new FakeViofsDevice();

    private ViofsTransport transport() {
        return new ViofsTransport(device, "myfs", new ChunkPolicy(), Duration.ofSeconds(5));
    }

    /** A 40-byte fuse_in_header with this opcode and unique, plus a body. */
    private static ByteBuffer[] request(int opcode, long unique, int bodyBytes) {
        ByteBuffer h = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, 40 + bodyBytes).putInt(4, opcode).putLong(8, unique);
        ByteBuffer body = ByteBuffer.allocateDirect(bodyBytes);
        for (int i = 0; i < bodyBytes; i++) {
            body.put(i, (byte) i);
        }
        return new ByteBuffer[] {h, body};
    }

    /** Writes a fuse_out_header (len, error 0, unique) plus payload; returns the bytes written. */
    private static int reply(Pointer out, byte[] in, byte[] payload) {
        long unique = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
        out.setInt(0, 16 + payload.length);
        out.setInt(4, 0);
        out.setLong(8, unique);
        out.write(16, payload, 0, payload.length);
        return 16 + payload.length;
    }

    @Test
    void gathersTheRequestIntoOneBufferAndHandsTheReplyReadOnly() {
        device.behaviour = (code, in, out, outLength) -> reply(out, in, new byte[] {7, 8, 9});
        ByteBuffer[] req = request(RawFuse.FUSE_GETATTR, 42, 100);
        int pos = req[1].position();
        ViofsTransport t = transport();
        ByteBuffer seen = t.exchange(req, 4096, reply -> {
            assertTrue(reply.isReadOnly());
            assertEquals(ByteOrder.LITTLE_ENDIAN, reply.order());
            assertEquals(19, reply.limit());
            assertEquals(42, reply.getLong(8));
            return ByteBuffer.allocate(3).put(reply.position(16)).flip();
        });
        assertEquals(ByteBuffer.wrap(new byte[] {7, 8, 9}), seen);
        assertEquals(pos, req[1].position(), "positions are left unchanged");
        FakeViofsDevice.Call call = device.calls.get(0);
        assertEquals(0x0022E006, call.code());
        assertEquals(140, call.in().length);
        assertEquals(3, ByteBuffer.wrap(call.in()).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
        assertEquals(99, call.in()[139], "body follows the header back to back");
        assertEquals(4096, call.outLength());
        assertEquals(0, call.outAddress() % 4096, "reply buffer is page-aligned");
        assertEquals(0, call.inAddress() % 4096, "request buffer is page-aligned");
        assertEquals(1, t.maxInFlight());
        assertEquals("viofs.sys", t.device().kind());
        assertEquals("myfs", t.device().tag());
    }

    @Test
    void forgetStillPassesA16ByteOutputBuffer() {
        transport().sendNoReply(request(RawFuse.FUSE_FORGET, 0, 8));
        assertEquals(16, device.calls.get(0).outLength());
    }

    @Test
    void anOldDriverIsProbedOnceAndRemembered() {
        device.behaviour = (code, in, out, outLength) -> {
            if (code != 0x0022E004) {
                throw new Win32CallException("DeviceIoControl", Win32Error.ERROR_INVALID_FUNCTION);
            }
            return reply(out, in, new byte[0]);
        };
        ViofsTransport t = transport();
        t.exchange(request(RawFuse.FUSE_INIT, 1, 64), 256, r -> r.getInt(0));
        t.exchange(request(RawFuse.FUSE_LOOKUP, 2, 8), 256, r -> r.getInt(0));
        assertEquals(List.of(0x0022E006, 0x0022E004, 0x0022E004), codes());
        assertArrayEquals(device.calls.get(0).in(), device.calls.get(1).in(), "the same request is resent");
    }

    @Test
    void aDriverKnowingNeitherCodeIsNamed() {
        device.behaviour = (code, in, out, outLength) -> {
            throw new Win32CallException("DeviceIoControl", Win32Error.ERROR_INVALID_FUNCTION);
        };
        Win32TransportException e = assertThrows(Win32TransportException.class,
                () -> transport().exchange(request(RawFuse.FUSE_INIT, 1, 64), 256, r -> null));
        assertTrue(e.getMessage().contains("0x0022E006") && e.getMessage().contains("0x0022E004"), e.getMessage());
        assertEquals(2, device.calls.size());
    }

    @Test
    void aRefusedLargeRequestLowersTheLimitsAndIsRetryable() {
        device.behaviour = (code, in, out, outLength) -> {
            if (in.length + outLength > 500_000) { // a host queue of 128 descriptors
                throw new Win32CallException("DeviceIoControl", Win32Error.ERROR_GEN_FAILURE);
            }
            return reply(out, in, new byte[0]);
        };
        ViofsTransport t = transport();
        int before = t.maxRequestBytes();
        ByteBuffer[] write = request(RawFuse.FUSE_WRITE, 5, 1 << 20);
        RequestTooLargeException e = assertThrows(RequestTooLargeException.class,
                () -> t.exchange(write, 32, r -> null));
        assertEquals(2_093_057, before, "511 pages + 1 byte at the driver's 1,024 fragments");
        assertEquals(63 * 4096 + 1, t.maxRequestBytes(), "64 fragments per side after the fall-back to 128");
        assertEquals(t.maxRequestBytes(), e.maxRequestBytes());
        assertEquals(128, t.fragmentBudget());
        // the caller retries in pieces that fit the new limit
        int piece = t.maxRequestBytes() - 80;
        assertEquals(16 + 0, (int) t.exchange(request(RawFuse.FUSE_WRITE, 6, piece), 32, r -> r.getInt(0)));
    }

    @Test
    void aRequestAboveTheLimitIsRefusedBeforeReachingTheDevice() {
        ViofsTransport t = transport();
        assertThrows(RequestTooLargeException.class,
                () -> t.exchange(request(RawFuse.FUSE_WRITE, 1, t.maxRequestBytes()), 32, r -> null));
        assertThrows(RequestTooLargeException.class,
                () -> t.exchange(request(RawFuse.FUSE_READ, 1, 40), t.maxReplyBytes() + 1, r -> null));
        assertTrue(device.calls.isEmpty());
    }

    @Test
    void aSmallGenFailureIsReportedAsItIs() {
        device.behaviour = (code, in, out, outLength) -> {
            throw new Win32CallException("DeviceIoControl", Win32Error.ERROR_GEN_FAILURE);
        };
        ViofsTransport t = transport();
        Win32TransportException e = assertThrows(Win32TransportException.class,
                () -> t.exchange(request(RawFuse.FUSE_LOOKUP, 1, 10), 256, r -> null));
        assertEquals(31, e.win32Error());
        assertEquals(1024, t.fragmentBudget());
    }

    @Test
    void aRemovedDeviceFailsThisAndEveryLaterCallWithoutTouchingIt() {
        device.behaviour = (code, in, out, outLength) -> {
            throw new Win32CallException("DeviceIoControl", Win32Error.ERROR_DEVICE_REMOVED);
        };
        ViofsTransport t = transport();
        assertThrows(DeviceRemovedException.class, () -> t.exchange(request(RawFuse.FUSE_LOOKUP, 1, 10), 256, r -> null));
        assertThrows(DeviceRemovedException.class, () -> t.sendNoReply(request(RawFuse.FUSE_FORGET, 0, 8)));
        assertEquals(1, device.calls.size());
    }

    @Test
    void afterCloseEveryCallFails() {
        ViofsTransport t = transport();
        t.close();
        t.close();
        assertTrue(device.closed);
        TransportException e = assertThrows(TransportException.class,
                () -> t.exchange(request(RawFuse.FUSE_LOOKUP, 1, 10), 256, r -> null));
        assertFalse(e instanceof DeviceRemovedException);
    }

    @Test
    void aReplyShorterThanTheHeaderIsRefusedByArgumentCheck() {
        assertThrows(IllegalArgumentException.class, () -> transport().exchange(request(RawFuse.FUSE_LOOKUP, 1, 0), 15, r -> null));
    }

    @Test
    void aDeviceReportingMoreBytesThanTheBufferIsAProtocolError() {
        device.behaviour = (code, in, out, outLength) -> outLength + 1;
        assertThrows(TransportException.class, () -> transport().exchange(request(RawFuse.FUSE_LOOKUP, 1, 0), 64, r -> null));
    }

    @Test
    void requestsAreCarriedOneAtATime() throws Exception {
        device.behaviour = (code, in, out, outLength) -> {
            Thread.onSpinWait();
            return reply(out, in, new byte[8]);
        };
        ViofsTransport t = transport();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long unique = i + 1;
                results.add(pool.submit(() -> t.exchange(request(RawFuse.FUSE_GETATTR, unique, 16), 64, r -> r.getLong(8))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i + 1, results.get(i).get(10, TimeUnit.SECONDS), "each caller gets its own reply");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, device.maxInFlight.get());
    }

    @Test
    void aCallerWaitingTooLongForTheDeviceTimesOut() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        device.behaviour = (code, in, out, outLength) -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 16;
        };
        ViofsTransport t = new ViofsTransport(device, "x", new ChunkPolicy(), Duration.ofMillis(50));
        Thread holder = new Thread(() -> t.exchange(request(RawFuse.FUSE_LOOKUP, 1, 0), 64, r -> null));
        holder.start();
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        assertThrows(TransportTimeoutException.class, () -> t.exchange(request(RawFuse.FUSE_LOOKUP, 2, 0), 64, r -> null));
        release.countDown();
        holder.join(5000);
    }

    @Test
    void zeroCopyReadWritesStraightIntoTheDestination() {
        byte[] data = "hello, zero copy".getBytes();
        int[] preset = new int[1];
        device.behaviour = (code, in, out, outLength) -> {
            assertEquals(0x0022E00A, code);
            assertEquals(24, outLength, "sizeof(fuse_out_for_read)");
            int capacity = out.getInt(0);
            preset[0] = capacity;
            long address = out.getLong(16);
            new Pointer(address).write(0, data, 0, Math.min(capacity, data.length));
            out.setInt(0, 16 + data.length);
            out.setInt(4, 0);
            return 16; // BytesReturned is always 16 for this IOCTL
        };
        ViofsTransport t = transport();
        ByteBuffer dst = ByteBuffer.allocateDirect(4096);
        dst.position(100);
        int len = t.exchangeRead(request(RawFuse.FUSE_READ, 9, 40), dst, (header, direct) -> {
            assertTrue(direct, "the data went straight into the destination");
            assertEquals(16, header.limit(), "the handler sees the 16 bytes returned, unjudged");
            return header.getInt(0);
        });
        assertEquals(16 + data.length, len);
        byte[] got = new byte[data.length];
        dst.duplicate().get(got);
        assertArrayEquals(data, got);
        assertEquals(100, dst.position());
        assertEquals(Boolean.TRUE, t.directReadAccepted());
        assertEquals(4096 - 100, preset[0], "hdr.len preset to the data capacity");
    }

    @Test
    void withoutTheReadIoctlReadsAreCopied() {
        byte[] data = "copied".getBytes();
        device.behaviour = (code, in, out, outLength) -> {
            if (code == 0x0022E00A) {
                throw new Win32CallException("DeviceIoControl", Win32Error.ERROR_INVALID_FUNCTION);
            }
            return reply(out, in, data);
        };
        ViofsTransport t = transport();
        assertNull(t.directReadAccepted());
        for (int i = 0; i < 2; i++) {
            ByteBuffer dst = ByteBuffer.allocateDirect(64);
            byte[] got = new byte[data.length];
            int len = t.exchangeRead(request(RawFuse.FUSE_READ, 9, 40), dst, (reply, direct) -> {
                assertFalse(direct, "an ordinary exchange: the data is in the reply");
                assertEquals(16 + data.length, reply.limit(), "the whole reply as the device wrote it");
                reply.get(16, got);
                return reply.getInt(0);
            });
            assertEquals(16 + data.length, len);
            assertArrayEquals(data, got);
            assertEquals(0, dst.get(0), "the transport copies nothing into the destination");
        }
        assertEquals(Boolean.FALSE, t.directReadAccepted());
        assertEquals(List.of(0x0022E00A, 0x0022E006, 0x0022E006), codes(), "READ IOCTL probed once");
        assertEquals(16 + 64, device.calls.get(1).outLength());
    }

    @Test
    void zeroCopyReadNeedsADirectBuffer() {
        assertThrows(IllegalArgumentException.class,
                () -> transport().exchangeRead(request(RawFuse.FUSE_READ, 1, 40), ByteBuffer.allocate(10), (h, direct) -> null));
    }

    @Test
    void readsTheMountTagWithA74ByteBuffer() throws Exception {
        device.behaviour = (code, in, out, outLength) -> {
            assertEquals(0x00226000, code);
            assertEquals(74, outLength);
            byte[] tag = "share\0".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
            out.write(0, tag, 0, tag.length);
            return tag.length;
        };
        assertEquals("share", ViofsTransport.readTag(device));
    }

    private List<Integer> codes() {
        List<Integer> codes = new ArrayList<>();
        device.calls.forEach(c -> codes.add(c.code()));
        return codes;
    }

    @Test
    void deviceRemovedIsATransportException() {
        assertInstanceOf(TransportException.class, new DeviceRemovedException("x"));
    }
}
