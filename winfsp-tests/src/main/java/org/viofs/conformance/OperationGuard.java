package org.viofs.conformance;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.viofs.volume.CreateOptions;

/**
 * The DLL's FINE operation guard (src/dll/fsop.c FspFileSystemOpEnter, the default strategy, which
 * the WinFsp binding keeps; docs/winfsp-native.md §2.1 "Threads and locking"): one read-write lock per
 * volume, taken around each request the dispatcher hands to the file system.
 * <ul>
 * <li>exclusive: a Create request whose disposition is not FILE_OPEN, Overwrite, a Cleanup with
 *     Delete, Rename, SetVolumeLabel, Flush of the volume;</li>
 * <li>shared: a Create request with FILE_OPEN, SetDelete/CanDelete (disposition), ReadDirectory
 *     and GetDirInfoByName (one QueryDirectory request, i.e. one page of a listing), GetVolumeInfo;</li>
 * <li>none: everything else (Read, Write, GetFileInfo, SetBasicInfo, SetFileSize, a Cleanup without
 *     Delete, Close, security, reparse points, EAs, stream listings).</li>
 * </ul>
 * So one page of a listing never overlaps a rename or a delete, but a rename or a delete may run
 * between two pages of the same listing. Thread-safe.
 */
final class OperationGuard {

    /** Which lock a request takes. */
    enum Kind {
        EXCLUSIVE, SHARED, NONE
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** How many threads wait for the guard (for tests that hold one request back). */
    int waiting() {
        return lock.getQueueLength();
    }

    /** The guard of a Create request with this NT disposition. */
    static Kind forCreate(int disposition) {
        return disposition == CreateOptions.FILE_OPEN ? Kind.SHARED : Kind.EXCLUSIVE;
    }

    /** Runs one request under the guard its kind takes. */
    <T> T run(Kind kind, Supplier<T> request) {
        Lock l = switch (kind) {
            case EXCLUSIVE -> lock.writeLock();
            case SHARED -> lock.readLock();
            case NONE -> null;
        };
        if (l == null) {
            return request.get();
        }
        l.lock();
        try {
            return request.get();
        } finally {
            l.unlock();
        }
    }

    /** As {@link #run(Kind, Supplier)} for a request without a result. */
    void run(Kind kind, Runnable request) {
        run(kind, () -> {
            request.run();
            return null;
        });
    }
}
