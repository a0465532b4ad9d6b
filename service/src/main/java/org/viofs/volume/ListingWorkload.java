package org.viofs.volume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.viofs.fuse.RequestCounter;

/**
 * Lists a large directory through {@link FuseVolume}'s callbacks as WinFsp would (open, ReadDirectory
 * into 64 KiB buffers until the end, close) and reports entries per second, FUSE requests, the most
 * entries the handle's listing held at once and the peak heap, for {@code viofs bench --workload
 * volume} ({@code list100kEntriesPerSec}, {@code list100kPeakHeapMiB}) and the large-directory tests.
 *
 * <p>Peak heap is the sum of the heap pools' peak usage while listing, after a GC and a reset of the
 * peaks before it (so it includes garbage not yet collected: an upper bound of what the listing needs).
 *
 * <p>Not thread-safe; run it alone.
 */
public final class ListingWorkload {
    private ListingWorkload() {
    }

    /**
     * What one listing cost.
     *
     * @param entries       entries listed ("." and ".." included)
     * @param requests      FUSE requests sent (open, listing and close of the directory)
     * @param nanos         time the listing took
     * @param maxHeld       most entries the handle's listing held at once
     * @param peakHeapBytes peak heap while listing (all heap pools, garbage included)
     */
    public record Result(long entries, long requests, long nanos, int maxHeld, long peakHeapBytes) {
        public double entriesPerSec() {
            return nanos == 0 ? 0 : entries * 1e9 / nanos;
        }

        public double peakHeapMiB() {
            return peakHeapBytes / (1024.0 * 1024.0);
        }
    }

    /** Creates {@code count} empty files {@code f0000000} … in {@code shareDir/name} (made if missing). */
    public static Path prepare(Path shareDir, String name, int count) {
        try {
            Path d = Files.createDirectories(shareDir.resolve(name));
            for (int i = 0; i < count; i++) {
                Files.createFile(d.resolve(String.format("f%07d", i)));
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("preparing " + count + " files in " + shareDir.resolve(name), e);
        }
    }

    /**
     * GetSecurityByName + Open of a directory, ReadDirectory until the end with each call's 64 KiB
     * buffer filled as FspFileSystemAddDirInfo fills it (docs/winfsp-native.md §2.3), Cleanup + Close;
     * {@code eachEntry} runs for every entry as the callback adds it, {@code afterCall} sees the handle
     * after each ReadDirectory. Returns the entries listed.
     */
    public static long listOnce(FuseVolume volume, String windowsPath, Runnable eachEntry,
                                Consumer<FileContext> afterCall) {
        volume.getSecurityByName(windowsPath);
        FileContext c = volume.open(windowsPath, (CreateOptions.FILE_OPEN << 24) | CreateOptions.FILE_DIRECTORY_FILE,
                PosixSecurity.FILE_GENERIC_READ).context();
        long total = 0;
        try {
            String marker = null;
            while (true) {
                int[] used = {0};
                String[] last = {null};
                int[] count = {0};
                boolean end = volume.readDirectory(c, null, marker, e -> {
                    int size = (OpsWorkload.DIR_INFO_FIXED + 2 * e.fileName().length() + 7) & ~7;
                    if (used[0] + size > OpsWorkload.DIR_QUERY_BUFFER) {
                        return false;
                    }
                    used[0] += size;
                    last[0] = e.fileName();
                    count[0]++;
                    eachEntry.run();
                    return true;
                });
                total += count[0];
                afterCall.accept(c);
                if (end) {
                    return total;
                }
                if (last[0] == null) {
                    throw new IllegalStateException("ReadDirectory of " + windowsPath + " made no progress");
                }
                marker = last[0];
            }
        } finally {
            volume.cleanup(c, null, 0);
            volume.close(c);
        }
    }

    /**
     * Lists {@code windowsPath} (e.g. {@code \big}) once: GetSecurityByName + Open, ReadDirectory until
     * the end with each call's 64 KiB buffer filled as FspFileSystemAddDirInfo fills it, Cleanup + Close.
     */
    public static Result list(FuseVolume volume, String windowsPath, RequestCounter counting) {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
        long requestsBefore = counting.total();
        long start = System.nanoTime();
        int[] maxHeld = {0};
        long total = listOnce(volume, windowsPath, () -> { }, c -> maxHeld[0] = Math.max(maxHeld[0], volume.listingHeld(c)));
        long nanos = System.nanoTime() - start;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return new Result(total, counting.total() - requestsBefore, nanos, maxHeld[0], peak);
    }
}
