package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.viofs.conformance.KnownUnsupported.Mode;

/**
 * Every restated case passes over a volume that behaves like memfs: the restatements and the
 * facade's sequences are right before they are pointed at the real volume.
 */
class InMemoryCatalogTest {
    @Test
    void everyPortableCasePassesOverAMemfsLikeVolume() {
        ConformanceSuite suite = new ConformanceSuite(ConformanceCatalog.all(), KnownUnsupported.parse(""),
                Duration.ofSeconds(30));
        ConformanceSuite.ModeReport r = suite.run(Mode.XATTR, new InMemoryVolume(true),
                FacadeOptions.defaults().withCaseSensitive(false), "\\run", null);
        List<String> failed = r.results().stream().filter(c -> c.outcome() == Outcome.FAIL)
                .map(c -> c.name() + ": " + c.reason()).toList();
        // the volume contract has no EA slots, so the EA cases fail whatever the volume does
        assertEquals(List.of("ea_create_test", "ea_overwrite_test", "ea_getset_test"),
                failed.stream().map(f -> f.substring(0, f.indexOf(':'))).toList(), failed.toString());
        assertEquals(ConformanceCatalog.all().stream().filter(c -> !c.isPortable()).count(),
                (long) r.totals().get(Outcome.NOT_PORTABLE));
    }
}
