package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.viofs.conformance.KnownUnsupported.Mode;

/** The registry's format, lookups, strict judging, and the shipped file's consistency with the catalog. */
class KnownUnsupportedTest {
    private static final KnownUnsupported R = KnownUnsupported.parse("""
            # comment
            create_fileattr_test\tplain+xattr\tSYSTEM is not stored

            stream_*\tplain\tno streams
            """);

    @Test
    void entriesMatchByNameOrPrefixAndMode() {
        assertEquals("SYSTEM is not stored", R.lookup("create_fileattr_test", Mode.XATTR).orElseThrow().reason());
        assertTrue(R.lookup("stream_create_test", Mode.PLAIN).isPresent());
        assertFalse(R.lookup("stream_create_test", Mode.XATTR).isPresent());
        assertFalse(R.lookup("create_test", Mode.PLAIN).isPresent());
        assertEquals(List.of("create_fileattr_test", "stream_*"), R.patterns(Mode.PLAIN));
        assertEquals(4, R.lookup("stream_x", Mode.PLAIN).orElseThrow().line());
    }

    @Test
    void malformedLinesAreRefusedWithTheirNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KnownUnsupported.parse("ok_test\tplain\tfine\nbad line without tabs\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KnownUnsupported.parse("x_test\twindows\treason\n"));
        assertThrows(IllegalArgumentException.class, () -> KnownUnsupported.parse("Bad-Name\tplain\treason\n"));
        assertThrows(IllegalArgumentException.class, () -> KnownUnsupported.parse("x_test\tplain\t \n"));
    }

    @Test
    void judgingIsStrictBothWays() {
        ConformanceSuite s = new ConformanceSuite(List.of(), R, Duration.ofSeconds(1));
        assertEquals(Outcome.PASS, s.judge("create_test", Mode.PLAIN, null, 1).outcome());
        assertEquals(Outcome.FAIL, s.judge("create_test", Mode.PLAIN, "ASSERT(x) failed", 1).outcome());
        CaseResult known = s.judge("create_fileattr_test", Mode.PLAIN, "ASSERT(x) failed", 1);
        assertEquals(Outcome.KNOWN_UNSUPPORTED, known.outcome());
        assertTrue(known.reason().startsWith("SYSTEM is not stored"));
        CaseResult stale = s.judge("create_fileattr_test", Mode.PLAIN, null, 1);
        assertEquals(Outcome.FAIL, stale.outcome());
        assertTrue(stale.reason().contains("remove the entry"));
        assertEquals(Outcome.FAIL, s.judge("stream_x_test", Mode.XATTR, "ASSERT(x) failed", 1).outcome());
    }

    @Test
    void theShippedRegistryParsesAndNamesOnlyRunnableCases() {
        KnownUnsupported shipped = KnownUnsupported.load();
        assertFalse(shipped.entries().isEmpty());
        Set<String> portable = new HashSet<>();
        ConformanceCatalog.all().stream().filter(ConformanceCase::isPortable).forEach(c -> portable.add(c.name()));
        for (KnownUnsupported.Entry e : shipped.entries()) {
            assertTrue(portable.stream().anyMatch(e::matches), "entry matches no runnable case: " + e);
            assertFalse(e.reason().isBlank());
        }
    }
}
