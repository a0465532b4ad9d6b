package org.viofs.bridge.windows;

import com.sun.jna.Pointer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A scripted viofs.sys handle: records every DeviceIoControl and answers through {@link #behaviour}. */
class FakeViofsDevice implements ViofsDeviceHandle {

    @FunctionalInterface
    interface Behaviour {
        /** @return BytesReturned */
        int call(int code, byte[] in, Pointer out, int outLength) throws Win32CallException;
    }

    record Call(int code, byte[] in, int outLength, long inAddress, long outAddress) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile Behaviour behaviour = (code, in, out, outLength) -> 0;
    volatile boolean closed;

    @Override
    public int deviceIoControl(int code, Pointer in, int inLength, Pointer out, int outLength)
            throws Win32CallException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            byte[] bytes = in == null ? new byte[0] : in.getByteArray(0, inLength);
            calls.add(new Call(code, bytes, outLength, Pointer.nativeValue(in), Pointer.nativeValue(out)));
            return behaviour.call(code, bytes, out, outLength);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public String path() {
        return "\\\\?\\fake#viofs";
    }

    @Override
    public void close() {
        closed = true;
    }
}
