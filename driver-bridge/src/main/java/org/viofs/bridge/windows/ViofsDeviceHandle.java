package org.viofs.bridge.windows;

import com.sun.jna.Pointer;

/**
 * One open viofs.sys device: the only native operations {@link ViofsTransport} needs. The Windows
 * implementation ({@link Kernel32DeviceHandle}) makes the calls and nothing else; tests give a fake.
 */
public interface ViofsDeviceHandle extends AutoCloseable {

    /**
     * A synchronous {@code DeviceIoControl}.
     *
     * @return BytesReturned
     * @throws Win32CallException with {@code GetLastError()} when the call returns FALSE
     */
    int deviceIoControl(int ioControlCode, Pointer in, int inLength, Pointer out, int outLength)
            throws Win32CallException;

    /** The device interface path the handle was opened on. */
    String path();

    /** Closes the handle. Idempotent. */
    @Override
    void close();
}
