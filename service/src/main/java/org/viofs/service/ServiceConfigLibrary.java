package org.viofs.service;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Winsvc;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;

/**
 * The two advapi32 calls jna-platform's {@code Advapi32} lacks, with the same (Unicode) options.
 * Declarations only; Windows-only.
 */
interface ServiceConfigLibrary extends StdCallLibrary {
    /** winsvc.h {@code SERVICE_NO_CHANGE}: leave this value as it is. */
    int SERVICE_NO_CHANGE = 0xFFFFFFFF;
    /** sizeof(SERVICE_DELAYED_AUTO_START_INFO): one BOOL. */
    int DELAYED_AUTO_START_INFO_BYTES = 4;

    /** Loaded on first use. */
    final class Holder {
        private Holder() {
        }

        static final ServiceConfigLibrary INSTANCE =
                Native.load("advapi32", ServiceConfigLibrary.class, W32APIOptions.DEFAULT_OPTIONS);
    }

    /** ChangeServiceConfigW. */
    boolean ChangeServiceConfig(Winsvc.SC_HANDLE service, int serviceType, int startType, int errorControl,
                                String binaryPathName, String loadOrderGroup, Pointer tagId, String dependencies,
                                String serviceStartName, String password, String displayName);

    /** ChangeServiceConfig2W with the info as raw memory (for SERVICE_DELAYED_AUTO_START_INFO). */
    boolean ChangeServiceConfig2(Winsvc.SC_HANDLE service, int infoLevel, Pointer info);
}
