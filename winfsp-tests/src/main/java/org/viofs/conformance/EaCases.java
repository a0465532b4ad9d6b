package org.viofs.conformance;

import static org.viofs.conformance.ConformanceCase.Availability.OPTIONAL;
import static org.viofs.conformance.Win32.*;

import java.util.List;

import org.viofs.conformance.EaBuffers.FullEa;
import org.viofs.conformance.Win32Structs.IoStatusBlock;
import org.viofs.volume.CreateOptions;
import org.viofs.volume.Ea;
import org.viofs.volume.NtStatus;

/**
 * The cases of {@code ea-test.c}: EAs given at create (NtCreateFile's EaBuffer), on overwrite,
 * and by NtSetEaFile, each read back through every NtQueryEaFile mode (EaList, index, cursor,
 * single entry, restart, short buffers). All three are optional (TEST_OPT) and, under
 * {@code --external}, run only their NtfsTests variant ({@code *_dotest(-1, DirBuf, 0)}) in the
 * test directory; the memfs variants (disk and net, FileInfoTimeout 0 and 1000) do not exist
 * there. {@code OptFuseExternal} is false for a WinFsp-native volume, so the FILE_NEED_EA checks
 * (flags read back, FILE_NO_EA_KNOWLEDGE refused) are part of the case.
 */
final class EaCases {
    private EaCases() {
    }

    static final String FILE = "ea-test.c";
    private static final int ACCESS = FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE;
    /** The upstream output buffer: {@code union { FILE_FULL_EA_INFORMATION V; UINT8 B[512]; } Ea}. */
    private static final int EA_BUFFER = 512;

    static List<ConformanceCase> cases() {
        return List.of(
                ConformanceCase.portable("ea_create_test", FILE, OPTIONAL, EaCases::eaCreateTest),
                ConformanceCase.portable("ea_overwrite_test", FILE, OPTIONAL, EaCases::eaOverwriteTest),
                ConformanceCase.portable("ea_getset_test", FILE, OPTIONAL, EaCases::eaGetsetTest));
    }

    // ------------------------------------------------------------------ the upstream EA sets

    /** ea_init_ea: Aname1=first, bnameTwo=second with FILE_NEED_EA, Cn3=third. */
    static byte[] initEa() {
        return EaBuffers.full(List.of(FullEa.of("Aname1", 0, "first"), FullEa.of("bnameTwo", Ea.FILE_NEED_EA, "second"),
                FullEa.of("Cn3", 0, "third")));
    }

    /** ea_init_bad_ea: as ea_init_ea with the second name "bnameTwo*" (a wildcard: invalid). */
    static byte[] initBadEa() {
        return EaBuffers.full(List.of(FullEa.of("Aname1", 0, "first"), FullEa.of("bnameTwo*", Ea.FILE_NEED_EA, "second"),
                FullEa.of("Cn3", 0, "third")));
    }

    /** ea_init_ea2: new values for Aname1 and bnameTwo (flags 0), Cn3 with no value (deleted), dn4 added. */
    static byte[] initEa2() {
        return EaBuffers.full(List.of(FullEa.of("Aname1", 0, "ValueForAname1"),
                FullEa.of("bnameTwo", 0, "ValueForBNameTwo"), FullEa.of("Cn3", 0, ""),
                FullEa.of("dn4", 0, "ValueForDn4")));
    }

    /** struct ea_check_ea_context. */
    private static final class Context {
        int count;
        final int[] eaCount = new int[4];
    }

    /** One expected entry of an enumeration: its (upper-case) name, flags and value. */
    private record Expected(String name, int flags, String flagsText, String value) {
    }

    private static final List<Expected> EA1 = List.of(new Expected("ANAME1", 0, "0", "first"),
            new Expected("BNAMETWO", Ea.FILE_NEED_EA, "FILE_NEED_EA", "second"),
            new Expected("CN3", 0, "0", "third"), new Expected("NONEXISTENT", 0, "0", null));
    private static final List<Expected> EA2 = List.of(new Expected("ANAME1", 0, "0", "ValueForAname1"),
            new Expected("BNAMETWO", 0, "0", "ValueForBNameTwo"), new Expected("CN3", 0, "0", ""),
            new Expected("DN4", 0, "0", "ValueForDn4"));

    /**
     * FspFileSystemEnumerateEa over the first {@code information} bytes with ea_check_ea_enumerate
     * (or ea_check_ea2_enumerate): each entry named like an expected one has its flags, lengths
     * and value checked and is counted. Returns STATUS_SUCCESS, or EA_LIST_INCONSISTENT when the
     * bytes are not a walkable list.
     */
    private static int enumerate(CaseContext c, byte[] buffer, int information, List<Expected> expected, Context ctx) {
        if (information == 0) {
            return NtStatus.SUCCESS;
        }
        if (!EaBuffers.checkFull(buffer, information).ok()) {
            return NtStatus.EA_LIST_INCONSISTENT;
        }
        for (FullEa e : EaBuffers.parseFull(buffer, information)) {
            for (int i = 0; i < expected.size(); i++) {
                Expected x = expected.get(i);
                if (!x.name().equals(e.nameString())) {
                    continue;
                }
                c.ok(x.flags() == e.flags(), x.flagsText() + " == SingleEa->Flags");
                c.ok(e.name().length == x.name().length(),
                        "SingleEa->EaNameLength == (UCHAR)strlen(\"" + x.name() + "\")");
                if (x.value() == null || x.value().isEmpty()) {
                    c.ok(e.value().length == 0, "SingleEa->EaValueLength == 0");
                } else {
                    c.ok(e.value().length == x.value().length(),
                            "SingleEa->EaValueLength == (UCHAR)strlen(\"" + x.value() + "\")");
                    c.ok(x.value().equals(new String(e.value(), java.nio.charset.StandardCharsets.ISO_8859_1)),
                            "0 == memcmp(SingleEa->EaName + SingleEa->EaNameLength + 1, \"" + x.value()
                                    + "\", SingleEa->EaValueLength)");
                }
                ctx.eaCount[i]++;
            }
            ctx.count++;
        }
        return NtStatus.SUCCESS;
    }

    /** ASSERT(n == Context.Count) and ASSERT(k == Context.EaCount[i]) for i = 0..3. */
    private static void counts(CaseContext c, Context ctx, int count, int... eaCount) {
        c.ok(count == ctx.count, count + " == Context.Count");
        for (int i = 0; i < 4; i++) {
            c.ok(eaCount[i] == ctx.eaCount[i], eaCount[i] + " == Context.EaCount[" + i + "]");
        }
    }

    /** NtQueryEaFile then, on the expected status, FspFileSystemEnumerateEa and the counts. */
    private static void queryAndCount(CaseContext c, Handle h, int length, boolean single, byte[] list, Integer index,
                                      boolean restart, int status, String statusText, List<Expected> expected,
                                      int count, int... eaCount) {
        byte[] ea = new byte[EA_BUFFER];
        IoStatusBlock iosb = c.w().ntQueryEaFile(h, ea, length, single, list, list == null ? 0 : list.length, index,
                restart);
        c.ok(status == iosb.status(), statusText + " == Result");
        Context ctx = new Context();
        int result = enumerate(c, ea, iosb.information(), expected, ctx);
        c.ok(NtStatus.SUCCESS == result, "STATUS_SUCCESS == Result");
        counts(c, ctx, count, eaCount);
    }

    private static IoStatusBlock query(CaseContext c, Handle h, int length, boolean single, byte[] list, Integer index,
                                       boolean restart) {
        return c.w().ntQueryEaFile(h, new byte[EA_BUFFER], length, single, list, list == null ? 0 : list.length,
                index, restart);
    }

    private static void status(CaseContext c, IoStatusBlock iosb, int status, String text) {
        c.ok(status == iosb.status(), text + " == Result");
    }

    /** FIELD_OFFSET(FILE_FULL_EA_INFORMATION, EaName) + strlen(name) + 1 + valueLength. */
    private static int size(String name, int valueLength) {
        return EaBuffers.fullEntrySize(name.length(), valueLength);
    }

    /** ea_check_ea: the file has exactly ea_init_ea's three EAs, asked every way. */
    static void checkEa(CaseContext c, Handle h) {
        byte[] list = EaBuffers.get(List.of("bnameTwo"));
        queryAndCount(c, h, EA_BUFFER, false, list, null, false, NtStatus.SUCCESS, "STATUS_SUCCESS", EA1, 1, 0, 1, 0, 0);
        IoStatusBlock r = query(c, h, size("bnameTwo", 0), false, list, null, false);
        status(c, r, NtStatus.BUFFER_OVERFLOW, "STATUS_BUFFER_OVERFLOW");
        c.ok(0 == r.information(), "0 == Iosb.Information");

        list = EaBuffers.get(List.of("nonexistent"));
        queryAndCount(c, h, EA_BUFFER, false, list, null, false, NtStatus.SUCCESS, "STATUS_SUCCESS", EA1, 1, 0, 0, 0, 1);

        list = EaBuffers.get(List.of("bnameTwo", "nonexistent"));
        queryAndCount(c, h, EA_BUFFER, false, list, null, false, NtStatus.SUCCESS, "STATUS_SUCCESS", EA1, 2, 0, 1, 0, 1);

        list = EaBuffers.get(List.of("Aname1", "bnameTwo"));
        queryAndCount(c, h, EA_BUFFER, false, list, null, false, NtStatus.SUCCESS, "STATUS_SUCCESS", EA1, 2, 1, 1, 0, 0);
        r = query(c, h, size("Aname1", "first".length()), false, list, null, false);
        status(c, r, NtStatus.BUFFER_OVERFLOW, "STATUS_BUFFER_OVERFLOW");
        c.ok(0 == r.information(), "0 == Iosb.Information");

        list = EaBuffers.get(List.of("bnameTwo", "bnameTwo"));
        queryAndCount(c, h, EA_BUFFER, false, list, null, false, NtStatus.SUCCESS, "STATUS_SUCCESS", EA1, 1, 0, 1, 0, 0);

        list = EaBuffers.get(List.of("bnameTwo", "bnameTwo*"));
        status(c, query(c, h, EA_BUFFER, false, list, null, false), NtStatus.INVALID_EA_NAME, "STATUS_INVALID_EA_NAME");

        // the handle's cursor
        queryAndCount(c, h, EA_BUFFER, false, null, null, false, NtStatus.SUCCESS, "STATUS_SUCCESS", EA1, 3, 1, 1, 1, 0);
        status(c, query(c, h, EA_BUFFER, false, null, null, false), NtStatus.NO_MORE_EAS, "STATUS_NO_MORE_EAS");
        queryAndCount(c, h, EA_BUFFER, true, null, null, true, NtStatus.SUCCESS, "STATUS_SUCCESS", EA1, 1, 1, 0, 0, 0);
        queryAndCount(c, h, EA_BUFFER, true, null, null, false, NtStatus.SUCCESS, "STATUS_SUCCESS", EA1, 1, 0, 1, 0, 0);
        status(c, query(c, h, size("Aname1", 0), false, null, null, true), NtStatus.BUFFER_TOO_SMALL,
                "STATUS_BUFFER_TOO_SMALL");
        queryAndCount(c, h, size("Aname1", "first".length()), false, null, null, true, NtStatus.BUFFER_OVERFLOW,
                "STATUS_BUFFER_OVERFLOW", EA1, 1, 1, 0, 0, 0);
        status(c, query(c, h, size("bnameTwo", 0), false, null, null, false), NtStatus.BUFFER_TOO_SMALL,
                "STATUS_BUFFER_TOO_SMALL");
        queryAndCount(c, h, size("bnameTwo", "bnameTwo".length()), false, null, null, false, NtStatus.BUFFER_OVERFLOW,
                "STATUS_BUFFER_OVERFLOW", EA1, 1, 0, 1, 0, 0);
        status(c, query(c, h, size("Cn3", 0), false, null, null, false), NtStatus.BUFFER_TOO_SMALL,
                "STATUS_BUFFER_TOO_SMALL");
        queryAndCount(c, h, size("Cn3", "third".length()), false, null, null, false, NtStatus.SUCCESS, "STATUS_SUCCESS",
                EA1, 1, 0, 0, 1, 0);
        status(c, query(c, h, EA_BUFFER, false, null, null, false), NtStatus.NO_MORE_EAS, "STATUS_NO_MORE_EAS");

        // an explicit EaIndex
        status(c, query(c, h, EA_BUFFER, false, null, 0, false), NtStatus.NONEXISTENT_EA_ENTRY,
                "STATUS_NONEXISTENT_EA_ENTRY");
        status(c, query(c, h, size("Aname1", 0), false, null, 1, false), NtStatus.BUFFER_TOO_SMALL,
                "STATUS_BUFFER_TOO_SMALL");
        queryAndCount(c, h, size("Aname1", "first".length()), false, null, 1, false, NtStatus.BUFFER_OVERFLOW,
                "STATUS_BUFFER_OVERFLOW", EA1, 1, 1, 0, 0, 0);
        status(c, query(c, h, size("bnameTwo", 0), false, null, 2, false), NtStatus.BUFFER_TOO_SMALL,
                "STATUS_BUFFER_TOO_SMALL");
        queryAndCount(c, h, size("bnameTwo", "bnameTwo".length()), false, null, 2, false, NtStatus.BUFFER_OVERFLOW,
                "STATUS_BUFFER_OVERFLOW", EA1, 1, 0, 1, 0, 0);
        status(c, query(c, h, size("Cn3", 0), false, null, 3, false), NtStatus.BUFFER_TOO_SMALL,
                "STATUS_BUFFER_TOO_SMALL");
        queryAndCount(c, h, size("Cn3", "third".length()), false, null, 3, false, NtStatus.SUCCESS, "STATUS_SUCCESS",
                EA1, 1, 0, 0, 1, 0);
        status(c, query(c, h, EA_BUFFER, false, null, 4, false), NtStatus.NO_MORE_EAS, "STATUS_NO_MORE_EAS");
        status(c, query(c, h, EA_BUFFER, false, null, 5, false), NtStatus.NONEXISTENT_EA_ENTRY,
                "STATUS_NONEXISTENT_EA_ENTRY");
    }

    /** ea_check_ea2: after ea_init_ea2 the file has ANAME1, BNAMETWO and DN4 (CN3 was deleted). */
    static void checkEa2(CaseContext c, Handle h) {
        queryAndCount(c, h, EA_BUFFER, false, null, null, true, NtStatus.SUCCESS, "STATUS_SUCCESS", EA2, 3, 1, 1, 0, 1);
    }

    // ------------------------------------------------------------------ the cases

    /** dir1 opened delete-on-close, as each dotest starts; its handle. */
    private static Handle openDir1(CaseContext c) {
        Win32Facade w = c.w();
        c.ok(w.createDirectory(c.path("dir1"), null), "Success");
        Handle dir = w.createFile(c.path("dir1"), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(dir != null, "INVALID_HANDLE_VALUE != DirHandle");
        return dir;
    }

    /** Each dotest ends by checking that the delete-on-close object is gone. */
    private static void gone(CaseContext c, String path, String handleName) {
        Handle h = c.w().createFile(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h == null, "INVALID_HANDLE_VALUE == " + handleName);
        c.lastError(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND");
    }

    /** NtCreateFile(dir1\file2 relative to DirHandle) with an EaBuffer; the FSD joins the names (create.c). */
    private static Handle create(CaseContext c, Handle dir, int disposition, int options, byte[] ea) {
        return c.w().ntCreateFile(dir.name() + "\\file2", ACCESS, 0, null, disposition, options, FILE_ATTRIBUTE_NORMAL,
                0, ea, ea == null ? 0 : ea.length);
    }

    private static void result(CaseContext c, Handle h, int status, String text) {
        boolean ok = status == NtStatus.SUCCESS ? h != null : h == null && c.w().getLastStatus() == status;
        c.ok(ok, text + " == Result");
    }

    /** EAs at create: invalid names and FILE_NO_EA_KNOWLEDGE are refused; FILE_NEED_EA bars later opens without EA knowledge. */
    static void eaCreateTest(CaseContext c) {
        Win32Facade w = c.w();
        Handle dir = openDir1(c);
        Handle file = create(c, dir, CreateOptions.FILE_CREATE, 0, initBadEa());
        result(c, file, NtStatus.INVALID_EA_NAME, "STATUS_INVALID_EA_NAME");
        file = create(c, dir, CreateOptions.FILE_CREATE, FILE_NO_EA_KNOWLEDGE, initEa());
        result(c, file, NtStatus.ACCESS_DENIED, "STATUS_ACCESS_DENIED");
        file = create(c, dir, CreateOptions.FILE_CREATE, 0, initEa());
        result(c, file, NtStatus.SUCCESS, "STATUS_SUCCESS");
        w.closeHandle(file);
        file = create(c, dir, CreateOptions.FILE_OPEN, FILE_NO_EA_KNOWLEDGE, null);
        result(c, file, NtStatus.ACCESS_DENIED, "STATUS_ACCESS_DENIED");
        file = create(c, dir, CreateOptions.FILE_OPEN, CreateOptions.FILE_DELETE_ON_CLOSE, null);
        result(c, file, NtStatus.SUCCESS, "STATUS_SUCCESS");
        checkEa(c, file);
        w.closeHandle(file);
        w.closeHandle(dir);
        gone(c, c.path("dir1"), "DirHandle");
    }

    /** EAs on FILE_OVERWRITE replace the file's EAs. */
    static void eaOverwriteTest(CaseContext c) {
        Win32Facade w = c.w();
        Handle dir = openDir1(c);
        Handle file = create(c, dir, CreateOptions.FILE_CREATE, 0, null);
        result(c, file, NtStatus.SUCCESS, "STATUS_SUCCESS");
        w.closeHandle(file);
        file = create(c, dir, CreateOptions.FILE_OVERWRITE, 0, initEa());
        result(c, file, NtStatus.SUCCESS, "STATUS_SUCCESS");
        checkEa(c, file);
        w.closeHandle(file);
        file = create(c, dir, CreateOptions.FILE_OVERWRITE, CreateOptions.FILE_DELETE_ON_CLOSE, initEa2());
        result(c, file, NtStatus.SUCCESS, "STATUS_SUCCESS");
        checkEa2(c, file);
        w.closeHandle(file);
        w.closeHandle(dir);
        gone(c, c.path("dir1"), "DirHandle");
    }

    /** NtSetEaFile on a directory and on a file; a change under an open enumeration is EA_CORRUPT_ERROR. */
    static void eaGetsetTest(CaseContext c) {
        Win32Facade w = c.w();
        Handle dir = openDir1(c);
        getset(c, dir);
        w.closeHandle(dir);
        gone(c, c.path("dir1"), "DirHandle");

        String file0 = c.path("file0");
        Handle file = w.createFile(file0, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_NEW,
                FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(file != null, "INVALID_HANDLE_VALUE != FileHandle");
        getset(c, file);
        w.closeHandle(file);
        gone(c, file0, "FileHandle");
    }

    private static void getset(CaseContext c, Handle h) {
        Win32Facade w = c.w();
        byte[] bad = initBadEa();
        status(c, w.ntSetEaFile(h, bad, bad.length), NtStatus.INVALID_EA_NAME, "STATUS_INVALID_EA_NAME");
        byte[] ea = initEa();
        IoStatusBlock r = w.ntSetEaFile(h, ea, ea.length);
        status(c, r, NtStatus.SUCCESS, "STATUS_SUCCESS");
        c.ok(0 == r.information(), "0 == Iosb.Information");
        checkEa(c, h);
        byte[] ea2 = initEa2();
        r = w.ntSetEaFile(h, ea2, ea2.length);
        status(c, r, NtStatus.SUCCESS, "STATUS_SUCCESS");
        c.ok(0 == r.information(), "0 == Iosb.Information");
        status(c, query(c, h, EA_BUFFER, false, null, null, false), NtStatus.EA_CORRUPT_ERROR, "STATUS_EA_CORRUPT_ERROR");
        checkEa2(c, h);
    }
}
