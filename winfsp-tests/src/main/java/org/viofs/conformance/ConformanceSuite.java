package org.viofs.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.conformance.KnownUnsupported.Mode;
import org.viofs.volume.VolumeOperations;

/**
 * Runs the restated cases over one volume in one mode: each case in a fresh directory
 * ({@code \<run>\<case_name>}) with a fresh facade, within a bounded time, and judges it against
 * the {@link KnownUnsupported} registry strictly (a listed case that passes is a FAIL too).
 *
 * <p>Thread safety: one run at a time per instance. Each case runs on a daemon thread so a hung
 * case cannot hold the JVM; it is reported as a FAIL ("hang") and the run goes on. Every callback
 * is watched ({@link TransportWatch}): at the first transport loss (the daemon exited, or did not
 * answer within the transport's timeout) the run stops at once; the case that was running and
 * every later one are NOT_RUN, and the report names the loss.
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

    /**
     * The results of one mode, in case order.
     *
     * @param daemon        the virtiofsd that served the mode (flavour, version, path), or null when
     *                      unknown (a socket whose daemon this process cannot see, or winfsp-tests on Windows)
     * @param transportLoss one line naming the transport loss that stopped the run, or null
     */
    public record ModeReport(Mode mode, List<CaseResult> results, VirtiofsdBinary daemon, String transportLoss) {
        public ModeReport {
            results = List.copyOf(results);
        }

        /** A report with no daemon named and no loss. */
        public ModeReport(Mode mode, List<CaseResult> results) {
            this(mode, results, null, null);
        }

        /** A report with its daemon and no loss. */
        public ModeReport(Mode mode, List<CaseResult> results, VirtiofsdBinary daemon) {
            this(mode, results, daemon, null);
        }

        /** The same report with its daemon named. */
        public ModeReport withDaemon(VirtiofsdBinary d) {
            return new ModeReport(mode, results, d, transportLoss);
        }

        /** A mode that was not run because an earlier one lost its daemon: every portable case NOT_RUN. */
        public static ModeReport notRun(Mode mode, List<ConformanceCase> cases, VirtiofsdBinary daemon, String why) {
            List<CaseResult> r = new ArrayList<>();
            for (ConformanceCase c : cases) {
                r.add(c.isPortable() ? new CaseResult(c.name(), Outcome.NOT_RUN, why, 0)
                        : new CaseResult(c.name(), Outcome.NOT_PORTABLE, c.notPortableReason(), 0));
            }
            return new ModeReport(mode, r, daemon, why);
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
        TransportWatch watch = new TransportWatch(volume);
        VolumeOperations watched = watch.volume();
        List<CaseResult> results = new ArrayList<>();
        Win32Facade setup = new Win32Facade(watched, options);
        boolean runDirOk = setup.createDirectory(runDirectory, null);
        String setupError = runDirOk ? null
                : String.format("cannot create run directory %s (err=0x%08X:%d)", runDirectory,
                setup.getLastStatus(), setup.getLastError());
        int done = 0;
        for (ConformanceCase c : cases) {
            CaseResult r;
            if (!c.isPortable()) {
                r = new CaseResult(c.name(), Outcome.NOT_PORTABLE, c.notPortableReason(), 0);
            } else if (watch.loss() != null) {
                r = notRun(c.name(), watch.loss());
            } else if (setupError != null) {
                r = new CaseResult(c.name(), Outcome.FAIL, setupError, 0);
            } else {
                r = runOne(c, mode, watch, options, runDirectory);
            }
            results.add(r);
            done++;
            if (progress != null) {
                progress.caseDone(done, cases.size(), r);
            }
        }
        TransportWatch.Loss loss = watch.loss();
        return new ModeReport(mode, results, null, loss == null ? null : loss.describe());
    }

    private static CaseResult notRun(String name, TransportWatch.Loss loss) {
        return new CaseResult(name, Outcome.NOT_RUN, "transport lost: " + loss.describe(), 0);
    }

    private CaseResult runOne(ConformanceCase c, Mode mode, TransportWatch watch, FacadeOptions options,
                              String runDirectory) {
        long start = System.nanoTime();
        String failure = execute(c, watch, options, runDirectory + "\\" + c.name());
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (watch.loss() != null) {
            // whatever the case saw after the loss says nothing about the volume
            return notRun(c.name(), watch.loss());
        }
        return judge(c.name(), mode, failure, millis);
    }

    /** The registry's verdict on a case the Java suite ran: {@code failure} is null when it passed. */
    CaseResult judge(String name, Mode mode, String failure, long millis) {
        return judge(registry, name, mode, failure, millis, false);
    }

    /**
     * The registry's verdict on a case that ran: PASS unlisted; KNOWN_UNSUPPORTED when listed and it
     * failed as recorded; FAIL otherwise (unlisted failure, listed but passing, listed but failing
     * differently — the reason then gives both).
     *
     * @param assertionOnly compare only the ASSERT expression (the real winfsp-tests' output)
     */
    static CaseResult judge(KnownUnsupported registry, String name, Mode mode, String failure, long millis,
                            boolean assertionOnly) {
        Optional<KnownUnsupported.Entry> listed = registry.lookup(name, mode);
        if (listed.isEmpty()) {
            return new CaseResult(name, failure == null ? Outcome.PASS : Outcome.FAIL, failure, millis);
        }
        KnownUnsupported.Entry e = listed.get();
        if (failure == null) {
            return new CaseResult(name, Outcome.FAIL, "passes but the registry lists it (line " + e.line() + ": "
                    + e.reason() + "): remove the entry", millis);
        }
        if (!e.expects(failure, assertionOnly)) {
            return new CaseResult(name, Outcome.FAIL, "fails differently from the registry (line " + e.line()
                    + " expects " + e.expected() + "): " + failure, millis);
        }
        return new CaseResult(name, Outcome.KNOWN_UNSUPPORTED, e.reason() + " — " + failure, millis);
    }

    /**
     * Runs the body in its own directory on a daemon thread; null on success, else the failure
     * text. Returns as soon as the case ends, the transport is lost (the caller then reports the
     * case NOT_RUN), or the case timeout passes (a hang).
     */
    private String execute(ConformanceCase c, TransportWatch watch, FacadeOptions options, String dir) {
        VolumeOperations volume = watch.volume();
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "conformance-" + c.name());
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
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
                    if (watch.loss() == null) {
                        w.closeAll();
                    }
                }
            }, exec);
            try {
                // the case's verdict, or the transport's loss, whichever comes first
                Object first = CompletableFuture.anyOf(f, watch.lost()).get(caseTimeout.toMillis(), TimeUnit.MILLISECONDS);
                return first instanceof TransportWatch.Loss ? "transport lost" : (String) first;
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
