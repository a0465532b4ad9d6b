package org.viofs.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.viofs.service.Logging;
import org.viofs.service.ScmServiceHost;
import org.viofs.service.ServiceNames;
import org.viofs.service.ServiceRunner;
import org.viofs.service.ShareSettings;
import org.viofs.service.ShareStatus;
import org.viofs.service.StatusChannel;
import org.viofs.service.StatusReport;
import org.viofs.service.SettingsStore;
import org.viofs.service.WindowsDevices;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code viofs service | mount | status | list}: the product on Windows. */
final class ServiceCommands {
    private ServiceCommands() {
    }

    /** Runs until Ctrl+C (a JVM shutdown hook unmounts every share), printing mounts as they happen. */
    static void runInConsole(ShareSettingOptions settings, String name) {
        SettingsStore store = settings.store();
        ShareSettings global = settings.serviceWide(store);
        Logging.configure(false, true, global.debugLogFile(), global.debugFlags() != 0);
        ServiceRunner runner = ServiceRunner.startOnWindows(name, store, settings.layer(), settings.tag());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.stop(ServiceRunner.STOP_WAIT);
            stopped.countDown();
        }, "viofs-console-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Command(name = "service", mixinStandardHelpOptions = true,
            description = {"The Windows service's entry point: mounts every virtio-fs share (one drive letter each),"
                    + " follows devices that arrive or go, and retries shares that fail, without disturbing the"
                    + " others. The SCM starts it as " + ServiceNames.SERVICE_NAME + " (see viofs install);"
                    + " with --console it runs in this console until Ctrl+C, which unmounts cleanly.",
                    "Settings: HKLM\\" + ServiceNames.CONFIG_KEY + " and a subkey per mount tag (or --config FILE),"
                            + " overridden by the options below."})
    static final class Service implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ShareSettingOptions settings;

        @Option(names = "--console", description = "Run in this console instead of under the SCM.")
        boolean console;

        @Override
        public void run() {
            WindowsOnly.require("service", null);
            if (console) {
                runInConsole(settings, "console");
                return;
            }
            SettingsStore store = settings.store();
            ShareSettings global = settings.serviceWide(store);
            Logging.configure(true, false, global.debugLogFile(), global.debugFlags() != 0);
            boolean underScm = ScmServiceHost.run(() -> ServiceRunner.startOnWindows(ServiceNames.SERVICE_NAME, store,
                    settings.layer(), settings.tag()));
            if (!underScm) {
                throw new ExitCodes.UserError(ExitCodes.USAGE, "viofs service was not started by the SCM; use"
                        + " viofs start, or viofs service --console to run it here");
            }
        }
    }

    @Command(name = "mount", mixinStandardHelpOptions = true,
            description = {"Mount virtio-fs shares in the foreground until Ctrl+C: with -t only the share with that"
                    + " mount tag, else every share. Accepts the options of virtio-win's virtiofs.exe with the same"
                    + " meanings (-t, -m, -i, -o, -F, -d, -D). Example: viofs mount -t myshare -m F:"})
    static final class Mount implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ShareSettingOptions settings;

        @Override
        public void run() {
            settings.layer(); // bad values are usage errors on any system
            WindowsOnly.require("mount", null);
            runInConsole(settings, "mount");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Ask the running service how each share stands: tag, drive letter, state and since when,"
                    + " FUSE requests served per opcode, errors and the last one. Only Administrators and SYSTEM may"
                    + " ask (run from an elevated prompt)."})
    static final class Status implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Option(names = "--endpoint", hidden = true, paramLabel = "PIPE_OR_SOCKET",
                description = "The status channel (default: " + "\\\\.\\pipe\\viofs-status" + "); a Unix socket path for tests.")
        String endpoint;

        @Override
        public void run() {
            if (endpoint == null) {
                WindowsOnly.require("status", null);
            }
            StatusReport r;
            try {
                r = StatusChannel.query(endpoint != null ? endpoint : ServiceNames.STATUS_PIPE);
            } catch (IllegalStateException e) {
                throw new ExitCodes.UserError(ExitCodes.TRANSPORT, e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(r.toJson());
            } else {
                r.toLines().forEach(out::println);
            }
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the virtio-fs devices: interface path, mount tag, drive letter, state and where each"
                    + " share's settings come from. Asks the running service; without one, opens the devices to"
                    + " read their tags."})
    static final class ListDevices implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the list as JSON.")
        boolean json;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Read settings from FILE instead of the registry.")
        java.nio.file.Path config;

        @Option(names = "--endpoint", hidden = true, paramLabel = "PIPE_OR_SOCKET",
                description = "The status channel to ask; a Unix socket path for tests.")
        String endpoint;

        @Override
        public void run() {
            List<ShareStatus> shares;
            if (endpoint != null) {
                shares = StatusChannel.query(endpoint).shares();
            } else {
                WindowsOnly.require("list", null);
                shares = fromServiceOrDevices();
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ShareStatus s : shares) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("path", s.path());
                    m.put("tag", s.tag());
                    m.put("letter", s.letter());
                    m.put("state", s.state() == null ? null : s.state().name());
                    m.put("settings", s.settings());
                    rows.add(m);
                }
                out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create()
                        .toJson(rows));
            } else if (shares.isEmpty()) {
                out.println("no virtio-fs device is present");
            } else {
                for (ShareStatus s : shares) {
                    out.println(s.path());
                    out.println("    tag " + s.tag() + ", " + (s.letter() == null ? "no letter" : s.letter()) + ", "
                            + s.state() + (s.settings().isEmpty() ? ", all settings default"
                            : ", settings: " + String.join("; ", s.settings())));
                }
            }
            out.flush();
        }

        private List<ShareStatus> fromServiceOrDevices() {
            try {
                return StatusChannel.query(ServiceNames.STATUS_PIPE).shares();
            } catch (IllegalStateException notRunning) {
                ShareSettingOptions o = new ShareSettingOptions();
                o.config = config;
                SettingsStore store = o.store();
                WindowsDevices devices = new WindowsDevices();
                List<ShareStatus> out = new ArrayList<>();
                for (String path : devices.presentDevices()) {
                    String tag;
                    try {
                        var dev = devices.open(path);
                        try (var t = dev.transport()) {
                            tag = t.device().tag();
                        } finally {
                            dev.removalWatch().close();
                        }
                    } catch (Exception e) {
                        out.add(new ShareStatus(path, null, null, null, null, Map.of(), 1, e.getMessage(), List.of()));
                        continue;
                    }
                    ShareSettings s = store.settingsFor(tag, org.viofs.service.SettingsLayer.empty("command line"));
                    out.add(new ShareStatus(path, tag, null, null, null, Map.of(), 0, null, s.describeNonDefaults()));
                }
                return out;
            }
        }
    }

}
