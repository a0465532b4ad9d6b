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
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdNotFoundException;
import org.viofs.cli.ExitCodes;
import org.viofs.conformance.ConformanceSuite.ModeReport;
import org.viofs.conformance.KnownUnsupported.Mode;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.ShareCapabilities;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code viofs conformance}: the winfsp-tests cases restated in Java, run against a real virtiofsd —
 * by default every installed flavour (C, Rust) in two modes each (plain, and with xattrs) on
 * temporary directories, or only the binary {@code --virtiofsd} names, or the daemon behind
 * {@code --socket} (in a run directory on that share, removed at the end). On Windows only,
 * {@code --winfsp-tests EXE --dir X:\dir} runs the real winfsp-tests-x64.exe on a mounted drive
 * instead; on Linux those options are an error (exit 5). Exit codes: 0 no case FAILs,
 * {@link ExitCodes#TRANSPORT} the daemon or its transport was lost (the run stops there),
 * {@link ExitCodes#CHECK_FAILED} a case FAILs, {@link ExitCodes#MISSING_DEPENDENCY} no virtiofsd
 * (or the Windows options elsewhere), {@link ExitCodes#USAGE} bad options.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Runs the winfsp-tests conformance cases, restated in Java, through the volume against "
                + "each installed virtiofsd (C and Rust; plain and xattr) on temporary directories, or the daemon "
                + "behind --socket. Each case is judged against the known-unsupported registry.",
                "On Windows only: --winfsp-tests runs the real winfsp-tests-x64.exe on a mounted viofs drive."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:no case failed", "2:bad usage",
                "3:the daemon or its transport was lost (the run stops; later cases NOT_RUN)",
                "4:a case failed", "5:virtiofsd is not installed, or a Windows-only option was given elsewhere"})
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
            description = "Check the virtiofsd listening on this vhost-user socket (one mode, named by whether xattrs "
                    + "work). The run works in a viofs-conformance-<id> directory on that share, named on stderr, "
                    + "and removes it at the end.")
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
            description = "Windows only: run this winfsp-tests-x64.exe, one process per case, in --dir on the "
                    + "mounted drive. On Linux: an error (exit 5).")
    Path winfspTests;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Windows only, with --winfsp-tests: a directory on the mounted viofs drive.")
    Path windowsDir;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "Windows only, with --winfsp-tests: the registry column to apply (plain or xattr; "
                    + "default plain).")
    String windowsMode;

    @Option(names = "--strict",
            description = "Windows only, with --winfsp-tests: also run the cases the registry excludes; they must "
                    + "still fail.")
    boolean strict;

    private final Targets targets;
    private final ProcessLauncher launcher;
    private final BooleanSupplier terminal;
    private final BooleanSupplier windows;

    public ConformanceCommand() {
        this(REAL_TARGETS, ProcessLauncher.system(), () -> System.console() != null, ConformanceCommand::onWindows);
    }

    ConformanceCommand(Targets targets, ProcessLauncher launcher, BooleanSupplier terminal) {
        this(targets, launcher, terminal, ConformanceCommand::onWindows);
    }

    ConformanceCommand(Targets targets, ProcessLauncher launcher, BooleanSupplier terminal, BooleanSupplier windows) {
        this.targets = targets;
        this.launcher = launcher;
        this.terminal = terminal;
        this.windows = windows;
    }

    static boolean onWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    /**
     * The winfsp-tests runner needs Windows, WinFsp and a mounted viofs drive: its options anywhere
     * else are one clear error (exit 5, something needed is not there), and its sub-options need it.
     */
    private void checkWindowsOptions() {
        List<String> given = new ArrayList<>();
        if (winfspTests != null) {
            given.add("--winfsp-tests");
        }
        if (windowsDir != null) {
            given.add("--dir");
        }
        if (windowsMode != null) {
            given.add("--mode");
        }
        if (strict) {
            given.add("--strict");
        }
        if (given.isEmpty()) {
            return;
        }
        if (!windows.getAsBoolean()) {
            throw new ExitCodes.UserError(ExitCodes.MISSING_DEPENDENCY, String.join(", ", given)
                    + " run the real winfsp-tests-x64.exe and need Windows with WinFsp and a mounted viofs drive; "
                    + "on Linux run plain `viofs conformance` (or --socket PATH)");
        }
        if (winfspTests == null) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, String.join(", ", given) + " only go with --winfsp-tests EXE");
        }
        if (socket != null) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "--socket and --winfsp-tests exclude each other");
        }
    }

    @Override
    public Integer call() {
        checkWindowsOptions();
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
                reports.add(runAndClose(targets.connect(socket), t -> runOnUsersShare(cases, registry, t)));
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
                        if (transportLoss(reports) != null) {
                            reports.add(ModeReport.notRun(mode, cases, daemon,
                                    "not run: an earlier mode lost its daemon"));
                            continue;
                        }
                        Path dir = tempDir(mode);
                        try {
                            reports.add(runAndClose(targets.startOwn(mode, dir, daemon),
                                    t -> runSuite(cases, registry, t)));
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
        String lost = transportLoss(reports);
        if (lost != null) {
            spec.commandLine().getErr().println("viofs: conformance stopped, the daemon's transport was lost: " + lost);
            return ExitCodes.TRANSPORT;
        }
        boolean failed = reports.stream().anyMatch(ModeReport::anyFailed);
        return failed ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
    }

    /**
     * Runs on a target, then closes it: at once when the run lost the transport (a frozen daemon would
     * otherwise hold the exit for another transport timeout and the daemon's stop timeout), else in
     * order (DESTROY, transport, daemon), also when the run threw.
     */
    private static ModeReport runAndClose(ConformanceTarget t, Function<ConformanceTarget, ModeReport> run) {
        ModeReport r = null;
        try {
            r = run.apply(t);
            return r;
        } finally {
            if (r != null && r.transportLoss() != null) {
                t.closeAfterLoss();
            } else {
                t.close();
            }
        }
    }

    /** The first mode's transport loss, or null. */
    private static String transportLoss(List<ModeReport> reports) {
        for (ModeReport r : reports) {
            if (r.transportLoss() != null) {
                return r.title() + ": " + r.transportLoss();
            }
        }
        return null;
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
        return runSuite(cases, registry, t, newRunDirectory());
    }

    private ModeReport runSuite(List<ConformanceCase> cases, KnownUnsupported registry, ConformanceTarget t,
                                String runDir) {
        ConformanceSuite suite = new ConformanceSuite(cases, registry, Duration.ofSeconds(caseTimeoutSeconds));
        String label = t.daemon() == null ? t.mode().label() : t.daemon().flavour().label() + " " + t.mode().label();
        ShareCapabilities caps = t.volume() instanceof FuseVolume v ? v.capabilities() : null;
        // the header (on stderr with --json, which keeps stdout one JSON object)
        PrintWriter header = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        if (caps != null) {
            header.println("mode " + label + ": " + caps.describe());
            header.flush();
        }
        ModeReport r = suite.run(t.mode(), t.volume(), t.options(), runDir, progress(label));
        if (caps != null && caps.xattrs() == ShareCapabilities.Xattrs.WRITABLE && hitXattrSpace(r)) {
            header.println("mode " + label + ": " + XATTR_SPACE_NOTE);
            header.flush();
        }
        return r.withDaemon(t.daemon());
    }

    private static String newRunDirectory() {
        return "\\viofs-conformance-" + Long.toString(System.currentTimeMillis(), 36);
    }

    /**
     * A run on the share of a daemon the user started: says on stderr where it works, and removes
     * its run directory at the end, also when the run failed (not after a transport loss: the
     * daemon is gone, so it says what is left).
     */
    private ModeReport runOnUsersShare(List<ConformanceCase> cases, KnownUnsupported registry, ConformanceTarget t) {
        PrintWriter err = spec.commandLine().getErr();
        String runDir = newRunDirectory();
        err.println("viofs: conformance works in " + runDir + " on the share behind " + socket
                + "; it is removed at the end");
        err.flush();
        ModeReport report = null;
        try {
            report = runSuite(cases, registry, t, runDir);
            return report;
        } finally {
            if (report != null && report.transportLoss() != null) {
                err.println("viofs: " + runDir + " is left on the share: the daemon's transport was lost");
            } else {
                RunDirectory.Removal r = RunDirectory.remove(t.volume(), t.options(), runDir);
                if (!r.complete()) {
                    err.println("viofs: could not remove all of " + runDir + " (" + r.removed() + " entries removed; "
                            + r.firstFailure() + ")");
                }
            }
            err.flush();
        }
    }

    /** The one line that explains DISK_FULL / EA_TOO_LARGE from a host that keeps little xattr space. */
    static final String XATTR_SPACE_NOTE = "host limit: cases that store named streams, EAs or Windows attributes"
            + " failed with DISK_FULL or EA_TOO_LARGE because the host file system keeps a file's extended"
            + " attributes in little space (ext4: one block, about 4 KiB, per file)";

    private static boolean hitXattrSpace(ModeReport r) {
        return r.results().stream().anyMatch(c -> c.reason() != null
                && (c.reason().contains("DISK_FULL") || c.reason().contains("EA_TOO_LARGE")));
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
            mode = Mode.parse(windowsMode == null ? Mode.PLAIN.label() : windowsMode);
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
