package org.viofs.conformance;

import static org.viofs.conformance.ConformanceCase.Availability.NOOP_EXTERNAL;
import static org.viofs.conformance.ConformanceCase.Availability.REGULAR;
import static org.viofs.conformance.Win32.*;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The cases of winfsp-tests {@code tst/winfsp-tests/rdwr-test.c} and {@code flush-test.c}, and the
 * byte-range lock cases of {@code lock-test.c} (not portable). The facade has no cache manager, so
 * "cached" and "non-cached" differ only in the sector-alignment rule the I/O manager applies to
 * FILE_FLAG_NO_BUFFERING; overlapped I/O is a read or write at an explicit offset that leaves the
 * file pointer alone and reports end of file as ERROR_HANDLE_EOF.
 */
final class RdwrCases {
    private RdwrCases() {
    }

    static final String RDWR = "rdwr-test.c";
    static final String FLUSH = "flush-test.c";
    static final String LOCK = "lock-test.c";
    /** SYSTEM_INFO.dwPageSize on x64. */
    static final int PAGE_SIZE = 4096;
    private static final int RW = GENERIC_READ | GENERIC_WRITE;
    private static final int SHARE_RW = FILE_SHARE_READ | FILE_SHARE_WRITE;
    static final String LOCKS = "byte-range locks (LockFile/LockFileEx) are kept by WinFsp's FSD (FsRtl file "
            + "locks) and never reach the volume; only a Windows kernel enforces them";

    static List<ConformanceCase> rdwrCases() {
        return List.of(
                ConformanceCase.portable("rdwr_noncached_test", RDWR, REGULAR, c -> rdwr(c, FILE_FLAG_NO_BUFFERING)),
                ConformanceCase.portable("rdwr_noncached_overlapped_test", RDWR, REGULAR,
                        c -> rdwrOverlapped(c, FILE_FLAG_NO_BUFFERING)),
                ConformanceCase.portable("rdwr_cached_test", RDWR, REGULAR, c -> rdwr(c, 0)),
                ConformanceCase.portable("rdwr_cached_append_test", RDWR, REGULAR, c -> rdwrAppend(c, 0)),
                ConformanceCase.portable("rdwr_cached_overlapped_test", RDWR, REGULAR, c -> rdwrOverlapped(c, 0)),
                ConformanceCase.portable("rdwr_writethru_test", RDWR, REGULAR, c -> rdwr(c, FILE_FLAG_WRITE_THROUGH)),
                ConformanceCase.portable("rdwr_writethru_append_test", RDWR, REGULAR,
                        c -> rdwrAppend(c, FILE_FLAG_WRITE_THROUGH)),
                ConformanceCase.portable("rdwr_writethru_overlapped_test", RDWR, REGULAR,
                        c -> rdwrOverlapped(c, FILE_FLAG_WRITE_THROUGH)),
                ConformanceCase.notPortable("rdwr_mmap_test", RDWR, REGULAR, InfoCases.MAPPING),
                ConformanceCase.portable("rdwr_mixed_test", RDWR, REGULAR, RdwrCases::rdwrMixed));
    }

    static List<ConformanceCase> flushCases() {
        return List.of(
                ConformanceCase.portable("flush_test", FLUSH, REGULAR, c -> {
                    for (int flags : new int[] {0, FILE_FLAG_WRITE_THROUGH, FILE_FLAG_NO_BUFFERING}) {
                        flush(c, flags, false);
                    }
                }),
                // upstream runs it for memfs only; restated, as the volume flush is a real callback here
                ConformanceCase.portable("flush_volume_test", FLUSH, NOOP_EXTERNAL, c -> {
                    for (int flags : new int[] {0, FILE_FLAG_WRITE_THROUGH, FILE_FLAG_NO_BUFFERING}) {
                        flush(c, flags, true);
                    }
                }));
    }

    static List<ConformanceCase> lockCases() {
        return List.of(
                ConformanceCase.notPortable("lock_noncached_test", LOCK, REGULAR, LOCKS),
                ConformanceCase.notPortable("lock_noncached_overlapped_test", LOCK, REGULAR, LOCKS),
                ConformanceCase.notPortable("lock_cached_test", LOCK, REGULAR, LOCKS),
                ConformanceCase.notPortable("lock_cached_overlapped_test", LOCK, REGULAR, LOCKS));
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(0x5EED ^ size).nextBytes(b);
        return b;
    }

    /** Writes {@code data[0..len)} at {@code at} and asserts the count and the new file pointer. */
    private static void write(CaseContext c, Handle h, byte[] data, int len, long at) {
        Win32Facade w = c.w();
        long fp = w.setFilePointer(h, at, FILE_BEGIN);
        c.ok(at == fp, at + " == FilePointer");
        int n = w.writeFile(h, data, len);
        c.ok(n >= 0, "Success /* WriteFile */");
        c.ok(len == n, len + " == BytesTransferred");
        c.ok(fp + n == w.setFilePointer(h, 0, FILE_CURRENT), "FilePointer + BytesTransferred == SetFilePointer(FILE_CURRENT)");
    }

    /** Reads {@code len} at {@code at}, asserts {@code expect} bytes came back equal to {@code data} and the pointer moved. */
    private static void read(CaseContext c, Handle h, byte[] data, int len, long at, int expect) {
        Win32Facade w = c.w();
        long fp = w.setFilePointer(h, at, FILE_BEGIN);
        c.ok(at == fp, at + " == FilePointer");
        byte[] got = new byte[len];
        int n = w.readFile(h, got, len);
        c.ok(n >= 0, "Success /* ReadFile */");
        c.ok(expect == n, expect + " == BytesTransferred");
        c.ok(fp + n == w.setFilePointer(h, 0, FILE_CURRENT), "FilePointer + BytesTransferred == SetFilePointer(FILE_CURRENT)");
        c.ok(Arrays.equals(data, 0, n, got, 0, n), "0 == memcmp(Buffer[0], Buffer[1], BytesTransferred)");
    }

    /** The volume's sector size, as every rdwr-test.c case first asks GetDiskFreeSpaceW for it. */
    private static int bytesPerSector(CaseContext c) {
        Win32Structs.DiskFreeSpace dfs = c.w().getDiskFreeSpace();
        c.ok(dfs != null, "Success /* GetDiskFreeSpaceW */");
        return dfs.bytesPerSector();
    }

    /**
     * The write/read sequence rdwr_dotest and flush_dotest share: sector writes at 0 and 2·sector,
     * reads around them and past end of file, then page-sized writes of new data, the last one not
     * read back. Returns the new data.
     */
    private static byte[] sectorAndPageWrites(CaseContext c, Handle h, byte[] data, int sector) {
        write(c, h, data, sector, 0);
        write(c, h, data, sector, 2L * sector);
        read(c, h, data, sector, 0, sector);
        read(c, h, data, sector, 2L * sector, sector);
        read(c, h, data, 2 * sector, 2L * sector, sector);
        read(c, h, data, sector, 3L * sector, 0);
        write(c, h, data, 2 * PAGE_SIZE, 0);
        read(c, h, data, 2 * PAGE_SIZE, 0, 2 * PAGE_SIZE);
        byte[] other = random(16 * PAGE_SIZE + 1);
        write(c, h, other, 2 * PAGE_SIZE, 0);
        read(c, h, other, 2 * PAGE_SIZE, 0, 2 * PAGE_SIZE);
        write(c, h, other, 2 * PAGE_SIZE + sector, 0);
        return other;
    }

    /** rdwr_dotest: sector writes at 0 and 2·sector, reads around and past end of file, page-sized I/O, reopen. */
    static void rdwr(CaseContext c, int createFlags) {
        Win32Facade w = c.w();
        int sector = bytesPerSector(c);
        byte[] data = random(16 * PAGE_SIZE);
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | createFlags);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        byte[] other = sectorAndPageWrites(c, h, data, sector);
        read(c, h, other, 2 * PAGE_SIZE + sector, 0, 2 * PAGE_SIZE + sector);
        c.ok(w.closeHandle(h), "Success");
        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | createFlags | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        read(c, h, other, 2 * PAGE_SIZE + sector, 0, 2 * PAGE_SIZE + sector);
        c.ok(w.closeHandle(h), "Success");
        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    /** rdwr_append_dotest: two appends through a FILE_APPEND_DATA-only handle land one after the other. */
    static void rdwrAppend(CaseContext c, int createFlags) {
        Win32Facade w = c.w();
        int sector = bytesPerSector(c);
        byte[] data = random(16 * PAGE_SIZE);
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, FILE_APPEND_DATA, FILE_SHARE_READ, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | createFlags);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        int n = w.writeFile(h, data, sector);
        c.ok(n >= 0, "Success");
        c.ok(sector == n, "BytesPerSector == BytesTransferred");
        n = w.writeFile(h, Arrays.copyOfRange(data, sector, 2 * sector), sector);
        c.ok(n >= 0, "Success");
        c.ok(sector == n, "BytesPerSector == BytesTransferred");
        c.ok(w.closeHandle(h), "Success");
        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | createFlags | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        c.ok(0 == w.setFilePointer(h, 0, FILE_BEGIN), "0 == FilePointer");
        byte[] got = new byte[2 * sector];
        n = w.readFile(h, got, 2 * sector);
        c.ok(n >= 0, "Success");
        c.ok(2 * sector == n, "2 * BytesPerSector == BytesTransferred");
        c.ok(Arrays.equals(data, 0, n, got, 0, n), "0 == memcmp(Buffer[0], Buffer[1], BytesTransferred)");
        c.ok(w.closeHandle(h), "Success");
        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    private static void writeAt(CaseContext c, Handle h, byte[] data, int len, long at) {
        int n = c.w().writeFile(h, data, len, at);
        c.ok(n >= 0, "Success /* GetOverlappedResult */");
        c.ok(len == n, len + " == BytesTransferred");
    }

    private static void readAt(CaseContext c, Handle h, byte[] data, int len, long at, int expect) {
        byte[] got = new byte[len];
        int n = c.w().readFile(h, got, len, at);
        c.ok(n >= 0, "Success /* GetOverlappedResult */");
        c.ok(expect == n, expect + " == BytesTransferred");
        c.ok(Arrays.equals(data, 0, n, got, 0, n), "0 == memcmp(Buffer[0], Buffer[1], BytesTransferred)");
    }

    /** rdwr_overlapped_dotest: as rdwr_dotest with OVERLAPPED offsets; end of file is ERROR_HANDLE_EOF. */
    static void rdwrOverlapped(CaseContext c, int createFlags) {
        Win32Facade w = c.w();
        int sector = bytesPerSector(c);
        byte[] data = random(16 * PAGE_SIZE);
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | createFlags | FILE_FLAG_OVERLAPPED);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        writeAt(c, h, data, sector, 0);
        writeAt(c, h, data, sector, 2L * sector);
        readAt(c, h, data, sector, 0, sector);
        readAt(c, h, data, sector, 2L * sector, sector);
        readAt(c, h, data, 2 * sector, 2L * sector, sector);
        int n = w.readFile(h, new byte[sector], sector, 3L * sector);
        c.ok(n < 0 && ERROR_HANDLE_EOF == w.getLastError(), "!Success && ERROR_HANDLE_EOF == GetLastError()");
        writeAt(c, h, data, 2 * PAGE_SIZE, 0);
        readAt(c, h, data, 2 * PAGE_SIZE, 0, 2 * PAGE_SIZE);
        byte[] other = random(16 * PAGE_SIZE + 1);
        writeAt(c, h, other, 2 * PAGE_SIZE, 0);
        readAt(c, h, other, 2 * PAGE_SIZE, 0, 2 * PAGE_SIZE);
        writeAt(c, h, other, 2 * PAGE_SIZE + sector, 0);
        readAt(c, h, other, 2 * PAGE_SIZE + sector, 0, 2 * PAGE_SIZE + sector);
        c.ok(w.closeHandle(h), "Success");
        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING,
                FILE_ATTRIBUTE_NORMAL | createFlags | FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        readAt(c, h, other, 2 * PAGE_SIZE + sector, 0, 2 * PAGE_SIZE + sector);
        c.ok(w.closeHandle(h), "Success");
        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    /** rdwr_mixed_dotest: a cached and a non-cached handle on one file see each other's writes. */
    static void rdwrMixed(CaseContext c) {
        Win32Facade w = c.w();
        int sector = bytesPerSector(c);
        byte[] data = random(16 * PAGE_SIZE);
        String file0 = c.path("file0");
        Handle h0 = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h0 != null, "INVALID_HANDLE_VALUE != Handle0");
        Handle h1 = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_NO_BUFFERING);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        write(c, h0, data, sector, 0);
        write(c, h1, data, sector, 2L * sector);
        read(c, h0, data, sector, 0, sector);
        read(c, h1, data, sector, 0, sector);
        c.ok(w.closeHandle(h0), "Success");
        c.ok(w.closeHandle(h1), "Success");
        c.ok(w.deleteFile(file0), "Success");
        h0 = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h0 != null, "INVALID_HANDLE_VALUE != Handle0");
        write(c, h0, data, sector, 0);
        write(c, h0, data, sector, 2L * sector);
        read(c, h0, data, sector, 0, sector);
        c.ok(w.closeHandle(h0), "Success");
        h1 = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_NO_BUFFERING);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        read(c, h1, data, sector, 0, sector);
        c.ok(w.closeHandle(h1), "Success");
        c.ok(w.deleteFile(file0), "Success");
    }

    /** flush_dotest: rdwr's writes, then FlushFileBuffers on the file (or the volume), then read back. */
    static void flush(CaseContext c, int createFlags, boolean flushVolume) {
        Win32Facade w = c.w();
        int sector = bytesPerSector(c);
        byte[] data = random(16 * PAGE_SIZE);
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | createFlags);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        byte[] other = sectorAndPageWrites(c, h, data, sector);
        if (flushVolume) {
            c.ok(w.flushVolume(), "Success /* FlushFileBuffers(VolumeHandle) */");
        } else {
            c.ok(w.flushFileBuffers(h), "Success /* FlushFileBuffers */");
        }
        read(c, h, other, 2 * PAGE_SIZE + sector, 0, 2 * PAGE_SIZE + sector);
        c.ok(w.closeHandle(h), "Success");
        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | createFlags | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        read(c, h, other, 2 * PAGE_SIZE + sector, 0, 2 * PAGE_SIZE + sector);
        c.ok(w.closeHandle(h), "Success");
        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }
}
