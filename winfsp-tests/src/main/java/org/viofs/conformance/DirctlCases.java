package org.viofs.conformance;

import static org.viofs.conformance.ConformanceCase.Availability.CONDITIONAL;
import static org.viofs.conformance.ConformanceCase.Availability.NOOP_EXTERNAL;
import static org.viofs.conformance.ConformanceCase.Availability.OPTIONAL;
import static org.viofs.conformance.ConformanceCase.Availability.REGULAR;
import static org.viofs.conformance.Win32.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.viofs.conformance.Win32Structs.FindData;
import org.viofs.conformance.Win32Structs.FindHandle;
import org.viofs.volume.CreateOptions;
import org.viofs.volume.DirInfo;

/** The cases of winfsp-tests {@code tst/winfsp-tests/dirctl-test.c}. */
final class DirctlCases {
    private DirctlCases() {
    }

    static final String FILE = "dirctl-test.c";
    private static final String LONG_PREFIX = "fileABCDEFGHIJKLMNOPQRSTUVXWYZfile";

    static List<ConformanceCase> cases() {
        return List.of(
                ConformanceCase.portable("querydir_test", FILE, REGULAR, DirctlCases::querydirTest),
                ConformanceCase.portable("querydir_nodup_test", FILE, OPTIONAL, DirctlCases::querydirNodupTest),
                ConformanceCase.portable("querydir_single_test", FILE, OPTIONAL, DirctlCases::querydirSingleTest),
                ConformanceCase.notPortable("querydir_expire_cache_test", FILE, NOOP_EXTERNAL,
                        "exercises the FSD's directory-information cache expiry (memfs FileInfoTimeout); the facade "
                                + "keeps no cache and upstream returns at once under --external"),
                ConformanceCase.notPortable("querydir_buffer_overflow_test", FILE, CONDITIONAL,
                        "checks how the FSD fits entries into tiny NtQueryDirectoryFile buffers "
                                + "(INFO_LENGTH_MISMATCH, BUFFER_OVERFLOW); the volume only lists and is not asked"),
                ConformanceCase.portable("querydir_namelen_test", FILE, CONDITIONAL, DirctlCases::querydirNamelenTest),
                ConformanceCase.notPortable("dirnotify_test", FILE, REGULAR,
                        "change notifications (ReadDirectoryChangesW) are produced by the FSD's notify lists in "
                                + "the Windows kernel"));
    }

    private static void create(CaseContext c, String path) {
        Handle h = c.w().createFile(path, GENERIC_ALL, 0, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        c.ok(c.w().closeHandle(h), "Success");
    }

    private static long number(CaseContext c, String name, int prefixLength) {
        String digits = name.substring(prefixLength);
        c.ok(digits.matches("[0-9]+"), "L'\\0' == *endp");
        long ul = Long.parseLong(digits);
        c.ok(0 != ul, "0 != ul");
        return ul;
    }

    /**
     * 10 directories and 100 long-named files; dir5 holds 100 files and lists "." and ".." first
     * (102 entries); dir* and file* patterns; missing names give ERROR_FILE_NOT_FOUND.
     * (The root listing is skipped in the external variant, as upstream.)
     */
    static void querydirTest(CaseContext c) {
        Win32Facade w = c.w();
        for (int i = 1; i <= 10; i++) {
            c.ok(w.createDirectory(c.path("dir" + i), null), "Success");
        }
        for (int j = 1; j <= 100; j++) {
            create(c, c.path(LONG_PREFIX + j));
        }
        for (int j = 1; j <= 100; j++) {
            create(c, c.path("dir5\\file" + j));
        }

        FindHandle f = w.findFirstFile(c.path("dir5\\*"));
        c.ok(f != null, "INVALID_HANDLE_VALUE != Handle");
        int count = 0;
        long total = 0;
        for (FindData d = w.findFirstData(f); d != null; d = w.findNextFile(f)) {
            if (count < 2) {
                count++;
                c.ok(0 != (d.fileAttributes() & FILE_ATTRIBUTE_DIRECTORY), "0 != (FindData.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)");
                c.ok(count == d.fileName().length(), "FileCount == wcslen(FindData.cFileName)");
                c.ok("..".substring(0, count).equals(d.fileName()), "0 == mywcscmp(FindData.cFileName, FileCount, L\"..\", FileCount)");
                continue;
            }
            c.ok(0 == (d.fileAttributes() & FILE_ATTRIBUTE_DIRECTORY), "0 == (FindData.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)");
            c.ok(d.fileName().startsWith("file"), "0 == mywcscmp(FindData.cFileName, 4, L\"file\", 4)");
            total += number(c, d.fileName(), 4);
            count++;
        }
        c.lastError(ERROR_NO_MORE_FILES, "ERROR_NO_MORE_FILES");
        c.ok(102 == count, "102 == FileCount");
        c.ok(101 * 100 / 2 == total, "101 * 100 / 2 == FileTotal");
        c.ok(w.findClose(f), "Success");

        f = w.findFirstFile(c.path("dir*"));
        c.ok(f != null, "INVALID_HANDLE_VALUE != Handle");
        count = 0;
        total = 0;
        for (FindData d = w.findFirstData(f); d != null; d = w.findNextFile(f)) {
            c.ok(0 != (d.fileAttributes() & FILE_ATTRIBUTE_DIRECTORY), "0 != (FindData.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)");
            c.ok(d.fileName().startsWith("dir"), "0 == mywcscmp(FindData.cFileName, 3, L\"dir\", 3)");
            total += number(c, d.fileName(), 3);
            count++;
        }
        c.lastError(ERROR_NO_MORE_FILES, "ERROR_NO_MORE_FILES");
        c.ok(10 == count, "10 == FileCount");
        c.ok(11 * 10 / 2 == total, "11 * 10 / 2 == FileTotal");
        c.ok(w.findClose(f), "Success");

        f = w.findFirstFile(c.path("file*"));
        c.ok(f != null, "INVALID_HANDLE_VALUE != Handle");
        count = 0;
        total = 0;
        for (FindData d = w.findFirstData(f); d != null; d = w.findNextFile(f)) {
            c.ok(0 == (d.fileAttributes() & FILE_ATTRIBUTE_DIRECTORY), "0 == (FindData.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)");
            c.ok(d.fileName().startsWith(LONG_PREFIX), "0 == mywcscmp(FindData.cFileName, wcscnt, L\"" + LONG_PREFIX + "\", wcscnt)");
            total += number(c, d.fileName(), LONG_PREFIX.length());
            count++;
        }
        c.lastError(ERROR_NO_MORE_FILES, "ERROR_NO_MORE_FILES");
        c.ok(100 == count, "100 == FileCount");
        c.ok(101 * 100 / 2 == total, "101 * 100 / 2 == FileTotal");
        c.ok(w.findClose(f), "Success");

        c.ok(w.findFirstFile(c.path("DOES-NOT-EXIST")) == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
        c.ok(w.findFirstFile(c.path("DOES-NOT-EXIST*")) == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");

        for (int j = 1; j <= 100; j++) {
            c.ok(w.deleteFile(c.path("dir5\\file" + j)), "Success");
        }
        for (int j = 1; j <= 100; j++) {
            c.ok(w.deleteFile(c.path(LONG_PREFIX + j)), "Success");
        }
        for (int i = 1; i <= 10; i++) {
            c.ok(w.removeDirectory(c.path("dir" + i)), "Success");
        }
        c.ok(w.findFirstFile(c.path("file*")) == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    /** Entries of a 4 KiB buffer: FILE_ID_BOTH_DIR_INFORMATION is 104 bytes plus the name, 8-aligned. */
    static int entriesPer4KiB(String sampleName) {
        int size = (104 + 2 * sampleName.length() + 7) & ~7;
        return Math.max(1, 4096 / size);
    }

    /**
     * Repeated listings continued buffer by buffer (each 4 KiB worth of entries, continuing after
     * the last name) never return a name twice or miss one. Upstream: 2 threads × 5000 listings on
     * memfs; here 2 × 25 sequential listings keep the suite fast, with the same assertions.
     */
    static void querydirNodupTest(CaseContext c) {
        Win32Facade w = c.w();
        int files = 500;
        for (int i = 0; i < files; i++) {
            create(c, c.path("file" + i));
        }
        Handle dir = w.ntCreateFile(c.dir(), FILE_LIST_DIRECTORY | SYNCHRONIZE, FILE_SHARE_READ | FILE_SHARE_WRITE, null,
                CreateOptions.FILE_OPEN, CreateOptions.FILE_DIRECTORY_FILE, 0, 0);
        c.ok(dir != null, "INVALID_HANDLE_VALUE != Handle");
        int perBuffer = entriesPer4KiB("file" + files);
        for (int round = 0; round < 2 * 25; round++) {
            Set<String> seen = new HashSet<>();
            String marker = null;
            boolean ended = false;
            int guard = 0;
            while (!ended) {
                List<DirInfo> page = new java.util.ArrayList<>();
                ended = w.volume().readDirectory(dirContext(dir), null, marker, e -> {
                    if (page.size() >= perBuffer) {
                        return false;
                    }
                    page.add(e);
                    return true;
                });
                for (DirInfo e : page) {
                    c.ok(seen.add(e.fileName()), "!duplicate(" + e.fileName() + ")");
                }
                c.ok(ended || !page.isEmpty(), "progress");
                if (!page.isEmpty()) {
                    marker = page.get(page.size() - 1).fileName();
                }
                c.ok(++guard < 10_000, "listing ends");
            }
            c.ok(files + 2 == seen.size(), (files + 2) + " == FileCount");
        }
        w.closeHandle(dir);
    }

    private static org.viofs.volume.FileContext dirContext(Handle h) {
        return h.context;
    }

    /**
     * 1000 files, one listing with "*", then an exact-name FindFirstFile for each (the
     * GetDirInfoByName path), then DeleteFile for each.
     */
    static void querydirSingleTest(CaseContext c) {
        Win32Facade w = c.w();
        c.ok(w.setCurrentDirectory(c.dir() + "\\"), "Success");
        int n = 1000;
        for (int i = 0; i < n; i++) {
            Handle h = w.createFile(c.path("xxxxxxx-file" + i), GENERIC_READ | GENERIC_WRITE,
                    FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            c.ok(w.closeHandle(h), "Success");
        }
        FindHandle f = w.findFirstFile(c.path("*"));
        c.ok(f != null, "INVALID_HANDLE_VALUE != Handle");
        while (w.findNextFile(f) != null) {
            // drain
        }
        c.ok(w.findClose(f), "Success");
        for (int i = 0; i < n; i++) {
            f = w.findFirstFile(c.path("xxxxxxx-file" + i));
            c.ok(f != null, "INVALID_HANDLE_VALUE != Handle");
            while (w.findNextFile(f) != null) {
                // drain
            }
            c.ok(w.findClose(f), "Success");
        }
        for (int i = 0; i < n; i++) {
            c.ok(w.deleteFile(c.path("xxxxxxx-file" + i)), "Success");
        }
    }

    /** Names of MaxComponentLength−1 and MaxComponentLength characters are found by FindFirstFile; one more is invalid. */
    static void querydirNamelenTest(CaseContext c) {
        Win32Facade w = c.w();
        Win32Structs.VolumeInformation vi = w.getVolumeInformation();
        c.ok(vi != null, "Success");
        int max = vi.maximumComponentLength();
        for (int len : new int[] {max - 1, max}) {
            String p = c.path(CreateCases.digits(len));
            Handle h = w.createFile(p, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_NEW,
                    FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            FindHandle f = w.findFirstFile(p);
            c.ok(f != null, "INVALID_HANDLE_VALUE != Handle /* querydir_namelen_exists */");
            w.findClose(f);
            c.ok(w.closeHandle(h), "Success");
        }
        Handle h = w.createFile(c.path(CreateCases.digits(max + 1)), GENERIC_READ | GENERIC_WRITE,
                FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_INVALID_NAME, "ERROR_INVALID_NAME");
    }
}
