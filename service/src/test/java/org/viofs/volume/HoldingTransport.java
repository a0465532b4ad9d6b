package org.viofs.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.viofs.bridge.ForwardingTransport;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;

/**
 * Wraps the real transport and holds back the reply of one chosen request: the daemon has answered
 * (its view is taken), but the volume sees the answer only when the test releases it. This forces
 * the interleavings WinFsp allows between dispatcher threads, e.g. a READDIRPLUS answered before a
 * rename and handed to the volume after it. Every wait is bounded.
 */
final class HoldingTransport extends ForwardingTransport {
    /** Wait bound for the test's own synchronisation. */
    static final long WAIT_SECONDS = 20;

    private volatile int armedOpcode = -1;
    private volatile CountDownLatch held = new CountDownLatch(1);
    private volatile CountDownLatch release = new CountDownLatch(1);

    HoldingTransport(FuseTransport delegate) {
        super(delegate);
    }

    /** The next request with this FUSE opcode has its reply held until {@link #release()}. */
    synchronized void arm(int opcode) {
        held = new CountDownLatch(1);
        release = new CountDownLatch(1);
        armedOpcode = opcode;
    }

    /** Waits (bounded) until the armed request's reply has arrived and is being held. */
    void awaitHeld() throws InterruptedException {
        if (!held.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the armed request was not sent within " + WAIT_SECONDS + " s");
        }
    }

    /** Hands the held reply to the volume. */
    void release() {
        release.countDown();
    }

    @Override
    protected void beforeSend(ByteBuffer[] request) {
    }

    private boolean take(ByteBuffer[] request) {
        ByteBuffer h = request[0].duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int opcode = h.getInt(h.position() + 4);
        synchronized (this) {
            if (opcode != armedOpcode) {
                return false;
            }
            armedOpcode = -1;
            return true;
        }
    }

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        if (!take(request)) {
            return super.exchange(request, replyCapacity, handler);
        }
        CountDownLatch heldNow = held;
        CountDownLatch releaseNow = release;
        ByteBuffer copy = delegate().exchange(request, replyCapacity, reply -> {
            ByteBuffer c = ByteBuffer.allocate(reply.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            c.put(reply.duplicate());
            c.flip();
            return c;
        });
        heldNow.countDown();
        try {
            if (!releaseNow.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the held reply was not released within " + WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while holding a reply", e);
        }
        return handler.handle(copy.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }
}
