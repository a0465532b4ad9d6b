package org.viofs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.service.ShareState;
import org.viofs.service.ShareStatus;
import org.viofs.service.StatusChannel;
import org.viofs.service.StatusReport;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The Windows commands on Linux: dry runs print the SCM plan, the rest exit 5 with one line; options
 * are checked on any system; status and list read a status channel; every help text is there.
 */
class ServiceCommandsTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = ViofsCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void windowsOnlyCommandsExit5WithOneLine() {
        for (String[] args : List.of(new String[] {"list"}, new String[] {"mount", "-t", "home", "-m", "F:"},
                new String[] {"status"}, new String[] {"service"}, new String[] {"service", "--console"},
                new String[] {"install"}, new String[] {"uninstall"}, new String[] {"start"}, new String[] {"stop"})) {
            Run r = run(args);
            assertEquals(ExitCodes.MISSING_DEPENDENCY, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith("viofs: " + args[0] + " needs Windows, WinFsp and viofs.sys"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void installDryRunPrintsThePlanAsJson() {
        Run r = run("install", "--dry-run", "--json", "--home", "C:\\Program Files\\viofs", "--java",
                "C:\\Program Files\\viofs\\runtime\\bin\\java.exe");
        assertEquals(0, r.exit(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("install", o.get("action").getAsString());
        assertEquals("ViofsSvc", o.get("serviceName").getAsString());
        assertEquals("viofs VirtIO-FS Service", o.get("displayName").getAsString());
        assertEquals("delayed-auto", o.get("startType").getAsString());
        assertEquals("[\"VirtioFsDrv\",\"WinFsp\"]", o.get("dependencies").toString());
        assertEquals("restart", o.getAsJsonArray("recoveryActions").get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("\"C:\\Program Files\\viofs\\runtime\\bin\\java.exe\" -cp \"C:\\Program Files\\viofs\\lib\\*\""
                + " org.viofs.cli.ViofsCommand service", o.get("binaryPath").getAsString());
        assertEquals("HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\viofs",
                o.getAsJsonArray("registry").get(0).getAsJsonObject().get("key").getAsString());
    }

    @Test
    void otherDryRunsPrintTheirSteps() {
        Run u = run("uninstall", "--dry-run");
        assertEquals(0, u.exit(), u.err());
        assertTrue(u.out().startsWith("viofs uninstall would:\n  OpenSCManager(SC_MANAGER_CONNECT)\n"), u.out());
        assertTrue(u.out().contains("keepRegistryKeys: [HKLM\\Software\\VirtIO-FS]"), u.out());
        Run s = run("stop", "--dry-run", "--json", "--wait", "30");
        assertEquals(0, s.exit(), s.err());
        assertEquals(30, JsonParser.parseString(s.out()).getAsJsonObject().get("waitSeconds").getAsInt());
        assertEquals(0, run("start", "--dry-run").exit());
    }

    @Test
    void badSettingsAreUsageErrorsOnAnySystem() {
        Run r = run("mount", "-t", "home", "-m", "XY");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals("viofs: command line: MountPoint must be a drive letter such as F: or *, was \"XY\"", r.err().strip());
        Run x = run("mount", "--xattr", "maybe");
        assertEquals(ExitCodes.USAGE, x.exit());
        assertTrue(x.err().contains("Xattr must be auto, on or off, was \"maybe\""), x.err());
    }

    @Test
    void statusAndListReadTheChannel() {
        StatusReport report = new StatusReport("ViofsSvc", Instant.parse("2026-12-03T10:00:00Z"), List.of(
                new ShareStatus("\\\\?\\pci#a", "home", "F:", ShareState.MOUNTED, Instant.parse("2026-12-03T10:00:01Z"),
                        Map.of("LOOKUP", 3L), 0, null, List.of("MountPoint=F: (registry x)"))));
        Path socket = dir.resolve("s.sock");
        StatusChannel.Server s = StatusChannel.listenOnSocket(socket, () -> report);
        try {
            Run st = run("status", "--endpoint", socket.toString());
            assertEquals(0, st.exit(), st.err());
            assertEquals(List.of("ViofsSvc running since 2026-12-03T10:00:00Z; 1 device(s)",
                    "  home  F:  MOUNTED since 2026-12-03T10:00:01Z  requests 3  errors 0", "      by opcode: {LOOKUP=3}"),
                    st.out().lines().toList());
            Run js = run("status", "--json", "--endpoint", socket.toString());
            assertEquals(report, StatusReport.fromJson(js.out()));
            Run ls = run("list", "--endpoint", socket.toString());
            assertEquals(List.of("\\\\?\\pci#a", "    tag home, F:, MOUNTED, settings: MountPoint=F: (registry x)"),
                    ls.out().lines().toList());
        } finally {
            s.close();
        }
        Run gone = run("status", "--endpoint", socket.toString());
        assertEquals(ExitCodes.TRANSPORT, gone.exit());
        assertEquals("viofs: no viofs service is listening on " + socket, gone.err().strip());
    }

    @Test
    void everyCommandAndOptionIsDescribed() {
        CommandLine root = ViofsCommand.commandLine();
        for (String name : List.of("list", "mount", "status", "service", "install", "uninstall", "start", "stop")) {
            CommandSpec spec = root.getSubcommands().get(name).getCommandSpec();
            assertTrue(spec.usageMessage().description().length > 0, name + " has a description");
            for (OptionSpec o : spec.options()) {
                assertTrue(o.description().length > 0 && !o.description()[0].isBlank(),
                        name + " " + o.longestName() + " has a description");
            }
            Run h = run("help", name);
            assertEquals(0, h.exit());
            assertTrue(h.out().startsWith("Usage: viofs " + name), h.out());
            assertFalse(h.out().lines().anyMatch(l -> l.length() > 80), name + " help fits 80 columns:\n" + h.out());
        }
        Run help = run("--help");
        assertTrue(help.out().contains("Exit codes: 0 ok"), help.out());
    }

    @Test
    void mountTakesTheAnchorsShortOptions() {
        CommandSpec mount = ViofsCommand.commandLine().getSubcommands().get("mount").getCommandSpec();
        Map<String, String> meaning = Map.of("-t", "--tag", "-m", "--mount-point", "-i", "--case-insensitive",
                "-o", "--owner", "-F", "--file-system-name", "-d", "--debug-flags", "-D", "--debug-log");
        meaning.forEach((shortName, longName) -> assertEquals(longName, mount.findOption(shortName).longestName(),
                shortName + " means " + longName + " as in virtiofs.exe (docs/viofs-anchor.md §5.1)"));
    }
}
