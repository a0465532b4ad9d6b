package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.viofs.conformance.WinfspTestsOutput.Parsed;
import org.viofs.conformance.WinfspTestsOutput.TestOutcome;
import org.viofs.conformance.WinfspTestsOutput.Verdict;

/** Parsing of the default output format (docs/winfsp-native.md §4.1), from recorded outputs. */
class WinfspTestsOutputTest {

    @Test
    void okWithSecondsAndTheSummaryIsAPassingCompleteRun() {
        Parsed p = WinfspTestsOutput.parse(Recorded.read("ok.stdout"), "", 0);
        assertEquals(List.of(new TestOutcome("create_test", Verdict.OK, 0.01, null)), p.tests());
        assertTrue(p.complete());
    }

    @Test
    void koCarriesItsAssertLineAndTheAbortLeavesNoSummary() {
        Parsed p = WinfspTestsOutput.parse(Recorded.read("ko.stdout"), "", 3);
        assertEquals(1, p.tests().size());
        TestOutcome t = p.tests().get(0);
        assertEquals("create_fileattr_test", t.name());
        assertEquals(Verdict.KO, t.verdict());
        assertEquals("ASSERT(FILE_ATTRIBUTE_ARCHIVE == FileAttributes) failed at create-test.c:201:create_fileattr_dotest (err=0:0)",
                t.detail());
        assertFalse(p.complete());
    }

    @Test
    void aNameWithoutAVerdictAndAnExitCodeIsAnAbortWithTheStderrMessage() {
        Parsed p = WinfspTestsOutput.parse(Recorded.read("abort.stdout"), Recorded.read("abort.stderr"), 3);
        assertEquals(List.of(new TestOutcome("rdwr_mmap_test", Verdict.ABORTED, 0,
                "ABORT: rdwr_mmap_dotest: mapping failed (exit code 3)")), p.tests());
        assertFalse(p.complete());
    }

    @Test
    void aNameWithoutAVerdictWhenTheProcessWasKilledIsAHang() {
        Parsed p = WinfspTestsOutput.parse(Recorded.read("hang.stdout"), "", null);
        assertEquals(1, p.tests().size());
        assertEquals(Verdict.HUNG, p.tests().get(0).verdict());
        assertEquals("querydir_single_test", p.tests().get(0).name());
        assertFalse(p.complete());
    }

    @Test
    void aNoAbortRunListsEveryTestIncludingTheLongestName() {
        Parsed p = WinfspTestsOutput.parse(Recorded.read("no-abort-run.stdout"), "", 0);
        assertEquals(List.of("create_test", "create_fileattr_test", "create_readonlydir_test",
                "stream_getstreaminfo_expire_cache_test"), p.tests().stream().map(TestOutcome::name).toList());
        assertEquals(List.of(Verdict.OK, Verdict.KO, Verdict.OK, Verdict.OK),
                p.tests().stream().map(TestOutcome::verdict).toList());
        assertTrue(p.tests().get(1).detail().startsWith("ASSERT((FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_SYSTEM)"));
        assertTrue(p.complete());
    }

    @Test
    void aCompleteLineWithANonZeroExitIsNotAComplete() {
        assertFalse(WinfspTestsOutput.parse(Recorded.read("ok.stdout"), "", 1).complete());
    }

    @Test
    void linesArePaddedTo39Characters() {
        assertEquals("create_test............................ OK 0.01s", WinfspTestsOutput.okLine("create_test", 0.01));
        assertEquals(39, WinfspTestsOutput.koLine("create_test").indexOf(' '));
        assertEquals("stream_getstreaminfo_expire_cache_test. KO", WinfspTestsOutput.koLine("stream_getstreaminfo_expire_cache_test"));
    }
}
