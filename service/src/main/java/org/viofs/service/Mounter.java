package org.viofs.service;

import org.viofs.volume.FuseVolume;
import org.viofs.winfsp.MountOptions;
import org.viofs.winfsp.WinFspHost;
import org.viofs.winfsp.WinFspLibrary;

/** Mounts a volume with WinFsp; the real DLL on Windows, a stand-in library in tests. */
@FunctionalInterface
public interface Mounter {
    /** A mounted volume. */
    interface Mounted extends AutoCloseable {
        /** The drive WinFsp mounted it on ("X:"). */
        String mountPoint();

        /** Unmounts: StopDispatcher, RemoveMountPoint, Delete. Idempotent. */
        @Override
        void close();
    }

    Mounted mount(FuseVolume volume, MountOptions options);

    /** Mounts through {@link WinFspHost} with this library (the DLL, or a stand-in). */
    static Mounter winFsp(WinFspLibrary lib, java.util.function.LongSupplier fileTimeNow) {
        return (volume, options) -> {
            WinFspHost host = WinFspHost.mount(lib, volume, options, fileTimeNow.getAsLong(),
                    volume.config().effectiveLabel());
            return new Mounted() {
                @Override
                public String mountPoint() {
                    return host.mountPoint();
                }

                @Override
                public void close() {
                    host.close();
                }
            };
        };
    }
}
