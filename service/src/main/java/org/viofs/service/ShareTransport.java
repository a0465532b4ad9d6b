package org.viofs.service;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.viofs.bridge.ForwardingTransport;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.bridge.TransportException;
import org.viofs.fuse.RequestCounter;

/**
 * The device's transport as one share sees it: it carries the share's {@link RequestCounter} (a listener
 * on the share's FUSE clients, for {@code viofs status}), and the first {@link TransportException} (daemon gone, device removed, a
 * wait that timed out) is reported to the share manager, which unmounts and retries. The exception
 * still reaches the caller, so the request fails with its status. Thread-safe; closing closes the device
 * transport.
 */
final class ShareTransport extends ForwardingTransport {
    private final RequestCounter counter = new RequestCounter();
    private final Consumer<TransportException> onLoss;

    private ShareTransport(FuseTransport device, Consumer<TransportException> onLoss) {
        super(device);
        this.onLoss = onLoss;
    }

    static ShareTransport over(FuseTransport device, Consumer<TransportException> onLoss) {
        return new ShareTransport(device, onLoss);
    }

    @Override
    protected void beforeSend(ByteBuffer[] request) {
        // counted by the client's listener, which knows the opcode
    }

    /** The counter to register on every FUSE client of this share. */
    RequestCounter counter() {
        return counter;
    }

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        return reportingLoss(() -> super.exchange(request, replyCapacity, handler));
    }

    @Override
    public <T> T exchangeRead(ByteBuffer[] request, ByteBuffer destination, ReadReplyHandler<T> handler) {
        return reportingLoss(() -> super.exchangeRead(request, destination, handler));
    }

    @Override
    public void sendNoReply(ByteBuffer[] request) {
        reportingLoss(() -> {
            super.sendNoReply(request);
            return null;
        });
    }

    /** Runs one call on the device; a {@link TransportException} is reported to the manager, then rethrown. */
    private <T> T reportingLoss(Supplier<T> call) {
        try {
            return call.get();
        } catch (TransportException e) {
            onLoss.accept(e);
            throw e;
        }
    }

    /** Requests sent so far, by opcode number. */
    Map<Integer, Long> requests() {
        Map<Integer, Long> byCode = new TreeMap<>();
        counter.snapshot().forEach((op, n) -> byCode.put(op.code(), n));
        return byCode;
    }
}
