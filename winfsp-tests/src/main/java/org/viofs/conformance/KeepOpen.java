package org.viofs.conformance;

import java.nio.ByteBuffer;

import org.viofs.bridge.DeviceInfo;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.ReplyHandler;

/**
 * A transport view whose {@link #close()} leaves the connection open, so a probe volume can be
 * unmounted (FUSE_DESTROY) and the same connection mounted again with the right configuration.
 * Thread-safe as the transport it wraps.
 */
final class KeepOpen implements FuseTransport {
    private final FuseTransport delegate;

    KeepOpen(FuseTransport delegate) {
        this.delegate = delegate;
    }

    @Override
    public <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        return delegate.exchange(request, replyCapacity, handler);
    }

    @Override
    public void sendNoReply(ByteBuffer[] request) {
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
        // the connection stays open for the next mount
    }
}
