package org.viofs.conformance;

import static org.viofs.conformance.ConformanceCase.Availability.CONDITIONAL;
import static org.viofs.conformance.ConformanceCase.Availability.OPTIONAL;
import static org.viofs.conformance.ConformanceCase.Availability.REGULAR;
import static org.viofs.conformance.Win32.*;

import java.util.ArrayList;
import java.util.List;

import org.viofs.conformance.Win32Facade.Handle;

/**
 * The cases of {@code exec-test.c}, {@code ea-test.c}, {@code oplock-test.c} and {@code wsl-test.c}.
 * Execution, oplocks and the WSL information classes need the Windows kernel; extended attributes
 * are restated, and fail because the volume contract has no GetEa/SetEa slots.
 */
final class OtherCases {
    private OtherCases() {
    }

    static final String EXEC = "exec-test.c";
    static final String EA = "ea-test.c";
    static final String OPLOCK = "oplock-test.c";
    static final String WSL = "wsl-test.c";
    static final String EXECUTION = "runs an executable from the volume (CreateProcess, image sections), "
            + "which needs the Windows loader and memory manager";
    static final String OPLOCKS = "opportunistic locks are granted and broken by the FSD (FsRtl oplock package) "
            + "in the Windows kernel; the volume is never asked";

    static List<ConformanceCase> execCases() {
        return List.of(
                ConformanceCase.notPortable("exec_test", EXEC, REGULAR, EXECUTION),
                ConformanceCase.notPortable("exec_delete_test", EXEC, REGULAR, EXECUTION),
                ConformanceCase.notPortable("exec_rename_test", EXEC, CONDITIONAL, EXECUTION),
                ConformanceCase.notPortable("exec_rename_dir_test", EXEC, CONDITIONAL, EXECUTION));
    }

    static List<ConformanceCase> eaCases() {
        return List.of(
                ConformanceCase.portable("ea_create_test", EA, OPTIONAL, c -> eaTest(c, "create")),
                ConformanceCase.portable("ea_overwrite_test", EA, OPTIONAL, c -> eaTest(c, "overwrite")),
                ConformanceCase.portable("ea_getset_test", EA, OPTIONAL, c -> eaTest(c, "getset")));
    }

    static List<ConformanceCase> oplockCases() {
        List<ConformanceCase> l = new ArrayList<>();
        for (String n : new String[] {"level1", "level2", "batch", "filter", "rwh", "rw", "rh", "r", "not_granted"}) {
            l.add(ConformanceCase.notPortable("oplock_" + n + "_test", OPLOCK, OPTIONAL, OPLOCKS));
        }
        return l;
    }

    static List<ConformanceCase> wslCases() {
        return List.of(ConformanceCase.notPortable("wsl_stat_test", WSL, OPTIONAL,
                "FileStatInformation/FileStatLxInformation (classes 68/70) are composed by the FSD from its "
                        + "file information and the $LX* extended attributes; no volume callback answers them"));
    }

    /**
     * The extended-attribute cases create a file (with EAs at create, on overwrite, or by
     * NtSetEaFile) and read the EAs back. The facade has EA calls only as far as the volume contract
     * goes: VolumeOperations has no GetEa/SetEa/CreateEx/OverwriteEx with EAs (slots 27–30), so
     * the FSD would answer STATUS_EAS_NOT_SUPPORTED for a volume without the ExtendedAttributes flag.
     */
    static void eaTest(CaseContext c, String variant) {
        Win32Facade w = c.w();
        Handle h = w.createFile(c.path("file0"), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        boolean ok = w.setEa(h, "name1", new byte[] {1, 2, 3});
        w.closeHandle(h);
        c.ok(ok, "STATUS_SUCCESS == Result /* NtSetEaFile or EaBuffer at " + variant + " */");
    }
}
