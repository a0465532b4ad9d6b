package org.viofs.bridge.windows;

import java.nio.charset.StandardCharsets;

/**
 * The GET_VOLUME_NAME reply (docs/viofs-anchor.md §1.5): the 36-byte config tag converted to UTF-16
 * into a zeroed 37-WCHAR buffer, NUL included in BytesReturned. Pure decoding.
 */
public final class MountTag {
    private MountTag() {
    }

    /** The tag field of the virtio-fs device config is 36 bytes, so at most 36 characters. */
    public static final int MAX_CHARS = 36;
    /** The buffer the service passes: 37 WCHAR (36 + NUL). */
    public static final int BUFFER_BYTES = (MAX_CHARS + 1) * 2;
    /** What the anchor reports when GET_VOLUME_NAME fails. */
    public static final String FALLBACK = "Default";

    /**
     * @param buffer        the output buffer
     * @param bytesReturned BytesReturned of the IOCTL
     * @return the tag, up to the first NUL, at most {@link #MAX_CHARS} characters
     */
    public static String decode(byte[] buffer, int bytesReturned) {
        int usable = Math.min(Math.max(bytesReturned, 0), buffer.length) & ~1;
        int chars = 0;
        while (chars * 2 < usable && chars < MAX_CHARS
                && (buffer[chars * 2] != 0 || buffer[chars * 2 + 1] != 0)) {
            chars++;
        }
        return new String(buffer, 0, chars * 2, StandardCharsets.UTF_16LE);
    }
}
