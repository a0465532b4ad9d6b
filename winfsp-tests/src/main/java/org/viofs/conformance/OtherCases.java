package org.viofs.conformance;

import static org.viofs.conformance.ConformanceCase.Availability.CONDITIONAL;
import static org.viofs.conformance.ConformanceCase.Availability.OPTIONAL;
import static org.viofs.conformance.ConformanceCase.Availability.REGULAR;

import java.util.ArrayList;
import java.util.List;

/**
 * The cases of {@code exec-test.c}, {@code oplock-test.c} and {@code wsl-test.c}: execution, oplocks
 * and the WSL information classes need the Windows kernel. ({@code ea-test.c} is {@link EaCases}.)
 */
final class OtherCases {
    private OtherCases() {
    }

    static final String EXEC = "exec-test.c";
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
}
