package org.viofs.conformance;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchRunIT {
    @Test
    void run(@TempDir Path dir) throws Exception {
        for (KnownUnsupported.Mode m : KnownUnsupported.Mode.values()) {
            Path d = dir.resolve(m.label());
            java.nio.file.Files.createDirectories(d);
            try (ConformanceTarget t = ConformanceTarget.startOwn(m, d)) {
                long s = System.nanoTime();
                ConformanceSuite.ModeReport r = new ConformanceSuite(ConformanceCatalog.all(), KnownUnsupported.parse(""),
                        ConformanceSuite.DEFAULT_CASE_TIMEOUT).run(m, t.volume(), t.options(), "\\run", null);
                System.out.println("MODE " + m + " " + (System.nanoTime() - s) / 1_000_000 + " ms " + r.totals());
                for (CaseResult c : r.results()) {
                    System.out.println(c.name() + " " + c.outcome() + " " + c.millis() + "ms " + (c.reason() == null ? "" : c.reason()));
                }
            }
        }
    }
}
