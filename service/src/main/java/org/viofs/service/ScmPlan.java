package org.viofs.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code viofs install | uninstall | start | stop} do to the SCM and the registry, decided in pure
 * Java before anything is touched: {@code --dry-run} prints it, the Windows shell
 * ({@link ScmShell}) carries it out step by step and nothing else. Immutable.
 *
 * @param action   "install", "uninstall", "start" or "stop"
 * @param fields   the plan's facts in print order (for install: serviceName, displayName, startType,
 *                 dependencies, recoveryActions, binaryPath, registry, …)
 * @param steps    one line per call, in order
 */
public record ScmPlan(String action, Map<String, Object> fields, List<String> steps) {
    /** The SCM's first, second and later restart delays (docs/service.md §2: restart on failure). */
    public static final List<Duration> RESTART_DELAYS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofSeconds(60));
    /** After a day without failure the SCM's failure count starts again. */
    public static final Duration FAILURE_RESET = Duration.ofDays(1);
    /**
     * The message file that makes Event Viewer show our text: the .NET Framework's EventLogMessages.dll
     * maps every event id to the bare insertion string "%1" (docs/service.md §4; UNVERIFIED here).
     */
    public static final String EVENT_MESSAGE_FILE =
            "%SystemRoot%\\Microsoft.NET\\Framework64\\v4.0.30319\\EventLogMessages.dll";

    public ScmPlan {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        steps = List.copyOf(steps);
    }

    /** One registry value to write: REG_SZ, REG_EXPAND_SZ or REG_DWORD. */
    public record RegistryValue(String key, String name, String type, Object data) {
    }

    /**
     * The installation plan.
     *
     * @param binaryPath the SCM's command line for the service ({@link #binaryPath})
     */
    public static ScmPlan install(String binaryPath) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("serviceName", ServiceNames.SERVICE_NAME);
        f.put("displayName", ServiceNames.DISPLAY_NAME);
        f.put("description", ServiceNames.DESCRIPTION);
        f.put("serviceType", "own-process");
        f.put("startType", "delayed-auto");
        f.put("errorControl", "normal");
        f.put("account", "LocalSystem");
        f.put("dependencies", List.of(ServiceNames.VIRTIO_FS_DRIVER_SERVICE, ServiceNames.WINFSP_DRIVER_SERVICE));
        List<Map<String, Object>> recovery = new ArrayList<>();
        for (Duration d : RESTART_DELAYS) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("type", "restart");
            a.put("delayMs", d.toMillis());
            recovery.add(a);
        }
        f.put("recoveryActions", recovery);
        f.put("recoveryResetSeconds", FAILURE_RESET.toSeconds());
        f.put("binaryPath", binaryPath);
        List<RegistryValue> registry = List.of(
                new RegistryValue("HKLM\\" + ServiceNames.EVENT_LOG_KEY, "EventMessageFile", "REG_EXPAND_SZ",
                        EVENT_MESSAGE_FILE),
                new RegistryValue("HKLM\\" + ServiceNames.EVENT_LOG_KEY, "TypesSupported", "REG_DWORD",
                        ScmConstants.EVENT_TYPES_SUPPORTED),
                new RegistryValue("HKLM\\" + ServiceNames.CONFIG_KEY, null, "key", null));
        f.put("registry", registry);
        List<String> steps = List.of(
                "OpenSCManager(SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE)",
                "CreateService(" + ServiceNames.SERVICE_NAME + ", \"" + ServiceNames.DISPLAY_NAME
                        + "\", SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, "
                        + binaryPath + ", dependencies " + ServiceNames.VIRTIO_FS_DRIVER_SERVICE + ", "
                        + ServiceNames.WINFSP_DRIVER_SERVICE + ", LocalSystem); if it exists: ChangeServiceConfig"
                        + " with the same values",
                "ChangeServiceConfig2(SERVICE_CONFIG_DESCRIPTION)",
                "ChangeServiceConfig2(SERVICE_CONFIG_DELAYED_AUTO_START_INFO, fDelayedAutostart = TRUE)",
                "ChangeServiceConfig2(SERVICE_CONFIG_FAILURE_ACTIONS, restart after 5 s, 30 s, 60 s; reset after 86400 s)",
                "ChangeServiceConfig2(SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, fFailureActionsOnNonCrashFailures = TRUE)",
                "RegCreateKeyEx(HKLM\\" + ServiceNames.EVENT_LOG_KEY + "), set EventMessageFile, TypesSupported",
                "RegCreateKeyEx(HKLM\\" + ServiceNames.CONFIG_KEY + ") (existing values are kept)");
        return new ScmPlan("install", f, steps);
    }

    /**
     * The removal plan: stop, delete the service and the event source.
     *
     * @param removeConfiguration also delete {@code HKLM\Software\VirtIO-FS} (kept by default)
     */
    public static ScmPlan uninstall(boolean removeConfiguration) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("serviceName", ServiceNames.SERVICE_NAME);
        List<String> deleted = new ArrayList<>();
        deleted.add("HKLM\\" + ServiceNames.EVENT_LOG_KEY);
        if (removeConfiguration) {
            deleted.add("HKLM\\" + ServiceNames.CONFIG_KEY);
        }
        f.put("deleteRegistryKeys", deleted);
        f.put("keepRegistryKeys", removeConfiguration ? List.of() : List.of("HKLM\\" + ServiceNames.CONFIG_KEY));
        List<String> steps = new ArrayList<>(List.of(
                "OpenSCManager(SC_MANAGER_CONNECT)",
                "OpenService(" + ServiceNames.SERVICE_NAME + ", SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE);"
                        + " nothing to do if it does not exist",
                "ControlService(SERVICE_CONTROL_STOP) unless stopped; wait for SERVICE_STOPPED",
                "DeleteService",
                "RegDeleteTree(HKLM\\" + ServiceNames.EVENT_LOG_KEY + ")"));
        if (removeConfiguration) {
            steps.add("RegDeleteTree(HKLM\\" + ServiceNames.CONFIG_KEY + ")");
        }
        return new ScmPlan("uninstall", f, steps);
    }

    /** Starting the installed service and waiting until it runs. */
    public static ScmPlan start(Duration wait) {
        return new ScmPlan("start", Map.of("serviceName", ServiceNames.SERVICE_NAME, "waitSeconds", wait.toSeconds()),
                List.of("OpenSCManager(SC_MANAGER_CONNECT)",
                        "OpenService(" + ServiceNames.SERVICE_NAME + ", SERVICE_START | SERVICE_QUERY_STATUS)",
                        "StartService unless running; wait for SERVICE_RUNNING"));
    }

    /** Stopping the service and waiting until it stopped. */
    public static ScmPlan stop(Duration wait) {
        return new ScmPlan("stop", Map.of("serviceName", ServiceNames.SERVICE_NAME, "waitSeconds", wait.toSeconds()),
                List.of("OpenSCManager(SC_MANAGER_CONNECT)",
                        "OpenService(" + ServiceNames.SERVICE_NAME + ", SERVICE_STOP | SERVICE_QUERY_STATUS)",
                        "ControlService(SERVICE_CONTROL_STOP) unless stopped; wait for SERVICE_STOPPED"));
    }

    /**
     * The command line the SCM runs: {@code "JAVA" -cp "LIB\*" org.viofs.cli.ViofsCommand service}, each
     * path quoted (an unquoted path with spaces is run as its first word by the SCM).
     *
     * @param javaExe the java.exe to run (the bundled runtime's, or a JDK's)
     * @param libDir  the directory of the jars
     */
    public static String binaryPath(String javaExe, String libDir) {
        String sep = libDir.contains("\\") || libDir.matches("[A-Za-z]:.*") ? "\\" : "/";
        String lib = libDir.endsWith(sep) ? libDir : libDir + sep;
        return quote(javaExe) + " -cp " + quote(lib + "*") + " " + ServiceNames.MAIN_CLASS + " service";
    }

    private static String quote(String s) {
        if (s.indexOf('"') >= 0) {
            throw new IllegalArgumentException("a path with a double quote cannot be run by the SCM: " + s);
        }
        return "\"" + s + "\"";
    }

    /** The plan as JSON-ready data: action, the fields in order, then steps. */
    public Map<String, Object> toJsonTree() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", action);
        m.putAll(fields);
        m.put("steps", steps);
        return m;
    }
}
