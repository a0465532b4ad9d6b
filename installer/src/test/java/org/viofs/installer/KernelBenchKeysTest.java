package org.viofs.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.viofs.cli.VolumeBench;

/**
 * The kernel FUSE comparator (scripts/bench/kernel-fuse.sh + kernelbench.c) checked without running it
 * (that needs root and /dev/fuse): every key the C program can print is in its KEYS list, the README's
 * kernel table documents exactly that list in that order, a key named as one of the volume bench's is
 * documented as that key ("as in the volume table") and no other is, and the script is valid bash that
 * passes the program only options it parses.
 */
class KernelBenchKeysTest {
    private static final String SHARED = "as in the volume table";

    private static String source() throws IOException {
        return Files.readString(Repo.root().resolve("scripts/bench/kernelbench.c"));
    }

    /** The string literals of the C array {@code name} ({@code static const char *const name[] = {...};}). */
    private static List<String> cArray(String source, String name) {
        Matcher m = Pattern.compile("static const char \\*const " + name + "\\[\\] = \\{(.*?)\\};", Pattern.DOTALL)
                .matcher(source);
        assertTrue(m.find(), "kernelbench.c declares " + name);
        List<String> out = new ArrayList<>();
        Matcher s = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
        while (s.find()) {
            out.add(s.group(1));
        }
        return out;
    }

    /** Rows of the README's kernel table: key → its text, in table order. */
    private static Map<String, String> readmeRows() throws IOException {
        String readme = Files.readString(Repo.root().resolve("README.md"));
        int start = readme.indexOf("<!-- kernel-bench-keys -->");
        int end = readme.indexOf("<!-- /kernel-bench-keys -->");
        assertTrue(start >= 0 && end > start, "README.md marks the table of kernel-comparator keys");
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `([A-Za-z0-9]+)` \\| (.+) \\|$").matcher(readme.substring(start, end));
        while (m.find()) {
            assertEquals(null, rows.put(m.group(1), m.group(2)), "README documents " + m.group(1) + " once");
        }
        return rows;
    }

    @Test
    void everyKeyTheProgramPrintsIsInItsList() throws IOException {
        String c = source();
        List<String> keys = cArray(c, "KEYS");
        assertEquals(keys.size(), new LinkedHashSet<>(keys).size(), "KEYS has no duplicates: " + keys);
        Set<String> printed = new LinkedHashSet<>();
        Matcher direct = Pattern.compile("\\bjson_(?:long|rounded|2dp|string|key|listing)\\(\"([A-Za-z0-9]+)\"").matcher(c);
        while (direct.find()) {
            printed.add(direct.group(1));
        }
        // the helpers that print two keys: a listing (names only, then with fstatat) and a latency (median, p99)
        Matcher pair = Pattern.compile("\\b(listing|report_latency)\\(\"([A-Za-z0-9]+)\", \"([A-Za-z0-9]+)\"").matcher(c);
        Map<String, Integer> pairs = new LinkedHashMap<>();
        while (pair.find()) {
            printed.add(pair.group(2));
            printed.add(pair.group(3));
            pairs.merge(pair.group(1), 1, Integer::sum);
        }
        assertEquals(Map.of("listing", 2, "report_latency", 2), pairs, "two listings (10k, 100k) and two latencies");
        printed.addAll(cArray(c, "COUNTED"));
        assertTrue(printed.size() >= 25, "keys found in kernelbench.c: " + printed);
        for (String k : printed) {
            assertTrue(keys.contains(k), "kernelbench.c prints " + k + ", which KEYS lacks");
        }
        for (String k : keys) {
            assertTrue(printed.contains(k), "KEYS lists " + k + ", which kernelbench.c never prints");
        }
    }

    @Test
    void theReadmeDocumentsEveryKeyInOrderAndTheSharedOnesAsTheVolumeBenchs() throws IOException {
        List<String> keys = cArray(source(), "KEYS");
        Map<String, String> rows = readmeRows();
        assertEquals(keys, new ArrayList<>(rows.keySet()), "the README's kernel table and kernelbench.c's KEYS");
        int shared = 0;
        for (String k : keys) {
            boolean volumeKey = VolumeBench.KEYS.contains(k);
            boolean documentedAsShared = rows.get(k).startsWith(SHARED);
            assertEquals(volumeKey, documentedAsShared, k + (volumeKey
                    ? " is a volume-bench key: its row must start with \"" + SHARED + "\""
                    : " is the comparator's own key: its row must not claim the volume table's meaning"));
            shared += volumeKey ? 1 : 0;
        }
        assertTrue(shared >= 20, "keys shared with the volume bench: " + shared);
        for (String own : List.of("list10kStatEntriesPerSec", "list100kStatEntriesPerSec")) {
            assertTrue(keys.contains(own) && !VolumeBench.KEYS.contains(own), own + " is the comparator's own key");
        }
    }

    @Test
    void theScriptIsBashAndPassesOnlyOptionsTheProgramParses() throws IOException {
        Path script = Repo.root().resolve("scripts/bench/kernel-fuse.sh");
        for (Path p : List.of(script, Repo.root().resolve("scripts/dev.sh"))) {
            Processes.Result r = Processes.run(List.of("bash", "-n", p.toString()), Repo.root(), 30);
            assertEquals(0, r.exitCode(), "bash -n " + p + ": " + r.stderr());
        }
        assertTrue(Files.isExecutable(script), script + " is executable");
        String text = Files.readString(script);
        String c = source();
        Matcher pass = Pattern.compile("(?m)^\\s+(--[a-z-]+(?: \\| --[a-z-]+)*)\\)\\s*$").matcher(text);
        boolean found = false;
        while (pass.find()) {
            if (!pass.group(1).contains("--file-mib")) {
                continue;
            }
            found = true;
            for (String opt : pass.group(1).split(" \\| ")) {
                assertTrue(c.contains("strcmp(opt, \"" + opt + "\")"), "kernelbench.c parses " + opt);
            }
        }
        assertTrue(found, "kernel-fuse.sh hands the size options on to kernelbench");
        for (String opt : List.of("--mark-requests", "--requests-log", "--daemon")) {
            assertTrue(text.contains(opt) && c.contains("\"" + opt + "\""), opt + " is used by the script and parsed by the program");
        }
        Matcher sha = Pattern.compile("(?m)^LIBFUSE_SHA256=([0-9a-f]*)$").matcher(text);
        assertTrue(sha.find() && sha.group(1).length() == 64, "the libfuse tarball is pinned by a full SHA-256");
        assertTrue(Files.readString(Repo.root().resolve("scripts/dev.sh")).contains("exec scripts/bench/kernel-fuse.sh \"$@\""),
                "dev.sh kernel-bench runs the comparator");
    }
}
