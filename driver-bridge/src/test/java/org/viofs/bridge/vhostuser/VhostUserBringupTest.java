package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.DaemonExitedException;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.TransportTimeoutException;
import org.viofs.bridge.vhostuser.VhostUserMessage.Request;

/**
 * Bring-up against a scripted fake backend, for what a real virtiofsd never does on purpose: refuse a
 * message with a NACK, answer with the wrong code, offer no VERSION_1, stay silent, or hang up at once.
 * Each failure must name the step.
 */
class VhostUserBringupTest {
    @TempDir
    Path dir;
    private FakeBackend backend;

    private static final ByteBuffer HANG_UP = FakeBackend.HANG_UP;
    private static final ByteBuffer SILENCE = FakeBackend.SILENCE;

    private Path serve(Function<Integer, ByteBuffer> answer) throws IOException {
        backend = new FakeBackend(dir, answer);
        seen = backend.seen;
        return backend.socket;
    }

    private List<String> seen = List.of();

    @AfterEach
    void stop() throws Exception {
        if (backend != null) {
            backend.close();
        }
    }

    private static Function<Integer, ByteBuffer> virtiofsdLike(Function<Integer, ByteBuffer> override) {
        return FakeBackend.virtiofsdLike(override);
    }

    private VhostUserTransport connect(Path sock) {
        return VhostUserTransport.connect(sock, VhostUserConfig.builder().maxInFlight(1).queueSize(2)
                .timeout(Duration.ofMillis(500)).build());
    }

    @Test
    void backendThatHangsUpAtOnceIsADaemonExit() throws Exception {
        Path sock = serve(code -> HANG_UP);
        DaemonExitedException e = assertThrows(DaemonExitedException.class, () -> connect(sock));
        assertTrue(e.getMessage().contains("bring-up failed at GET_FEATURES"), e.getMessage());
    }

    @Test
    void missingVersion1IsRefused() throws Exception {
        Path sock = serve(code -> VhostUserMessage.u64(VhostUserMessage.VHOST_USER_F_PROTOCOL_FEATURES));
        TransportException e = assertThrows(TransportException.class, () -> connect(sock));
        assertTrue(e.getMessage().contains("VIRTIO_F_VERSION_1"), e.getMessage());
    }

    @Test
    void replyWithTheWrongCodeIsAProtocolError() throws Exception {
        ByteBuffer wrong = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 0x1_7500_0000L)
                .put(8, (byte) Request.GET_QUEUE_NUM.code);
        Path sock = serve(code -> wrong);
        TransportException e = assertThrows(TransportException.class, () -> connect(sock));
        assertTrue(e.getMessage().contains("expected the reply to GET_FEATURES, got GET_QUEUE_NUM"), e.getMessage());
    }

    @Test
    void silentBackendTimesOutWithinTheBound() throws Exception {
        Path sock = serve(code -> SILENCE);
        long t0 = System.nanoTime();
        TransportTimeoutException e = assertThrows(TransportTimeoutException.class, () -> connect(sock));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().contains("GET_FEATURES"), e.getMessage());
        assertTrue(ms >= 450 && ms < 3000, "gave up after " + ms + " ms, timeout 500 ms");
    }

    @Test
    void nackOfASetupMessageNamesTheStep() throws Exception {
        Path sock = serve(virtiofsdLike(code -> code == Request.SET_VRING_ADDR.code ? VhostUserMessage.u64(1) : null));
        TransportException e = assertThrows(TransportException.class, () -> connect(sock));
        assertTrue(e.getMessage().contains("backend rejected SET_VRING_ADDR (queue 0)"), e.getMessage());
        // the tested sequence of §3, every set-up message acknowledged
        assertEquals(List.of("GET_FEATURES", "GET_PROTOCOL_FEATURES", "SET_PROTOCOL_FEATURES", "GET_QUEUE_NUM",
                "SET_OWNER+ack", "SET_FEATURES+ack", "SET_MEM_TABLE+ack", "SET_VRING_NUM+ack", "SET_VRING_BASE+ack",
                "SET_VRING_ADDR+ack"), new ArrayList<>(seen));
    }

    @Test
    void fullBringUpSequenceAgainstAnAgreeableBackend() throws Exception {
        Path sock = serve(virtiofsdLike(code -> null));
        try (VhostUserTransport t = connect(sock)) {
            assertEquals("vhost-user", t.device().kind());
            assertEquals(sock.toString(), t.device().path());
        }
        List<String> perQueue = List.of("SET_VRING_NUM+ack", "SET_VRING_BASE+ack", "SET_VRING_ADDR+ack",
                "SET_VRING_CALL+ack", "SET_VRING_KICK+ack", "SET_VRING_ENABLE+ack");
        List<String> expected = new ArrayList<>(List.of("GET_FEATURES", "GET_PROTOCOL_FEATURES", "SET_PROTOCOL_FEATURES",
                "GET_QUEUE_NUM", "SET_OWNER+ack", "SET_FEATURES+ack", "SET_MEM_TABLE+ack"));
        expected.addAll(perQueue); // hiprio
        expected.addAll(perQueue); // request queue
        expected.add("GET_VRING_BASE"); // close(): both queues stopped
        expected.add("GET_VRING_BASE");
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (seen.size() < expected.size() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, new ArrayList<>(seen));
    }

    @Test
    void tooFewQueuesIsRefused() throws Exception {
        Path sock = serve(virtiofsdLike(code -> code == Request.GET_QUEUE_NUM.code ? VhostUserMessage.u64(1) : null));
        TransportException e = assertThrows(TransportException.class, () -> connect(sock));
        assertInstanceOf(TransportException.class, e);
        assertTrue(e.getMessage().contains("has 1 queues, 2 needed"), e.getMessage());
    }
}
