package org.viofs.conformance;

import java.nio.ByteBuffer;

import org.viofs.bridge.ForwardingTransport;
import org.viofs.bridge.FuseTransport;

/**
 * A transport view whose {@link #close()} leaves the connection open, so a probe volume can be
 * unmounted (FUSE_DESTROY) and the same connection mounted again with the right configuration.
 * Thread-safe as the transport it wraps.
 */
final class KeepOpen extends ForwardingTransport {
    KeepOpen(FuseTransport delegate) {
        super(delegate);
    }

    @Override
    protected void beforeSend(ByteBuffer[] request) {
        // only close() differs from the wrapped transport
    }

    @Override
    public void close() {
        // the connection stays open for the next mount
    }
}
