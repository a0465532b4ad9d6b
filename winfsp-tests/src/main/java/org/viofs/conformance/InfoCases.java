package org.viofs.conformance;

import static org.viofs.conformance.ConformanceCase.Availability.CONDITIONAL;
import static org.viofs.conformance.ConformanceCase.Availability.NOOP_EXTERNAL;
import static org.viofs.conformance.ConformanceCase.Availability.REGULAR;
import static org.viofs.conformance.Win32.*;

import java.util.List;

import org.viofs.conformance.Win32Structs.ByHandleFileInformation;

/**
 * The cases of winfsp-tests {@code tst/winfsp-tests/info-test.c} ({@code --external} variant):
 * attributes, file information, delete, rename, volume information.
 */
final class InfoCases {
    private InfoCases() {
    }

    static final String FILE = "info-test.c";
    private static final int RW = GENERIC_READ | GENERIC_WRITE;
    private static final int SHARE_RW = FILE_SHARE_READ | FILE_SHARE_WRITE;
    private static final int SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    /** FILETIME of the Unix epoch (docs/winfsp-native.md §2.1). */
    static final long UNIX_EPOCH_FILETIME = 116444736000000000L;
    static final String MAPPING = "needs memory-mapped sections (CreateFileMapping/MapViewOfFile) and the cache "
            + "manager's paging I/O, which only a Windows kernel provides";
    static final String POSIX_SEMANTICS = "needs FILE_SUPPORTS_POSIX_UNLINK_RENAME; the facade, like a WinFsp volume "
            + "without SupportsPosixUnlinkRename, keeps classic delete/rename semantics and upstream returns at once";

    static List<ConformanceCase> cases() {
        return List.of(
                ConformanceCase.portable("getfileattr_test", FILE, CONDITIONAL, InfoCases::getfileattrTest),
                ConformanceCase.portable("getfileinfo_test", FILE, REGULAR, InfoCases::getfileinfoTest),
                ConformanceCase.portable("getfileinfo_name_test", FILE, REGULAR, InfoCases::getfileinfoNameTest),
                ConformanceCase.portable("setfileinfo_test", FILE, REGULAR, InfoCases::setfileinfoTest),
                ConformanceCase.portable("delete_test", FILE, REGULAR, InfoCases::deleteTest),
                ConformanceCase.portable("delete_access_test", FILE, REGULAR, InfoCases::deleteAccessTest),
                ConformanceCase.portable("delete_pending_test", FILE, REGULAR, InfoCases::deletePendingTest),
                ConformanceCase.notPortable("delete_mmap_test", FILE, CONDITIONAL, MAPPING),
                ConformanceCase.notPortable("delete_standby_test", FILE, REGULAR, MAPPING),
                ConformanceCase.notPortable("delete_ex_test", FILE, CONDITIONAL, POSIX_SEMANTICS),
                ConformanceCase.portable("rename_test", FILE, REGULAR, InfoCases::renameTest),
                ConformanceCase.portable("rename_backslash_test", FILE, REGULAR, InfoCases::renameBackslashTest),
                ConformanceCase.portable("rename_open_test", FILE, REGULAR, InfoCases::renameOpenTest),
                ConformanceCase.portable("rename_caseins_test", FILE, REGULAR, InfoCases::renameCaseinsTest),
                ConformanceCase.notPortable("rename_flipflop_test", FILE, CONDITIONAL, MAPPING),
                ConformanceCase.notPortable("rename_mmap_test", FILE, CONDITIONAL, MAPPING),
                ConformanceCase.notPortable("rename_standby_test", FILE, REGULAR, MAPPING),
                ConformanceCase.notPortable("rename_ex_test", FILE, CONDITIONAL, POSIX_SEMANTICS),
                ConformanceCase.portable("getvolinfo_test", FILE, REGULAR, InfoCases::getvolinfoTest),
                ConformanceCase.portable("setvolinfo_test", FILE, NOOP_EXTERNAL, InfoCases::setvolinfoTest));
    }

    /**
     * GetFileAttributes needs FILE_READ_ATTRIBUTES, which the parent's FILE_LIST_DIRECTORY also
     * grants: a file whose DACL gives only DELETE is readable in dir2 (0x1100a3) but not in dir1 (0x1100a2).
     */
    static void getfileattrTest(CaseContext c) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        c.ok(INVALID_FILE_ATTRIBUTES != w.getFileAttributes(file0), "INVALID_FILE_ATTRIBUTES != FileAttributes");
        w.closeHandle(h);
        c.ok(w.deleteFile(file0), "Success");

        String[][] variants = {
                {"dir1", "D:P(A;;0x001100a2;;;SY)(A;;0x001100a2;;;BA)(A;;0x001100a2;;;WD)", "denied"},
                {"dir2", "D:P(A;;0x001100a3;;;SY)(A;;0x001100a3;;;BA)(A;;0x001100a3;;;WD)", "granted"}};
        for (String[] v : variants) {
            String dir = c.path(v[0]);
            String file = c.path(v[0] + "\\file0");
            c.ok(w.createDirectory(dir, CreateCases.sddl(v[1])), "Success");
            h = w.createFile(file, RW, SHARE_RW, CreateCases.sddl("D:P(A;;SD;;;SY)(A;;SD;;;BA)(A;;SD;;;WD)"),
                    CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            int a = w.getFileAttributes(file);
            if (v[2].equals("denied")) {
                c.ok(INVALID_FILE_ATTRIBUTES == a, "INVALID_FILE_ATTRIBUTES == FileAttributes");
                c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
            } else {
                c.ok(INVALID_FILE_ATTRIBUTES != a, "INVALID_FILE_ATTRIBUTES != FileAttributes");
            }
            w.closeHandle(h);
            c.ok(w.deleteFile(file), "Success");
            c.ok(w.removeDirectory(dir), "Success");
        }
    }

    /**
     * Times of a new file lie in [now, now + 10 s) (the creation time is not checked in the
     * external variant), sizes 0, one link, not delete-pending, not a directory; FileNameInfo is the
     * path below the drive, with ERROR_MORE_DATA and the full length for a short buffer.
     */
    static void getfileinfoTest(CaseContext c) {
        Win32Facade w = c.w();
        // upstream reads GetSystemTimeAsFileTime, a coarse clock; file times come from the host
        // kernel's coarse clock, so "now" is taken 20 ms early to compare like with like
        long timeLo = filetimeNow() - 20 * 10_000L;
        long timeHi = timeLo + 10_000L * 10_000L;
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");

        Win32Structs.AttributeTagInfo tag = w.getAttributeTagInfo(h);
        c.ok(tag != null, "Success");
        c.ok(0 == tag.reparseTag(), "0 == AttributeTagInfo.ReparseTag");

        Win32Structs.BasicInfo basic = w.getBasicInfo(h);
        c.ok(basic != null, "Success");
        c.ok(timeLo <= basic.lastAccessTime() && timeHi > basic.lastAccessTime(),
                "TimeLo <= BasicInfo.LastAccessTime.QuadPart && TimeHi > BasicInfo.LastAccessTime.QuadPart");
        c.ok(timeLo <= basic.lastWriteTime() && timeHi > basic.lastWriteTime(),
                "TimeLo <= BasicInfo.LastWriteTime.QuadPart && TimeHi > BasicInfo.LastWriteTime.QuadPart");
        c.ok(timeLo <= basic.changeTime() && timeHi > basic.changeTime(),
                "TimeLo <= BasicInfo.ChangeTime.QuadPart && TimeHi > BasicInfo.ChangeTime.QuadPart");

        Win32Structs.StandardInfo std = w.getStandardInfo(h);
        c.ok(std != null, "Success");
        c.ok(0 == std.allocationSize(), "0 == StandardInfo.AllocationSize.QuadPart");
        c.ok(0 == std.endOfFile(), "0 == StandardInfo.EndOfFile.QuadPart");
        c.ok(1 == std.numberOfLinks(), "1 == StandardInfo.NumberOfLinks");
        c.ok(!std.deletePending(), "!StandardInfo.DeletePending");
        c.ok(!std.directory(), "!StandardInfo.Directory");

        // sizeof(FILE_NAME_INFO) is 8: too small for any name
        Win32Structs.FileNameInfo name = w.getFileNameInfo(h, 8);
        c.ok(w.getLastError() == ERROR_MORE_DATA, "!Success");
        c.lastError(ERROR_MORE_DATA, "ERROR_MORE_DATA");
        c.ok(name.fileNameLength() == file0.length() * 2, "PNameInfo->FileNameLength == wcslen(FilePath + 6) * sizeof(WCHAR)");
        name = w.getFileNameInfo(h, 8 + 2 * 260);
        c.ok(w.getLastError() == ERROR_SUCCESS, "Success");
        c.ok(name.fileNameLength() == file0.length() * 2, "PNameInfo->FileNameLength == wcslen(FilePath + 6) * sizeof(WCHAR)");
        c.ok(file0.equals(name.fileName()), "0 == mywcscmp(FilePath + 6, -1, PNameInfo->FileName, ...)");
        c.ok(name.fileName().startsWith("\\"), "L'\\\\' == PNameInfo->FileName[0]");

        ByHandleFileInformation fi = w.getFileInformationByHandle(h);
        c.ok(fi != null, "Success");
        c.ok(timeLo <= fi.lastAccessTime() && timeHi > fi.lastAccessTime(),
                "TimeLo <= FileInfo.ftLastAccessTime && TimeHi > FileInfo.ftLastAccessTime");
        c.ok(timeLo <= fi.lastWriteTime() && timeHi > fi.lastWriteTime(),
                "TimeLo <= FileInfo.ftLastWriteTime && TimeHi > FileInfo.ftLastWriteTime");
        c.ok(0 == fi.fileSize(), "0 == FileInfo.nFileSizeLow && 0 == FileInfo.nFileSizeHigh");
        c.ok(1 == fi.numberOfLinks(), "1 == FileInfo.nNumberOfLinks");
        w.closeHandle(h);
    }

    static long filetimeNow() {
        java.time.Instant now = java.time.Instant.now();
        return UNIX_EPOCH_FILETIME + now.getEpochSecond() * 10_000_000L + now.getNano() / 100;
    }

    /**
     * GetFinalPathNameByHandle gives the case stored on the volume: the external variant creates
     * "fileFILE" and opens it as "FILEfile" (NTFS is case-insensitive), expecting "fileFILE" back
     * for both FILE_NAME_OPENED and FILE_NAME_NORMALIZED.
     */
    static void getfileinfoNameTest(CaseContext c) {
        Win32Facade w = c.w();
        String orig = c.path("fileFILE");
        Handle h = w.createFile(orig, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        h = w.createFile(c.path("FILEfile"), RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        String fin = w.getFinalPathNameByHandle(h);
        c.ok(fin != null && fin.length() < 260, "0 != Result && Result < MAX_PATH");
        c.ok(orig.equals(fin), "0 == wcscmp(OrigPath, FinalPath) /* FILE_NAME_OPENED */");
        fin = w.getFinalPathNameByHandle(h);
        c.ok(orig.equals(fin), "0 == wcscmp(OrigPath, FinalPath) /* FILE_NAME_NORMALIZED */");
        w.closeHandle(h);
    }

    /** SetFileAttributes on a file ignores DIRECTORY and replaces the rest; SetFileTime; SetEndOfFile. */
    static void setfileinfoTest(CaseContext c) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        ByHandleFileInformation fi0 = w.getFileInformationByHandle(h);
        c.ok(fi0 != null, "Success");

        c.ok(w.setFileAttributes(file0, FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_HIDDEN), "Success");
        ByHandleFileInformation fi = w.getFileInformationByHandle(h);
        c.ok(fi != null, "Success");
        c.ok(FILE_ATTRIBUTE_HIDDEN == fi.fileAttributes(), "FILE_ATTRIBUTE_HIDDEN == FileInfo.dwFileAttributes");

        long fileTime = UNIX_EPOCH_FILETIME + 0x4200000042L;
        c.ok(w.setFileTime(h, null, fileTime, fileTime), "Success");
        fi = w.getFileInformationByHandle(h);
        c.ok(fi != null, "Success");
        c.ok(fi0.creationTime() == fi.creationTime(), "FileInfo0.ftCreationTime == FileInfo.ftCreationTime");
        c.ok(fileTime == fi.lastAccessTime(), "116444736000000000ULL + 0x4200000042ULL == FileInfo.ftLastAccessTime");
        c.ok(fileTime == fi.lastWriteTime(), "116444736000000000ULL + 0x4200000042ULL == FileInfo.ftLastWriteTime");

        c.ok(w.setFileTime(h, fileTime, null, null), "Success");
        fi = w.getFileInformationByHandle(h);
        c.ok(fi != null, "Success");
        c.ok(fileTime == fi.creationTime(), "116444736000000000ULL + 0x4200000042ULL == FileInfo.ftCreationTime");

        c.ok(42 == w.setFilePointer(h, 42, FILE_BEGIN), "42 == Offset");
        c.ok(w.setEndOfFile(h), "Success");
        fi = w.getFileInformationByHandle(h);
        c.ok(fi != null, "Success");
        c.ok(42 == fi.fileSize(), "42 == FileInfo.nFileSizeLow && 0 == FileInfo.nFileSizeHigh");
        w.closeHandle(h);
    }

    /** A non-empty directory cannot be removed (ERROR_DIR_NOT_EMPTY); deleting twice gives ERROR_FILE_NOT_FOUND. */
    static void deleteTest(CaseContext c) {
        Win32Facade w = c.w();
        String dir1 = c.path("dir1");
        String file0 = c.path("dir1\\file0");
        c.ok(w.createDirectory(dir1, null), "Success");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(!w.removeDirectory(dir1), "!Success");
        c.lastError(ERROR_DIR_NOT_EMPTY, "ERROR_DIR_NOT_EMPTY");
        c.ok(w.deleteFile(file0), "Success");
        c.ok(!w.deleteFile(file0), "!Success");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
        c.ok(w.removeDirectory(dir1), "Success");
        c.ok(!w.removeDirectory(dir1), "!Success");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    /** READONLY blocks DeleteFile (ERROR_ACCESS_DENIED); a DACL denying everything does not (the parent grants delete-child). */
    static void deleteAccessTest(CaseContext c) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_READONLY);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(!w.deleteFile(file0), "!Success");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        c.ok(w.setFileAttributes(file0, FILE_ATTRIBUTE_NORMAL), "Success");
        c.ok(w.deleteFile(file0), "Success");
        h = w.createFile(file0, RW, SHARE_RW, CreateCases.sddl("D:P(D;;GA;;;SY)(D;;GA;;;BA)(D;;GA;;;WD)"), CREATE_NEW,
                FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(w.deleteFile(file0), "Success");
    }

    /** Opens fail with ERROR_ACCESS_DENIED while delete is pending; after the close the file is gone. */
    static void deletePendingTest(CaseContext c) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        h = w.createFile(file0, DELETE, FILE_SHARE_DELETE, OPEN_EXISTING, 0);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        c.ok(w.setDisposition(h, true), "Success");
        Handle h2 = w.createFile(file0, FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, 0);
        c.ok(h2 == null, "INVALID_HANDLE_VALUE == Handle2");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        c.ok(w.closeHandle(h), "Success");
        c.ok(!w.deleteFile(file0), "!Success");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    /** Rename with and without REPLACE_EXISTING; a directory is never replaced; open files block directory renames. */
    static void renameTest(CaseContext c) {
        Win32Facade w = c.w();
        String dir1 = c.path("dir1");
        String dir2 = c.path("dir2");
        String file0 = c.path("dir1\\file0");
        String file1 = c.path("dir1\\file1");
        String file2 = c.path("dir2\\file2");
        c.ok(w.createDirectory(dir1, null), "Success");
        c.ok(w.createDirectory(dir2, null), "Success");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(w.moveFileEx(file0, file1, 0), "Success");
        h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(!w.moveFileEx(file0, file1, 0), "!Success");
        c.lastError(ERROR_ALREADY_EXISTS, "ERROR_ALREADY_EXISTS");
        c.ok(w.moveFileEx(file0, file1, MOVEFILE_REPLACE_EXISTING), "Success");
        c.ok(w.moveFileEx(file1, file2, 0), "Success");
        // cannot replace an existing directory, with or without MOVEFILE_REPLACE_EXISTING (memfs/volume check)
        c.ok(!w.moveFileEx(dir2, dir1, MOVEFILE_REPLACE_EXISTING), "!Success");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        c.ok(w.removeDirectory(dir1), "Success");
        c.ok(w.moveFileEx(dir2, dir1, 0), "Success");
        c.ok(w.moveFileEx(dir1, dir2, 0), "Success");
        h = w.createFile(file2, RW, SHARE_RW, OPEN_EXISTING, 0);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        c.ok(!w.moveFileEx(dir2, dir1, 0), "!Success");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        w.closeHandle(h);
        c.ok(w.createDirectory(dir1, null), "Success");
        // cannot replace an existing directory (FSD check: a file below the target is open)
        h = w.createFile(file2, RW, SHARE_RW, OPEN_EXISTING, 0);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        c.ok(!w.moveFileEx(dir1, dir2, MOVEFILE_REPLACE_EXISTING), "!Success");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        w.closeHandle(h);
        c.ok(w.removeDirectory(dir1), "Success");
        c.ok(w.deleteFile(file2), "Success");
        c.ok(w.removeDirectory(dir2), "Success");
    }

    /** A trailing backslash on the new name is tolerated, for files and directories. */
    static void renameBackslashTest(CaseContext c) {
        Win32Facade w = c.w();
        String dir1 = c.path("dir1");
        String file0 = c.path("dir1\\file0");
        c.ok(w.createDirectory(dir1, null), "Success");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(w.moveFileEx(file0, c.path("dir1\\file1\\"), 0), "Success");
        c.ok(w.moveFileEx(dir1, c.path("dir2\\"), 0), "Success");
        c.ok(w.deleteFile(c.path("dir2\\file1")), "Success");
        c.ok(w.removeDirectory(c.path("dir2\\")), "Success");
    }

    /** FileRenameInformation on a handle while another handle (attributes only) is open; the new name opens. */
    static void renameOpenTest(CaseContext c) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        String file2 = c.path("file2");
        Handle h0 = w.createFile(file0, RW, SHARE_ALL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h0 != null, "INVALID_HANDLE_VALUE != Handle0");
        w.closeHandle(h0);
        h0 = w.createFile(file0, DELETE, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        c.ok(h0 != null, "INVALID_HANDLE_VALUE != Handle0");
        Handle h1 = w.createFile(file0, FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        c.ok(w.setRenameInformation(h0, "file2", false), "0 == IoStatus.Status");
        Handle h2 = w.createFile(file2, FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        // upstream checks Handle1 here (a slip); the intent is the open of the new name
        c.ok(h2 != null, "INVALID_HANDLE_VALUE != Handle2");
        w.closeHandle(h2);
        w.closeHandle(h1);
        w.closeHandle(h0);
        c.ok(w.deleteFile(file2), "Success");
    }

    /** Renaming onto itself and case-only renames succeed, for directories and files. */
    static void renameCaseinsTest(CaseContext c) {
        Win32Facade w = c.w();
        String dir1 = c.path("dir1");
        String dir2 = c.path("DIR1");
        String file1 = c.path("file1");
        String file2 = c.path("FILE1");
        c.ok(w.createDirectory(dir1, null), "Success");
        c.ok(w.moveFileEx(dir1, dir1, 0), "Success");
        c.ok(w.moveFileEx(dir1, dir2, 0), "Success");
        c.ok(w.removeDirectory(dir2), "Success");
        Handle h = w.createFile(file1, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(w.moveFileEx(file1, file1, 0), "Success");
        c.ok(w.moveFileEx(file1, file2, 0), "Success");
        c.ok(w.deleteFile(file2), "Success");
    }

    /**
     * GetVolumeInformation, GetDiskFreeSpace(Ex) and opening the volume root succeed. The FSD-only
     * parts (GetFileType = FILE_TYPE_DISK, FSCTL_QUERY_PERSISTENT_VOLUME_STATE) reach no callback.
     */
    static void getvolinfoTest(CaseContext c) {
        Win32Facade w = c.w();
        c.ok(w.getVolumeInformation() != null, "Success /* GetVolumeInformationW */");
        c.ok(w.getDiskFreeSpace() != null, "Success /* GetDiskFreeSpaceW */");
        c.ok(w.getDiskFreeSpaceEx() != null, "Success /* GetDiskFreeSpaceExW */");
        Handle h = w.createFile("\\", 0, SHARE_RW, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
    }

    /**
     * Upstream returns at once under --external (it would change the disk's label); the memfs
     * variant is restated: if SetVolumeLabel succeeds the label reads back, and a 33-character
     * label is cut to 32.
     */
    static void setvolinfoTest(CaseContext c) {
        Win32Facade w = c.w();
        String original = w.getVolumeInformation() == null ? null : w.getVolumeInformation().volumeName();
        if (w.setVolumeLabel("12345678901234567890123456789012")) {
            try {
                Win32Structs.VolumeInformation vi = w.getVolumeInformation();
                c.ok(vi != null, "Success");
                c.ok("12345678901234567890123456789012".equals(vi.volumeName()),
                        "0 == wcscmp(VolumeLabelBuf, L\"12345678901234567890123456789012\")");
                c.ok(w.setVolumeLabel("TestLabel"), "Success");
                vi = w.getVolumeInformation();
                c.ok(vi != null && "TestLabel".equals(vi.volumeName()), "0 == wcscmp(VolumeLabelBuf, L\"TestLabel\")");
                c.ok(w.setVolumeLabel("123456789012345678901234567890123"), "Success");
                vi = w.getVolumeInformation();
                c.ok(vi != null && "12345678901234567890123456789012".equals(vi.volumeName()),
                        "0 == wcscmp(VolumeLabelBuf, L\"12345678901234567890123456789012\")");
            } finally {
                if (original != null) {
                    w.setVolumeLabel(original);
                }
            }
        }
    }
}
