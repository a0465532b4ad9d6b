package org.viofs.conformance;

import static org.viofs.conformance.ConformanceCase.Availability.REGULAR;
import static org.viofs.conformance.Win32.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The cases of winfsp-tests {@code tst/winfsp-tests/reparse-test.c}. The emulated caller holds
 * SeCreateSymbolicLinkPrivilege, so the symlink cases take their "privilege held" branch.
 */
final class ReparseCases {
    private ReparseCases() {
    }

    static final String FILE = "reparse-test.c";
    private static final int SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    /** The GUID of reparse_guid_dotest, {895fc61e-7b91-4677-ba3e-7934edf2b743}, in its in-memory (mixed-endian) layout. */
    static final byte[] REPARSE_GUID = {
        (byte) 0x1e, (byte) 0xc6, (byte) 0x5f, (byte) 0x89, (byte) 0x91, (byte) 0x7b, (byte) 0x77, (byte) 0x46,
        (byte) 0xba, (byte) 0x3e, (byte) 0x79, (byte) 0x34, (byte) 0xed, (byte) 0xf2, (byte) 0xb7, (byte) 0x43};

    static List<ConformanceCase> cases() {
        return List.of(
                ConformanceCase.portable("reparse_guid_test", FILE, REGULAR, ReparseCases::reparseGuidTest),
                ConformanceCase.portable("reparse_nfs_test", FILE, REGULAR, ReparseCases::reparseNfsTest),
                ConformanceCase.portable("reparse_symlink_test", FILE, REGULAR, ReparseCases::reparseSymlinkTest),
                ConformanceCase.portable("reparse_symlink_relative_test", FILE, REGULAR,
                        ReparseCases::reparseSymlinkRelativeTest));
    }

    /**
     * A non-Microsoft tag (0x1234) with a GUID header: set, read back, opening without
     * FILE_FLAG_OPEN_REPARSE_POINT is ERROR_CANT_ACCESS_FILE, delete, then ERROR_NOT_A_REPARSE_POINT.
     */
    static void reparseGuidTest(CaseContext c) {
        byte[] data = ReparseData.guid(0x1234, REPARSE_GUID, "foobar".getBytes(StandardCharsets.US_ASCII));
        tagTest(c, data, true);
        // the checks of the data read back are in tagTest
    }

    /** IO_REPARSE_TAG_NFS with a character-device payload (type, major 0x42, minor 0x62): the same steps. */
    static void reparseNfsTest(CaseContext c) {
        ByteBuffer p = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        p.putLong(0x524843L /* NFS_SPECFILE_CHR */).putInt(0x42).putInt(0x62);
        tagTest(c, ReparseData.microsoft(IO_REPARSE_TAG_NFS, p.array()), true);
    }

    private static void tagTest(CaseContext c, byte[] data, boolean delete) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, FILE_WRITE_ATTRIBUTES, SHARE_ALL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        c.ok(w.setReparsePoint(h, data), "Success /* FSCTL_SET_REPARSE_POINT */");
        byte[] got = w.getReparsePoint(h);
        c.ok(got != null, "Success /* FSCTL_GET_REPARSE_POINT */");
        int tag = ReparseData.tag(data);
        ByteBuffer g = ByteBuffer.wrap(got).order(ByteOrder.LITTLE_ENDIAN);
        c.ok(g.getInt(0) == tag, String.format("ReparseDataBuf.ReparseTag == 0x%X", tag));
        c.ok((g.getShort(4) & 0xFFFF) == (ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getShort(4) & 0xFFFF),
                "ReparseDataBuf.ReparseDataLength == expected");
        c.ok(g.getShort(6) == 0, "ReparseDataBuf.Reserved == 0");
        c.ok(Arrays.equals(data, got), "0 == memcmp(GUID and DataBuffer)");
        w.closeHandle(h);

        h = w.createFile(file0, FILE_WRITE_ATTRIBUTES, SHARE_ALL, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_CANT_ACCESS_FILE, "ERROR_CANT_ACCESS_FILE");

        h = w.createFile(file0, FILE_WRITE_ATTRIBUTES, SHARE_ALL, OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        if (delete) {
            byte[] header = ReparseData.isMicrosoftTag(tag) ? ReparseData.microsoft(tag, new byte[0])
                    : ReparseData.guid(tag, Arrays.copyOfRange(data, 8, 24), new byte[0]);
            c.ok(w.deleteReparsePoint(h, header), "Success /* FSCTL_DELETE_REPARSE_POINT */");
            c.ok(w.getReparsePoint(h) == null, "!Success /* FSCTL_GET_REPARSE_POINT */");
            c.lastError(ERROR_NOT_A_REPARSE_POINT, "ERROR_NOT_A_REPARSE_POINT");
        }
        w.closeHandle(h);
        c.ok(w.deleteFile(file0), "Success");
    }

    /**
     * A symlink to file0, given as the full path, as a rooted path and as a relative name: opening
     * the link lands on file0 (FileNameInfo is file0's name); DeleteFile removes the link itself.
     * In the facade the first two targets are the same volume path (it has no other form of it).
     */
    static void reparseSymlinkTest(CaseContext c) {
        String file0 = c.path("file0");
        for (String target : new String[] {file0, file0, "file0"}) {
            symlinkOnce(c, file0, c.path("link0"), target);
        }
    }

    private static void symlinkOnce(CaseContext c, String filePath, String linkPath, String targetPath) {
        Win32Facade w = c.w();
        c.ok(w.createSymbolicLink(linkPath, targetPath, 0), "Success /* BestEffortCreateSymbolicLinkW(\"" + targetPath + "\") */");
        Handle h = w.createFile(filePath, FILE_WRITE_ATTRIBUTES, SHARE_ALL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        h = w.createFile(linkPath, FILE_WRITE_ATTRIBUTES, SHARE_ALL, OPEN_EXISTING, 0);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        Win32Structs.FileNameInfo n = w.getFileNameInfo(h, 8 + 2 * 260);
        c.ok(w.getLastError() == ERROR_SUCCESS, "Success");
        c.ok(n.fileNameLength() == filePath.length() * 2, "PNameInfo->FileNameLength == wcslen(FilePath + 6) * sizeof(WCHAR)");
        c.ok(filePath.equals(n.fileName()), "0 == mywcscmp(FilePath + 6, -1, PNameInfo->FileName, ...)");
        w.closeHandle(h);
        c.ok(w.deleteFile(linkPath), "Success");
        c.ok(w.deleteFile(filePath), "Success");
    }

    /**
     * Relative and absolute symlinks through directories: a dangling link is ERROR_FILE_NOT_FOUND,
     * a self-loop ERROR_CANT_RESOLVE_FILENAME, and chains through "..", "." and absolute links
     * open the expected file (FileNameInfo).
     */
    static void reparseSymlinkRelativeTest(CaseContext c) {
        Win32Facade w = c.w();
        c.ok(symlink(c, "\\l0", "NON-EXISTANT", 0), "my_symlink_noassert(L\"\\\\l0\", L\"NON-EXISTANT\")");
        c.ok(w.deleteFile(c.dir() + "\\l0"), "my_unlink(L\"\\\\l0\")");

        mkdir(c, "\\1");
        mkdir(c, "\\1\\1.1");
        make(c, "\\1\\1.2");
        make(c, "\\1\\1.3");
        make(c, "\\1\\1.1\\1.1.1");
        mkdir(c, "\\2");
        make(c, "\\2\\2.1");

        c.ok(symlink(c, "\\l0", "NON-EXISTANT", 0), "my_symlink(L\"\\\\l0\", L\"NON-EXISTANT\")");
        c.ok(symlink(c, "\\loop", "loop", 0), "my_symlink(L\"\\\\loop\", L\"loop\")");
        c.ok(symlink(c, "\\lf", "\\1", 0), "my_symlink(L\"\\\\lf\", L\"\\\\1\")");
        c.ok(symlink(c, "\\ld", "\\1\\1.1\\1.1.1", SYMBOLIC_LINK_FLAG_DIRECTORY), "my_symlinkd(L\"\\\\ld\", L\"\\\\1\\\\1.1\\\\1.1.1\")");
        c.ok(symlink(c, "\\1\\1.1\\l1.1.1", "1.1.1", 0), "my_symlink(L\"\\\\1\\\\1.1\\\\l1.1.1\", L\"1.1.1\")");
        c.ok(symlink(c, "\\2\\l1", "..\\1\\.", SYMBOLIC_LINK_FLAG_DIRECTORY), "my_symlinkd(L\"\\\\2\\\\l1\", L\"..\\\\1\\\\.\")");
        c.ok(symlink(c, "\\1\\l2", "..\\.\\2", SYMBOLIC_LINK_FLAG_DIRECTORY), "my_symlinkd(L\"\\\\1\\\\l2\", L\"..\\\\.\\\\2\")");
        c.ok(symlink(c, "\\2\\a1", "\\1", SYMBOLIC_LINK_FLAG_DIRECTORY), "my_symlinkd(L\"\\\\2\\\\a1\", L\"\\\\1\")");
        c.ok(symlink(c, "\\1\\a2", "\\2", SYMBOLIC_LINK_FLAG_DIRECTORY), "my_symlinkd(L\"\\\\1\\\\a2\", L\"\\\\2\")");

        c.ok(!namecheck(c, "\\l0", ""), "my_failcheck(L\"\\\\l0\")");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
        c.ok(!namecheck(c, "\\loop", ""), "my_failcheck(L\"\\\\loop\")");
        c.lastError(ERROR_CANT_RESOLVE_FILENAME, "ERROR_CANT_RESOLVE_FILENAME");

        String[][] checks = {
            {"\\lf", "\\1"},
            {"\\ld", "\\1\\1.1\\1.1.1"},
            {"\\1\\1.1\\l1.1.1", "\\1\\1.1\\1.1.1"},
            {"\\2\\l1\\1.1\\l1.1.1", "\\1\\1.1\\1.1.1"},
            {"\\1\\l2\\l1\\1.1\\l1.1.1", "\\1\\1.1\\1.1.1"},
            {"\\2\\a1\\1.1\\l1.1.1", "\\1\\1.1\\1.1.1"},
            {"\\2\\l1\\1.1\\l1.1.1", "\\1\\1.1\\1.1.1"},
            {"\\1\\a2\\l1\\1.1\\l1.1.1", "\\1\\1.1\\1.1.1"},
            {"\\1\\a2\\a1\\1.1\\l1.1.1", "\\1\\1.1\\1.1.1"},
            {"\\1\\a2\\a1\\l2\\l1\\1.1\\l1.1.1", "\\1\\1.1\\1.1.1"}};
        for (String[] check : checks) {
            c.ok(namecheck(c, check[0], check[1]), "my_namecheck(L\"" + check[0] + "\", L\"" + check[1] + "\")");
        }

        for (String d : new String[] {"\\ld"}) {
            c.ok(w.removeDirectory(c.dir() + d), "my_rmdir(L\"" + d + "\")");
        }
        c.ok(w.deleteFile(c.dir() + "\\lf"), "my_unlink(L\"\\\\lf\")");
        for (String d : new String[] {"\\1\\a2", "\\2\\a1", "\\1\\l2", "\\2\\l1"}) {
            c.ok(w.removeDirectory(c.dir() + d), "my_rmdir(L\"" + d + "\")");
        }
        for (String f : new String[] {"\\1\\1.1\\l1.1.1", "\\loop", "\\l0", "\\2\\2.1"}) {
            c.ok(w.deleteFile(c.dir() + f), "my_unlink(L\"" + f + "\")");
        }
        c.ok(w.removeDirectory(c.dir() + "\\2"), "my_rmdir(L\"\\\\2\")");
        for (String f : new String[] {"\\1\\1.1\\1.1.1", "\\1\\1.3", "\\1\\1.2"}) {
            c.ok(w.deleteFile(c.dir() + f), "my_unlink(L\"" + f + "\")");
        }
        c.ok(w.removeDirectory(c.dir() + "\\1\\1.1"), "my_rmdir(L\"\\\\1\\\\1.1\")");
        c.ok(w.removeDirectory(c.dir() + "\\1"), "my_rmdir(L\"\\\\1\")");
    }

    private static void mkdir(CaseContext c, String name) {
        c.ok(c.w().createDirectory(c.dir() + name, null), "my_mkdir(L\"" + name + "\")");
    }

    private static void make(CaseContext c, String name) {
        Handle h = c.w().createFile(c.dir() + name, 0, SHARE_ALL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "my_make(L\"" + name + "\")");
        c.w().closeHandle(h);
    }

    /** my_symlink_fn: a rooted target is taken below the test directory (Prefix + FileName). */
    private static boolean symlink(CaseContext c, String link, String target, int flags) {
        String t = target.startsWith("\\") ? c.dir() + target : target;
        return c.w().createSymbolicLink(c.dir() + link, t, flags);
    }

    /** my_namecheck_fn: opens with BACKUP_SEMANTICS (following links) and compares FileNameInfo. */
    private static boolean namecheck(CaseContext c, String name, String expected) {
        Win32Facade w = c.w();
        Handle h = w.createFile(c.dir() + name, FILE_READ_ATTRIBUTES, SHARE_ALL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS);
        if (h == null) {
            return false;
        }
        String exp = c.dir() + expected;
        Win32Structs.FileNameInfo n = w.getFileNameInfo(h, 8 + 2 * 260);
        w.closeHandle(h);
        c.ok(n.fileNameLength() == exp.length() * 2, "PNameInfo->FileNameLength == wcslen(ExpectedPath + 6) * sizeof(WCHAR) /* "
                + n.fileName() + " */");
        c.ok(exp.equals(n.fileName()), "0 == mywcscmp(ExpectedPath + 6, -1, PNameInfo->FileName, ...)");
        return true;
    }
}
