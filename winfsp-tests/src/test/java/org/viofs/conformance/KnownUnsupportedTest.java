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
    private static final String SYSTEM_FAILURE =
            "ASSERT((FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_SYSTEM) == FileAttributes) failed (err=0x00000000:0)";
    private static final KnownUnsupported R = KnownUnsupported.parse("""
            # comment
            create_fileattr_test\tplain+xattr\t%s\tSYSTEM is not stored

            stream_create_test\tplain\tASSERT(INVALID_HANDLE_VALUE != Handle) failed (err=0xC0000033:123)\tno streams
            stream_dirnotify_test\tplain\thang\tno streams
            """.formatted(SYSTEM_FAILURE));

    @Test
    void entriesNameOneCaseForItsModes() {
        assertEquals("SYSTEM is not stored", R.lookup("create_fileattr_test", Mode.XATTR).orElseThrow().reason());
        assertTrue(R.lookup("stream_create_test", Mode.PLAIN).isPresent());
        assertFalse(R.lookup("stream_create_test", Mode.XATTR).isPresent());
        assertFalse(R.lookup("stream_create_overwrite_test", Mode.PLAIN).isPresent(), "no prefixes");
        assertFalse(R.lookup("create_test", Mode.PLAIN).isPresent());
        assertEquals(List.of("create_fileattr_test", "stream_create_test", "stream_dirnotify_test"), R.cases(Mode.PLAIN));
        assertEquals(4, R.lookup("stream_create_test", Mode.PLAIN).orElseThrow().line());
    }

    @Test
    void malformedLinesAreRefusedWithTheirNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KnownUnsupported.parse("ok_test\tplain\thang\tfine\nbad line without tabs\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KnownUnsupported.parse("x_test\twindows\thang\treason\n"));
        assertThrows(IllegalArgumentException.class, () -> KnownUnsupported.parse("Bad-Name\tplain\thang\treason\n"));
        assertThrows(IllegalArgumentException.class, () -> KnownUnsupported.parse("x_test\tplain\thang\t \n"));
        // the old three-field form and prefixes are gone
        assertThrows(IllegalArgumentException.class, () -> KnownUnsupported.parse("x_test\tplain\treason\n"));
        IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class,
                () -> KnownUnsupported.parse("stream_*\tplain\thang\tno streams\n"));
        assertTrue(prefix.getMessage().contains("no patterns"), prefix.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KnownUnsupported.parse("x_test\tplain\tit breaks\treason\n"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> KnownUnsupported.parse("x_test\tplain\thang\ta\nx_test\tplain+xattr\thang\tb\n"));
        assertTrue(twice.getMessage().contains("line 2") && twice.getMessage().contains("line 1"), twice.getMessage());
    }

    @Test
    void judgingIsStrictAllWays() {
        ConformanceSuite s = new ConformanceSuite(List.of(), R, Duration.ofSeconds(1));
        assertEquals(Outcome.PASS, s.judge("create_test", Mode.PLAIN, null, 1).outcome());
        assertEquals(Outcome.FAIL, s.judge("create_test", Mode.PLAIN, "ASSERT(x) failed", 1).outcome());
        CaseResult known = s.judge("create_fileattr_test", Mode.PLAIN, SYSTEM_FAILURE + " [STATUS_SUCCESS]", 1);
        assertEquals(Outcome.KNOWN_UNSUPPORTED, known.outcome());
        assertEquals("SYSTEM is not stored — " + SYSTEM_FAILURE + " [STATUS_SUCCESS]", known.reason());
        CaseResult stale = s.judge("create_fileattr_test", Mode.PLAIN, null, 1);
        assertEquals(Outcome.FAIL, stale.outcome());
        assertTrue(stale.reason().contains("remove the entry"));
        // the same assertion with another status behind it is a different failure
        String otherStatus = SYSTEM_FAILURE.replace("err=0x00000000:0", "err=0xC0000022:5");
        CaseResult different = s.judge("create_fileattr_test", Mode.PLAIN, otherStatus, 1);
        assertEquals(Outcome.FAIL, different.outcome());
        assertEquals("fails differently from the registry (line 2 expects " + SYSTEM_FAILURE + "): " + otherStatus,
                different.reason());
        assertEquals(Outcome.FAIL, s.judge("stream_create_test", Mode.XATTR, "ASSERT(x) failed", 1).outcome());
    }

    @Test
    void theWindowsOutputIsComparedByItsAssertionAlone() {
        KnownUnsupported.Entry e = R.lookup("stream_create_test", Mode.PLAIN).orElseThrow();
        assertTrue(e.expects("ASSERT(INVALID_HANDLE_VALUE != Handle) failed at stream-tests.c:40:f (err=c0000033:123)",
                true));
        assertFalse(e.expects("ASSERT(INVALID_HANDLE_VALUE != Handle) failed at stream-tests.c:40:f (err=c0000033:123)",
                false));
        assertFalse(e.expects("ASSERT(Success) failed at stream-tests.c:41:f (err=0:0)", true));
        assertTrue(R.lookup("stream_dirnotify_test", Mode.PLAIN).orElseThrow()
                .expects("hang: no verdict after 120 s", true));
        assertEquals(Outcome.KNOWN_UNSUPPORTED, ConformanceSuite.judge(R, "stream_dirnotify_test", Mode.PLAIN,
                "hang: no verdict after 120 s", 1, true).outcome());
    }

    @Test
    void theShippedRegistryParsesAndNamesOnlyKnownCases() {
        KnownUnsupported shipped = KnownUnsupported.load();
        assertFalse(shipped.entries().isEmpty());
        Set<String> known = new HashSet<>();
        ConformanceCatalog.all().forEach(c -> known.add(c.name()));
        for (KnownUnsupported.Entry e : shipped.entries()) {
            assertTrue(known.contains(e.caseName()), "entry names no case of the catalog: " + e);
            assertFalse(e.reason().isBlank());
        }
    }
}
