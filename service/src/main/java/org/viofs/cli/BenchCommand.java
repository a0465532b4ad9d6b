package org.viofs.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.viofs.bridge.vhostuser.VhostUserConfig;
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.fuse.abi.CreateOut;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseFlags;
import org.viofs.fuse.OpenFlags;
import org.viofs.volume.VolumeConfig;

import com.google.gson.GsonBuilder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code viofs bench}: measures the FUSE client against a real virtiofsd. The {@code io} workload times
 * GETATTR round trips and sequential READ/WRITE with max_write-sized requests at several depths; the
 * {@code ops} workload counts the FUSE requests the volume sends per Windows operation (exact, the main
 * efficiency metric); the {@code volume} workload ({@link VolumeBench}) times the volume's callbacks as
 * WinFsp calls them, next to the raw transport. Figures are for notes and comparisons, never for assertions.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the FUSE client (io: GETATTR latency, sequential READ/WRITE) or count FUSE requests per Windows operation (ops).")
public final class BenchCommand implements Runnable {
    private static final long MIB = 1024 * 1024;
    private static final String BENCH_FILE = "viofs-bench.bin";
    /** GETATTRs per block when client and raw calls alternate. */
    private static final int GETATTR_BLOCK = 500;
    /** Least GETATTR pairs (client and raw) sent before measuring; see {@link #io}. */
    private static final int GETATTR_WARMUP = 20_000;
    /** Least time spent warming up before the GETATTRs are measured. */
    private static final long GETATTR_WARMUP_NANOS = 1_500_000_000L;
    /** Depth-1 READ passes per path for the raw comparison; the best of each counts. */
    private static final int READ_ROUNDS = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    ShareOptions share = new ShareOptions();

    @Option(names = "--workload", defaultValue = "io", description = "io, ops or volume (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--getattr-count", defaultValue = "10000", paramLabel = "N",
            description = "GETATTR round trips measured, after a fifth as many (at least 20,000) for warm-up (default: ${DEFAULT-VALUE}).")
    int getattrCount;

    @Option(names = "--file-mib", defaultValue = "256", paramLabel = "MIB",
            description = "Size of the sequential READ/WRITE file in MiB (default: ${DEFAULT-VALUE}).")
    int fileMib;

    @Option(names = "--files", defaultValue = "10000", paramLabel = "N",
            description = "volume workload: files created, then deleted (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(names = "--list-entries", defaultValue = "10000,100000", split = ",", paramLabel = "N",
            description = "volume workload: entries of the two listed directories (default: ${DEFAULT-VALUE}).")
    List<Integer> listEntries;

    @Option(names = "--samples", defaultValue = "10000", paramLabel = "N",
            description = "volume workload: timed GetFileInfo calls and open+close cycles (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--random-reads", defaultValue = "100000", paramLabel = "N",
            description = "volume workload: 4 KiB reads per random-read pass (default: ${DEFAULT-VALUE}).")
    int randomReads;

    @Option(names = "--inflight", defaultValue = "1,4,8", split = ",", paramLabel = "N",
            description = "Requests in flight for READ/WRITE (default: ${DEFAULT-VALUE}).")
    List<Integer> inflight;

    @Option(names = "--spin-micros", defaultValue = "0", paramLabel = "US",
            description = "How long a waiting caller busy-polls the used ring before blocking on the call eventfd "
                    + "(default: ${DEFAULT-VALUE}; spinning steals the daemon's CPU on small machines).")
    int spinMicros;

    /** One in-flight setting's figures. */
    record Depth(int inflight, double readMiBps, double writeMiBps) {
    }

    /**
     * The io workload's JSON shape. The {@code raw…} figures are the same work sent as hand-encoded
     * requests straight through the transport, interleaved with the client's, so the client's overhead
     * is measured in one run on one machine state.
     */
    record IoResult(double getattrMedianMicros, double getattrP99Micros, double readMiBps, double writeMiBps,
                    List<Depth> byInflight, double rawGetattrMedianMicros, double rawGetattrP99Micros,
                    double rawReadMiBps, double clientReadMiBpsDepth1, int requestBytes, long fileBytes,
                    int getattrCount) {
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        switch (workload) {
            case "io" -> runIo(out);
            case "ops" -> runOps(out);
            case "volume" -> runVolume(out);
            default -> throw new ExitCodes.UserError(ExitCodes.USAGE,
                    "--workload must be io, ops or volume, was '" + workload + "'");
        }
        out.flush();
    }

    private void runIo(PrintWriter out) {
        if (getattrCount < 1 || fileMib < 1 || inflight.isEmpty() || inflight.stream().anyMatch(n -> n < 1 || n > 64)) {
            throw new ExitCodes.UserError(ExitCodes.USAGE,
                    "--getattr-count and --file-mib must be ≥ 1, --inflight values in 1..64");
        }
        if (spinMicros < 0) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "--spin-micros must be ≥ 0, was " + spinMicros);
        }
        VhostUserConfig config = VhostUserConfig.builder().spinNanos(spinMicros * 1000L).build();
        int slots = inflight.stream().mapToInt(Integer::intValue).max().orElse(1);
        if (slots > config.maxInFlight()) {
            // two descriptors per request, and the queue size must be a power of two
            config = config.toBuilder().maxInFlight(slots).queueSize(Integer.highestOneBit(4 * slots - 1)).build();
        }
        IoResult r;
        Optional<VirtiofsdBinary> daemon;
        try (ShareSession s = ShareSession.open(share, config, null)) {
            daemon = s.daemonBinary();
            r = io(s.client(), (long) fileMib * MIB);
        }
        if (json) {
            var gson = new GsonBuilder().disableHtmlEscaping().create();
            out.println(gson.toJson(DaemonReport.withDaemon(gson.toJsonTree(r), daemon)));
            return;
        }
        out.println(DaemonReport.line(daemon));
        out.printf("GETATTR round trip (%d calls, queue depth 1): median %.2f µs, p99 %.2f µs%n", r.getattrCount(),
                r.getattrMedianMicros(), r.getattrP99Micros());
        out.printf("sequential I/O, %d MiB file, %d KiB requests:%n", r.fileBytes() / MIB, r.requestBytes() / 1024);
        for (Depth d : r.byInflight()) {
            out.printf("  %2d in flight: READ %8.0f MiB/s   WRITE %8.0f MiB/s%n", d.inflight(), d.readMiBps(),
                    d.writeMiBps());
        }
        out.printf("best: READ %.0f MiB/s, WRITE %.0f MiB/s%n", r.readMiBps(), r.writeMiBps());
        out.printf("raw transport, same run: GETATTR median %.2f µs (client %+.0f%%), READ depth 1 %.0f MiB/s "
                        + "(client %.0f MiB/s, %+.0f%%)%n", r.rawGetattrMedianMicros(),
                percent(r.getattrMedianMicros(), r.rawGetattrMedianMicros()), r.rawReadMiBps(),
                r.clientReadMiBpsDepth1(), percent(r.clientReadMiBpsDepth1(), r.rawReadMiBps()));
    }

    IoResult io(FuseClient c, long fileBytes) {
        CreateOut file = c.create(FuseFlags.ROOT_ID, BENCH_FILE, OpenFlags.O_RDWR, 0644, 0);
        long node = file.entry().nodeId();
        long fh = file.open().fh();
        try {
            int chunk = Math.min(c.limits().maxReadChunk(), c.limits().maxWriteChunk());
            // WRITE first so the file exists at full size; the first pass also warms the JIT and the pages
            sequentialWrite(c, node, fh, fileBytes, chunk, 1);
            sequentialRead(c, node, fh, fileBytes, chunk, 1);

            RawRequests raw = new RawRequests(c.transport(), node, fh);
            // long enough for the JIT to finish with the request path: C2 wants ~15,000 calls of a method, and
            // with the JVM pinned to one CPU its compiler threads share that CPU, so the compiled code can come
            // a second later. A warm-up of 2,000 calls left part of the measured ones in profiled C1 code.
            int warm = Math.max(getattrCount / 5, GETATTR_WARMUP);
            long warmUntil = System.nanoTime() + GETATTR_WARMUP_NANOS;
            for (int i = 0; i < warm || System.nanoTime() - warmUntil < 0; i++) {
                c.getattr(node);
                raw.getattr();
            }
            // client and raw calls alternate in blocks, so load from elsewhere hits both alike
            long[] samples = new long[getattrCount];
            long[] rawSamples = new long[getattrCount];
            for (int from = 0; from < getattrCount; from += GETATTR_BLOCK) {
                int to = Math.min(getattrCount, from + GETATTR_BLOCK);
                for (int i = from; i < to; i++) {
                    long t0 = System.nanoTime();
                    c.getattr(node);
                    samples[i] = System.nanoTime() - t0;
                }
                for (int i = from; i < to; i++) {
                    long t0 = System.nanoTime();
                    raw.getattr();
                    rawSamples[i] = System.nanoTime() - t0;
                }
            }
            LatencyStats lat = new LatencyStats(samples);
            LatencyStats rawLat = new LatencyStats(rawSamples);

            double clientRead = 0;
            double rawRead = 0;
            for (int round = 0; round < READ_ROUNDS; round++) {
                clientRead = Math.max(clientRead, sequentialRead(c, node, fh, fileBytes, chunk, 1));
                rawRead = Math.max(rawRead, timed(1, fileBytes, () -> raw.readAll(fileBytes, chunk)));
            }

            List<Depth> depths = new ArrayList<>();
            for (int n : inflight) {
                double w = sequentialWrite(c, node, fh, fileBytes, chunk, n);
                double rd = sequentialRead(c, node, fh, fileBytes, chunk, n);
                depths.add(new Depth(n, round(rd), round(w)));
            }
            double bestRead = depths.stream().mapToDouble(Depth::readMiBps).max().orElse(0);
            double bestWrite = depths.stream().mapToDouble(Depth::writeMiBps).max().orElse(0);
            return new IoResult(round2(lat.medianMicros()), round2(lat.p99Micros()), bestRead, bestWrite, depths,
                    round2(rawLat.medianMicros()), round2(rawLat.p99Micros()), round(rawRead), round(clientRead),
                    chunk, fileBytes, getattrCount);
        } finally {
            c.release(node, fh, OpenFlags.O_RDWR);
            c.unlink(FuseFlags.ROOT_ID, BENCH_FILE);
            c.nodes().forgetAll(node);
        }
    }

    /** MiB/s for one pass over the file, {@code depth} requests in flight, chunks handed out in order. */
    private static double sequentialRead(FuseClient c, long node, long fh, long fileBytes, int chunk, int depth) {
        AtomicLong next = new AtomicLong();
        return timed(depth, fileBytes, () -> {
            long sink = 0;
            long off;
            while ((off = next.getAndAdd(chunk)) < fileBytes) {
                int want = (int) Math.min(chunk, fileBytes - off);
                long[] touched = {0};
                long got = c.read(node, fh, off, want, (at, data) -> touched[0] += data.get(0));
                if (got != want) {
                    throw new IllegalStateException("short READ at " + off + ": " + got + " of " + want + " bytes");
                }
                sink += touched[0];
            }
            return sink;
        });
    }

    private static double sequentialWrite(FuseClient c, long node, long fh, long fileBytes, int chunk, int depth) {
        AtomicLong next = new AtomicLong();
        return timed(depth, fileBytes, () -> {
            ByteBuffer data = ByteBuffer.allocateDirect(chunk);
            for (int i = 0; i < chunk; i++) {
                data.put(i, (byte) (i * 31 + 7));
            }
            long off;
            while ((off = next.getAndAdd(chunk)) < fileBytes) {
                int n = (int) Math.min(chunk, fileBytes - off);
                ByteBuffer src = data.duplicate().limit(n);
                int wrote = c.write(node, fh, off, src);
                if (wrote != n) {
                    throw new IllegalStateException("short WRITE at " + off + ": " + wrote + " of " + n + " bytes");
                }
            }
            return 0L;
        });
    }

    private static double timed(int depth, long bytes, java.util.concurrent.Callable<Long> worker) {
        ExecutorService pool = Executors.newFixedThreadPool(depth, r -> {
            Thread t = new Thread(r, "viofs-bench");
            t.setDaemon(true);
            return t;
        });
        try {
            long t0 = System.nanoTime();
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < depth; i++) {
                fs.add(pool.submit(worker));
            }
            for (Future<Long> f : fs) {
                f.get(10, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return bytes / (double) MIB / seconds;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a benchmark pass took over 10 minutes", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private void runOps(PrintWriter out) {
        Map<String, Long> requests = OpsBench.run(share);
        if (json) {
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("requests", requests);
            out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(top));
            return;
        }
        out.println("FUSE requests per Windows operation:");
        requests.forEach((k, v) -> out.printf("  %-26s %4d%n", k, v));
    }

    private void runVolume(PrintWriter out) {
        if (share.socket != null) {
            throw new ExitCodes.UserError(ExitCodes.USAGE,
                    "the volume workload prepares its directories on the host, so it needs our own virtiofsd (--dir or none), not --socket");
        }
        if (listEntries.size() != 2) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "--list-entries takes two sizes, e.g. 10000,100000");
        }
        VolumeBench.Sizes sizes;
        try {
            sizes = VolumeBench.Sizes.builder().fileMib(fileMib).files(files)
                    .listings(listEntries.get(0), listEntries.get(1)).latencySamples(samples)
                    .randomReads(randomReads).build();
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, e.getMessage());
        }
        VolumeBench.Result r;
        Optional<VirtiofsdBinary> daemon;
        try (ShareSession s = ShareSession.openVolume(share, VhostUserConfig.defaults(), null,
                VolumeConfig.builder().build())) {
            daemon = s.daemonBinary();
            r = VolumeBench.run(s.volume(), s.counter(), s.sharedDir(), sizes);
        }
        if (json) {
            var gson = new GsonBuilder().disableHtmlEscaping().create();
            var tree = DaemonReport.withDaemon(gson.toJsonTree(r.figures()), daemon);
            if (!r.failures().isEmpty()) {
                tree.add("failures", gson.toJsonTree(r.failures()));
            }
            out.println(gson.toJson(tree));
        } else {
            out.println(DaemonReport.line(daemon));
            out.println("FuseVolume callbacks as WinFsp calls them (keys as in --json; README \"Bench: the volume workload\"):");
            r.figures().forEach((k, v) -> out.printf("  %-26s %s%n", k, v));
            r.failures().forEach(f -> out.println("FAILED " + f));
        }
        if (!r.failures().isEmpty()) {
            out.flush();
            throw new ExitCodes.UserError(ExitCodes.CHECK_FAILED, "the volume workload ran with "
                    + r.failures().size() + " failure(s): " + String.join("; ", r.failures()));
        }
    }

    private static double percent(double value, double base) {
        return base == 0 ? 0 : (value / base - 1) * 100;
    }

    private static double round(double v) {
        return Math.round(v);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
