package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.cli.CliRun;
import org.viofs.cli.ExitCodes;

/**
 * The Rust virtiofsd started by hand exactly as the virtiofsd write-up viofs began from does
 * ({@code virtiofsd --socket-path=… --shared-dir=… --cache=never --sandbox=namespace --seccomp=kill}),
 * and {@code viofs probe} and {@code viofs conformance --socket} run against it. It runs in the Rust
 * pass of the integration tests (the pom's flavour executions).
 */
@EnabledIfSystemProperty(named = "viofs.virtiofsd.flavour", matches = "rust")
class SeedInvocationIT {
    /**
     * The plain-mode totals against this daemon: no case FAILs, and the counts are those of the plain
     * mode of {@code viofs conformance} on either flavour (measured 2026-12-03 with C 7.2.22 and Rust
     * 1.14.0: PASS 36, KNOWN_UNSUPPORTED 26, NOT_PORTABLE 32); cache=never changes no verdict.
     */
    static final Map<String, Integer> EXPECTED_TOTALS = new TreeMap<>(Map.of(
            "PASS", 36, "KNOWN_UNSUPPORTED", 26, "FAIL", 0, "NOT_PORTABLE", 32, "NOT_RUN", 0));

    @TempDir
    Path dir;

    /** virtiofsd serves one connection and exits: one daemon per command. */
    private Process startByHand(VirtiofsdBinary rust, Path share, Path socket) throws Exception {
        Process p = new ProcessBuilder(rust.path().toString(), "--socket-path=" + socket, "--shared-dir=" + share,
                "--cache=never", "--sandbox=namespace", "--seccomp=kill")
                .redirectErrorStream(true).redirectOutput(dir.resolve(socket.getFileName() + ".log").toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!VirtiofsdLauncher.isListening(socket)) {
            assertTrue(p.isAlive(), "virtiofsd exited: " + Files.readString(dir.resolve(socket.getFileName() + ".log")));
            assertTrue(System.nanoTime() < deadline, "virtiofsd did not listen within 10 s");
            Thread.sleep(2);
        }
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    @Test
    void probeAndConformanceAgainstTheSeedsCommandLine() throws Exception {
        VirtiofsdBinary rust = VirtiofsdBinary.require(VirtiofsdBinary.Flavour.RUST);
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("hello.txt"), "hello from the host\n");

        Process probeDaemon = startByHand(rust, share, dir.resolve("probe.sock"));
        try {
            CliRun r = CliRun.of("probe", "--json", "--socket", dir.resolve("probe.sock").toString());
            assertEquals(ExitCodes.OK, r.exit(), r.err());
            JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
            JsonObject d = o.getAsJsonObject("daemon");
            assertEquals("rust", d.get("flavour").getAsString(), "found through /proc: " + o);
            assertEquals(rust.version(), d.get("version").getAsString());
            assertEquals(7, o.get("fuseMajor").getAsInt());
            assertEquals(38, o.get("fuseMinor").getAsInt(), "virtiofsd 1.14.0 speaks FUSE 7.38");
            List<String> names = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("entries")) {
                names.add(e.getAsJsonObject().get("name").getAsString());
            }
            assertEquals(List.of("hello.txt"), names);
        } finally {
            stop(probeDaemon);
        }

        Process confDaemon = startByHand(rust, share, dir.resolve("conf.sock"));
        try {
            CliRun r = CliRun.of("conformance", "--json", "--socket", dir.resolve("conf.sock").toString());
            JsonObject doc = JsonParser.parseString(r.out()).getAsJsonObject();
            assertEquals(1, doc.getAsJsonArray("modes").size());
            JsonObject m = doc.getAsJsonArray("modes").get(0).getAsJsonObject();
            assertEquals("plain", m.get("mode").getAsString(), "no --xattr: plain");
            assertEquals("rust", m.getAsJsonObject("daemon").get("flavour").getAsString());
            Map<String, Integer> totals = new TreeMap<>();
            m.getAsJsonObject("totals").entrySet().forEach(e -> totals.put(e.getKey(), e.getValue().getAsInt()));
            assertEquals(EXPECTED_TOTALS, totals, r.out().length() > 4000 ? r.out().substring(0, 4000) : r.out());
            assertEquals(ExitCodes.OK, r.exit(), r.err());
        } finally {
            stop(confDaemon);
        }
    }
}
