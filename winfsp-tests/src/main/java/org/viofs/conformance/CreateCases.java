package org.viofs.conformance;

import static org.viofs.conformance.ConformanceCase.Availability.CONDITIONAL;
import static org.viofs.conformance.ConformanceCase.Availability.REGULAR;
import static org.viofs.conformance.Win32.*;

import java.util.List;

import org.viofs.conformance.Win32Facade.Privilege;
import org.viofs.volume.CreateOptions;

/**
 * The cases of winfsp-tests {@code tst/winfsp-tests/create-test.c}, restated over the facade with
 * the upstream assertions, in the {@code --external} variant (the upstream prefix is the test
 * directory, so the memfs-only blocks guarded by {@code 0 == Prefix} are not part of it).
 */
final class CreateCases {
    private CreateCases() {
    }

    static final String FILE = "create-test.c";
    private static final int RW = GENERIC_READ | GENERIC_WRITE;
    private static final int SHARE_RW = FILE_SHARE_READ | FILE_SHARE_WRITE;
    private static final int SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

    static List<ConformanceCase> cases() {
        return List.of(
                ConformanceCase.portable("create_test", FILE, REGULAR, CreateCases::createTest),
                ConformanceCase.portable("create_fileattr_test", FILE, REGULAR, CreateCases::createFileattrTest),
                ConformanceCase.portable("create_readonlydir_test", FILE, REGULAR, CreateCases::createReadonlydirTest),
                ConformanceCase.portable("create_related_test", FILE, REGULAR, CreateCases::createRelatedTest),
                ConformanceCase.portable("create_allocation_test", FILE, REGULAR, CreateCases::createAllocationTest),
                ConformanceCase.portable("create_sd_test", FILE, REGULAR, CreateCases::createSdTest),
                ConformanceCase.portable("create_notraverse_test", FILE, CONDITIONAL, CreateCases::createNotraverseTest),
                ConformanceCase.portable("create_backup_test", FILE, REGULAR, CreateCases::createBackupTest),
                ConformanceCase.portable("create_restore_test", FILE, REGULAR, CreateCases::createRestoreTest),
                ConformanceCase.portable("create_share_test", FILE, REGULAR, CreateCases::createShareTest),
                ConformanceCase.portable("create_curdir_test", FILE, REGULAR, CreateCases::createCurdirTest),
                ConformanceCase.portable("create_namelen_test", FILE, CONDITIONAL, CreateCases::createNamelenTest));
    }

    static byte[] sddl(String s) {
        return SecurityDescriptor.fromSddl(s).toBytes();
    }

    /** Dispositions, DELETE_ON_CLOSE, invalid names, a non-empty directory surviving delete-on-close. */
    static void createTest(CaseContext c) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);

        h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_EXISTS, "ERROR_FILE_EXISTS");

        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);

        h = w.createFile(file0, RW, SHARE_RW, CREATE_ALWAYS, FILE_ATTRIBUTE_HIDDEN);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);

        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);

        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");

        // wildcards are invalid name characters
        h = w.createFile(c.path("file0*"), RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_INVALID_NAME, "ERROR_INVALID_NAME");

        // a stream name may only be the last component
        h = w.createFile(c.path("DOESNOTEXIST:foo\\file0*"), RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_INVALID_NAME, "ERROR_INVALID_NAME");

        String dir1 = c.path("dir1");
        c.ok(w.createDirectory(dir1, null), "Success");
        c.ok(!w.createDirectory(dir1, null), "!Success");

        String file2 = c.path("dir1\\file2");
        h = w.createFile(file2, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);

        // DELETE_ON_CLOSE on a non-empty directory: it must survive
        h = w.createFile(dir1, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);

        h = w.createFile(file2, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);

        h = w.createFile(dir1, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);

        h = w.createFile(dir1, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");

        // backslash at path end
        h = w.createFile(c.path("file0\\"), RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_INVALID_NAME, "ERROR_INVALID_NAME");

        c.ok(!w.createDirectory(c.path("dir1\\\\"), null), "!Success");
        c.lastError(ERROR_INVALID_NAME, "ERROR_INVALID_NAME");

        c.ok(w.createDirectory(c.path("dir1\\"), null), "Success");

        h = w.createFile(dir1, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);

        h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
    }

    /** New files show ARCHIVE, plus READONLY/SYSTEM/HIDDEN when asked, for CREATE_NEW and CREATE_ALWAYS. */
    static void createFileattrTest(CaseContext c) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(FILE_ATTRIBUTE_ARCHIVE == w.getFileAttributes(file0), "FILE_ATTRIBUTE_ARCHIVE == FileAttributes");
        c.ok(w.deleteFile(file0), "Success");

        int[] extra = {FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_SYSTEM, FILE_ATTRIBUTE_HIDDEN};
        String[] names = {"FILE_ATTRIBUTE_READONLY", "FILE_ATTRIBUTE_SYSTEM", "FILE_ATTRIBUTE_HIDDEN"};
        for (int i = 0; i < extra.length; i++) {
            h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, extra[i]);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            w.closeHandle(h);
            c.ok((FILE_ATTRIBUTE_ARCHIVE | extra[i]) == w.getFileAttributes(file0),
                    "(FILE_ATTRIBUTE_ARCHIVE | " + names[i] + ") == FileAttributes");
            c.ok(w.setFileAttributes(file0, FILE_ATTRIBUTE_NORMAL), "Success");
            c.ok(w.deleteFile(file0), "Success");
        }

        h = w.createFile(file0, RW, SHARE_RW, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(FILE_ATTRIBUTE_ARCHIVE == w.getFileAttributes(file0), "FILE_ATTRIBUTE_ARCHIVE == FileAttributes");

        for (int i = 0; i < extra.length; i++) {
            h = w.createFile(file0, RW, SHARE_RW, CREATE_ALWAYS, extra[i]);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            w.closeHandle(h);
            c.ok((FILE_ATTRIBUTE_ARCHIVE | extra[i]) == w.getFileAttributes(file0),
                    "(FILE_ATTRIBUTE_ARCHIVE | " + names[i] + ") == FileAttributes");
            c.ok(w.setFileAttributes(file0, FILE_ATTRIBUTE_NORMAL), "Success");
        }
        c.ok(w.deleteFile(file0), "Success");
    }

    /** A READONLY directory accepts children; RemoveDirectory is ACCESS_DENIED until the bit is cleared. */
    static void createReadonlydirTest(CaseContext c) {
        Win32Facade w = c.w();
        String dir0 = c.path("dir0");
        String file0 = c.path("dir0\\file0");
        c.ok(w.createDirectory(dir0, null), "Success");
        c.ok(w.setFileAttributes(dir0, FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_READONLY), "Success");
        c.ok((FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_READONLY) == w.getFileAttributes(dir0),
                "(FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_READONLY) == FileAttributes");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(w.deleteFile(file0), "Success");
        c.ok(!w.removeDirectory(dir0), "!Success");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        c.ok(w.setFileAttributes(dir0, FILE_ATTRIBUTE_DIRECTORY), "Success");
        c.ok(FILE_ATTRIBUTE_DIRECTORY == w.getFileAttributes(dir0), "FILE_ATTRIBUTE_DIRECTORY == FileAttributes");
        c.ok(w.removeDirectory(dir0), "Success");
    }

    /**
     * NtCreateFile relative to a directory handle: WinFsp's FSD joins the related file object's
     * name and the relative name (create.c), so the volume sees the same absolute name.
     */
    static void createRelatedTest(CaseContext c) {
        Win32Facade w = c.w();
        String dir1 = c.path("dir1");
        c.ok(w.createDirectory(dir1, null), "Success");
        Handle dir = w.createFile(dir1, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(dir != null, "INVALID_HANDLE_VALUE != DirHandle");
        Handle file = w.ntCreateFile(dir.name() + "\\file2", FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE, 0, null,
                CreateOptions.FILE_CREATE, CreateOptions.FILE_DELETE_ON_CLOSE, FILE_ATTRIBUTE_NORMAL, 0);
        c.ok(file != null, "STATUS_SUCCESS == Result");
        w.closeHandle(file);
        w.closeHandle(dir);
        dir = w.createFile(dir1, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(dir == null, "INVALID_HANDLE_VALUE == DirHandle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    /** An AllocationSize of 65536 at create is reported, also through later opens; reopening after close gives 0. */
    static void createAllocationTest(CaseContext c) {
        Win32Facade w = c.w();
        String dir1 = c.path("dir1");
        c.ok(w.createDirectory(dir1, null), "Success");
        Handle dir = w.createFile(dir1, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(dir != null, "INVALID_HANDLE_VALUE != DirHandle");
        String file2 = dir.name() + "\\file2";
        Handle f = w.ntCreateFile(file2, FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE, SHARE_ALL, null,
                CreateOptions.FILE_CREATE, 0, FILE_ATTRIBUTE_NORMAL, 65536);
        c.ok(f != null, "STATUS_SUCCESS == Result");
        Win32Structs.StandardInfo si = w.getStandardInfo(f);
        c.ok(si != null, "Success");
        c.ok(65536 == si.allocationSize(), "65536 == StandardInfo.AllocationSize.QuadPart");
        for (int i = 0; i < 2; i++) {
            Handle f2 = w.ntCreateFile(file2, FILE_READ_ATTRIBUTES, SHARE_ALL, null, CreateOptions.FILE_OPEN, 0,
                    FILE_ATTRIBUTE_NORMAL, 0);
            c.ok(f2 != null, "STATUS_SUCCESS == Result");
            si = w.getStandardInfo(f2);
            c.ok(si != null, "Success");
            c.ok(65536 == si.allocationSize(), "65536 == StandardInfo.AllocationSize.QuadPart");
            w.closeHandle(f2);
        }
        w.closeHandle(f);
        f = w.ntCreateFile(file2, FILE_READ_ATTRIBUTES, 0, null, CreateOptions.FILE_OPEN, 0, FILE_ATTRIBUTE_NORMAL, 0);
        c.ok(f != null, "STATUS_SUCCESS == Result");
        si = w.getStandardInfo(f);
        c.ok(si != null, "Success");
        c.ok(0 == si.allocationSize(), "0 == StandardInfo.AllocationSize.QuadPart");
        w.closeHandle(f);
        f = w.createFile(file2, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(f != null, "INVALID_HANDLE_VALUE != FileHandle");
        w.closeHandle(f);
        w.closeHandle(dir);
    }

    /** Files and directories created with an explicit descriptor, self-relative and then owner/group/DACL rebuilt. */
    static void createSdTest(CaseContext c) {
        Win32Facade w = c.w();
        SecurityDescriptor given = SecurityDescriptor.fromSddl("D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;WD)");
        // the second round rebuilds an absolute descriptor from the first's parts: same parts
        SecurityDescriptor rebuilt = new SecurityDescriptor(given.owner(), given.group(), given.daclPresent(),
                given.dacl(), given.control());
        for (SecurityDescriptor sd : List.of(given, rebuilt)) {
            String file0 = c.path("file0");
            Handle h = w.createFile(file0, RW, SHARE_RW, sd.toBytes(), CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            w.closeHandle(h);
            h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            w.closeHandle(h);
            String dir1 = c.path("dir1");
            c.ok(w.createDirectory(dir1, sd.toBytes()), "Success");
            h = w.createFile(dir1, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            w.closeHandle(h);
        }
    }

    /** Without the traverse privilege a directory that denies FILE_TRAVERSE blocks creates below it. */
    static void createNotraverseTest(CaseContext c) {
        Win32Facade w = c.w();
        byte[] sd = sddl("D:P(A;;GRGWSD;;;WD)");
        c.ok(w.createDirectory(c.path("dir1"), sd), "Success");
        c.ok(w.createDirectory(c.path("dir1\\dir2"), sd), "Success");
        w.setPrivilege(Privilege.CHANGE_NOTIFY, false);
        c.ok(!w.createDirectory(c.path("dir1\\dir2\\dir3"), sd), "!Success");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        w.setPrivilege(Privilege.CHANGE_NOTIFY, true);
        c.ok(w.createDirectory(c.path("dir1\\dir2\\dir3"), sd), "Success");
        for (String d : List.of("dir1\\dir2\\dir3", "dir1\\dir2", "dir1")) {
            Handle h = w.createFile(c.path(d), DELETE, 0, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            w.closeHandle(h);
        }
    }

    /** SeBackupPrivilege with BACKUP_SEMANTICS opens a file whose DACL grants only DELETE for reading. */
    static void createBackupTest(CaseContext c) {
        Win32Facade w = c.w();
        w.setPrivilege(Privilege.BACKUP, true);
        byte[] sd = sddl("D:P(A;;SD;;;WD)");
        String dir1 = c.path("dir1");
        String file0 = c.path("dir1\\file0");
        c.ok(w.createDirectory(dir1, null), "Success");
        Handle h = w.createFile(file0, RW, SHARE_RW, sd, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        h = w.createFile(file0, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        h = w.createFile(file0, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        w.setPrivilege(Privilege.BACKUP, false);
        h = w.createFile(file0, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        h = w.createFile(file0, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        c.ok(w.deleteFile(file0), "Success");
        c.ok(w.removeDirectory(dir1), "Success");
    }

    /** SeRestorePrivilege with BACKUP_SEMANTICS creates a file in a directory whose DACL grants only DELETE. */
    static void createRestoreTest(CaseContext c) {
        Win32Facade w = c.w();
        w.setPrivilege(Privilege.RESTORE, true);
        String dir1 = c.path("dir1");
        String file0 = c.path("dir1\\file0");
        c.ok(w.createDirectory(dir1, sddl("D:P(A;;SD;;;WD)")), "Success");
        Handle dir = w.createFile(dir1, DELETE, SHARE_ALL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(dir != null, "INVALID_HANDLE_VALUE != DirHandle");
        Handle h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_BACKUP_SEMANTICS);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        c.ok(w.deleteFile(file0), "Success");
        w.setPrivilege(Privilege.RESTORE, false);
        h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        h = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_BACKUP_SEMANTICS);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        w.closeHandle(dir);
        dir = w.createFile(dir1, DELETE, SHARE_ALL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS);
        c.ok(dir == null, "INVALID_HANDLE_VALUE == DirHandle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    /** The share-mode matrix, including CREATE_ALWAYS against a read-only sharer (WinFsp issue #364). */
    static void createShareTest(CaseContext c) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        Handle h1 = w.createFile(file0, RW, SHARE_RW, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        w.closeHandle(h1);

        h1 = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, 0);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        Handle h2 = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, 0);
        c.ok(h2 != null, "INVALID_HANDLE_VALUE != Handle2");
        w.closeHandle(h1);
        w.closeHandle(h2);

        h1 = w.createFile(file0, RW, FILE_SHARE_READ, OPEN_EXISTING, 0);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        h2 = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, 0);
        c.ok(h2 == null, "INVALID_HANDLE_VALUE == Handle2");
        c.lastError(ERROR_SHARING_VIOLATION, "ERROR_SHARING_VIOLATION");
        w.closeHandle(h1);

        h1 = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, 0);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        h2 = w.createFile(file0, RW, FILE_SHARE_READ, OPEN_EXISTING, 0);
        c.ok(h2 == null, "INVALID_HANDLE_VALUE == Handle2");
        c.lastError(ERROR_SHARING_VIOLATION, "ERROR_SHARING_VIOLATION");
        w.closeHandle(h1);

        // GitHub issue #364: CREATE_ALWAYS needs write sharing
        h1 = w.createFile(file0, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        h2 = w.createFile(file0, GENERIC_READ, FILE_SHARE_READ, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL);
        c.ok(h2 == null, "INVALID_HANDLE_VALUE == Handle2");
        c.lastError(ERROR_SHARING_VIOLATION, "ERROR_SHARING_VIOLATION");
        w.closeHandle(h1);

        h1 = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        w.closeHandle(h1);
    }

    /** The test directory can become the current directory (the upstream sets the volume root). */
    static void createCurdirTest(CaseContext c) {
        c.ok(c.w().setCurrentDirectory(c.dir() + "\\"), "Success");
    }

    /** MaxComponentLength−1 and MaxComponentLength characters are fine, one more is ERROR_INVALID_NAME. */
    static void createNamelenTest(CaseContext c) {
        Win32Facade w = c.w();
        Win32Structs.VolumeInformation vi = w.getVolumeInformation();
        c.ok(vi != null, "Success");
        int max = vi.maximumComponentLength();
        for (int len : new int[] {max - 1, max}) {
            Handle h = w.createFile(c.path(digits(len)), RW, SHARE_RW, CREATE_NEW,
                    FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            c.ok(w.closeHandle(h), "Success");
        }
        Handle h = w.createFile(c.path(digits(max + 1)), RW, SHARE_RW, CREATE_NEW,
                FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_INVALID_NAME, "ERROR_INVALID_NAME");
    }

    static String digits(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) ('0' + i % 10));
        }
        return s.toString();
    }
}
