package org.viofs.winfsp;

import com.sun.jna.Pointer;

/**
 * Appends variable-size records to a caller's buffer: WinFsp's {@code FspFileSystemAddDirInfo} and
 * {@code FspFileSystemAddStreamInfo} (docs/winfsp-native.md §2.3). In production the DLL's functions
 * ({@code WinFspHost}); in tests {@link PortableInfoBuffer}, the same algorithm in Java.
 */
public interface InfoBuffer {

    /**
     * Copies the record (its first UINT16 is its size) to {@code buffer + *pBytesTransferred}, or with a
     * NULL record the 2-byte end-of-listing record, and advances {@code *pBytesTransferred} (a ULONG).
     *
     * @return false if it did not fit (nothing written)
     */
    boolean addDirInfo(Pointer dirInfo, Pointer buffer, int length, Pointer pBytesTransferred);

    /** The same for {@code FSP_FSCTL_STREAM_INFO} records. */
    boolean addStreamInfo(Pointer streamInfo, Pointer buffer, int length, Pointer pBytesTransferred);
}
