package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.viofs.conformance.KnownUnsupported.Mode;

/**
 * Every restated case passes over a volume that behaves like memfs: the restatements and the
 * facade's sequences are right before they are pointed at the real volume.
 */
class InMemoryCatalogTest {
    private static final List<String> EA_CASES = List.of("ea_create_test", "ea_overwrite_test", "ea_getset_test");

    @Test
    void everyPortableCasePassesOverAMemfsLikeVolume() {
        ConformanceSuite suite = new ConformanceSuite(ConformanceCatalog.all(), KnownUnsupported.parse(""),
                Duration.ofSeconds(30));
        ConformanceSuite.ModeReport r = suite.run(Mode.XATTR, new InMemoryVolume(true, true),
                FacadeOptions.builder().caseSensitive(false).build(), "\\run", null);
        List<String> failed = r.results().stream().filter(c -> c.outcome() == Outcome.FAIL)
                .map(c -> c.name() + ": " + c.reason()).toList();
        assertEquals(List.of(), failed);
        assertEquals(ConformanceCatalog.all().stream().filter(c -> !c.isPortable()).count(),
                (long) r.totals().get(Outcome.NOT_PORTABLE));
        for (String ea : EA_CASES) {
            assertEquals(Outcome.PASS, outcomes(r).get(ea), ea);
        }
    }

    @Test
    void withoutEasTheEaCasesFailAtTheirFirstEaCallAndTheShippedRegistryKnowsIt() {
        List<ConformanceCase> cases = ConformanceCatalog.all().stream().filter(c -> EA_CASES.contains(c.name()))
                .toList();
        // a volume like FuseVolume without -o xattr: supportsEas() false
        ConformanceSuite.ModeReport bare = new ConformanceSuite(cases, KnownUnsupported.parse(""), Duration.ofSeconds(30))
                .run(Mode.PLAIN, new InMemoryVolume(true, false), FacadeOptions.builder().caseSensitive(false).build(),
                        "\\run", null);
        Map<String, String> reasons = bare.results().stream()
                .collect(Collectors.toMap(CaseResult::name, c -> c.outcome() + " " + c.reason()));
        // the FSD refuses an EaBuffer without ExtendedAttributes, before it could check the names
        assertEquals("FAIL ASSERT(STATUS_INVALID_EA_NAME == Result) failed (err=0xC000004F:282) [STATUS_EAS_NOT_SUPPORTED]",
                reasons.get("ea_create_test"));
        // a plain create then an overwrite with an EaBuffer
        assertEquals("FAIL ASSERT(STATUS_SUCCESS == Result) failed (err=0xC000004F:282) [STATUS_EAS_NOT_SUPPORTED]",
                reasons.get("ea_overwrite_test"));
        // NtSetEaFile reaches an FSD that has no EA support at all
        assertTrue(reasons.get("ea_getset_test").startsWith(
                "FAIL ASSERT(STATUS_INVALID_EA_NAME == Result) failed (err=0xC0000010:1)"), reasons.get("ea_getset_test"));

        ConformanceSuite shipped = new ConformanceSuite(cases, KnownUnsupported.load(), Duration.ofSeconds(30));
        ConformanceSuite.ModeReport plain = shipped.run(Mode.PLAIN, new InMemoryVolume(true, false),
                FacadeOptions.builder().caseSensitive(false).build(), "\\run", null);
        ConformanceSuite.ModeReport xattr = shipped.run(Mode.XATTR, new InMemoryVolume(true, false),
                FacadeOptions.builder().caseSensitive(false).build(), "\\run", null);
        for (String ea : EA_CASES) {
            assertEquals(Outcome.KNOWN_UNSUPPORTED, outcomes(plain).get(ea), ea);
            // in xattr mode the registry no longer excuses a volume without EAs
            assertEquals(Outcome.FAIL, outcomes(xattr).get(ea), ea);
        }
    }

    private static Map<String, Outcome> outcomes(ConformanceSuite.ModeReport r) {
        return r.results().stream().collect(Collectors.toMap(CaseResult::name, CaseResult::outcome));
    }
}
