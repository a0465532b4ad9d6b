package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseProtocolException;
import org.viofs.fuse.MutatingTransport;

/**
 * Seeded, bounded reply fuzzing of the volume (issue 12): FuseVolume callbacks over a "daemon" that
 * answers every request with a well-formed reply, damaged in some ({@link MutatingTransport}, the
 * FUSE client's fuzzer). A callback may only return or throw {@link NtStatusException} (Cleanup and
 * Close: return), other than STATUS_INTERNAL_ERROR (the catch-all for a bug), and must finish within
 * {@link #BOUND_SECONDS}. Mount may also fail, with a FUSE or status exception. A divergence names
 * the seed and step that reproduce it.
 *
 * <p>Part of every test run at a small size. Longer by hand:
 * {@code mvn -pl service -am verify -Dtest=VolumeFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dviofs.fuzz.volumeSteps=200000 -Dviofs.fuzz.seed=7}.
 */
class VolumeFuzzTest {
    /** Bound on one callback, seconds: far above what any takes; only a hang or a runaway loop reaches it. */
    static final int BOUND_SECONDS = 10;
    /** Callbacks per mounted volume before a fresh one is mounted. */
    static final int STEPS_PER_VOLUME = 200;
    private static final String[] NAMES = {"\\a", "\\file.txt", "\\dir", "\\dir\\x", "\\link", "\\a:s", "\\dir\\y\\z"};

    /** One callback, its arguments drawn from the seeded source; may use and add open handles. */
    @FunctionalInterface
    interface Step {
        Object run(FuseVolume v, Random r, List<FileContext> open);
    }

    private static String name(Random r) {
        return NAMES[r.nextInt(NAMES.length)];
    }

    private static FileContext any(Random r, List<FileContext> open) {
        return open.get(r.nextInt(open.size()));
    }

    static final Step[] STEPS = {
        (v, r, o) -> v.getSecurityByName(name(r)),
        (v, r, o) -> o.add(v.open(name(r), r.nextInt(3) << 24, VolumeHarness.RW).context()),
        (v, r, o) -> o.add(v.create(name(r), (CreateOptions.FILE_CREATE << 24)
                | (r.nextBoolean() ? CreateOptions.FILE_DIRECTORY_FILE : 0), VolumeHarness.RW, 0, null, 0).context()),
        (v, r, o) -> v.getFileInfo(any(r, o)),
        (v, r, o) -> v.readDirectory(any(r, o), null, r.nextBoolean() ? null : "a", e -> true),
        (v, r, o) -> v.read(any(r, o), ByteBuffer.allocateDirect(65536), r.nextInt(10_000), 1 + r.nextInt(65536)),
        (v, r, o) -> v.write(any(r, o), ByteBuffer.allocate(4096), r.nextInt(10_000), 1 + r.nextInt(4096),
                r.nextBoolean(), false),
        (v, r, o) -> {
            v.rename(any(r, o), null, name(r), r.nextBoolean());
            return null;
        },
        (v, r, o) -> v.getStreamInfo(any(r, o)),
        (v, r, o) -> v.getDirInfoByName(any(r, o), "x"),
        (v, r, o) -> v.getSecurity(any(r, o)),
        (v, r, o) -> v.setBasicInfo(any(r, o), FileAttributes.HIDDEN, 0, 0, 132_000_000_000_000_000L, 0),
        (v, r, o) -> v.setFileSize(any(r, o), r.nextInt(100_000), r.nextBoolean()),
        (v, r, o) -> v.resolveReparsePoints(name(r) + "\\more", 0, r.nextBoolean()),
        (v, r, o) -> v.getReparsePoint(any(r, o), null),
        (v, r, o) -> {
            v.setDelete(any(r, o), null, true);
            return null;
        },
        (v, r, o) -> v.getVolumeInfo(),
        (v, r, o) -> v.getEa(any(r, o)),
        (v, r, o) -> {
            FileContext c = any(r, o);
            v.cleanup(c, null, r.nextBoolean() ? CleanupFlags.DELETE : CleanupFlags.SET_LAST_WRITE_TIME);
            return null;
        },
        (v, r, o) -> {
            if (o.size() > 1) {
                v.close(o.remove(1 + r.nextInt(o.size() - 1)));
            }
            return null;
        },
    };

    @Test
    void mutatedRepliesGiveOnlyStatusesWithinTheBound() throws Exception {
        long seed = Long.getLong("viofs.fuzz.seed", 20261203L);
        int steps = Integer.getInteger("viofs.fuzz.volumeSteps", 1500);
        Logger viofs = Logger.getLogger("org.viofs");
        Level saved = viofs.getLevel();
        viofs.setLevel(Level.OFF); // expected refusals are logged by the volume; a divergence is reported here
        Map<String, Integer> outcomes;
        try {
            outcomes = fuzz(seed, steps, 20);
        } finally {
            viofs.setLevel(saved);
        }
        System.out.println("VolumeFuzzTest seed " + seed + ", " + steps + " callbacks: " + outcomes);
        assertTrue(outcomes.getOrDefault("success", 0) > 0, "some callbacks succeeded: " + outcomes);
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("STATUS_IO_DEVICE_ERROR")),
                "some damaged replies were refused: " + outcomes);
    }

    /** Runs {@code steps} callbacks over fresh volumes; fails at the first divergence. */
    static Map<String, Integer> fuzz(long seed, int steps, int mutatePercent) throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(run -> {
            Thread th = new Thread(run, "volume-fuzz");
            th.setDaemon(true);
            return th;
        });
        try {
            int step = 0;
            for (int mount = 0; step < steps; mount++) {
                long volumeSeed = seed * 31 + mount;
                MutatingTransport t = MutatingTransport.seeded(volumeSeed, mutatePercent);
                Random r = new Random(volumeSeed ^ 0x5DEECE66DL);
                VolumeConfig config = VolumeConfig.builder().xattrs(r.nextBoolean()).caseInsensitive(r.nextBoolean())
                        .build();
                Object mounted = bounded(worker, () -> FuseVolume.mount(o -> FuseClient.init(t, o), config), true, seed,
                        mount, step, t);
                if (!(mounted instanceof FuseVolume v)) {
                    outcomes.merge("mount refused", 1, Integer::sum);
                    step++;
                    continue;
                }
                try {
                    List<FileContext> open = new ArrayList<>();
                    Object root = bounded(worker, () -> v.open("\\", CreateOptions.FILE_DIRECTORY_FILE, VolumeHarness.R),
                            false, seed, mount, step, t);
                    if (!(root instanceof OpenResult or)) {
                        outcomes.merge("root open refused", 1, Integer::sum);
                        step++;
                        continue;
                    }
                    open.add(or.context());
                    for (int i = 0; i < STEPS_PER_VOLUME && step < steps; i++, step++) {
                        int which = r.nextInt(STEPS.length);
                        Object out = bounded(worker, () -> STEPS[which].run(v, r, open), false, seed, mount, step, t);
                        String outcome = out instanceof NtStatusException e ? NtStatus.describe(e.status()) : "success";
                        if (out instanceof NtStatusException e && e.status() == NtStatus.INTERNAL_ERROR) {
                            throw new AssertionError(divergence(seed, mount, step, t, "STATUS_INTERNAL_ERROR (a bug) in step #"
                                    + which), e);
                        }
                        outcomes.merge(outcome, 1, Integer::sum);
                    }
                } finally {
                    v.close();
                }
            }
        } finally {
            worker.shutdownNow();
        }
        return outcomes;
    }

    /**
     * Runs one call within the bound: its result, or the NtStatusException it threw (for mount, which
     * is no callback, also a FUSE refusal or a malformed reply); anything else fails the test with
     * seed, mount and step.
     */
    private static Object bounded(ExecutorService worker, Callable<Object> call, boolean isMount, long seed, int mount,
                                  int step, MutatingTransport t) throws InterruptedException {
        Future<Object> f = worker.submit(call);
        try {
            return f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NtStatusException || (isMount && (cause instanceof FuseProtocolException
                    || cause instanceof FuseErrnoException))) {
                return cause;
            }
            throw new AssertionError(divergence(seed, mount, step, t, "threw " + cause), cause);
        } catch (TimeoutException e) {
            f.cancel(true);
            fail(divergence(seed, mount, step, t, "still running after " + BOUND_SECONDS + " s"));
            return null;
        }
    }

    private static String divergence(long seed, int mount, int step, MutatingTransport t, String what) {
        return "volume fuzz divergence: seed " + seed + ", mount " + mount + ", step " + step + ", last request "
                + t.lastOpcode() + ", mutation [" + t.lastMutation() + "]: " + what;
    }
}
