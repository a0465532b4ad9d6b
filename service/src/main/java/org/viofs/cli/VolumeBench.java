package org.viofs.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseFlags;
import org.viofs.fuse.OpenFlags;
import org.viofs.fuse.RequestCounter;
import org.viofs.volume.CleanupFlags;
import org.viofs.volume.CreateOptions;
import org.viofs.volume.FileAttributes;
import org.viofs.volume.FileContext;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.ListingWorkload;
import org.viofs.volume.OpsWorkload;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.PosixSecurity;

import com.sun.jna.Memory;

/**
 * The {@code volume} workload of {@code viofs bench}: {@link FuseVolume}'s callbacks called as WinFsp's
 * dispatcher calls them (the sequences of docs/winfsp-native.md §2.1, data in direct buffers over native
 * memory as the binding hands them over), timed, with the FUSE requests each sends counted, and the same
 * sequential I/O sent raw through the transport in the same run for the ratio.
 *
 * <p>Every figure is one entry of the result map, in {@link #KEYS} order; the README's bench section
 * explains each key. Sizes come from {@link Sizes} so a test can run the whole workload small. The
 * files are prepared on the host directory (the listings' directories) or through the volume (the rest).
 *
 * <p>Not thread-safe; run it alone on a fresh share directory with nothing else using the session.
 */
public final class VolumeBench {
    private static final long MIB = 1024 * 1024;
    /** The call sizes of the sequential passes: WinFsp hands large reads through whole, Explorer copies in 1 MiB, many programs in 64 KiB. */
    private static final int LARGE_CALL = 1024 * 1024;
    private static final int SMALL_CALL = 64 * 1024;
    private static final int PAGE = 4096;
    /** Threads of the parallel random-read pass. */
    static final int RANDOM_THREADS = 8;
    /** Passes per sequential setting, volume and raw alternating; the best of each counts. */
    private static final int ROUNDS = 5;
    /**
     * Untimed passes of each call size, volume and raw, before the timed rounds: enough callbacks
     * (4,096 per pass of the default file at 64 KiB) for the JIT to compile the Read and Write paths,
     * which one pass of 1 MiB calls (256 callbacks) does not; the service runs warm.
     */
    private static final int WARM_PASSES = 2;
    /** Least untimed calls before a latency is measured (see {@link #warmUp}). */
    private static final int WARM_CALLS = 20_000;
    /** Least time spent on them, ms. */
    private static final long WARM_MILLIS = 1000;
    /** Entries of the directory listed untimed before the timed listings, so they run compiled code. */
    private static final int WARM_LISTING = 2000;
    /** Untimed listings of that directory. */
    private static final int WARM_LISTINGS = 10;
    /** Entries between two heap measurements while listing (see {@link #peakHeapWhileListing}). */
    private static final int HEAP_SAMPLE_EVERY = 1000;

    /** Every key of the result, in output order (the README documents each). */
    public static final List<String> KEYS = List.of(
            "seqReadMiBps", "seqReadRawMiBps", "seqReadRatio",
            "seqRead64kMiBps", "seqRead64kRawMiBps", "seqRead64kRatio",
            "seqWriteMiBps", "seqWriteRawMiBps", "seqWriteRatio",
            "seqWrite64kMiBps", "seqWrite64kRawMiBps", "seqWrite64kRatio",
            "seqReadRequestsPerCall", "seqWriteRequestsPerCall",
            "randRead4kIops", "randRead4k8ThreadsIops", "randRead4kRequestsPerCall",
            "getFileInfoMedianMicros", "getFileInfoP99Micros", "getFileInfoRequests",
            "openCloseMedianMicros", "openCloseP99Micros", "openCloseRequests",
            "createOpsPerSec", "createRequests", "deleteOpsPerSec", "deleteRequests",
            "list10kEntriesPerSec", "list10kRequests", "list10kRepeatEntriesPerSec", "list10kPeakHeapMiB",
            "list100kEntriesPerSec", "list100kRequests", "list100kRepeatEntriesPerSec", "list100kPeakHeapMiB",
            "fileBytes", "files", "list10kEntries", "list100kEntries", "latencySamples", "randomReads");

    /**
     * How much work each part does; {@link #defaults()} is what {@code viofs bench --workload volume}
     * runs without options. Immutable.
     */
    public static final class Sizes {
        final long fileBytes;
        final int files;
        final int smallListing;
        final int largeListing;
        final int latencySamples;
        final int randomReads;

        private Sizes(Builder b) {
            this.fileBytes = b.fileBytes;
            this.files = b.files;
            this.smallListing = b.smallListing;
            this.largeListing = b.largeListing;
            this.latencySamples = b.latencySamples;
            this.randomReads = b.randomReads;
        }

        /** 256 MiB file, 10,000 files, listings of 10,000 and 100,000 entries, 10,000 latency samples, 100,000 random reads. */
        public static Sizes defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Not thread-safe. */
        public static final class Builder {
            private long fileBytes = 256 * MIB;
            private int files = 10_000;
            private int smallListing = 10_000;
            private int largeListing = 100_000;
            private int latencySamples = 10_000;
            private int randomReads = 100_000;

            private Builder() {
            }

            /** Size of the sequential file, a whole number of MiB (so 1 MiB and 64 KiB calls tile it). */
            public Builder fileMib(int mib) {
                this.fileBytes = mib * MIB;
                return this;
            }

            /** Files created (then deleted) one by one. */
            public Builder files(int n) {
                this.files = n;
                return this;
            }

            /** Entries of the two listed directories (default 10,000 and 100,000). */
            public Builder listings(int small, int large) {
                this.smallListing = small;
                this.largeListing = large;
                return this;
            }

            /** Timed GetFileInfo calls and open+close cycles, each after a warm-up (see {@link VolumeBench#warmUp}). */
            public Builder latencySamples(int n) {
                this.latencySamples = n;
                return this;
            }

            /** 4 KiB reads per random-read pass (1 thread, then {@value VolumeBench#RANDOM_THREADS}). */
            public Builder randomReads(int n) {
                this.randomReads = n;
                return this;
            }

            /** @throws IllegalArgumentException naming the size out of range */
            public Sizes build() {
                if (fileBytes < MIB) {
                    throw new IllegalArgumentException("the file must be at least 1 MiB");
                }
                if (files < 1 || smallListing < 1 || largeListing < 1 || latencySamples < 1 || randomReads < 1) {
                    throw new IllegalArgumentException("files, listings, latency samples and random reads must be ≥ 1");
                }
                return new Sizes(this);
            }
        }
    }

    private final FuseVolume volume;
    private final FuseClient client;
    private final RequestCounter counter;
    private final Path shareDir;
    private final Sizes sizes;
    private final Map<String, Number> out = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    private VolumeBench(FuseVolume volume, RequestCounter counter, Path shareDir, Sizes sizes) {
        this.volume = volume;
        this.client = volume.client();
        this.counter = counter;
        this.shareDir = shareDir;
        this.sizes = sizes;
    }

    /**
     * The figures of one run, every key of {@link #KEYS} in that order, and what failed: a listing the
     * volume could not complete (e.g. the daemon out of file descriptors) is reported here with its
     * figures 0 rather than ending the run. Empty failures: everything ran.
     */
    public record Result(Map<String, Number> figures, List<String> failures) {
    }

    /**
     * Runs the whole workload.
     *
     * @param volume   a freshly mounted volume over our own daemon
     * @param counter  counts the requests of the volume's client
     * @param shareDir the host directory that daemon serves (the listings' files are made there)
     */
    public static Result run(FuseVolume volume, RequestCounter counter, Path shareDir, Sizes sizes) {
        VolumeBench b = new VolumeBench(volume, counter, shareDir, sizes);
        b.sequential();
        b.latencies();
        b.createAndDelete();
        b.warmListing();
        b.listing("list10k", "bench-list-small", sizes.smallListing);
        b.listing("list100k", "bench-list-large", sizes.largeListing);
        b.out.put("fileBytes", sizes.fileBytes);
        b.out.put("files", sizes.files);
        b.out.put("list10kEntries", sizes.smallListing);
        b.out.put("list100kEntries", sizes.largeListing);
        b.out.put("latencySamples", sizes.latencySamples);
        b.out.put("randomReads", sizes.randomReads);
        Map<String, Number> ordered = new LinkedHashMap<>();
        for (String k : KEYS) {
            Number v = b.out.get(k);
            if (v == null) {
                throw new IllegalStateException("the volume workload did not measure " + k);
            }
            ordered.put(k, v);
        }
        return new Result(ordered, List.copyOf(b.failures));
    }

    // ------------------------------------------------------------------ sequential and random I/O

    private void sequential() {
        String name = "bench-seq.bin";
        String path = "\\" + name;
        long bytes = sizes.fileBytes;
        FileContext c = create(path);
        try {
            // the first pass makes the file its full size; then the JIT warms up on both call sizes; untimed
            writePass(c, bytes, LARGE_CALL);
            for (int i = 0; i < WARM_PASSES; i++) {
                for (int call : new int[] {LARGE_CALL, SMALL_CALL}) {
                    writePass(c, bytes, call);
                    readPass(c, bytes, call);
                }
            }
            long fh;
            long node = client.lookup(FuseFlags.ROOT_ID, name).nodeId();
            try {
                fh = client.open(node, OpenFlags.O_RDWR).fh();
                try {
                    RawRequests raw = new RawRequests(client.transport(), node, fh);
                    for (int i = 0; i < WARM_PASSES; i++) {
                        for (int call : new int[] {LARGE_CALL, SMALL_CALL}) {
                            raw.writeAll(bytes, call);
                            raw.readAll(bytes, call);
                        }
                    }
                    for (int call : new int[] {LARGE_CALL, SMALL_CALL}) {
                        String suffix = call == LARGE_CALL ? "" : "64k";
                        double read = 0;
                        double rawRead = 0;
                        double write = 0;
                        double rawWrite = 0;
                        for (int round = 0; round < ROUNDS; round++) {
                            write = Math.max(write, mibps(bytes, () -> writePass(c, bytes, call)));
                            rawWrite = Math.max(rawWrite, mibps(bytes, () -> raw.writeAll(bytes, call)));
                            read = Math.max(read, mibps(bytes, () -> readPass(c, bytes, call)));
                            rawRead = Math.max(rawRead, mibps(bytes, () -> raw.readAll(bytes, call)));
                        }
                        out.put("seqRead" + suffix + "MiBps", round(read));
                        out.put("seqRead" + suffix + "RawMiBps", round(rawRead));
                        out.put("seqRead" + suffix + "Ratio", round2(read / rawRead));
                        out.put("seqWrite" + suffix + "MiBps", round(write));
                        out.put("seqWrite" + suffix + "RawMiBps", round(rawWrite));
                        out.put("seqWrite" + suffix + "Ratio", round2(write / rawWrite));
                    }
                } finally {
                    client.release(node, fh, OpenFlags.O_RDWR);
                }
            } finally {
                client.forget(node, 1);
            }
            long calls = bytes / LARGE_CALL;
            out.put("seqReadRequestsPerCall", round2(counted(() -> readPass(c, bytes, LARGE_CALL)) / (double) calls));
            out.put("seqWriteRequestsPerCall", round2(counted(() -> writePass(c, bytes, LARGE_CALL)) / (double) calls));
            random(c, bytes);
        } finally {
            close(c, 0);
        }
    }

    /** One pass over the file in {@code call}-byte Read callbacks, each into a native buffer of that size. */
    private long readPass(FileContext c, long bytes, int call) {
        ByteBuffer buffer = nativeBuffer(call);
        long sink = 0;
        for (long off = 0; off < bytes; off += call) {
            int n = volume.read(c, buffer, off, call);
            if (n != call) {
                throw new IllegalStateException("short Read at " + off + ": " + n + " of " + call + " bytes");
            }
            sink += buffer.get(0);
        }
        return sink;
    }

    /** One pass over the file in {@code call}-byte Write callbacks from a read-only native buffer, as the binding passes it. */
    private long writePass(FileContext c, long bytes, int call) {
        ByteBuffer data = pattern(call).asReadOnlyBuffer();
        for (long off = 0; off < bytes; off += call) {
            int n = volume.write(c, data, off, call, false, false).bytesTransferred();
            if (n != call) {
                throw new IllegalStateException("short Write at " + off + ": " + n + " of " + call + " bytes");
            }
        }
        return 0;
    }

    /** 4 KiB Reads at random page offsets on one open handle, from 1 thread, then from {@link #RANDOM_THREADS}. */
    private void random(FileContext c, long bytes) {
        long pages = bytes / PAGE;
        int n = sizes.randomReads;
        // untimed warm-ups, one per thread count: the paths where callers wait for each other in the
        // transport are compiled only once they run, and before that the 8-thread pass ran at 35-60 %
        // of its steady speed
        randomReads(c, pages, n, 1, 1);
        randomReads(c, pages, n, RANDOM_THREADS, 4);
        long before = counter.total();
        double one = randomReads(c, pages, n, 1, 2);
        long requests = counter.total() - before;
        double eight = randomReads(c, pages, n, RANDOM_THREADS, 3);
        out.put("randRead4kIops", round(one));
        out.put("randRead4k8ThreadsIops", round(eight));
        out.put("randRead4kRequestsPerCall", round2(requests / (double) n));
    }

    private double randomReads(FileContext c, long pages, int total, int threads, long seed) {
        List<Callable<Long>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = total / threads + (t < total % threads ? 1 : 0);
            SplittableRandom random = new SplittableRandom(seed * 1000 + t);
            workers.add(() -> {
                ByteBuffer buffer = nativeBuffer(PAGE);
                long sink = 0;
                for (int i = 0; i < share; i++) {
                    long off = random.nextLong(pages) * PAGE;
                    if (volume.read(c, buffer, off, PAGE) != PAGE) {
                        throw new IllegalStateException("short 4 KiB Read at " + off);
                    }
                    sink += buffer.get(0);
                }
                return sink;
            });
        }
        long t0 = System.nanoTime();
        runAll(workers);
        return total / ((System.nanoTime() - t0) / 1e9);
    }

    // ------------------------------------------------------------------ latencies

    private void latencies() {
        String path = "\\bench-small.bin";
        FileContext c = create(path);
        volume.write(c, pattern(PAGE).asReadOnlyBuffer(), 0, PAGE, false, false);
        int samples = sizes.latencySamples;
        try {
            warmUp(samples, () -> volume.getFileInfo(c));
            long[] t = new long[samples];
            long before = counter.total();
            for (int i = 0; i < samples; i++) {
                long t0 = System.nanoTime();
                volume.getFileInfo(c);
                t[i] = System.nanoTime() - t0;
            }
            long requests = counter.total() - before;
            LatencyStats s = new LatencyStats(t);
            out.put("getFileInfoMedianMicros", round2(s.medianMicros()));
            out.put("getFileInfoP99Micros", round2(s.p99Micros()));
            out.put("getFileInfoRequests", round2(requests / (double) samples));
        } finally {
            close(c, 0);
        }
        warmUp(samples, () -> openClose(path));
        long[] t = new long[samples];
        long before = counter.total();
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            openClose(path);
            t[i] = System.nanoTime() - t0;
        }
        long requests = counter.total() - before;
        LatencyStats s = new LatencyStats(t);
        out.put("openCloseMedianMicros", round2(s.medianMicros()));
        out.put("openCloseP99Micros", round2(s.p99Micros()));
        out.put("openCloseRequests", round2(requests / (double) samples));
    }

    /**
     * Runs {@code op} untimed until the JIT has compiled its path: a fifth of the samples, at least
     * {@value #WARM_CALLS} calls and at least {@value #WARM_MILLIS} ms (C2 compiles a method after about
     * 15,000 calls, and pinned to one CPU its compiler threads share that CPU with the calls, so the
     * compiled code comes later). With 2,000 calls the measured GetFileInfo median and p99 included
     * calls still in C1 code and the compiler's own time.
     */
    private static void warmUp(int samples, Runnable op) {
        long until = System.nanoTime() + WARM_MILLIS * 1_000_000L;
        for (int i = 0; i < Math.max(samples / 5, WARM_CALLS) || System.nanoTime() - until < 0; i++) {
            op.run();
        }
    }

    /** CreateFile(OPEN_EXISTING) + CloseHandle: GetSecurityByName, Open, Cleanup, Close (§2.1). */
    private void openClose(String path) {
        volume.getSecurityByName(path);
        FileContext c = volume.open(path, CreateOptions.FILE_OPEN << 24, PosixSecurity.FILE_GENERIC_READ).context();
        close(c, 0);
    }

    // ------------------------------------------------------------------ create and delete

    private void createAndDelete() {
        String dir = "\\bench-files";
        volume.getSecurityByName("\\");
        close(volume.create(dir, (CreateOptions.FILE_CREATE << 24) | CreateOptions.FILE_DIRECTORY_FILE,
                PosixSecurity.FILE_GENERIC_READ, FileAttributes.NORMAL, null, 0).context(), 0);
        int n = sizes.files;
        ByteBuffer data = dataPage();
        long before = counter.total();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            createWriteClose(volume, dir, fileName(i), data);
        }
        double createSeconds = (System.nanoTime() - t0) / 1e9;
        long createRequests = counter.total() - before;
        before = counter.total();
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            OpsWorkload.deleteFile(volume, dir + "\\" + fileName(i));
        }
        double deleteSeconds = (System.nanoTime() - t0) / 1e9;
        long deleteRequests = counter.total() - before;
        out.put("createOpsPerSec", round(n / createSeconds));
        out.put("createRequests", round2(createRequests / (double) n));
        out.put("deleteOpsPerSec", round(n / deleteSeconds));
        out.put("deleteRequests", round2(deleteRequests / (double) n));
    }

    /**
     * CreateFile(CREATE_NEW) + WriteFile of {@code data} at 0 + CloseHandle: GetSecurityByName of the
     * parent, Create, Write, Cleanup with the write-time flags, Close (docs/winfsp-native.md §2.1).
     */
    static void createWriteClose(FuseVolume volume, String dir, String name, ByteBuffer data) {
        volume.getSecurityByName(dir);
        FileContext c = create(volume, dir + "\\" + name);
        volume.write(c, data, 0, data.capacity(), false, false);
        volume.cleanup(c, null, CleanupFlags.SET_ARCHIVE_BIT | CleanupFlags.SET_LAST_WRITE_TIME
                | CleanupFlags.SET_CHANGE_TIME);
        volume.close(c);
    }

    static String fileName(int i) {
        return String.format("f%06d.bin", i);
    }

    // ------------------------------------------------------------------ listings

    /**
     * Lists a directory of {@code entries} empty files made on the host: one timed pass, the first the
     * daemon sees of the directory (entries/s and requests, from opening the directory to closing it),
     * a second timed pass (a repeated listing, as Explorer's refresh), then one pass that measures the
     * heap.
     */
    private void listing(String key, String dirName, int entries) {
        makeFiles(dirName, entries);
        String path = "\\" + dirName;
        long before = counter.total();
        Timed first;
        Timed repeat;
        try {
            first = timedListing(path, entries);
            before = counter.total();
            repeat = timedListing(path, entries);
        } catch (NtStatusException e) {
            // the volume's answer to a large directory is a result of this bench, not a reason to lose the rest
            failures.add(key + ": listing " + entries + " entries failed after " + (counter.total() - before)
                    + " FUSE requests: " + e.getMessage());
            out.put(key + "EntriesPerSec", 0L);
            out.put(key + "Requests", counter.total() - before);
            out.put(key + "RepeatEntriesPerSec", 0L);
            out.put(key + "PeakHeapMiB", 0.0);
            return;
        }
        out.put(key + "EntriesPerSec", round(first.entriesPerSec()));
        out.put(key + "Requests", first.requests());
        out.put(key + "RepeatEntriesPerSec", round(repeat.entriesPerSec()));
        out.put(key + "PeakHeapMiB", round2(peakHeapWhileListing(path) / (double) MIB));
    }

    /** One timed listing: entries per second ("." and ".." included) and the FUSE requests it sent. */
    private record Timed(double entriesPerSec, long requests) {
    }

    /** One listing of {@code path}, checked complete. */
    private Timed timedListing(String path, int entries) {
        long before = counter.total();
        long t0 = System.nanoTime();
        int listed = (int) ListingWorkload.listOnce(volume, path, () -> { }, c -> { });
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (listed != entries + 2) {
            throw new IllegalStateException("listed " + listed + " entries in " + path + ", expected " + entries
                    + " + . and ..");
        }
        return new Timed(listed / seconds, counter.total() - before);
    }

    /** Lists a small directory a few times, untimed, so the timed listings run compiled code. */
    private void warmListing() {
        int n = Math.min(WARM_LISTING, sizes.smallListing);
        makeFiles("bench-list-warm", n);
        for (int i = 0; i < WARM_LISTINGS; i++) {
            timedListing("\\bench-list-warm", n);
        }
    }

    private void makeFiles(String dirName, int entries) {
        Path dir = shareDir.resolve(dirName);
        try {
            Files.createDirectory(dir);
            for (int i = 0; i < entries; i++) {
                Files.createFile(dir.resolve(fileName(i)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("preparing " + dir, e);
        }
    }

    /**
     * How far the live heap grows above what it was before the listing: the heap in use right after a
     * full collection ({@link MemoryMXBean#gc()}), measured before the directory is opened, then inside
     * the ReadDirectory callback every {@value #HEAP_SAMPLE_EVERY} entries (while the volume is in the
     * middle of a call and holds whatever it fetched) and between calls. The largest growth, in bytes,
     * never negative. The collections make this pass slow; it is not timed.
     */
    private long peakHeapWhileListing(String path) {
        MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
        long baseline = liveHeap(heap);
        long[] peak = {0};
        int[] seen = {0};
        Runnable sample = () -> {
            if (++seen[0] % HEAP_SAMPLE_EVERY == 0) {
                peak[0] = Math.max(peak[0], liveHeap(heap) - baseline);
            }
        };
        ListingWorkload.listOnce(volume, path, sample, c -> sample.run());
        return Math.max(0, peak[0]);
    }

    private static long liveHeap(MemoryMXBean heap) {
        heap.gc();
        return heap.getHeapMemoryUsage().getUsed();
    }

    /**
     * Explorer listing a directory: GetSecurityByName + Open of the directory, ReadDirectory into a 64 KiB
     * buffer (entries sized as FspFileSystemAddDirInfo packs them) with the last name as the next marker
     * until the end, Cleanup + Close. {@code onEntry} runs for each entry accepted and once between calls.
     *
     * @return entries listed, "." and ".." included
     */
    // ------------------------------------------------------------------ helpers

    /** CreateFile(CREATE_NEW) for read and write: GetSecurityByName of the parent is the caller's. */
    private FileContext create(String path) {
        return create(volume, path);
    }

    private static FileContext create(FuseVolume volume, String path) {
        return volume.create(path, (CreateOptions.FILE_CREATE << 24) | CreateOptions.FILE_NON_DIRECTORY_FILE,
                PosixSecurity.FILE_GENERIC_READ | PosixSecurity.FILE_GENERIC_WRITE, FileAttributes.NORMAL, null, 0)
                .context();
    }

    private void close(FileContext c, int cleanupFlags) {
        volume.cleanup(c, null, cleanupFlags);
        volume.close(c);
    }

    /** A direct buffer over native memory, as FspCallbacks makes of the FSD's buffer (Pointer.getByteBuffer). */
    private static ByteBuffer nativeBuffer(int bytes) {
        return new Memory(bytes).getByteBuffer(0, bytes);
    }

    /** 4 KiB of a fixed pattern in a read-only native buffer, as a Write callback gets it. */
    static ByteBuffer dataPage() {
        return pattern(PAGE).asReadOnlyBuffer();
    }

    private static ByteBuffer pattern(int bytes) {
        ByteBuffer b = nativeBuffer(bytes);
        for (int i = 0; i < bytes; i++) {
            b.put(i, (byte) (i * 31 + 7));
        }
        return b;
    }

    private long counted(Runnable work) {
        long before = counter.total();
        work.run();
        return counter.total() - before;
    }

    @FunctionalInterface
    private interface Pass {
        long run();
    }

    private static double mibps(long bytes, Pass pass) {
        long t0 = System.nanoTime();
        pass.run();
        return bytes / (double) MIB / ((System.nanoTime() - t0) / 1e9);
    }

    private static void runAll(List<Callable<Long>> workers) {
        if (workers.size() == 1) {
            try {
                workers.get(0).call();
                return;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers.size(), r -> {
            Thread t = new Thread(r, "viofs-bench-volume");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Long>> fs = new ArrayList<>();
            for (Callable<Long> w : workers) {
                fs.add(pool.submit(w));
            }
            for (Future<Long> f : fs) {
                f.get(10, TimeUnit.MINUTES);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("a random-read pass took over 10 minutes", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long round(double v) {
        return Math.round(v);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
