package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.cli.ExitCodes;
import org.viofs.cli.ViofsCommand;
import org.viofs.conformance.KnownUnsupported.Mode;

import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdBinary.Flavour;

import picocli.CommandLine;

/** {@code viofs conformance} through picocli's execute(), with in-memory volumes instead of virtiofsd. */
class ConformanceCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> started = new ArrayList<>();

    /** Two installed daemons, as on a machine with both flavours (paths are never run: the volumes are in memory). */
    static final VirtiofsdBinary C = new VirtiofsdBinary(Flavour.C, "7.2.22", Path.of("/usr/lib/qemu/virtiofsd"));
    static final VirtiofsdBinary RUST = new VirtiofsdBinary(Flavour.RUST, "1.14.0", Path.of("/opt/virtiofsd"));

    private final ConformanceCommand.Targets memory = new ConformanceCommand.Targets() {
        @Override
        public List<VirtiofsdBinary> daemons(Path named) {
            if (named != null) {
                started.add("named " + named);
                return List.of(new VirtiofsdBinary(Flavour.RUST, "1.14.0", named));
            }
            return List.of(C, RUST);
        }

        @Override
        public ConformanceTarget startOwn(Mode mode, Path sharedDir, VirtiofsdBinary daemon) {
            started.add(daemon.flavour().label() + " " + mode.label() + " " + Files.isDirectory(sharedDir));
            // as FuseVolume: extended attributes only over -o xattr
            return new ConformanceTarget(mode, new InMemoryVolume(true, mode == Mode.XATTR),
                    FacadeOptions.builder().caseSensitive(false).build(), daemon);
        }

        @Override
        public ConformanceTarget connect(Path socket) {
            started.add("connect " + socket);
            return new ConformanceTarget(Mode.XATTR, new InMemoryVolume(true, true),
                    FacadeOptions.builder().caseSensitive(false).build(), null);
        }
    };

    private int run(ConformanceCommand.Targets targets, boolean terminal, String... args) {
        CommandLine cl = new CommandLine(new ConformanceCommand(targets, ProcessLauncher.system(), () -> terminal));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof ExitCodes.UserError ue) {
                c.getErr().println("viofs: " + ue.getMessage());
                return ue.exitCode();
            }
            throw ex;
        });
        return cl.execute(args);
    }

    @Test
    void everyDaemonInBothModesRunsAndPassingCasesExitZero() {
        int code = run(memory, false, "--case", "create_test,delete_test,rename_test");
        assertEquals(ExitCodes.OK, code, out + "\n" + err);
        assertEquals(List.of("c plain true", "c xattr true", "rust plain true", "rust xattr true"), started);
        String text = out.toString();
        assertTrue(text.contains("mode plain — virtiofsd c 7.2.22 (/usr/lib/qemu/virtiofsd)"), text);
        assertTrue(text.contains("mode xattr — virtiofsd rust 1.14.0 (/opt/virtiofsd)"), text);
        assertTrue(text.matches("(?s).*create_test\\s+PASS.*"), text);
        assertTrue(text.contains("totals PASS 3  KNOWN_UNSUPPORTED 0  FAIL 0  NOT_PORTABLE 0"), text);
        assertEquals("", err.toString(), "no progress bar when not on a terminal");
    }

    @Test
    void aListedCaseThatPassesFailsTheRunWithCheckFailed() {
        // create_fileattr_test is in the shipped registry; the memfs-like volume passes it
        int code = run(memory, false, "--case", "create_fileattr_test");
        assertEquals(ExitCodes.CHECK_FAILED, code);
        assertTrue(out.toString().contains("remove the entry"), out.toString());
    }

    @Test
    void jsonIsParseableAndHasCasesTotalsAndTheDaemonPerMode() {
        int code = run(memory, true, "--json", "--case", "create_test,rdwr_mmap_test,ea_create_test");
        assertEquals(ExitCodes.OK, code, out + "\n" + err);
        JsonObject doc = JsonParser.parseString(out.toString()).getAsJsonObject();
        JsonArray modes = doc.getAsJsonArray("modes");
        assertEquals(4, modes.size());
        for (int i = 0; i < 4; i++) {
            JsonObject m = modes.get(i).getAsJsonObject();
            assertEquals(i % 2 == 0 ? "plain" : "xattr", m.get("mode").getAsString());
            JsonObject daemon = m.getAsJsonObject("daemon");
            VirtiofsdBinary expected = i < 2 ? C : RUST;
            assertEquals(expected.flavour().label(), daemon.get("flavour").getAsString());
            assertEquals(expected.version(), daemon.get("version").getAsString());
            assertEquals(expected.path().toString(), daemon.get("path").getAsString());
            JsonArray cases = m.getAsJsonArray("cases");
            assertEquals(3, cases.size());
            JsonObject first = cases.get(0).getAsJsonObject();
            assertEquals("create_test", first.get("name").getAsString());
            assertEquals("PASS", first.get("result").getAsString());
            assertTrue(first.get("reason").isJsonNull());
            JsonObject np = cases.get(1).getAsJsonObject();
            assertEquals("NOT_PORTABLE", np.get("result").getAsString());
            assertFalse(np.get("reason").getAsString().isBlank());
            // ea_* is known-unsupported in plain mode only; the xattr volume keeps EAs
            boolean plain = i % 2 == 0;
            assertEquals(plain ? "KNOWN_UNSUPPORTED" : "PASS", cases.get(2).getAsJsonObject().get("result").getAsString());
            JsonObject totals = m.getAsJsonObject("totals");
            assertEquals(Map.of("PASS", plain ? 1 : 2, "KNOWN_UNSUPPORTED", plain ? 1 : 0, "FAIL", 0, "NOT_PORTABLE", 1),
                    Map.of("PASS", totals.get("PASS").getAsInt(), "KNOWN_UNSUPPORTED", totals.get("KNOWN_UNSUPPORTED").getAsInt(),
                            "FAIL", totals.get("FAIL").getAsInt(), "NOT_PORTABLE", totals.get("NOT_PORTABLE").getAsInt()));
        }
        assertEquals("", err.toString(), "never a progress bar with --json");
    }

    @Test
    void aTerminalGetsAProgressBarOnStderr() {
        assertEquals(ExitCodes.OK, run(memory, true, "--case", "create_test,delete_test"));
        assertTrue(err.toString().contains("c plain [###############################".substring(0, 10)), err.toString());
        assertTrue(err.toString().contains("rust xattr [#####"), err.toString());
        assertTrue(err.toString().contains("2/2"), err.toString());
    }

    @Test
    void socketChecksOneModeNamedByTheDaemon() {
        assertEquals(ExitCodes.OK, run(memory, false, "--socket", "/run/x.sock", "--case", "create_test"));
        assertEquals(List.of("connect /run/x.sock"), started);
        assertTrue(out.toString().contains("mode xattr"));
        assertFalse(out.toString().contains("mode plain"));
    }

    @Test
    void missingVirtiofsdIsMissingDependency() {
        ConformanceCommand.Targets none = new ConformanceCommand.Targets() {
            @Override
            public List<VirtiofsdBinary> daemons(Path named) {
                // the real lookup, pointed at a binary that is not there
                return ConformanceCommand.REAL_TARGETS.daemons(Path.of("/nonexistent/no-virtiofsd"));
            }

            @Override
            public ConformanceTarget startOwn(Mode mode, Path sharedDir, VirtiofsdBinary daemon) {
                throw new AssertionError("the lookup should have refused");
            }

            @Override
            public ConformanceTarget connect(Path socket) {
                throw new AssertionError();
            }
        };
        assertEquals(ExitCodes.MISSING_DEPENDENCY, run(none, false));
        assertTrue(err.toString().contains("apt-get install qemu-system-common"), err.toString());
    }

    @Test
    void markdownAndJunitFilesAreWritten(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("r.md");
        Path xml = dir.resolve("r.xml");
        assertEquals(ExitCodes.OK, run(memory, false, "--case", "create_test,lock_cached_test", "--markdown", md.toString(),
                "--junit", xml.toString()));
        assertTrue(Files.readString(md).contains("| create_test | PASS |  |"));
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertTrue(Files.readString(xml).contains("<testsuite name=\"winfsp-tests.c.plain\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\""),
                Files.readString(xml));
    }

    @Test
    void anUnknownCaseIsAUsageError() {
        assertEquals(ExitCodes.USAGE, run(memory, false, "--case", "no_such_test"));
    }

    @Test
    void theCommandIsContributedThroughTheServiceLoader() {
        assertTrue(ViofsCommand.commandLine().getSubcommands().containsKey("conformance"));
    }

    @Test
    void onWindowsTheRealWinfspTestsRunsOneProcessPerCase(@TempDir Path dir) throws Exception {
        Path exe = Files.createFile(dir.resolve("winfsp-tests-x64.exe"));
        Path drive = Files.createDirectories(dir.resolve("drive"));
        List<List<String>> launched = new ArrayList<>();
        ProcessLauncher fake = (command, directory, timeout) -> {
            launched.add(command);
            String name = directory.getFileName().toString();
            return new ProcessLauncher.Result(0, WinfspTestsOutput.okLine(name, 0.01) + "\n--- COMPLETE ---\n", "");
        };
        CommandLine cl = new CommandLine(new ConformanceCommand(memory, fake, () -> false));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Path xml = dir.resolve("junit.xml");
        int code = cl.execute("--winfsp-tests", exe.toString(), "--dir", drive.toString(), "--mode", "xattr",
                "--case", "create_test,getfileinfo_*", "--junit", xml.toString());
        // the xattr registry lists getfileinfo_name_test: it is excluded, the rest run and pass
        assertEquals(ExitCodes.OK, code, out + "\n" + err);
        assertTrue(started.isEmpty(), "no virtiofsd for the Windows runner");
        assertEquals(List.of(exe.toString(), "--external", "--resilient", "create_test"),
                launched.get(0).subList(0, 4));
        String excluded = KnownUnsupported.load().patterns(Mode.XATTR).stream().filter(p -> p.startsWith("getfileinfo_"))
                .findFirst().orElseThrow();
        assertTrue(launched.get(0).contains("-" + excluded), launched.get(0).toString());
        assertTrue(launched.stream().noneMatch(c -> c.get(3).equals(excluded)), "an excluded case is not started");
        assertTrue(Files.isDirectory(drive.resolve("create_test")));
        assertTrue(out.toString().contains("mode xattr"));
        assertTrue(Files.readString(xml).contains("winfsp-tests.xattr"));
    }

    @Test
    void virtiofsdPicksOneBinaryForBothModes() {
        assertEquals(ExitCodes.OK, run(memory, false, "--virtiofsd", "/opt/other/virtiofsd", "--case", "create_test"));
        assertEquals(List.of("named /opt/other/virtiofsd", "rust plain true", "rust xattr true"), started);
    }

    @Test
    void aVirtiofsdThatIsNoDaemonIsAUsageError(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("virtiofsd");
        Files.writeString(fake, "#!/bin/sh\necho 'not a daemon 0.1'\n");
        fake.toFile().setExecutable(true);
        ConformanceCommand.Targets real = new ConformanceCommand.Targets() {
            @Override
            public List<VirtiofsdBinary> daemons(Path named) {
                return ConformanceCommand.REAL_TARGETS.daemons(named);
            }

            @Override
            public ConformanceTarget startOwn(Mode mode, Path sharedDir, VirtiofsdBinary daemon) {
                throw new AssertionError("nothing to start");
            }

            @Override
            public ConformanceTarget connect(Path socket) {
                throw new AssertionError();
            }
        };
        assertEquals(ExitCodes.USAGE, run(real, false, "--virtiofsd", fake.toString()));
        assertTrue(err.toString().contains("printed neither a C nor a Rust virtiofsd version"), err.toString());
    }
}
