package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.viofs.fuse.abi.SetattrIn;

/**
 * Seeded, bounded reply fuzzing of the FUSE client: every call of the client's API, answered with a
 * damaged well-formed reply, may only return a decoded result or throw {@link FuseErrnoException} or
 * {@link FuseProtocolException}, and must finish within {@link #BOUND_SECONDS}. Anything else is a
 * divergence, reported with the seed and iteration that reproduce it.
 *
 * <p>Part of every test run at a small size. Longer by hand:
 * {@code mvn -pl service -am verify -Dtest=ReplyFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dviofs.fuzz.iterations=1000000 -Dviofs.fuzz.seed=42}.
 */
class ReplyFuzzTest {
    /** Bound on one client call, seconds: far above what any call takes; only a hang reaches it. */
    static final int BOUND_SECONDS = 10;

    /** One client operation, its arguments drawn from the seeded source. */
    @FunctionalInterface
    interface Call {
        Object run(FuseClient c, Random r);
    }

    static final Call[] CALLS = {
        (c, r) -> c.lookup(1, "name" + r.nextInt(5)),
        (c, r) -> c.getattr(2 + r.nextInt(10)),
        (c, r) -> c.getattr(2, r.nextInt(4)),
        (c, r) -> c.setattr(2, SetattrIn.builder().size(r.nextInt(4096)).build()),
        (c, r) -> c.mkdir(1, "d" + r.nextInt(5), 0755, 022),
        (c, r) -> c.create(1, "f" + r.nextInt(5), OpenFlags.O_RDWR, 0644, 022),
        (c, r) -> c.symlink(1, "l", "target"),
        (c, r) -> c.link(2, 1, "hard"),
        (c, r) -> c.readlink(3),
        (c, r) -> {
            c.unlink(1, "f");
            return null;
        },
        (c, r) -> {
            c.rmdir(1, "d");
            return null;
        },
        (c, r) -> {
            c.rename(1, "a", 1, "b", r.nextBoolean() ? 0 : FuseFlags.RENAME_NOREPLACE);
            return null;
        },
        (c, r) -> c.open(2, OpenFlags.O_RDONLY),
        (c, r) -> c.opendir(1),
        (c, r) -> {
            c.release(2, 1, OpenFlags.O_RDONLY);
            return null;
        },
        (c, r) -> {
            c.flush(2, 1);
            return null;
        },
        (c, r) -> {
            c.fsync(2, 1, r.nextBoolean());
            return null;
        },
        (c, r) -> {
            c.fallocate(2, 1, 0, 0, 4096);
            return null;
        },
        (c, r) -> c.lseek(2, 1, 0, 3),
        (c, r) -> c.statfs(1),
        (c, r) -> c.read(2, 1, 0, ByteBuffer.allocate(1 + r.nextInt(200_000))),
        (c, r) -> c.read(2, 1, 0, ByteBuffer.allocateDirect(1 + r.nextInt(200_000))),
        (c, r) -> c.write(2, 1, 0, ByteBuffer.allocate(1 + r.nextInt(100_000))),
        (c, r) -> c.readdirplus(1, 1, r.nextBoolean() ? 0 : r.nextInt(10)),
        (c, r) -> c.readdir(1, 1, 0),
        (c, r) -> c.getxattr(2, "user.a"),
        (c, r) -> c.getxattrSize(2, "user.a"),
        (c, r) -> {
            c.setxattr(2, "user.a", new byte[r.nextInt(100)], 0);
            return null;
        },
        (c, r) -> c.listxattr(2),
        (c, r) -> {
            c.removexattr(2, "user.a");
            return null;
        },
    };

    @Test
    void mutatedRepliesGiveOnlyDocumentedOutcomesWithinTheBound() throws Exception {
        long seed = Long.getLong("viofs.fuzz.seed", 20261203L);
        int iterations = Integer.getInteger("viofs.fuzz.iterations", 3000);
        Map<String, Integer> outcomes = fuzz(seed, iterations, 80);
        System.out.println("ReplyFuzzTest seed " + seed + ", " + iterations + " calls: " + outcomes);
        assertTrue(outcomes.getOrDefault("result", 0) > 0, "some calls got through: " + outcomes);
        assertTrue(outcomes.getOrDefault("FuseErrnoException", 0) > 0, "some were refused: " + outcomes);
        assertTrue(outcomes.getOrDefault("FuseProtocolException", 0) > 0, "some replies were refused: " + outcomes);
    }

    /** Runs {@code iterations} calls; fails at the first divergence, naming seed and iteration. */
    static Map<String, Integer> fuzz(long seed, int iterations, int mutatePercent) throws Exception {
        MutatingTransport t = MutatingTransport.seeded(seed, mutatePercent);
        Random r = new Random(seed ^ 0x5DEECE66DL);
        FuseClient c = FuseClient.init(t);
        Map<String, Integer> outcomes = new TreeMap<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(run -> {
            Thread th = new Thread(run, "fuzz-call");
            th.setDaemon(true);
            return th;
        });
        try {
            for (int i = 0; i < iterations; i++) {
                int which = r.nextInt(CALLS.length);
                Future<Object> f = worker.submit(() -> CALLS[which].run(c, r));
                String outcome;
                try {
                    f.get(BOUND_SECONDS, TimeUnit.SECONDS);
                    outcome = "result";
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (!(cause instanceof FuseErrnoException || cause instanceof FuseProtocolException)) {
                        throw new AssertionError(divergence(seed, i, which, t, "threw " + cause), cause);
                    }
                    outcome = cause.getClass().getSimpleName();
                } catch (TimeoutException e) {
                    f.cancel(true);
                    fail(divergence(seed, i, which, t, "still running after " + BOUND_SECONDS + " s"));
                    return outcomes;
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
        } finally {
            worker.shutdownNow();
        }
        return outcomes;
    }

    private static String divergence(long seed, int iteration, int call, MutatingTransport t, String what) {
        return "fuzz divergence: seed " + seed + ", iteration " + iteration + ", call #" + call + ", last request "
                + t.lastOpcode() + ", mutation [" + t.lastMutation() + "]: " + what;
    }
}
