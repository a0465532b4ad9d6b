package org.viofs.conformance;

import java.nio.ByteBuffer;

import org.viofs.volume.CreateOptions;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.WriteResult;

/**
 * ReadFile, WriteFile, the file pointer and FlushFileBuffers over Read, Write and Flush, with the
 * I/O manager's checks (handle access, sector alignment without buffering, end of file on
 * synchronous and overlapped handles, appending writes).
 */
final class FileIo extends FacadeSection {

    FileIo(Win32Facade facade) {
        super(facade);
    }

    /** SetFilePointerEx; returns the new position, or -1 (ERROR_NEGATIVE_SEEK) before the start. */
    long setFilePointer(Handle h, long distance, int moveMethod) {
        long base = switch (moveMethod) {
            case Win32.FILE_BEGIN -> 0;
            case Win32.FILE_CURRENT -> h.pointer;
            case Win32.FILE_END -> {
                try {
                    yield volume.getFileInfo(h.context).fileSize();
                } catch (RuntimeException e) {
                    fail(statusOf(e));
                    yield Long.MIN_VALUE;
                }
            }
            default -> Long.MIN_VALUE;
        };
        if (base == Long.MIN_VALUE) {
            if (facade.getLastError() == Win32.ERROR_SUCCESS) {
                fail(NtStatus.INVALID_PARAMETER);
            }
            return -1;
        }
        long p = base + distance;
        if (p < 0) {
            facade.fail(NtStatus.INVALID_PARAMETER, Win32.ERROR_NEGATIVE_SEEK);
            return -1;
        }
        h.pointer = p;
        succeed();
        return p;
    }

    /**
     * The checks ReadFile and WriteFile share: an open handle, to a file, granted one of
     * {@code anyOfAccess}. Records the failure (as the I/O manager reports it) when not.
     */
    private boolean usableForIo(Handle h, int anyOfAccess) {
        if (h == null || h.closed) {
            fail(NtStatus.INVALID_HANDLE);
            return false;
        }
        if (h.directory) {
            fail(NtStatus.INVALID_DEVICE_REQUEST);
            return false;
        }
        if ((h.grantedAccess & anyOfAccess) == 0) {
            fail(NtStatus.ACCESS_DENIED);
            return false;
        }
        return true;
    }

    /** ReadFile at the file pointer. */
    int readFile(Handle h, byte[] buffer, int length) {
        return readFile(h, buffer, length, null);
    }

    /**
     * ReadFile: Read at the given offset (an OVERLAPPED offset) or the file pointer, which advances.
     * Needs FILE_READ_DATA. With FILE_FLAG_NO_BUFFERING the I/O manager refuses an offset or length
     * that is not a multiple of the sector size (INVALID_PARAMETER). END_OF_FILE from the volume is
     * a successful read of 0 bytes for a synchronous ReadFile.
     *
     * @return bytes read, or -1 on failure
     */
    int readFile(Handle h, byte[] buffer, int length, Long offset) {
        if (!usableForIo(h, Win32.FILE_READ_DATA)) {
            return -1;
        }
        long at = offset != null ? offset : h.pointer;
        if (noBuffering(h) && (at % options.sectorSize() != 0 || length % options.sectorSize() != 0)) {
            fail(NtStatus.INVALID_PARAMETER);
            return -1;
        }
        if (length == 0) {
            succeed();
            return 0;
        }
        ByteBuffer b = ByteBuffer.allocateDirect(length); // direct, as the binding passes WinFsp's buffer
        int n;
        try {
            n = volume.read(h.context, b, at, length);
        } catch (NtStatusException e) {
            if (e.status() != NtStatus.END_OF_FILE) {
                fail(e.status());
                return -1;
            }
            if (h.overlapped) {
                // an asynchronous handle reports end of file as an error (GetOverlappedResult)
                fail(NtStatus.END_OF_FILE);
                return -1;
            }
            n = 0;
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return -1;
        }
        if (n < 0 || n > length) {
            fail(NtStatus.UNEXPECTED_IO_ERROR);
            return -1;
        }
        if (n == 0 && h.overlapped) {
            fail(NtStatus.END_OF_FILE);
            return -1;
        }
        b.get(0, buffer, 0, n);
        h.pointer = at + n;
        succeed();
        return n;
    }

    /** WriteFile at the file pointer. */
    int writeFile(Handle h, byte[] buffer, int length) {
        return writeFile(h, buffer, length, null);
    }

    /**
     * WriteFile: Write at the offset, or the file pointer, or at end of file for a handle with
     * FILE_APPEND_DATA but not FILE_WRITE_DATA (the I/O manager's FILE_WRITE_TO_END_OF_FILE) or an
     * offset of {@link Win32Facade#WRITE_TO_END_OF_FILE}. Sector alignment as for reads with NO_BUFFERING.
     * ConstrainedIo is never set: there is no paging I/O here.
     *
     * @return bytes written, or -1 on failure
     */
    int writeFile(Handle h, byte[] buffer, int length, Long offset) {
        if (!usableForIo(h, OpenFileTable.WRITE_ACCESS)) {
            return -1;
        }
        boolean append = (offset != null && offset == Win32Facade.WRITE_TO_END_OF_FILE)
                || ((h.grantedAccess & Win32.FILE_WRITE_DATA) == 0 && (h.grantedAccess & Win32.FILE_APPEND_DATA) != 0);
        long at = append ? -1L : offset != null ? offset : h.pointer;
        if (noBuffering(h) && !append && (at % options.sectorSize() != 0 || length % options.sectorSize() != 0)) {
            fail(NtStatus.INVALID_PARAMETER);
            return -1;
        }
        ByteBuffer b = ByteBuffer.allocateDirect(length); // read-only and direct, as from the binding
        b.put(0, buffer, 0, length);
        try {
            WriteResult r = OpenFileTable.underMain(h.node,
                    () -> volume.write(h.context, b.asReadOnlyBuffer(), at, length, append, false));
            int n = r.bytesTransferred();
            h.pointer = append ? r.fileInfo().fileSize() : at + n;
            synchronized (facade.table()) {
                OpenFileTable.takeFileInfo(h.node, r.fileInfo(), true, options.allocationUnit());
            }
            h.modified = true;
            succeed();
            return n;
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return -1;
        }
    }

    private static boolean noBuffering(Handle h) {
        return (h.createOptions & CreateOptions.FILE_NO_INTERMEDIATE_BUFFERING) != 0;
    }

    /** FlushFileBuffers: Flush on the handle's context; needs write access (kernelbase). */
    boolean flushFileBuffers(Handle h) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        if ((h.grantedAccess & OpenFileTable.WRITE_ACCESS) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        try {
            volume.flush(h.context);
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    /**
     * FlushFileBuffers on a volume handle: Flush with a null context (docs/winfsp-native.md §2, slot 10).
     */
    boolean flushVolume() {
        try {
            facade.guard().run(OperationGuard.Kind.EXCLUSIVE, () -> volume.flush(null));
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }
}
