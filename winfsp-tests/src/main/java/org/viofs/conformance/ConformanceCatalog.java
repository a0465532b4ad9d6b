package org.viofs.conformance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every winfsp-tests case that runs under {@code --external} (docs/winfsp-native.md §4.2: Y, Y*, C and
 * OPT), in registration order (create, info, security, rdwr, flush, lock, dirctl, exec, reparse, ea,
 * stream, oplock, wsl): 78 regular and 16 optional, each restated or NOT_PORTABLE with its reason.
 */
public final class ConformanceCatalog {
    private ConformanceCatalog() {
    }

    /** The number of cases §4.2 lists as Y, Y*, C or OPT. */
    public static final int EXTERNAL_CASES = 94;

    public static List<ConformanceCase> all() {
        List<ConformanceCase> all = new ArrayList<>();
        all.addAll(CreateCases.cases());
        all.addAll(InfoCases.cases());
        all.addAll(SecurityCases.cases());
        all.addAll(RdwrCases.rdwrCases());
        all.addAll(RdwrCases.flushCases());
        all.addAll(RdwrCases.lockCases());
        all.addAll(DirctlCases.cases());
        all.addAll(OtherCases.execCases());
        all.addAll(ReparseCases.cases());
        all.addAll(EaCases.cases());
        all.addAll(StreamCases.cases());
        all.addAll(OtherCases.oplockCases());
        all.addAll(OtherCases.wslCases());
        Set<String> names = new HashSet<>();
        for (ConformanceCase c : all) {
            if (!names.add(c.name())) {
                throw new IllegalStateException("duplicate case " + c.name());
            }
        }
        return List.copyOf(all);
    }
}
