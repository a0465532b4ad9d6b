package org.viofs.cli;

import com.google.gson.GsonBuilder;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import org.viofs.service.ScmConstants;
import org.viofs.service.ScmPlan;
import org.viofs.service.ScmShell;
import org.viofs.service.ServiceNames;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code viofs install | uninstall | start | stop}: the service {@value ServiceNames#SERVICE_NAME} in the
 * SCM. Each prints its {@link ScmPlan} with {@code --dry-run} (on any system) and carries it out with
 * {@link ScmShell} on Windows.
 */
final class ScmCommands {
    private ScmCommands() {
    }

    static void print(CommandSpec spec, ScmPlan plan, boolean json) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create()
                    .toJson(plan.toJsonTree()));
        } else {
            out.println("viofs " + plan.action() + " would:");
            for (String step : plan.steps()) {
                out.println("  " + step);
            }
            for (Map.Entry<String, Object> e : plan.fields().entrySet()) {
                out.println("  " + e.getKey() + ": " + e.getValue());
            }
        }
        out.flush();
    }

    static void done(CommandSpec spec, boolean json, String action, int state) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new GsonBuilder().create().toJson(Map.of("action", action,
                    "serviceName", ServiceNames.SERVICE_NAME, "state", ScmShell.stateName(state))));
        } else {
            out.println(ServiceNames.SERVICE_NAME + ": " + ScmShell.stateName(state));
        }
        out.flush();
    }

    /** Start or stop: print the plan for a dry run, else make the call and check the state it ends in. */
    static void control(CommandSpec spec, ScmOptions scm, ScmPlan plan, IntSupplier call, int wanted, String failure) {
        if (scm.dryRun) {
            print(spec, plan, scm.json);
            return;
        }
        WindowsOnly.require(plan.action(), "--dry-run shows what it would do");
        int state = call.getAsInt();
        done(spec, scm.json, plan.action(), state);
        if (state != wanted) {
            throw new ExitCodes.UserError(ExitCodes.SOFTWARE, failure);
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Install the Windows service " + ServiceNames.SERVICE_NAME + " (\"" + ServiceNames.DISPLAY_NAME
                    + "\"): delayed automatic start, depends on viofs.sys (service "
                    + ServiceNames.VIRTIO_FS_DRIVER_SERVICE + ") and WinFsp (service " + ServiceNames.WINFSP_DRIVER_SERVICE
                    + "), restarted on failure; registers the Event Log source \"" + ServiceNames.EVENT_SOURCE
                    + "\". Running it again updates the service in place. Needs an elevated prompt."})
    static final class Install implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ScmOptions scm;

        @Option(names = "--home", paramLabel = "DIR",
                description = "The installation directory holding lib\\ and optionally runtime\\ (default: the one"
                        + " this command runs from).")
        Path home;

        @Option(names = "--java", paramLabel = "JAVA_EXE",
                description = "java.exe the service runs with (default: HOME\\runtime\\bin\\java.exe if present, else"
                        + " this Java).")
        String java;

        @Override
        public void run() {
            ScmPlan plan = ScmPlan.install(binaryPath());
            if (scm.dryRun) {
                print(spec, plan, scm.json);
                return;
            }
            WindowsOnly.require("install", "--dry-run shows what it would do");
            ScmShell.install((String) plan.fields().get("binaryPath"));
            done(spec, scm.json, "install", ScmShell.query());
        }

        String binaryPath() {
            Path h = home != null ? home : detectHome();
            String sep = WindowsOnly.isWindows() || h.toString().contains("\\") ? "\\" : File.separator;
            String lib = h + sep + "lib";
            String javaExe = java;
            if (javaExe == null) {
                Path bundled = h.resolve("runtime").resolve("bin").resolve("java.exe");
                javaExe = Files.exists(bundled) ? bundled.toString()
                        : Paths.get(System.getProperty("java.home"), "bin", WindowsOnly.isWindows() ? "java.exe" : "java")
                        .toString();
            }
            return ScmPlan.binaryPath(javaExe, lib);
        }

        /** The parent of the directory holding the jar this class came from (HOME\lib\viofs-service.jar). */
        static Path detectHome() {
            try {
                Path jar = Paths.get(Install.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                Path dir = jar.getParent();
                return dir != null && dir.getParent() != null ? dir.getParent() : jar;
            } catch (Exception e) {
                return Paths.get("").toAbsolutePath();
            }
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = {"Stop and remove the Windows service " + ServiceNames.SERVICE_NAME
                    + " and its Event Log source. The settings under HKLM\\" + ServiceNames.CONFIG_KEY
                    + " are kept unless --remove-configuration is given. Needs an elevated prompt."})
    static final class Uninstall implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ScmOptions scm;

        @Option(names = "--remove-configuration",
                description = "Also delete HKLM\\" + ServiceNames.CONFIG_KEY + " (settings and remembered letters).")
        boolean removeConfiguration;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for the service to stop (default: ${DEFAULT-VALUE}).")
        int waitSeconds;

        @Override
        public void run() {
            ScmPlan plan = ScmPlan.uninstall(removeConfiguration);
            if (scm.dryRun) {
                print(spec, plan, scm.json);
                return;
            }
            WindowsOnly.require("uninstall", "--dry-run shows what it would do");
            ScmShell.uninstall(removeConfiguration, Duration.ofSeconds(waitSeconds));
            done(spec, scm.json, "uninstall", ScmShell.query());
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start the Windows service " + ServiceNames.SERVICE_NAME + " and wait until it runs."})
    static final class Start implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ScmOptions scm;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for it to run (default: ${DEFAULT-VALUE}).")
        int waitSeconds;

        @Override
        public void run() {
            Duration wait = Duration.ofSeconds(waitSeconds);
            control(spec, scm, ScmPlan.start(wait), () -> ScmShell.start(wait), ScmConstants.SERVICE_RUNNING,
                    ServiceNames.SERVICE_NAME + " did not reach RUNNING within " + waitSeconds
                            + " s; see the Application event log, source " + ServiceNames.EVENT_SOURCE);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Stop the Windows service " + ServiceNames.SERVICE_NAME
                    + " (every share is unmounted first) and wait until it stopped."})
    static final class Stop implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ScmOptions scm;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for it to stop (default: ${DEFAULT-VALUE}).")
        int waitSeconds;

        @Override
        public void run() {
            Duration wait = Duration.ofSeconds(waitSeconds);
            control(spec, scm, ScmPlan.stop(wait), () -> ScmShell.stop(wait), ScmConstants.SERVICE_STOPPED,
                    ServiceNames.SERVICE_NAME + " did not stop within " + waitSeconds + " s");
        }
    }
}
