package org.viofs.volume;

/**
 * The result of ResolveReparsePoints (docs/winfsp-native.md §2, slot 19): the callback returns
 * STATUS_REPARSE with {@code IoStatus.Information} = {@link #information} and the output buffer
 * holding {@link #buffer}.
 *
 * @param information 0 (IO_REPARSE) when {@code buffer} is a new UTF-16LE path on this volume to
 *                    open instead; otherwise the reparse tag, and {@code buffer} is the reparse data
 * @param buffer      the bytes to copy into the output buffer
 */
public record ReparseResolution(int information, byte[] buffer) {
    /** {@code IoStatus.Information} for "reparse to a path on this volume". */
    public static final int IO_REPARSE = 0;
}
