package org.viofs.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.viofs.conformance.KnownUnsupported.Mode;
import org.viofs.volume.VolumeOperations;

/**
 * Runs the restated cases over one volume in one mode: each case in a fresh directory
 * ({@code \<run>\<case_name>}) with a fresh facade, within a bounded time, and judges it against
 * the {@link KnownUnsupported} registry strictly (a listed case that passes is a FAIL too).
 *
 * <p>Thread safety: one run at a time per instance. Each case runs on a daemon thread so a hung
 * case cannot hold the JVM; it is reported as a FAIL ("hang") and the run goes on.
 */
public final class ConformanceSuite {

    /** How long one case may take before it is a hang. The whole suite takes seconds. */
    public static final Duration DEFAULT_CASE_TIMEOUT = Duration.ofSeconds(30);

    private final List<ConformanceCase> cases;
    private final KnownUnsupported registry;
    private final Duration caseTimeout;

    /** Told after each case, for a progress bar. */
    @FunctionalInterface
    public interface Progress {
        void caseDone(int done, int total, CaseResult result);
    }

    /** The results of one mode, in case order. */
    /**
     * The results of one mode.
     *
     * @param daemon the virtiofsd that served the mode (flavour, version, path), or null when unknown
     *               (a socket whose daemon this process cannot see, or winfsp-tests on Windows)
     */
    public record ModeReport(Mode mode, List<CaseResult> results, VirtiofsdBinary daemon) {
        public ModeReport {
            results = List.copyOf(results);
        }

        /** A report with no daemon named. */
        public ModeReport(Mode mode, List<CaseResult> results) {
            this(mode, results, null);
        }

        /** {@code plain}, or {@code plain on rust 1.14.0} when the daemon is known. */
        public String title() {
            return daemon == null ? mode.label() : mode.label() + " on " + daemon.flavour().label() + " "
                    + daemon.version();
        }

        /** Count per outcome, every outcome present. */
        public Map<Outcome, Integer> totals() {
            Map<Outcome, Integer> t = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                t.put(o, 0);
            }
            for (CaseResult r : results) {
                t.merge(r.outcome(), 1, Integer::sum);
            }
            return t;
        }

        public boolean anyFailed() {
            return totals().get(Outcome.FAIL) > 0;
        }
    }

    public ConformanceSuite(List<ConformanceCase> cases, KnownUnsupported registry, Duration caseTimeout) {
        this.cases = List.copyOf(cases);
        this.registry = registry;
        this.caseTimeout = caseTimeout;
    }

    public List<ConformanceCase> cases() {
        return cases;
    }

    /**
     * Runs every case. The run directory {@code runDirectory} (a volume path such as
     * {@code \viofs-conformance-1234}) is created first; each case gets its own subdirectory.
     */
    public ModeReport run(Mode mode, VolumeOperations volume, FacadeOptions options, String runDirectory,
                          Progress progress) {
        List<CaseResult> results = new ArrayList<>();
        Win32Facade setup = new Win32Facade(volume, options);
        boolean runDirOk = setup.createDirectory(runDirectory, null);
        String setupError = runDirOk ? null
                : String.format("cannot create run directory %s (err=0x%08X:%d)", runDirectory,
                setup.getLastStatus(), setup.getLastError());
        int done = 0;
        for (ConformanceCase c : cases) {
            CaseResult r = setupError != null && c.isPortable()
                    ? new CaseResult(c.name(), Outcome.FAIL, setupError, 0)
                    : runOne(c, mode, volume, options, runDirectory);
            results.add(r);
            done++;
            if (progress != null) {
                progress.caseDone(done, cases.size(), r);
            }
        }
        return new ModeReport(mode, results);
    }

    private CaseResult runOne(ConformanceCase c, Mode mode, VolumeOperations volume, FacadeOptions options,
                              String runDirectory) {
        if (!c.isPortable()) {
            return new CaseResult(c.name(), Outcome.NOT_PORTABLE, c.notPortableReason(), 0);
        }
        long start = System.nanoTime();
        String failure = execute(c, volume, options, runDirectory + "\\" + c.name());
        long millis = (System.nanoTime() - start) / 1_000_000;
        return judge(c.name(), mode, failure, millis);
    }

    /** The registry's verdict on a case that ran: {@code failure} is null when it passed. */
    CaseResult judge(String name, Mode mode, String failure, long millis) {
        Optional<KnownUnsupported.Entry> listed = registry.lookup(name, mode);
        if (failure == null) {
            return listed.map(e -> new CaseResult(name, Outcome.FAIL,
                            "passes but the registry lists it (line " + e.line() + ": " + e.reason()
                                    + "): remove the entry", millis))
                    .orElseGet(() -> new CaseResult(name, Outcome.PASS, null, millis));
        }
        return listed.map(e -> new CaseResult(name, Outcome.KNOWN_UNSUPPORTED, e.reason() + " — " + failure, millis))
                .orElseGet(() -> new CaseResult(name, Outcome.FAIL, failure, millis));
    }

    /** Runs the body in its own directory; null on success, else the failure text. */
    private String execute(ConformanceCase c, VolumeOperations volume, FacadeOptions options, String dir) {
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "conformance-" + c.name());
            t.setDaemon(true);
            return t;
        });
        try {
            Future<String> f = exec.submit(() -> {
                Win32Facade w = new Win32Facade(volume, options);
                try {
                    if (!w.createDirectory(dir, null)) {
                        return String.format("setup: cannot create %s (err=0x%08X:%d)", dir, w.getLastStatus(),
                                w.getLastError());
                    }
                    c.body().run(new CaseContext(w, dir, c.name()));
                    return null;
                } catch (CaseFailure e) {
                    return e.getMessage();
                } catch (Exception | AssertionError e) {
                    return "unexpected " + e;
                } finally {
                    w.closeAll();
                }
            });
            try {
                return f.get(caseTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                return "hang: no verdict after " + caseTimeout.toSeconds() + " s";
            } catch (ExecutionException e) {
                return "unexpected " + e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        } finally {
            exec.shutdownNow();
        }
    }
}
