package org.viofs.winfsp;

import com.sun.jna.Pointer;

/**
 * {@link InfoBuffer} in Java, restating WinFsp's helper (docs/winfsp-native.md §2.3): a record of Size
 * bytes is copied at the current end and the end advances by Size rounded up to 8; a NULL record is a
 * 2-byte zero that advances by 2; a record that would pass {@code length} is refused and nothing
 * changes. Used by the tests and wherever the DLL is not loaded.
 */
public final class PortableInfoBuffer implements InfoBuffer {
    /** {@code FSP_FSCTL_DEFAULT_ALIGNMENT}. */
    public static final int ALIGNMENT = 8;

    @Override
    public boolean addDirInfo(Pointer dirInfo, Pointer buffer, int length, Pointer pBytesTransferred) {
        return add(dirInfo, buffer, length, pBytesTransferred);
    }

    @Override
    public boolean addStreamInfo(Pointer streamInfo, Pointer buffer, int length, Pointer pBytesTransferred) {
        return add(streamInfo, buffer, length, pBytesTransferred);
    }

    private static boolean add(Pointer record, Pointer buffer, int length, Pointer pBytesTransferred) {
        long at = pBytesTransferred.getInt(0) & 0xFFFFFFFFL;
        int size;
        long advance;
        if (record == null) {
            size = 2;
            advance = 2;
        } else {
            size = record.getShort(0) & 0xFFFF;
            advance = (size + ALIGNMENT - 1) & -ALIGNMENT;
        }
        if (at + advance > (length & 0xFFFFFFFFL)) {
            return false;
        }
        if (record == null) {
            buffer.setShort(at, (short) 0);
        } else {
            buffer.write(at, record.getByteArray(0, size), 0, size);
        }
        pBytesTransferred.setInt(0, (int) (at + advance));
        return true;
    }
}
