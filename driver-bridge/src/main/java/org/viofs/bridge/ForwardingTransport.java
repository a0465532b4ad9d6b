package org.viofs.bridge;

import java.nio.ByteBuffer;

/**
 * A {@link FuseTransport} that hands everything to another one, for decorators that only watch the
 * requests going by ({@link #beforeSend}) or change the lifecycle. It offers {@link DirectReadTransport}
 * whatever the delegate is: a zero-copy READ goes through when the delegate has one, otherwise it is an
 * ordinary exchange reported with {@code dataInDestination == false}, so wrapping never hides the
 * device's zero-copy path. Like every transport it reads no FUSE header.
 *
 * <p>Thread-safe if {@link #beforeSend} is. Closing it closes the delegate.
 */
public abstract class ForwardingTransport implements DirectReadTransport {
    private final FuseTransport delegate;

    protected ForwardingTransport(FuseTransport delegate) {
        this.delegate = delegate;
    }

    /** Called once for every request, replied or not, before it is handed to the delegate. */
    protected abstract void beforeSend(ByteBuffer[] request);

    /** The transport requests are handed to. */
    protected final FuseTransport delegate() {
        return delegate;
    }

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        beforeSend(request);
        return delegate.exchange(request, replyCapacity, handler);
    }

    @Override
    public <T> T exchangeRead(ByteBuffer[] request, ByteBuffer destination, ReadReplyHandler<T> handler) {
        beforeSend(request);
        if (delegate instanceof DirectReadTransport d) {
            return d.exchangeRead(request, destination, handler);
        }
        return delegate.exchange(request, OUT_HEADER_BYTES + destination.remaining(), r -> handler.handle(r, false));
    }

    @Override
    public Boolean directReadAccepted() {
        return delegate instanceof DirectReadTransport d ? d.directReadAccepted() : Boolean.FALSE;
    }

    @Override
    public void sendNoReply(ByteBuffer[] request) {
        beforeSend(request);
        delegate.sendNoReply(request);
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
