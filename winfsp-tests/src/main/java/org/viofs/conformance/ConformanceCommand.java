package org.viofs.conformance;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdNotFoundException;
import org.viofs.cli.ExitCodes;
import org.viofs.conformance.ConformanceSuite.ModeReport;
import org.viofs.conformance.KnownUnsupported.Mode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code viofs conformance}: the winfsp-tests cases restated in Java, run against a real virtiofsd —
 * by default every installed flavour (C, Rust) in two modes each (plain, and with xattrs) on temporary
 * directories, or only the binary {@code --virtiofsd} names, or the daemon behind {@code --socket}. On Windows, {@code --winfsp-tests EXE --dir X:\dir} runs the real
 * winfsp-tests-x64.exe on a mounted drive instead. Exit code 0 when no case FAILs,
 * {@link ExitCodes#CHECK_FAILED} otherwise, {@link ExitCodes#MISSING_DEPENDENCY} without virtiofsd.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Runs the winfsp-tests conformance cases against each installed virtiofsd (C and Rust; plain and xattr), "
                + "judged against the known-unsupported registry; on Windows, runs the real winfsp-tests-x64.exe.")
public final class ConformanceCommand implements Callable<Integer> {

    /** Where a run gets its volumes; replaced in tests. */
    public interface Targets {
        /** The daemons a run without {@code --socket} covers: the one named, else every one installed. */
        List<VirtiofsdBinary> daemons(Path named);

        ConformanceTarget startOwn(Mode mode, Path sharedDir, VirtiofsdBinary daemon);

        ConformanceTarget connect(Path socket);
    }

    static final Targets REAL_TARGETS = new Targets() {
        @Override
        public List<VirtiofsdBinary> daemons(Path named) {
            if (named != null) {
                return List.of(VirtiofsdBinary.identify(named));
            }
            List<VirtiofsdBinary> all = VirtiofsdBinary.installed();
            if (all.isEmpty()) {
                // fails with the install command
                return List.of(VirtiofsdBinary.identify(VirtiofsdBinary.preferred()));
            }
            return all;
        }

        @Override
        public ConformanceTarget startOwn(Mode mode, Path sharedDir, VirtiofsdBinary daemon) {
            return ConformanceTarget.startOwn(mode, sharedDir, daemon);
        }

        @Override
        public ConformanceTarget connect(Path socket) {
            return ConformanceTarget.connect(socket);
        }
    };

    @Spec
    CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Check the virtiofsd listening on this vhost-user socket (one mode, named by whether xattrs work).")
    Path socket;

    @Option(names = "--virtiofsd", paramLabel = "PATH",
            description = "Run only this virtiofsd binary (C or Rust; default: every one installed, each in both modes).")
    Path virtiofsd;

    @Option(names = "--json", description = "Print the results as JSON (no table, no progress bar).")
    boolean json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the results as a Markdown table.")
    Path markdown;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the results as JUnit XML.")
    Path junit;

    @Option(names = "--case", paramLabel = "NAME", split = ",",
            description = "Run only these cases (a trailing * matches a prefix).")
    List<String> only;

    @Option(names = "--case-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "A case still running after this long is a hang (default ${DEFAULT-VALUE}).")
    int caseTimeoutSeconds;

    @Option(names = "--verbose", description = "Show the volume's own log messages during the run.")
    boolean verbose;

    @Option(names = "--winfsp-tests", paramLabel = "EXE",
            description = "Windows: run this winfsp-tests-x64.exe, one process per case, in --dir on the mounted drive.")
    Path winfspTests;

    @Option(names = "--dir", paramLabel = "DIR", description = "Windows: a directory on the mounted viofs drive.")
    Path windowsDir;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "plain",
            description = "Windows: the registry column to apply (plain or xattr; default ${DEFAULT-VALUE}).")
    String windowsMode;

    @Option(names = "--strict", description = "Windows: also run the cases the registry excludes; they must still fail.")
    boolean strict;

    private final Targets targets;
    private final ProcessLauncher launcher;
    private final BooleanSupplier terminal;

    public ConformanceCommand() {
        this(REAL_TARGETS, ProcessLauncher.system(), () -> System.console() != null);
    }

    ConformanceCommand(Targets targets, ProcessLauncher launcher, BooleanSupplier terminal) {
        this.targets = targets;
        this.launcher = launcher;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        KnownUnsupported registry = KnownUnsupported.load();
        List<ConformanceCase> cases = selected(ConformanceCatalog.all());
        List<ModeReport> reports = new ArrayList<>();
        Logger viofsLog = Logger.getLogger("org.viofs");
        Level saved = viofsLog.getLevel();
        if (!verbose) {
            // expected refusals (e.g. Cleanup(Delete) of a non-empty directory) are logged by the volume
            viofsLog.setLevel(Level.SEVERE);
        }
        try {
            if (winfspTests != null) {
                reports.add(runWindows(cases, registry));
            } else if (socket != null) {
                try (ConformanceTarget t = targets.connect(socket)) {
                    reports.add(runSuite(cases, registry, t));
                }
            } else {
                List<VirtiofsdBinary> daemons;
                try {
                    daemons = targets.daemons(virtiofsd);
                } catch (VirtiofsdNotFoundException e) {
                    throw new ExitCodes.UserError(ExitCodes.MISSING_DEPENDENCY, e.getMessage());
                } catch (IllegalStateException e) {
                    throw new ExitCodes.UserError(ExitCodes.USAGE, "--virtiofsd: " + e.getMessage());
                }
                for (VirtiofsdBinary daemon : daemons) {
                    for (Mode mode : Mode.values()) {
                        Path dir = tempDir(mode);
                        try (ConformanceTarget t = targets.startOwn(mode, dir, daemon)) {
                            reports.add(runSuite(cases, registry, t));
                        } catch (VirtiofsdNotFoundException e) {
                            throw new ExitCodes.UserError(ExitCodes.MISSING_DEPENDENCY, e.getMessage());
                        } finally {
                            deleteTree(dir);
                        }
                    }
                }
            }
        } finally {
            viofsLog.setLevel(saved);
        }
        if (json) {
            out.println(ConformanceReport.json(reports));
        } else {
            out.print(ConformanceReport.text(reports));
        }
        out.flush();
        write(markdown, ConformanceReport.markdown(reports));
        write(junit, ConformanceReport.junitXml(reports));
        boolean failed = reports.stream().anyMatch(ModeReport::anyFailed);
        return failed ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
    }

    private List<ConformanceCase> selected(List<ConformanceCase> all) {
        if (only == null || only.isEmpty()) {
            return all;
        }
        List<ConformanceCase> s = new ArrayList<>();
        for (ConformanceCase c : all) {
            for (String p : only) {
                if (p.endsWith("*") ? c.name().startsWith(p.substring(0, p.length() - 1)) : c.name().equals(p)) {
                    s.add(c);
                    break;
                }
            }
        }
        if (s.isEmpty()) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "no case matches " + only);
        }
        return s;
    }

    private ModeReport runSuite(List<ConformanceCase> cases, KnownUnsupported registry, ConformanceTarget t) {
        ConformanceSuite suite = new ConformanceSuite(cases, registry, Duration.ofSeconds(caseTimeoutSeconds));
        String runDir = "\\viofs-conformance-" + Long.toString(System.currentTimeMillis(), 36);
        String label = t.daemon() == null ? t.mode().label() : t.daemon().flavour().label() + " " + t.mode().label();
        ModeReport r = suite.run(t.mode(), t.volume(), t.options(), runDir, progress(label));
        return new ModeReport(r.mode(), r.results(), t.daemon());
    }

    private ModeReport runWindows(List<ConformanceCase> cases, KnownUnsupported registry) {
        if (windowsDir == null) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "--winfsp-tests needs --dir on the mounted viofs drive");
        }
        if (!Files.isRegularFile(winfspTests)) {
            throw new ExitCodes.UserError(ExitCodes.MISSING_DEPENDENCY, "winfsp-tests not found at " + winfspTests
                    + " (it ships with WinFsp's developer files / the winfsp-tests release)");
        }
        Mode mode;
        try {
            mode = Mode.parse(windowsMode);
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "--mode must be plain or xattr, was " + windowsMode);
        }
        WinfspTestsRunner runner = new WinfspTestsRunner(winfspTests, windowsDir, registry, launcher,
                Duration.ofSeconds(Math.max(caseTimeoutSeconds, 1)), strict);
        return runner.run(cases, mode, progress("winfsp-tests " + mode.label()));
    }

    /** A progress bar on stderr, only on a terminal and never with --json. */
    private ConformanceSuite.Progress progress(String label) {
        if (json || !terminal.getAsBoolean()) {
            return null;
        }
        PrintWriter err = spec.commandLine().getErr();
        return (done, total, r) -> {
            int width = 30;
            int filled = total == 0 ? width : done * width / total;
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total
                    + " " + String.format("%-40s", r.name()));
            if (done == total) {
                err.println();
            }
            err.flush();
        };
    }

    private static Path tempDir(Mode mode) {
        try {
            return Files.createTempDirectory("viofs-conformance-" + mode.label() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temporary directory
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    private static void write(Path file, String text) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExitCodes.UserError(ExitCodes.SOFTWARE, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
