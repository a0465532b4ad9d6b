package org.viofs.bridge.windows;

import java.nio.charset.StandardCharsets;

/**
 * setupapi.h {@code SP_DEVICE_INTERFACE_DETAIL_DATA_W}: {@code DWORD cbSize; WCHAR DevicePath[1]}.
 * Variable-length, so it is handled as raw memory: the caller sets {@code cbSize} to the fixed size
 * of the declared struct, which is 8 on x64 (4 + 2, padded to the DWORD alignment; 6 on x86), and the
 * path starts at offset 4. Pure constants and decoding.
 */
public final class SpDeviceInterfaceDetailData {
    private SpDeviceInterfaceDetailData() {
    }

    /** {@code sizeof(SP_DEVICE_INTERFACE_DETAIL_DATA_W)} on x64: the value cbSize must hold. */
    public static final int CB_SIZE_X64 = 8;
    /** Offset of {@code DevicePath}. */
    public static final int DEVICE_PATH_OFFSET = 4;

    /** The NUL-terminated UTF-16LE DevicePath in a filled detail buffer of {@code size} bytes. */
    public static String devicePath(byte[] detail, int size) {
        int end = Math.min(size, detail.length);
        int i = DEVICE_PATH_OFFSET;
        while (i + 1 < end && (detail[i] != 0 || detail[i + 1] != 0)) {
            i += 2;
        }
        return new String(detail, DEVICE_PATH_OFFSET, i - DEVICE_PATH_OFFSET, StandardCharsets.UTF_16LE);
    }
}
