package org.viofs.bridge.vhostuser;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.viofs.bridge.vhostuser.VhostUserMessage.Request;

/**
 * A scripted vhost-user backend on a Unix socket, for what a real virtiofsd never does on purpose. It
 * answers control messages only; a test that needs a device side plays it over the shared memory.
 * Closing it closes the socket and stops its thread.
 */
final class FakeBackend implements AutoCloseable {
    /** Answer that hangs up. */
    static final ByteBuffer HANG_UP = ByteBuffer.allocate(0);
    /** Answer that never comes. */
    static final ByteBuffer SILENCE = ByteBuffer.allocate(1);
    private static final long VIRTIOFSD_FEATURES = 0x1_7500_0000L; // observed, §2.2
    private static final long VIRTIOFSD_PROTOCOL_FEATURES = 0x8c2b; // observed, §2.2

    /** Messages seen, by name, "+ack" when a reply was asked for. */
    final List<String> seen = new CopyOnWriteArrayList<>();
    final Path socket;
    private final ServerSocketChannel server;
    private final Thread thread;

    /**
     * Serves on {@code dir/fake.sock}. {@code answer} maps a request code to a reply payload, null for
     * none (an ack if one was asked for), {@link #HANG_UP} or {@link #SILENCE}; a 9-byte answer is a u64
     * sent back under the request code in its last byte.
     */
    FakeBackend(Path dir, Function<Integer, ByteBuffer> answer) throws IOException {
        socket = dir.resolve("fake.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(() -> serve(answer), "fake-vhost-user-backend");
        thread.setDaemon(true);
        thread.start();
    }

    /** Answers like virtiofsd 7.2, except for the messages {@code override} answers. */
    static Function<Integer, ByteBuffer> virtiofsdLike(Function<Integer, ByteBuffer> override) {
        return code -> {
            ByteBuffer o = override.apply(code);
            if (o != null) {
                return o;
            }
            if (code == Request.GET_FEATURES.code) {
                return VhostUserMessage.u64(VIRTIOFSD_FEATURES);
            }
            if (code == Request.GET_PROTOCOL_FEATURES.code) {
                return VhostUserMessage.u64(VIRTIOFSD_PROTOCOL_FEATURES);
            }
            if (code == Request.GET_QUEUE_NUM.code) {
                return VhostUserMessage.u64(2);
            }
            if (code == Request.GET_VRING_BASE.code) {
                return VhostUserMessage.vringState(0, 0);
            }
            return null; // ack if asked
        };
    }

    private void serve(Function<Integer, ByteBuffer> answer) {
        try (SocketChannel c = server.accept()) {
            while (true) {
                ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
                if (!fill(c, h)) {
                    return;
                }
                int code = h.getInt(0);
                int flags = h.getInt(4);
                ByteBuffer p = ByteBuffer.allocate(h.getInt(8));
                if (!fill(c, p)) {
                    return;
                }
                boolean ack = (flags & VhostUserMessage.FLAG_NEED_REPLY) != 0;
                seen.add(Request.of(code) + (ack ? "+ack" : ""));
                ByteBuffer reply = answer.apply(code);
                if (reply == HANG_UP) {
                    return;
                }
                if (reply == SILENCE) {
                    Thread.sleep(60_000);
                    return;
                }
                if (reply == null && ack) {
                    reply = VhostUserMessage.u64(0);
                }
                if (reply != null) {
                    int replyCode = reply.capacity() == 9 ? reply.get(8) : code; // 9 bytes: wrong-code marker
                    ByteBuffer payload = reply.capacity() == 9 ? VhostUserMessage.u64(reply.getLong(0)) : reply;
                    ByteBuffer out = ByteBuffer.allocate(12 + payload.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                    out.putInt(replyCode).putInt(VhostUserMessage.FLAG_VERSION_1 | VhostUserMessage.FLAG_REPLY)
                            .putInt(payload.remaining()).put(payload.duplicate()).flip();
                    while (out.hasRemaining()) {
                        c.write(out);
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // test over
        }
    }

    private static boolean fill(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
