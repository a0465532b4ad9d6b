package org.viofs.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.viofs.conformance.ConformanceCase.Availability;
import org.viofs.conformance.KnownUnsupported.Mode;
import org.viofs.conformance.WinfspTestsOutput.Parsed;
import org.viofs.conformance.WinfspTestsOutput.TestOutcome;

/**
 * Runs the real {@code winfsp-tests-x64.exe} on Windows against a mounted viofs drive: one process
 * per case ({@code winfsp-tests-x64 --external --resilient <name> <exclusions>}), each in a fresh
 * directory on the drive, within a bounded time (past it: a hang), and judges the parsed output
 * against the {@link KnownUnsupported} registry like {@link ConformanceSuite} does.
 *
 * <p>Selection follows tlib's rules (docs/winfsp-native.md §4.1): an optional case is selected with
 * {@code +name}; the registry's patterns follow as {@code -pattern} exclusions, after the inclusion,
 * because tlib scans the arguments from last to first and the first match decides. Without
 * {@code strict}, a case the registry excludes is not started and is reported KNOWN_UNSUPPORTED;
 * with {@code strict} it runs without exclusions and must still fail.
 *
 * <p>Not thread-safe; one run at a time.
 */
public final class WinfspTestsRunner {

    /** Options every run gets: test the current directory, and wait out delete-pending names. */
    public static final List<String> BASE_OPTIONS = List.of("--external", "--resilient");
    /** Default per-case bound; the slowest upstream case takes seconds. */
    public static final Duration DEFAULT_CASE_TIMEOUT = Duration.ofMinutes(2);

    private final Path executable;
    private final Path baseDirectory;
    private final KnownUnsupported registry;
    private final ProcessLauncher launcher;
    private final Duration caseTimeout;
    private final boolean strict;

    /**
     * @param executable    winfsp-tests-x64.exe
     * @param baseDirectory a directory on the mounted drive; each case gets {@code base\<case>}
     */
    public WinfspTestsRunner(Path executable, Path baseDirectory, KnownUnsupported registry, ProcessLauncher launcher,
                             Duration caseTimeout, boolean strict) {
        this.executable = executable;
        this.baseDirectory = baseDirectory;
        this.registry = registry;
        this.launcher = launcher;
        this.caseTimeout = caseTimeout;
        this.strict = strict;
    }

    /**
     * The command line for a selection: options, then inclusions ({@code +name} for optional cases,
     * {@code name} otherwise), then {@code -pattern} for each exclusion — tlib decides per test by
     * the last matching argument, so exclusions must come last.
     */
    public List<String> commandLine(List<String> inclusions, List<String> exclusions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(BASE_OPTIONS);
        cmd.addAll(inclusions);
        for (String e : exclusions) {
            cmd.add("-" + e);
        }
        return cmd;
    }

    /** The argument that selects one case: {@code +name} for an optional case (TEST_OPT), else {@code name}. */
    static String selector(ConformanceCase c) {
        return c.availability() == Availability.OPTIONAL ? "+" + c.name() : c.name();
    }

    /** Runs every case (the catalog's, in order) in this mode. */
    public ConformanceSuite.ModeReport run(List<ConformanceCase> cases, Mode mode, ConformanceSuite.Progress progress) {
        List<CaseResult> results = new ArrayList<>();
        int done = 0;
        for (ConformanceCase c : cases) {
            CaseResult r = runOne(c, mode);
            results.add(r);
            done++;
            if (progress != null) {
                progress.caseDone(done, cases.size(), r);
            }
        }
        return new ConformanceSuite.ModeReport(mode, results);
    }

    CaseResult runOne(ConformanceCase c, Mode mode) {
        Optional<KnownUnsupported.Entry> listed = registry.lookup(c.name(), mode);
        if (listed.isPresent() && !strict) {
            return new CaseResult(c.name(), Outcome.KNOWN_UNSUPPORTED, "excluded: " + listed.get().reason(), 0);
        }
        Path dir = baseDirectory.resolve(c.name());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the case directory " + dir, e);
        }
        List<String> cmd = commandLine(List.of(selector(c)), strict ? List.of() : registry.cases(mode));
        long start = System.nanoTime();
        ProcessLauncher.Result result = launcher.run(cmd, dir, caseTimeout);
        long millis = (System.nanoTime() - start) / 1_000_000;
        Parsed parsed = WinfspTestsOutput.parse(result.stdout(), result.stderr(), result.exitCode());
        String failure = failureOf(c.name(), parsed, result);
        if (failure != null && failure.startsWith("not run")) {
            return new CaseResult(c.name(), Outcome.FAIL, failure, millis);
        }
        return ConformanceSuite.judge(registry, c.name(), mode, failure, millis, true);
    }

    /** Null when the case printed OK and the run completed; else what went wrong. */
    static String failureOf(String name, Parsed parsed, ProcessLauncher.Result result) {
        TestOutcome t = parsed.tests().stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
        if (t == null) {
            if (result.timedOut()) {
                return "hang: killed after its time ran out before the test started";
            }
            return "not run: the output has no line for " + name + " (exit code " + result.exitCode() + ")";
        }
        return switch (t.verdict()) {
            case OK -> parsed.complete() ? null
                    : "OK printed, but the run did not complete (exit code " + result.exitCode() + ")";
            case KO -> t.detail() == null ? "KO" : t.detail();
            case ABORTED -> t.detail();
            case HUNG -> "hang: " + t.detail();
        };
    }
}
