package org.viofs.conformance;

import static org.viofs.conformance.ConformanceCase.Availability.CONDITIONAL;
import static org.viofs.conformance.ConformanceCase.Availability.NOOP_EXTERNAL;
import static org.viofs.conformance.ConformanceCase.Availability.REGULAR;
import static org.viofs.conformance.Win32.*;

import java.util.List;

/**
 * The cases of winfsp-tests {@code tst/winfsp-tests/stream-tests.c}.
 *
 * Attributes, times, security and the file index of a stream are its main file's; a stream
 * has its own data and size (the rules memfs and NTFS follow, which these cases check).
 */
final class StreamCases {
    private StreamCases() {
    }

    static final String FILE = "stream-tests.c";
    private static final int RW = GENERIC_READ | GENERIC_WRITE;
    private static final int SHARE_RW = FILE_SHARE_READ | FILE_SHARE_WRITE;

    static List<ConformanceCase> cases() {
        return List.of(
                ConformanceCase.portable("stream_create_test", FILE, REGULAR, StreamCases::streamCreateTest),
                ConformanceCase.portable("stream_create_overwrite_test", FILE, REGULAR, StreamCases::streamCreateOverwriteTest),
                ConformanceCase.portable("stream_create_related_test", FILE, REGULAR, StreamCases::streamCreateRelatedTest),
                ConformanceCase.portable("stream_create_sd_test", FILE, REGULAR, StreamCases::streamCreateSdTest),
                ConformanceCase.portable("stream_create_share_test", FILE, REGULAR, StreamCases::streamCreateShareTest),
                ConformanceCase.portable("stream_getfileinfo_test", FILE, REGULAR, StreamCases::streamGetfileinfoTest),
                ConformanceCase.portable("stream_setfileinfo_test", FILE, REGULAR, StreamCases::streamSetfileinfoTest),
                ConformanceCase.portable("stream_delete_test", FILE, REGULAR, StreamCases::streamDeleteTest),
                ConformanceCase.portable("stream_delete_pending_test", FILE, REGULAR, StreamCases::streamDeletePendingTest),
                ConformanceCase.notPortable("stream_rename_flipflop_test", FILE, CONDITIONAL, InfoCases.MAPPING),
                ConformanceCase.portable("stream_getsecurity_test", FILE, REGULAR, StreamCases::streamGetsecurityTest),
                ConformanceCase.portable("stream_setsecurity_test", FILE, REGULAR, StreamCases::streamSetsecurityTest),
                ConformanceCase.portable("stream_getstreaminfo_test", FILE, REGULAR, StreamCases::streamGetstreaminfoTest),
                ConformanceCase.notPortable("stream_getstreaminfo_expire_cache_test", FILE, NOOP_EXTERNAL,
                        "exercises the FSD's stream-information cache expiry (memfs only); the facade keeps no "
                                + "cache and upstream returns at once under --external"),
                ConformanceCase.notPortable("stream_dirnotify_test", FILE, REGULAR,
                        "change notifications (ReadDirectoryChangesW) are produced by the FSD in the Windows kernel"));
    }

    private static Handle open(CaseContext c, String rel, int disposition, int flags) {
        return c.w().createFile(c.path(rel), RW, SHARE_RW, disposition, flags);
    }

    private static void okOpen(CaseContext c, String rel, int disposition, int flags) {
        Handle h = open(c, rel, disposition, flags);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle /* " + rel + " */");
        c.w().closeHandle(h);
    }

    private static void notFound(CaseContext c, String rel, int flags) {
        Handle h = open(c, rel, OPEN_EXISTING, flags);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle /* " + rel + " */");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    private static void invalid(CaseContext c, String rel) {
        Handle h = open(c, rel, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle /* " + rel + " */");
        c.lastError(ERROR_INVALID_NAME, "ERROR_INVALID_NAME");
    }

    /** Single and multiple streams on files and directories, delete-on-close per stream and for the file, invalid stream names. */
    static void streamCreateTest(CaseContext c) {
        Win32Facade w = c.w();
        // single stream
        okOpen(c, "file0:foo", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0:foo", OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0:foo", OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        notFound(c, "file0:foo", FILE_FLAG_DELETE_ON_CLOSE);
        okOpen(c, "file0", OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0", OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        notFound(c, "file0", FILE_FLAG_DELETE_ON_CLOSE);
        notFound(c, "file0:foo", FILE_FLAG_DELETE_ON_CLOSE);
        // multiple streams
        okOpen(c, "file0:foo", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0:bar", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0:baz", CREATE_NEW, FILE_FLAG_DELETE_ON_CLOSE | FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0", OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0:foo", OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0:bar", OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        notFound(c, "file0:baz", FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0:foo", OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        notFound(c, "file0:foo", FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0:bar", OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0", OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        notFound(c, "file0", FILE_ATTRIBUTE_NORMAL);
        notFound(c, "file0:foo", FILE_ATTRIBUTE_NORMAL);
        notFound(c, "file0:bar", FILE_ATTRIBUTE_NORMAL);
        notFound(c, "file0:baz", FILE_ATTRIBUTE_NORMAL);
        // directory streams
        c.ok(w.createDirectory(c.path("dir1"), null), "Success");
        okOpen(c, "dir1:foo", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "dir1:bar", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "dir1:foo", OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "dir1:bar", OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "dir1", OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        Handle h = open(c, "dir1", OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
        notFound(c, "dir1:foo", FILE_ATTRIBUTE_NORMAL);
        notFound(c, "dir1:bar", FILE_ATTRIBUTE_NORMAL);
        // invalid names
        invalid(c, "file0:");
        invalid(c, "file0:foo:");
        invalid(c, "file0:foo:$NONEXISTANTATTR");
        invalid(c, "file0:foo:$DATA:");
        c.ok(!w.createDirectory(c.path("dir1:foo"), null), "!Success");
        c.lastError(ERROR_DIRECTORY, "ERROR_DIRECTORY");
        // main file
        okOpen(c, "file0::$DATA", CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(!w.createDirectory(c.path("dir1::$DATA"), null), "!Success");
        c.lastError(ERROR_DIRECTORY, "ERROR_DIRECTORY");
    }

    /**
     * CREATE_ALWAYS on the main file drops its streams: a closed one is gone (ERROR_FILE_NOT_FOUND),
     * one still open is delete-pending (ERROR_ACCESS_DENIED) until it closes.
     */
    static void streamCreateOverwriteTest(CaseContext c) {
        Win32Facade w = c.w();
        okOpen(c, "file0", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0:foo", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "file0:bar", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        Handle h2 = w.createFile(c.path("file0:bar"), FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, 0);
        c.ok(h2 != null, "INVALID_HANDLE_VALUE != Handle2");
        okOpen(c, "file0", CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL);
        Handle h = w.createFile(c.path("file0:foo"), FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle /* file0:foo */");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
        h = w.createFile(c.path("file0:bar"), FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle /* file0:bar */");
        c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
        w.closeHandle(h2);
        h = w.createFile(c.path("file0:bar"), FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle /* file0:bar */");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
        okOpen(c, "file0", OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        h = w.createFile(c.path("file0"), FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, 0);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle /* file0 */");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    /** NtCreateFile of ":foo" relative to the file's handle creates the stream. */
    static void streamCreateRelatedTest(CaseContext c) {
        Win32Facade w = c.w();
        Handle f = open(c, "file0", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(f != null, "INVALID_HANDLE_VALUE != FileHandle");
        // the FSD joins the related file object's name and ":foo" without a backslash (create.c)
        Handle s = w.ntCreateFile(f.name() + ":foo", FILE_GENERIC_READ | FILE_GENERIC_WRITE, 0, null,
                org.viofs.volume.CreateOptions.FILE_CREATE, 0, FILE_ATTRIBUTE_NORMAL, 0);
        c.ok(s != null, "STATUS_SUCCESS == Result");
        w.closeHandle(s);
        w.closeHandle(f);
        okOpen(c, "file0", OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
    }

    /** A stream created with a descriptor (self-relative, then rebuilt from its parts) creates its file. */
    static void streamCreateSdTest(CaseContext c) {
        Win32Facade w = c.w();
        SecurityDescriptor sd = SecurityDescriptor.fromSddl("D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;WD)");
        Handle h = w.createFile(c.path("file0:foo"), RW, SHARE_RW, sd.toBytes(), CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        okOpen(c, "file0", OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        SecurityDescriptor rebuilt = new SecurityDescriptor(sd.owner(), sd.group(), sd.daclPresent(), sd.dacl(), sd.control());
        // upstream creates the main file here, with the rebuilt descriptor
        h = w.createFile(c.path("file0"), RW, SHARE_RW, rebuilt.toBytes(), CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        okOpen(c, "file0", OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
    }

    private static Handle raw(CaseContext c, String rel, int access, int share) {
        return c.w().createFile(c.path(rel), access, share, OPEN_EXISTING, 0);
    }

    private static void shareOk(CaseContext c, String rel, int access, int share) {
        Handle h = raw(c, rel, access, share);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle2 /* " + rel + " */");
        c.w().closeHandle(h);
    }

    private static void shareViolation(CaseContext c, String rel, int access, int share) {
        Handle h = raw(c, rel, access, share);
        c.ok(h == null, "INVALID_HANDLE_VALUE == Handle2 /* " + rel + " */");
        c.lastError(ERROR_SHARING_VIOLATION, "ERROR_SHARING_VIOLATION");
    }

    /**
     * Share modes on a stream, then the delete rule between a file and its stream, both ways: the
     * other side opened for DELETE refuses an open that does not share delete.
     */
    static void streamCreateShareTest(CaseContext c) {
        Win32Facade w = c.w();
        okOpen(c, "file0:foo", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        Handle h1 = raw(c, "file0:foo", RW, SHARE_RW);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        Handle h2 = raw(c, "file0:foo", RW, SHARE_RW);
        c.ok(h2 != null, "INVALID_HANDLE_VALUE != Handle2");
        w.closeHandle(h1);
        w.closeHandle(h2);
        h1 = raw(c, "file0:foo", RW, FILE_SHARE_READ);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        shareViolation(c, "file0:foo", RW, SHARE_RW);
        w.closeHandle(h1);
        h1 = raw(c, "file0:foo", RW, SHARE_RW);
        c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1");
        shareViolation(c, "file0:foo", RW, FILE_SHARE_READ);
        w.closeHandle(h1);

        // main file deny delete #1..#4, then stream deny delete #1..#4
        String[][] sides = {{"file0", "file0:foo"}, {"file0:foo", "file0"}};
        for (String[] side : sides) {
            boolean mainFirst = side[0].equals("file0");
            for (int k = 1; k <= 4; k++) {
                // main deny delete: the first open shares delete in #1/#3, the second in #1/#2;
                // stream deny delete: the other way round
                boolean oddShares = k == 1 || k == 3;
                boolean lowShares = k == 1 || k == 2;
                int share1 = (mainFirst ? oddShares : lowShares) ? FILE_SHARE_DELETE : 0;
                int share2 = (mainFirst ? lowShares : oddShares) ? FILE_SHARE_DELETE : 0;
                h1 = raw(c, side[0], DELETE, share1);
                c.ok(h1 != null, "INVALID_HANDLE_VALUE != Handle1 /* deny delete test #" + k + " */");
                boolean dataRefused = mainFirst && k >= 3;
                boolean deleteRefused = k >= 3;
                for (int access : new int[] {FILE_READ_DATA, FILE_WRITE_DATA}) {
                    if (dataRefused) {
                        shareViolation(c, side[1], access, share2);
                    } else {
                        shareOk(c, side[1], access, share2);
                    }
                }
                if (deleteRefused) {
                    shareViolation(c, side[1], DELETE, share2);
                    w.closeHandle(h1);
                } else {
                    h2 = raw(c, side[1], DELETE, share2);
                    c.ok(h2 != null, "INVALID_HANDLE_VALUE != Handle2 /* DELETE */");
                    w.closeHandle(h1);
                    w.closeHandle(h2);
                }
            }
        }
        okOpen(c, "file0", OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
    }

    /**
     * A stream's information: the time window, size 0, one link, its own name in FileNameInfo;
     * then the main file's, with the same file index.
     */
    static void streamGetfileinfoTest(CaseContext c) {
        Win32Facade w = c.w();
        long timeLo = InfoCases.filetimeNow() - 20 * 10_000L;
        long timeHi = timeLo + 10_000L * 10_000L;
        long index = 0;
        for (String rel : new String[] {"file0:foo", "file0"}) {
            Handle h = rel.contains(":") ? open(c, rel, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE)
                    : open(c, rel, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle /* " + rel + " */");
            Win32Structs.AttributeTagInfo tag = w.getAttributeTagInfo(h);
            c.ok(tag != null && 0 == tag.reparseTag(), "0 == AttributeTagInfo.ReparseTag");
            Win32Structs.BasicInfo b = w.getBasicInfo(h);
            c.ok(b != null, "Success");
            c.ok(timeLo <= b.lastAccessTime() && timeHi > b.lastAccessTime(), "TimeLo <= BasicInfo.LastAccessTime < TimeHi");
            c.ok(timeLo <= b.lastWriteTime() && timeHi > b.lastWriteTime(), "TimeLo <= BasicInfo.LastWriteTime < TimeHi");
            c.ok(timeLo <= b.changeTime() && timeHi > b.changeTime(), "TimeLo <= BasicInfo.ChangeTime < TimeHi");
            Win32Structs.StandardInfo si = w.getStandardInfo(h);
            c.ok(si != null, "Success");
            c.ok(0 == si.allocationSize(), "0 == StandardInfo.AllocationSize.QuadPart");
            c.ok(0 == si.endOfFile(), "0 == StandardInfo.EndOfFile.QuadPart");
            c.ok(1 == si.numberOfLinks(), "1 == StandardInfo.NumberOfLinks");
            c.ok(!si.deletePending(), "!StandardInfo.DeletePending");
            c.ok(!si.directory(), "!StandardInfo.Directory");
            String path = c.path(rel);
            Win32Structs.FileNameInfo n = w.getFileNameInfo(h, 8);
            c.lastError(ERROR_MORE_DATA, "ERROR_MORE_DATA");
            c.ok(n.fileNameLength() == 2 * path.length(), "PNameInfo->FileNameLength == wcslen(FilePath + 6) * sizeof(WCHAR)");
            n = w.getFileNameInfo(h, 8 + 2 * 260);
            c.ok(path.equals(n.fileName()), "0 == mywcscmp(FilePath + 6, -1, PNameInfo->FileName, ...)");
            Win32Structs.ByHandleFileInformation fi = w.getFileInformationByHandle(h);
            c.ok(fi != null, "Success");
            c.ok(timeLo <= fi.lastWriteTime() && timeHi > fi.lastWriteTime(), "TimeLo <= FileInfo.ftLastWriteTime < TimeHi");
            c.ok(0 == fi.fileSize(), "0 == FileInfo.nFileSizeLow && 0 == FileInfo.nFileSizeHigh");
            c.ok(1 == fi.numberOfLinks(), "1 == FileInfo.nNumberOfLinks");
            if (rel.contains(":")) {
                index = fi.fileIndex();
            } else {
                c.ok(index == fi.fileIndex(), "nFileIndexHigh/Low == FileInfo.nFileIndexHigh/Low");
            }
            w.closeHandle(h);
        }
    }

    /**
     * Attributes and times set through a stream are the file's (and the other way round); the
     * stream has its own size and the file's index.
     */
    static void streamSetfileinfoTest(CaseContext c) {
        Win32Facade w = c.w();
        int shareAll = SHARE_RW | FILE_SHARE_DELETE;
        String streamPath = c.path("file0:foo");
        Handle s = w.createFile(streamPath, RW, shareAll, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(s != null, "INVALID_HANDLE_VALUE != StreamHandle");
        Win32Structs.ByHandleFileInformation fi0 = w.getFileInformationByHandle(s);
        c.ok(fi0 != null, "Success");
        c.ok(w.setFileAttributes(streamPath, FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_HIDDEN), "Success");
        Win32Structs.ByHandleFileInformation fi = w.getFileInformationByHandle(s);
        c.ok(fi != null && FILE_ATTRIBUTE_HIDDEN == fi.fileAttributes(), "FILE_ATTRIBUTE_HIDDEN == FileInfo.dwFileAttributes");
        long t = InfoCases.UNIX_EPOCH_FILETIME + 0x4200000042L;
        c.ok(w.setFileTime(s, null, t, t), "Success");
        fi = w.getFileInformationByHandle(s);
        c.ok(fi0.creationTime() == fi.creationTime(), "FileInfo0.ftCreationTime == FileInfo.ftCreationTime");
        c.ok(t == fi.lastAccessTime() && t == fi.lastWriteTime(), "0x4200000042 == ftLastAccessTime && ftLastWriteTime");
        c.ok(w.setFileTime(s, t, null, null), "Success");
        fi = w.getFileInformationByHandle(s);
        c.ok(t == fi.creationTime(), "116444736000000000ULL + 0x4200000042ULL == FileInfo.ftCreationTime");
        c.ok(42 == w.setFilePointer(s, 42, FILE_BEGIN), "42 == Offset");
        c.ok(w.setEndOfFile(s), "Success");
        fi = w.getFileInformationByHandle(s);
        c.ok(42 == fi.fileSize(), "42 == FileInfo.nFileSizeLow");
        long index = fi.fileIndex();

        Handle h = w.createFile(c.path("file0"), RW, shareAll, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        fi = w.getFileInformationByHandle(h);
        c.ok(fi != null && 0 != (fi.fileAttributes() & FILE_ATTRIBUTE_HIDDEN), "0 != (FileInfo.dwFileAttributes & FILE_ATTRIBUTE_HIDDEN)");
        c.ok(t == fi.lastAccessTime() && t == fi.lastWriteTime() && t == fi.creationTime(), "main file has the stream's times");
        c.ok(0 == fi.fileSize(), "0 == FileInfo.nFileSizeLow");
        c.ok(index == fi.fileIndex(), "nFileIndexHigh/Low == FileInfo.nFileIndexHigh/Low");

        long t1 = 0x4100000041L;
        c.ok(w.setFileTime(s, t1, t1, t1), "Success");
        fi = w.getFileInformationByHandle(h);
        c.ok(t1 == fi.lastAccessTime() && t1 == fi.lastWriteTime() && t1 == fi.creationTime(), "0x4100000041 on the main file");
        long t3 = 0x4300000043L;
        c.ok(w.setFileTime(h, t3, t3, t3), "Success");
        fi = w.getFileInformationByHandle(s);
        c.ok(t3 == fi.lastAccessTime() && t3 == fi.lastWriteTime() && t3 == fi.creationTime(), "0x4300000043 on the stream");
        w.closeHandle(s);
        w.closeHandle(h);
    }

    /** Streams on a directory and a file: the directory is not empty because of the file, not its stream. */
    static void streamDeleteTest(CaseContext c) {
        Win32Facade w = c.w();
        streamsUnderDir1(c);
        c.ok(!w.removeDirectory(c.path("dir1")), "!Success");
        c.lastError(ERROR_DIR_NOT_EMPTY, "ERROR_DIR_NOT_EMPTY");
        c.ok(w.deleteFile(c.path("dir1\\file0")), "Success");
        c.ok(!w.deleteFile(c.path("dir1\\file0")), "!Success");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
        c.ok(w.removeDirectory(c.path("dir1")), "Success");
        c.ok(!w.removeDirectory(c.path("dir1")), "!Success");
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    private static void streamsUnderDir1(CaseContext c) {
        c.ok(c.w().createDirectory(c.path("dir1"), null), "Success");
        okOpen(c, "dir1:foo1", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "dir1\\file0", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        okOpen(c, "dir1\\file0:foo0", CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
    }

    /** While a file or directory is delete-pending, its streams refuse opens with ERROR_ACCESS_DENIED. */
    static void streamDeletePendingTest(CaseContext c) {
        Win32Facade w = c.w();
        streamsUnderDir1(c);
        c.ok(!w.removeDirectory(c.path("dir1")), "!Success");
        c.lastError(ERROR_DIR_NOT_EMPTY, "ERROR_DIR_NOT_EMPTY");
        String[][] pairs = {{"dir1\\file0", "dir1\\file0:foo0", "0"}, {"dir1", "dir1:foo1", "1"}};
        for (String[] p : pairs) {
            boolean dir = p[2].equals("1");
            Handle h = w.createFile(c.path(p[0]), DELETE, FILE_SHARE_DELETE, OPEN_EXISTING,
                    dir ? FILE_FLAG_BACKUP_SEMANTICS : 0);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            c.ok(w.setDisposition(h, true), "Success");
            Handle s = w.createFile(c.path(p[1]), FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, 0);
            c.ok(s == null, "INVALID_HANDLE_VALUE == StreamHandle");
            c.lastError(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED");
            w.closeHandle(h);
            boolean gone = dir ? !w.removeDirectory(c.path(p[0])) : !w.deleteFile(c.path(p[0]));
            c.ok(gone, "!Success");
            c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
        }
    }

    private static void ownerGroupThenDacl(CaseContext c, Handle h) {
        Win32Facade w = c.w();
        int og = OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION;
        c.ok(w.getSecurityLength(h, og) > 0, "!Success");
        c.lastError(ERROR_INSUFFICIENT_BUFFER, "ERROR_INSUFFICIENT_BUFFER");
        SecurityDescriptor sd = w.getSecurity(h, og);
        c.ok(sd != null && sd.owner() != null && sd.group() != null && !sd.daclPresent(),
                "0 != Owner && 0 != Group && !DaclPresent");
        c.ok(w.getSecurityLength(h, DACL_SECURITY_INFORMATION) > 0, "!Success");
        c.lastError(ERROR_INSUFFICIENT_BUFFER, "ERROR_INSUFFICIENT_BUFFER");
        sd = w.getSecurity(h, DACL_SECURITY_INFORMATION);
        c.ok(sd != null && sd.owner() == null && sd.group() == null && sd.daclPresent() && sd.dacl() != null,
                "0 == Owner && 0 == Group && DaclPresent && 0 != Dacl");
    }

    /** The descriptor parts read through the file and through its stream. */
    static void streamGetsecurityTest(CaseContext c) {
        Win32Facade w = c.w();
        Handle h = w.createFile(c.path("file0:foo"), RW, SHARE_RW, CreateCases.sddl("D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;WD)"),
                CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        for (String rel : new String[] {"file0", "file0:foo"}) {
            h = open(c, rel, OPEN_EXISTING, 0);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle /* " + rel + " */");
            ownerGroupThenDacl(c, h);
            w.closeHandle(h);
        }
        c.ok(w.deleteFile(c.path("file0")), "Success");
    }

    /** A DACL set through the stream is the file's: "D:P(A;;FA;;;SY)(A;;FA;;;BA)" with owner and group kept. */
    static void streamSetsecurityTest(CaseContext c) {
        Win32Facade w = c.w();
        int shareAll = SHARE_RW | FILE_SHARE_DELETE;
        Handle s = w.createFile(c.path("file0:foo"), RW | WRITE_DAC, shareAll,
                CreateCases.sddl("D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;WD)"), CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(s != null, "INVALID_HANDLE_VALUE != StreamHandle");
        Handle h = w.createFile(c.path("file0"), RW, shareAll, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        int info = OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
        SecurityDescriptor sd1 = w.getSecurity(h, info);
        c.ok(sd1 != null && sd1.owner() != null && sd1.group() != null && sd1.daclPresent(), "Success");
        c.ok(w.setSecurity(s, DACL_SECURITY_INFORMATION, SecurityDescriptor.fromSddl("D:P(A;;GA;;;SY)(A;;GA;;;BA)")),
                "Success /* SetKernelObjectSecurity(StreamHandle) */");
        SecurityDescriptor sd2 = w.getSecurity(h, info);
        c.ok(sd2 != null && sd2.owner() != null && sd2.group() != null && sd2.daclPresent(), "Success");
        c.ok(sd1.owner().equals(sd2.owner()), "EqualSid(Owner, Owner2)");
        c.ok(sd1.group().equals(sd2.group()), "EqualSid(Group, Group2)");
        c.ok(SecurityDescriptor.fromSddl("D:P(A;;FA;;;SY)(A;;FA;;;BA)").dacl().equals(sd2.dacl())
                        && (sd2.control() & SecurityDescriptor.SE_DACL_PROTECTED) != 0,
                "0 == wcscmp(L\"D:P(A;;FA;;;SY)(A;;FA;;;BA)\", ConvertedSddl) /* was " + SecurityCases.sddlOf(sd2) + " */");
        w.closeHandle(s);
        w.closeHandle(h);
    }

    private static long streamNumbers(CaseContext c, List<String> names, boolean mainFirst, int expectCount) {
        int count = 0;
        long total = 0;
        for (String n : names) {
            if (mainFirst && count < 1) {
                count++;
                c.ok("::$DATA".equals(n), "0 == wcscmp(FindData.cStreamName, L\"::$DATA\")");
                continue;
            }
            c.ok(n.startsWith(":s"), "0 == mywcscmp(FindData.cStreamName, 2, L\":s\", 2)");
            String digits = n.substring(2, n.indexOf(':', 2) < 0 ? n.length() : n.indexOf(':', 2));
            c.ok(n.indexOf(':', 2) > 0, "L':' == *endp");
            long ul = Long.parseLong(digits);
            c.ok(0 != ul, "0 != ul");
            count++;
            total += ul;
        }
        c.ok(expectCount == count, expectCount + " == FileCount");
        return total;
    }

    /**
     * FindFirstStreamW: "::$DATA" alone for a plain file, then 100 ":sN:$DATA" streams on a file
     * (also when opened through one of them) and on a directory (no "::$DATA" there); a directory
     * without streams gives ERROR_HANDLE_EOF.
     */
    static void streamGetstreaminfoTest(CaseContext c) {
        Win32Facade w = c.w();
        for (int i = 1; i <= 10; i++) {
            Handle h = w.createFile(c.path("file" + i), GENERIC_ALL, 0, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL);
            c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
            c.ok(w.closeHandle(h), "Success");
        }
        for (int i = 1; i <= 10; i++) {
            c.ok(w.createDirectory(c.path("dir" + i), null), "Success");
        }
        for (String base : new String[] {"file5", "dir5"}) {
            for (int j = 1; j <= 100; j++) {
                Handle h = w.createFile(c.path(base + ":s" + j), GENERIC_ALL, 0, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL);
                c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
                c.ok(w.closeHandle(h), "Success");
            }
        }
        List<String> s = w.findStreams(c.path("file1"));
        c.ok(s != null && !s.isEmpty() && "::$DATA".equals(s.get(0)), "0 == wcscmp(FindData.cStreamName, L\"::$DATA\")");
        c.ok(s.size() == 1, "!Success /* FindNextStreamW: ERROR_HANDLE_EOF */");
        for (String p : new String[] {"file5", "file5:s50"}) {
            s = w.findStreams(c.path(p));
            c.ok(s != null, "INVALID_HANDLE_VALUE != Handle /* " + p + " */");
            c.ok(101 * 100 / 2 == streamNumbers(c, s, true, 101), "101 * 100 / 2 == FileTotal");
        }
        s = w.findStreams(c.path("dir1"));
        c.ok(s == null, "INVALID_HANDLE_VALUE == Handle /* dir1 */");
        c.lastError(ERROR_HANDLE_EOF, "ERROR_HANDLE_EOF");
        s = w.findStreams(c.path("dir5"));
        c.ok(s != null, "INVALID_HANDLE_VALUE != Handle /* dir5 */");
        c.ok(101 * 100 / 2 == streamNumbers(c, s, false, 100), "101 * 100 / 2 == FileTotal");
        for (int i = 1; i <= 10; i++) {
            c.ok(w.deleteFile(c.path("file" + i)), "Success");
        }
        for (int i = 1; i <= 10; i++) {
            c.ok(w.removeDirectory(c.path("dir" + i)), "Success");
        }
    }
}
