package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.conformance.ConformanceCase.Availability;
import org.viofs.conformance.KnownUnsupported.Mode;

/** The Windows runner's command lines, per-case directories and verdicts, with a fake launcher. */
class WinfspTestsRunnerTest {
    private static final KnownUnsupported REGISTRY = KnownUnsupported.parse(
            "create_fileattr_test\tplain+xattr\tASSERT(FILE_ATTRIBUTE_SYSTEM == FileAttributes) failed (err=0x00000000:0)"
                    + "\tSYSTEM is not stored\n"
                    + "stream_create_test\tplain\tASSERT(INVALID_HANDLE_VALUE != Handle) failed (err=0xC0000033:123)"
                    + "\tno streams\n");

    record Launch(List<String> command, Path directory, Duration timeout) {
    }

    static final class FakeLauncher implements ProcessLauncher {
        final List<Launch> launches = new ArrayList<>();
        final Map<String, Result> byCase;

        FakeLauncher(Map<String, Result> byCase) {
            this.byCase = byCase;
        }

        @Override
        public Result run(List<String> command, Path directory, Duration timeout) {
            launches.add(new Launch(command, directory, timeout));
            return byCase.get(directory.getFileName().toString());
        }
    }

    private static ConformanceCase regular(String name) {
        return ConformanceCase.portable(name, "x.c", Availability.REGULAR, c -> { });
    }

    @Test
    void inclusionsComeBeforeExclusionsBecauseTlibScansFromTheLast() {
        WinfspTestsRunner r = new WinfspTestsRunner(Path.of("winfsp-tests-x64.exe"), Path.of("X:/t"), REGISTRY,
                new FakeLauncher(Map.of()), Duration.ofSeconds(5), false);
        assertEquals(List.of("winfsp-tests-x64.exe", "--external", "--resilient", "+*", "-create_fileattr_test",
                        "-stream_create_test"), r.commandLine(List.of("+*"), REGISTRY.cases(Mode.PLAIN)));
        assertEquals(List.of("winfsp-tests-x64.exe", "--external", "--resilient", "+*", "-create_fileattr_test"),
                r.commandLine(List.of("+*"), REGISTRY.cases(Mode.XATTR)));
        assertEquals("+querydir_single_test", WinfspTestsRunner.selector(
                ConformanceCase.portable("querydir_single_test", "dirctl-test.c", Availability.OPTIONAL, c -> { })));
        assertEquals("querydir_test", WinfspTestsRunner.selector(regular("querydir_test")));
    }

    @Test
    void oneProcessPerCaseInAFreshDirectoryWithAVerdictEach(@TempDir Path base) {
        FakeLauncher fake = new FakeLauncher(Map.of(
                "create_test", new ProcessLauncher.Result(0, Recorded.read("ok.stdout"), ""),
                "rdwr_mmap_test", new ProcessLauncher.Result(3, Recorded.read("abort.stdout"), Recorded.read("abort.stderr")),
                "querydir_single_test", new ProcessLauncher.Result(null, Recorded.read("hang.stdout"), ""),
                "create_readonlydir_test", new ProcessLauncher.Result(3,
                        WinfspTestsOutput.koLine("create_readonlydir_test") + "\n    ASSERT(Success) failed at create-test.c:300:f (err=c0000022:5)\n", "")));
        WinfspTestsRunner r = new WinfspTestsRunner(Path.of("w.exe"), base, REGISTRY, fake, Duration.ofSeconds(7), false);
        List<ConformanceCase> cases = List.of(regular("create_test"), regular("create_fileattr_test"),
                regular("create_readonlydir_test"), regular("rdwr_mmap_test"),
                ConformanceCase.portable("querydir_single_test", "dirctl-test.c", Availability.OPTIONAL, c -> { }));
        ConformanceSuite.ModeReport report = r.run(cases, Mode.PLAIN, null);

        assertEquals(List.of(Outcome.PASS, Outcome.KNOWN_UNSUPPORTED, Outcome.FAIL, Outcome.FAIL, Outcome.FAIL),
                report.results().stream().map(CaseResult::outcome).toList());
        assertEquals("ASSERT(Success) failed at create-test.c:300:f (err=c0000022:5)", report.results().get(2).reason());
        assertEquals("ABORT: rdwr_mmap_dotest: mapping failed (exit code 3)", report.results().get(3).reason());
        assertTrue(report.results().get(4).reason().startsWith("hang"), report.results().get(4).reason());
        assertTrue(report.results().get(1).reason().startsWith("excluded: SYSTEM is not stored"));

        // the excluded case is not started; the others each in base\<case>, with the exclusions last
        assertEquals(4, fake.launches.size());
        Launch first = fake.launches.get(0);
        assertEquals(base.resolve("create_test"), first.directory());
        assertTrue(Files.isDirectory(first.directory()));
        assertEquals(Duration.ofSeconds(7), first.timeout());
        assertEquals(List.of("w.exe", "--external", "--resilient", "create_test", "-create_fileattr_test",
                "-stream_create_test"), first.command());
        assertEquals("+querydir_single_test", fake.launches.get(3).command().get(3));
    }

    @Test
    void strictRunsExcludedCasesWithoutExclusionsAndAPassIsAFail(@TempDir Path base) {
        FakeLauncher fake = new FakeLauncher(Map.of(
                "create_fileattr_test", new ProcessLauncher.Result(0,
                        WinfspTestsOutput.okLine("create_fileattr_test", 0.02) + "\n--- COMPLETE ---\n", "")));
        WinfspTestsRunner r = new WinfspTestsRunner(Path.of("w.exe"), base, REGISTRY, fake, Duration.ofSeconds(5), true);
        CaseResult result = r.runOne(regular("create_fileattr_test"), Mode.PLAIN);
        assertEquals(Outcome.FAIL, result.outcome());
        assertTrue(result.reason().contains("remove the entry"), result.reason());
        assertEquals(List.of("w.exe", "--external", "--resilient", "create_fileattr_test"), fake.launches.get(0).command());
    }

    @Test
    void aRunThatNeverPrintsTheCaseIsNotRun(@TempDir Path base) {
        FakeLauncher fake = new FakeLauncher(Map.of("create_test", new ProcessLauncher.Result(2, "", "unknown option")));
        WinfspTestsRunner r = new WinfspTestsRunner(Path.of("w.exe"), base, REGISTRY, fake, Duration.ofSeconds(5), false);
        CaseResult result = r.runOne(regular("create_test"), Mode.PLAIN);
        assertEquals(Outcome.FAIL, result.outcome());
        assertTrue(result.reason().startsWith("not run"), result.reason());
    }

    @Test
    void strictComparesTheRealOutputsAssertionWithTheRegistry(@TempDir Path base) {
        String expected = "ASSERT(FILE_ATTRIBUTE_SYSTEM == FileAttributes) failed at create-test.c:201:f (err=0:0)";
        String other = "ASSERT(Success) failed at create-test.c:190:f (err=c0000022:5)";
        FakeLauncher fake = new FakeLauncher(Map.of(
                "create_fileattr_test", new ProcessLauncher.Result(3,
                        WinfspTestsOutput.koLine("create_fileattr_test") + "\n    " + expected + "\n", "")));
        WinfspTestsRunner r = new WinfspTestsRunner(Path.of("w.exe"), base, REGISTRY, fake, Duration.ofSeconds(5), true);
        CaseResult asRecorded = r.runOne(regular("create_fileattr_test"), Mode.PLAIN);
        assertEquals(Outcome.KNOWN_UNSUPPORTED, asRecorded.outcome(), asRecorded.reason());

        FakeLauncher differently = new FakeLauncher(Map.of(
                "create_fileattr_test", new ProcessLauncher.Result(3,
                        WinfspTestsOutput.koLine("create_fileattr_test") + "\n    " + other + "\n", "")));
        WinfspTestsRunner r2 = new WinfspTestsRunner(Path.of("w.exe"), base, REGISTRY, differently, Duration.ofSeconds(5),
                true);
        CaseResult changed = r2.runOne(regular("create_fileattr_test"), Mode.PLAIN);
        assertEquals(Outcome.FAIL, changed.outcome());
        assertTrue(changed.reason().startsWith("fails differently from the registry (line 1 expects "), changed.reason());
        assertTrue(changed.reason().endsWith(other), changed.reason());
    }
}
