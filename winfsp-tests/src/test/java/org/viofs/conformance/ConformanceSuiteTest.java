package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.viofs.conformance.ConformanceCase.Availability;
import org.viofs.conformance.KnownUnsupported.Mode;

/** Running cases: fresh directories, bounded time, verdicts and progress. */
class ConformanceSuiteTest {
    private static ConformanceCase c(String name, ConformanceCase.Body body) {
        return ConformanceCase.portable(name, "x.c", Availability.REGULAR, body);
    }

    @Test
    void eachCaseGetsAFreshDirectoryAndAVerdict() {
        List<String> dirs = new ArrayList<>();
        List<ConformanceCase> cases = List.of(
                c("a_test", ctx -> dirs.add(ctx.dir())),
                c("b_test", ctx -> ctx.ok(ctx.w().getFileAttributes(ctx.path("missing")) != Win32.INVALID_FILE_ATTRIBUTES,
                        "INVALID_FILE_ATTRIBUTES != FileAttributes")),
                c("c_test", ctx -> {
                    throw new IllegalStateException("boom");
                }),
                ConformanceCase.notPortable("d_test", "x.c", Availability.REGULAR, "needs the kernel"));
        List<String> progress = new ArrayList<>();
        ConformanceSuite.ModeReport r = new ConformanceSuite(cases, KnownUnsupported.parse(""), Duration.ofSeconds(5))
                .run(Mode.PLAIN, new InMemoryVolume(), FacadeOptions.defaults(), "\\run",
                        (done, total, result) -> progress.add(done + "/" + total + " " + result.name()));
        assertEquals(List.of("\\run\\a_test"), dirs);
        assertEquals(List.of(Outcome.PASS, Outcome.FAIL, Outcome.FAIL, Outcome.NOT_PORTABLE),
                r.results().stream().map(CaseResult::outcome).toList());
        assertEquals("ASSERT(INVALID_FILE_ATTRIBUTES != FileAttributes) failed (err=0xC0000034:2) [STATUS_OBJECT_NAME_NOT_FOUND]",
                r.results().get(1).reason());
        assertTrue(r.results().get(2).reason().contains("boom"));
        assertEquals("needs the kernel", r.results().get(3).reason());
        assertEquals(List.of("1/4 a_test", "2/4 b_test", "3/4 c_test", "4/4 d_test"), progress);
        assertTrue(r.anyFailed());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS) // a run that waited for the hung case would never end
    void aCaseThatOutlivesItsTimeIsAHangAndTheRunGoesOn() {
        CountDownLatch never = new CountDownLatch(1);
        List<ConformanceCase> cases = List.of(
                c("slow_test", ctx -> never.await()),
                c("next_test", ctx -> { }));
        try {
            ConformanceSuite.ModeReport r = new ConformanceSuite(cases, KnownUnsupported.parse(""), Duration.ofMillis(200))
                    .run(Mode.PLAIN, new InMemoryVolume(), FacadeOptions.defaults(), "\\run", null);
            assertEquals(Outcome.FAIL, r.results().get(0).outcome());
            assertEquals("hang: no verdict after 0 s", r.results().get(0).reason());
            assertEquals(Outcome.PASS, r.results().get(1).outcome());
        } finally {
            never.countDown();
        }
    }

    @Test
    void withoutARunDirectoryEveryRunnableCaseFails() {
        List<ConformanceCase> cases = List.of(c("a_test", ctx -> { }),
                ConformanceCase.notPortable("b_test", "x.c", Availability.REGULAR, "kernel"));
        ConformanceSuite.ModeReport r = new ConformanceSuite(cases, KnownUnsupported.parse(""), Duration.ofSeconds(5))
                .run(Mode.PLAIN, new InMemoryVolume(), FacadeOptions.defaults(), "\\no\\such\\parent", null);
        assertEquals(Outcome.FAIL, r.results().get(0).outcome());
        assertTrue(r.results().get(0).reason().startsWith("cannot create run directory"));
        assertEquals(Outcome.NOT_PORTABLE, r.results().get(1).outcome());
    }
}
