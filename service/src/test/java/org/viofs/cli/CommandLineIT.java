package org.viofs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.viofs.bridge.testing.VirtiofsdFixture;


/**
 * The Linux commands end to end: {@code viofs probe} and {@code viofs bench} against a real virtiofsd
 * (started by the commands themselves), their JSON parsed back, and the exit codes of bad usage.
 */
class CommandLineIT {
    /** Runs a command that starts its own daemon with the flavour under test. */
    private static CliRun own(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--virtiofsd";
        all[args.length + 1] = VirtiofsdFixture.daemonUnderTest().path().toString();
        return run(all);
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void probeJsonListsTheSampleShareAsTheHostHasIt() throws Exception {
        CliRun r = own("probe", "--json");
        assertEquals(0, r.exit(), "exit code; stderr: " + r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertDaemon(o);
        assertEquals(7, o.get("fuseMajor").getAsInt(), "FUSE major");
        // the C virtiofsd 7.2 answers 7.36 whatever minor we offer, the Rust 1.14.0 its own 7.38
        assertEquals(rust() ? 38 : 36, o.get("fuseMinor").getAsInt(), "FUSE minor of " + VirtiofsdFixture.daemonUnderTest());
        assertEquals(1 << 20, o.get("maxWrite").getAsInt(), "virtiofsd 7.2 grants 1 MiB with MAX_PAGES");
        assertEquals(256, o.get("maxPages").getAsInt(), "max_pages granted with MAX_PAGES");

        Map<String, long[]> entries = new HashMap<>();
        for (JsonElement e : o.getAsJsonArray("entries")) {
            JsonObject x = e.getAsJsonObject();
            entries.put(x.get("name").getAsString(), new long[] {x.get("size").getAsLong(), x.get("mode").getAsInt()});
        }
        assertEquals(Set.of("data.bin", "docs", "hello.txt", "readme.md", "tool.sh"), entries.keySet(),
                "root listing without . and ..");
        assertEquals(65536, entries.get("data.bin")[0], "data.bin size");
        assertEquals(ProbeCommand.SAMPLE_TEXT.get("hello.txt").length(), entries.get("hello.txt")[0], "hello.txt size");
        assertEquals(0100755, entries.get("tool.sh")[1], "tool.sh keeps its executable mode");
        assertEquals(0040000, entries.get("docs")[1] & 0170000, "docs is a directory");

        JsonObject st = o.getAsJsonObject("statfs");
        // the sample share is a temporary directory: statfs describes the file system java.io.tmpdir is on
        FileStore host = Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir")));
        assertEquals(host.getBlockSize(), st.get("bsize").getAsLong(), "statfs bsize: " + st);
        assertEquals(host.getTotalSpace(), st.get("blocks").getAsLong() * st.get("bsize").getAsLong(),
                "statfs blocks × bsize is the host's size: " + st);
        assertTrue(st.get("bfree").getAsLong() <= st.get("blocks").getAsLong(), "bfree ≤ blocks: " + st);

        JsonObject caps = o.getAsJsonObject("capabilities");
        assertEquals("NONE", caps.get("xattrs").getAsString(), "probe's own daemon runs without -o xattr: " + caps);
        assertFalse(caps.get("readOnly").getAsBoolean(), "a temporary share is writable: " + caps);
    }

    @Test
    void probeOfAGivenDirectoryShowsItsFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("only-here.txt"), "12345");
        CliRun r = own("probe", "--dir", dir.toString());
        assertEquals(0, r.exit(), "exit code; stderr: " + r.err());
        // the C daemon 7.2 agrees to our 7.36, the Rust one 1.14.0 answers 7.38
        boolean rust = VirtiofsdFixture.daemonUnderTest().flavour() == org.viofs.bridge.vhostuser.VirtiofsdBinary.Flavour.RUST;
        assertTrue(r.out().contains(rust ? "FUSE 7.38" : "FUSE 7.36"), r.out());
        assertTrue(r.out().startsWith("virtiofsd: " + VirtiofsdFixture.daemonUnderTest().describe() + "\n"), r.out());
        assertTrue(r.out().matches("(?s).*-rw-r--r-- +5  only-here\\.txt.*"), "listing line for the file:\n" + r.out());
        assertTrue(Files.exists(dir.resolve("only-here.txt")), "a given directory is not deleted");
        assertTrue(r.out().contains("share: writable share; no extended attributes"), "the capability line:\n" + r.out());
    }

    @Test
    void benchIoJsonHasEveryFigure() {
        CliRun r = own("bench", "--json", "--file-mib", "4", "--getattr-count", "300", "--inflight", "1,2");
        assertEquals(0, r.exit(), "exit code; stderr: " + r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertDaemon(o);
        for (String k : new String[] {"getattrMedianMicros", "getattrP99Micros", "readMiBps", "writeMiBps",
                "rawGetattrMedianMicros", "rawGetattrP99Micros", "rawReadMiBps", "clientReadMiBpsDepth1"}) {
            assertTrue(o.get(k).getAsDouble() > 0, k + " must be a positive figure: " + o);
        }
        assertTrue(o.get("getattrP99Micros").getAsDouble() >= o.get("getattrMedianMicros").getAsDouble(),
                "p99 ≥ median: " + o);
        JsonArray by = o.getAsJsonArray("byInflight");
        assertEquals(2, by.size(), "one entry per --inflight value: " + by);
        assertEquals(1, by.get(0).getAsJsonObject().get("inflight").getAsInt());
        assertEquals(2, by.get(1).getAsJsonObject().get("inflight").getAsInt());
        double bestRead = Math.max(by.get(0).getAsJsonObject().get("readMiBps").getAsDouble(),
                by.get(1).getAsJsonObject().get("readMiBps").getAsDouble());
        assertEquals(bestRead, o.get("readMiBps").getAsDouble(), "readMiBps is the best setting");
    }

    @Test
    void benchOpsJsonCountsEveryOperation() {
        // cache=always: 86,400 s timeouts, so nothing expires mid-run however slow the machine is
        CliRun r = own("bench", "--workload", "ops", "--json", "--cache", "always");
        assertEquals(0, r.exit(), "exit code; stderr: " + r.err());
        JsonObject req = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("requests");
        assertEquals(Set.of("openReadCloseDepth4Cold", "openReadCloseDepth4Warm", "openReadCloseRepeated100", "list1000",
                "createWriteClose", "deleteFile", "renameFile"), req.keySet());
        // the same figures as OpsWorkloadIT, which explains each of them (RELEASE is deferred: the
        // closed file's handle is kept for the next open)
        assertEquals(6, req.get("openReadCloseDepth4Cold").getAsLong(), "4 LOOKUPs + OPEN + READ: " + req);
        assertEquals(1, req.get("openReadCloseDepth4Warm").getAsLong(), "READ: " + req);
        assertEquals(100, req.get("openReadCloseRepeated100").getAsLong(), "one READ per cycle: " + req);
        assertEquals(5, req.get("list1000").getAsLong(), "LOOKUP + OPENDIR + 2 READDIRPLUS + RELEASEDIR: " + req);
        assertEquals(2, req.get("createWriteClose").getAsLong(), "CREATE + WRITE: " + req);
        assertEquals(3, req.get("deleteFile").getAsLong(), "LOOKUP + UNLINK + FORGET: " + req);
        assertEquals(2, req.get("renameFile").getAsLong(), "LOOKUP + RENAME2: " + req);
    }

    @Test
    void badUsageExitsTwoWithAMessage() {
        CliRun r = run("bench", "--workload", "nonsense");
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
        assertTrue(r.err().contains("--workload must be io, ops or volume"), r.err());

        CliRun v = run("bench", "--workload", "volume", "--list-entries", "10");
        assertEquals(ExitCodes.USAGE, v.exit(), v.err());
        assertTrue(v.err().contains("--list-entries takes two sizes"), v.err());

        CliRun sp = run("bench", "--spin-micros", "-1");
        assertEquals(ExitCodes.USAGE, sp.exit(), sp.err());
        assertTrue(sp.err().contains("--spin-micros must be ≥ 0"), sp.err());

        CliRun c = run("probe", "--cache", "sometimes");
        assertEquals(ExitCodes.USAGE, c.exit(), c.err());
        assertTrue(c.err().contains("--cache must be auto, none or always"), c.err());

        CliRun s = run("probe", "--seccomp", "sometimes");
        assertEquals(ExitCodes.USAGE, s.exit(), s.err());
        assertTrue(s.err().contains("--seccomp must be one of [kill, log, trap, none]"), s.err());
    }

    @Test
    void aRustOnlyOptionIsRefusedByTheCDaemonAndTakenByTheRustOne() {
        CliRun r = own("probe", "--json", "--inode-file-handles", "never", "--seccomp", "log");
        if (VirtiofsdFixture.daemonUnderTest().flavour() == org.viofs.bridge.vhostuser.VirtiofsdBinary.Flavour.RUST) {
            assertEquals(0, r.exit(), r.err());
            assertDaemon(JsonParser.parseString(r.out()).getAsJsonObject());
        } else {
            assertEquals(ExitCodes.USAGE, r.exit(), r.err());
            assertTrue(r.err().contains("has no option for seccomp log (the Rust daemon's --seccomp=log)"), r.err());
        }
    }

    @Test
    void missingVirtiofsdSaysHowToInstallIt(@TempDir Path dir) {
        CliRun r = run("probe", "--virtiofsd", dir.resolve("no-such-virtiofsd").toString());
        assertEquals(ExitCodes.MISSING_DEPENDENCY, r.exit(), r.err());
        assertTrue(r.err().contains("apt-get install qemu-system-common"), r.err());
    }

    /** The JSON's {@code daemon} names the binary under test. */
    private static void assertDaemon(JsonObject o) {
        JsonObject d = o.getAsJsonObject("daemon");
        assertEquals(VirtiofsdFixture.daemonUnderTest().flavour().label(), d.get("flavour").getAsString(), o.toString());
        assertEquals(VirtiofsdFixture.daemonUnderTest().version(), d.get("version").getAsString());
        assertEquals(VirtiofsdFixture.daemonUnderTest().path().toString(), d.get("path").getAsString());
    }

    private static boolean rust() {
        return VirtiofsdFixture.daemonUnderTest().flavour() == org.viofs.bridge.vhostuser.VirtiofsdBinary.Flavour.RUST;
    }
}
