package org.viofs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.fuse.Opcode;
import org.viofs.fuse.RequestCounter;
import org.viofs.service.ShareStack;
import org.viofs.volume.OpsWorkload;
import org.viofs.volume.VolumeConfig;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code viofs bench --workload volume} run small against a real virtiofsd: the JSON has every key
 * the README documents and nothing else, the sizes given come back, the figures are in range, and the
 * request counts the workload reports are the ones a single operation costs. No wall times asserted.
 */
class VolumeBenchIT {
    private static final int FILE_MIB = 2;
    private static final int FILES = 40;
    private static final int SMALL_LIST = 150;
    private static final int LARGE_LIST = 1200;
    private static final int SAMPLES = 50;
    private static final int RANDOM_READS = 200;

    @Test
    void jsonHasEveryDocumentedKeyWithSaneValues() throws IOException {
        CliRun r = CliRun.of("bench", "--workload", "volume", "--json", "--file-mib", "" + FILE_MIB, "--files",
                "" + FILES, "--list-entries", SMALL_LIST + "," + LARGE_LIST, "--samples", "" + SAMPLES,
                "--random-reads", "" + RANDOM_READS, "--virtiofsd",
                VirtiofsdFixture.daemonUnderTest().path().toString());
        assertEquals(0, r.exit(), "exit code; stderr: " + r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(VirtiofsdFixture.daemonUnderTest().path().toString(),
                o.getAsJsonObject("daemon").get("path").getAsString(), "the daemon named: " + o);

        Set<String> keys = new HashSet<>(o.keySet());
        keys.remove("daemon");
        assertEquals(Set.copyOf(VolumeBench.KEYS), keys, "keys of the JSON");
        assertEquals(Set.copyOf(VolumeBench.KEYS), Set.copyOf(readmeKeys()),
                "the README's table of volume-workload keys and the JSON's keys");

        assertEquals((long) FILE_MIB << 20, o.get("fileBytes").getAsLong());
        assertEquals(FILES, o.get("files").getAsInt());
        assertEquals(SMALL_LIST, o.get("list10kEntries").getAsInt());
        assertEquals(LARGE_LIST, o.get("list100kEntries").getAsInt());
        assertEquals(SAMPLES, o.get("latencySamples").getAsInt());
        assertEquals(RANDOM_READS, o.get("randomReads").getAsInt());

        for (String k : VolumeBench.KEYS) {
            double v = o.get(k).getAsDouble();
            if (k.endsWith("PeakHeapMiB")) {
                assertTrue(v >= 0 && v < 512, k + " is a heap growth in MiB: " + o);
            } else if (k.endsWith("Requests")) {
                // GetFileInfo and open+close may be answered from the volume's caches (cache=auto)
                assertTrue(v >= 0 && v <= 20, k + " is a count of requests per operation: " + o);
            } else {
                assertTrue(v > 0 && Double.isFinite(v), k + " must be a positive figure: " + o);
            }
        }
        for (String p : new String[] {"getFileInfo", "openClose"}) {
            assertTrue(o.get(p + "P99Micros").getAsDouble() >= o.get(p + "MedianMicros").getAsDouble(),
                    p + ": p99 ≥ median: " + o);
        }
        for (String s : new String[] {"seqRead", "seqRead64k", "seqWrite", "seqWrite64k"}) {
            double ratio = o.get(s + "MiBps").getAsDouble() / o.get(s + "RawMiBps").getAsDouble();
            assertEquals(ratio, o.get(s + "Ratio").getAsDouble(), 0.01 + ratio * 0.01, s + "Ratio is volume / raw: " + o);
        }
        // one READ or WRITE per callback: every call is within max_read / max_write and the volume keeps no data
        assertEquals(1.0, o.get("seqReadRequestsPerCall").getAsDouble(), "READs per 1 MiB Read: " + o);
        assertEquals(1.0, o.get("seqWriteRequestsPerCall").getAsDouble(), "WRITEs per 1 MiB Write: " + o);
        assertEquals(1.0, o.get("randRead4kRequestsPerCall").getAsDouble(), "READs per 4 KiB Read: " + o);
        // a listing opens and closes the directory and reads at least one page; a page holds many entries
        for (String l : new String[] {"list10k", "list100k"}) {
            long req = o.get(l + "Requests").getAsLong();
            int entries = o.get(l + "Entries").getAsInt();
            assertTrue(req >= 3 && req < entries / 10, l + "Requests: " + req + " for " + entries + " entries: " + o);
        }
        assertTrue(o.get("list10kRequests").getAsLong() <= o.get("list100kRequests").getAsLong(),
                "the larger listing needs at least as many requests: " + o);
    }

    /**
     * The per-operation counts the workload reports (total over all files / files) are exactly what one
     * create or delete costs on the same volume, counted opcode by opcode right after the run.
     */
    @Test
    void createAndDeleteCountsAreThoseOfOneOperation(@TempDir Path dir) {
        RequestCounter counter = new RequestCounter();
        // cache=always: nothing the volume caches expires during the run, so every file costs the same
        VirtiofsdLauncher.Options options = VirtiofsdFixture.options().cache(VirtiofsdLauncher.CacheMode.ALWAYS).build();
        try (ShareStack s = ShareStack.builder().launch(dir, options).volume(VolumeConfig.builder().build())
                .listener(counter).open()) {
            VolumeBench.Result result = VolumeBench.run(s.volume(), counter, dir, VolumeBench.Sizes.builder()
                    .fileMib(1).files(FILES).listings(10, 20).latencySamples(10).randomReads(10).build());
            assertEquals(List.of(), result.failures(), "nothing failed");
            Map<String, Number> r = result.figures();
            assertEquals(List.copyOf(VolumeBench.KEYS), new ArrayList<>(r.keySet()), "keys in documented order");

            counter.reset();
            VolumeBench.createWriteClose(s.volume(), "\\bench-files", "one-more.bin", VolumeBench.dataPage());
            long create = counter.total();
            assertTrue(counter.count(Opcode.CREATE) == 1 && counter.count(Opcode.WRITE) == 1,
                    "one CREATE and one WRITE: " + counter.snapshot());
            assertTrue(Files.isRegularFile(dir.resolve("bench-files").resolve("one-more.bin")), "created on the host");

            counter.reset();
            OpsWorkload.deleteFile(s.volume(), "\\bench-files\\one-more.bin");
            long delete = counter.total();
            assertEquals(1, counter.count(Opcode.UNLINK), "one UNLINK: " + counter.snapshot());
            assertTrue(Files.notExists(dir.resolve("bench-files").resolve("one-more.bin")), "deleted on the host");

            assertEquals((double) create, r.get("createRequests").doubleValue(), "createRequests, one create: " + create);
            assertEquals((double) delete, r.get("deleteRequests").doubleValue(), "deleteRequests, one delete: " + delete);
            try (var left = Files.list(dir.resolve("bench-files"))) {
                assertEquals(0, left.count(), "every file the workload created was deleted");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The keys in the README's table of the volume workload (rows starting with a backquoted key). */
    private static List<String> readmeKeys() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("<!-- volume-bench-keys -->");
        int end = readme.indexOf("<!-- /volume-bench-keys -->");
        assertTrue(start >= 0 && end > start, "README.md marks the table of volume-workload keys");
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\| `([A-Za-z0-9]+)`").matcher(readme.substring(start, end));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }
}
