package org.viofs.service;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Consumer;

import org.viofs.bridge.CountingTransport;
import org.viofs.bridge.ForwardingTransport;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.bridge.TransportException;

/**
 * The device's transport as one share sees it: requests are counted per opcode (for
 * {@code viofs status}), and the first {@link TransportException} (daemon gone, device removed, a
 * wait that timed out) is reported to the share manager, which unmounts and retries. The exception
 * still reaches the caller, so the request fails with its status. Thread-safe; closing closes the device
 * transport.
 */
final class ShareTransport extends ForwardingTransport {
    private final CountingTransport counter;
    private final Consumer<TransportException> onLoss;

    private ShareTransport(CountingTransport counter, Consumer<TransportException> onLoss) {
        super(counter);
        this.counter = counter;
        this.onLoss = onLoss;
    }

    static ShareTransport over(FuseTransport device, Consumer<TransportException> onLoss) {
        return new ShareTransport(new CountingTransport(device), onLoss);
    }

    @Override
    protected void beforeSend(ByteBuffer[] request) {
        // counted by the CountingTransport below
    }

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        try {
            return super.exchange(request, replyCapacity, handler);
        } catch (TransportException e) {
            onLoss.accept(e);
            throw e;
        }
    }

    @Override
    public <T> T exchangeRead(ByteBuffer[] request, ByteBuffer destination, ReplyHandler<T> handler) {
        try {
            return super.exchangeRead(request, destination, handler);
        } catch (TransportException e) {
            onLoss.accept(e);
            throw e;
        }
    }

    @Override
    public void sendNoReply(ByteBuffer[] request) {
        try {
            super.sendNoReply(request);
        } catch (TransportException e) {
            onLoss.accept(e);
            throw e;
        }
    }

    /** Requests sent so far, by opcode number. */
    Map<Integer, Long> requests() {
        return counter.snapshot();
    }

    /** A view that does not close the device when closed (for the xattr probe before the real mount). */
    FuseTransport keepOpen() {
        ShareTransport self = this;
        return new ForwardingTransport(self) {
            @Override
            protected void beforeSend(ByteBuffer[] request) {
            }

            @Override
            public void close() {
                // the share keeps the device
            }
        };
    }
}
