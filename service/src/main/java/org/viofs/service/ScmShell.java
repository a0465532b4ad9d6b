package org.viofs.service;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.platform.win32.Winsvc;
import java.time.Duration;
import java.util.List;

/**
 * Carries out an {@link ScmPlan} against the real SCM and registry: the calls, in the plan's order,
 * and nothing decided here. Windows-only, never run yet (README "Never run on Windows"). Every failing
 * call throws {@link Win32Exception} with its error code.
 */
public final class ScmShell {
    private static final WinReg.HKEY HKLM = WinReg.HKEY_LOCAL_MACHINE;

    private ScmShell() {
    }

    /** The dependencies as the SCM wants them: each name NUL-terminated, one more NUL at the end (JNA adds it). */
    static String dependencies(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(n).append('\0');
        }
        return sb.toString();
    }

    /** Creates the service (or updates an existing one) and registers the event source. */
    public static void install(String binaryPath) {
        String deps = dependencies(List.of(ServiceNames.VIRTIO_FS_DRIVER_SERVICE, ServiceNames.WINFSP_DRIVER_SERVICE));
        Winsvc.SC_HANDLE scm = openScm(ScmConstants.SC_MANAGER_CONNECT | ScmConstants.SC_MANAGER_CREATE_SERVICE);
        try {
            Winsvc.SC_HANDLE svc = Advapi32.INSTANCE.CreateService(scm, ServiceNames.SERVICE_NAME, ServiceNames.DISPLAY_NAME,
                    ScmConstants.SERVICE_ALL_ACCESS, ScmConstants.SERVICE_WIN32_OWN_PROCESS,
                    ScmConstants.SERVICE_AUTO_START, ScmConstants.SERVICE_ERROR_NORMAL, binaryPath, null, null, deps,
                    null, null);
            if (svc == null) {
                int error = Native.getLastError();
                if (error != ScmConstants.ERROR_SERVICE_EXISTS) {
                    throw new Win32Exception(error);
                }
                svc = openService(scm, ScmConstants.SERVICE_ALL_ACCESS);
                check(ServiceConfigLibrary.Holder.INSTANCE.ChangeServiceConfig(svc,
                        ScmConstants.SERVICE_WIN32_OWN_PROCESS, ScmConstants.SERVICE_AUTO_START,
                        ScmConstants.SERVICE_ERROR_NORMAL, binaryPath, null, null, deps, null, null,
                        ServiceNames.DISPLAY_NAME));
            }
            try {
                Winsvc.SERVICE_DESCRIPTION d = new Winsvc.SERVICE_DESCRIPTION();
                d.lpDescription = ServiceNames.DESCRIPTION;
                check(Advapi32.INSTANCE.ChangeServiceConfig2(svc, ScmConstants.SERVICE_CONFIG_DESCRIPTION, d));
                try (Memory delayed = new Memory(ServiceConfigLibrary.DELAYED_AUTO_START_INFO_BYTES)) {
                    delayed.setInt(0, 1); // fDelayedAutostart = TRUE
                    check(ServiceConfigLibrary.Holder.INSTANCE.ChangeServiceConfig2(svc,
                            ScmConstants.SERVICE_CONFIG_DELAYED_AUTO_START_INFO, delayed));
                }
                check(Advapi32.INSTANCE.ChangeServiceConfig2(svc, ScmConstants.SERVICE_CONFIG_FAILURE_ACTIONS, failureActions()));
                Winsvc.SERVICE_FAILURE_ACTIONS_FLAG flag = new Winsvc.SERVICE_FAILURE_ACTIONS_FLAG();
                flag.fFailureActionsOnNonCrashFailures = 1;
                check(Advapi32.INSTANCE.ChangeServiceConfig2(svc, ScmConstants.SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, flag));
            } finally {
                Advapi32.INSTANCE.CloseServiceHandle(svc);
            }
        } finally {
            Advapi32.INSTANCE.CloseServiceHandle(scm);
        }
        Advapi32Util.registryCreateKey(HKLM, ServiceNames.EVENT_LOG_KEY);
        Advapi32Util.registrySetExpandableStringValue(HKLM, ServiceNames.EVENT_LOG_KEY, "EventMessageFile",
                ScmPlan.EVENT_MESSAGE_FILE);
        Advapi32Util.registrySetIntValue(HKLM, ServiceNames.EVENT_LOG_KEY, "TypesSupported",
                ScmConstants.EVENT_TYPES_SUPPORTED);
        Advapi32Util.registryCreateKey(HKLM, ServiceNames.CONFIG_KEY);
    }

    /** The restart actions of {@link ScmPlan#RESTART_DELAYS} (SERVICE_FAILURE_ACTIONSW, docs/service.md §2). */
    static Winsvc.SERVICE_FAILURE_ACTIONS failureActions() {
        Winsvc.SERVICE_FAILURE_ACTIONS fa = new Winsvc.SERVICE_FAILURE_ACTIONS();
        fa.dwResetPeriod = (int) ScmPlan.FAILURE_RESET.toSeconds();
        Winsvc.SC_ACTION.ByReference first = new Winsvc.SC_ACTION.ByReference();
        Winsvc.SC_ACTION[] actions = (Winsvc.SC_ACTION[]) first.toArray(ScmPlan.RESTART_DELAYS.size());
        for (int i = 0; i < actions.length; i++) {
            actions[i].type = ScmConstants.SC_ACTION_RESTART;
            actions[i].delay = (int) ScmPlan.RESTART_DELAYS.get(i).toMillis();
            actions[i].write();
        }
        fa.cActions = actions.length;
        fa.lpsaActions = first;
        return fa;
    }

    /** Stops (if running) and deletes the service, then the event source and, if asked, the configuration. */
    public static void uninstall(boolean removeConfiguration, Duration wait) {
        Winsvc.SC_HANDLE scm = openScm(ScmConstants.SC_MANAGER_CONNECT);
        try {
            Winsvc.SC_HANDLE svc = Advapi32.INSTANCE.OpenService(scm, ServiceNames.SERVICE_NAME,
                    ScmConstants.SERVICE_STOP | ScmConstants.SERVICE_QUERY_STATUS | ScmConstants.DELETE);
            if (svc == null) {
                int error = Native.getLastError();
                if (error != ScmConstants.ERROR_SERVICE_DOES_NOT_EXIST) {
                    throw new Win32Exception(error);
                }
            } else {
                try {
                    stopAndWait(svc, wait);
                    check(Advapi32.INSTANCE.DeleteService(svc));
                } finally {
                    Advapi32.INSTANCE.CloseServiceHandle(svc);
                }
            }
        } finally {
            Advapi32.INSTANCE.CloseServiceHandle(scm);
        }
        if (Advapi32Util.registryKeyExists(HKLM, ServiceNames.EVENT_LOG_KEY)) {
            Advapi32Util.registryDeleteKey(HKLM, ServiceNames.EVENT_LOG_KEY);
        }
        if (removeConfiguration && Advapi32Util.registryKeyExists(HKLM, ServiceNames.CONFIG_KEY)) {
            deleteTree(ServiceNames.CONFIG_KEY);
        }
    }

    private static void deleteTree(String key) {
        for (String sub : Advapi32Util.registryGetKeys(HKLM, key)) {
            deleteTree(key + "\\" + sub);
        }
        Advapi32Util.registryDeleteKey(HKLM, key);
    }

    /** Starts the service and waits until it runs; returns the final state. */
    public static int start(Duration wait) {
        return withService(ScmConstants.SERVICE_START | ScmConstants.SERVICE_QUERY_STATUS, svc -> {
            if (state(svc) != ScmConstants.SERVICE_RUNNING) {
                if (!Advapi32.INSTANCE.StartService(svc, 0, null)) {
                    int error = Native.getLastError();
                    if (error != ScmConstants.ERROR_SERVICE_ALREADY_RUNNING) {
                        throw new Win32Exception(error);
                    }
                }
            }
            return waitFor(svc, ScmConstants.SERVICE_RUNNING, wait);
        });
    }

    /** Stops the service and waits until it stopped; returns the final state. */
    public static int stop(Duration wait) {
        return withService(ScmConstants.SERVICE_STOP | ScmConstants.SERVICE_QUERY_STATUS, svc -> stopAndWait(svc, wait));
    }

    /** The service's current state (SERVICE_RUNNING, …), or 0 when it is not installed. */
    public static int query() {
        Winsvc.SC_HANDLE scm = openScm(ScmConstants.SC_MANAGER_CONNECT);
        try {
            Winsvc.SC_HANDLE svc = Advapi32.INSTANCE.OpenService(scm, ServiceNames.SERVICE_NAME, ScmConstants.SERVICE_QUERY_STATUS);
            if (svc == null) {
                return 0;
            }
            try {
                return state(svc);
            } finally {
                Advapi32.INSTANCE.CloseServiceHandle(svc);
            }
        } finally {
            Advapi32.INSTANCE.CloseServiceHandle(scm);
        }
    }

    private static int stopAndWait(Winsvc.SC_HANDLE svc, Duration wait) {
        if (state(svc) == ScmConstants.SERVICE_STOPPED) {
            return ScmConstants.SERVICE_STOPPED;
        }
        Winsvc.SERVICE_STATUS status = new Winsvc.SERVICE_STATUS();
        if (!Advapi32.INSTANCE.ControlService(svc, ScmConstants.SERVICE_CONTROL_STOP, status)) {
            int error = Native.getLastError();
            if (error != ScmConstants.ERROR_SERVICE_NOT_ACTIVE) {
                throw new Win32Exception(error);
            }
        }
        return waitFor(svc, ScmConstants.SERVICE_STOPPED, wait);
    }

    private static int waitFor(Winsvc.SC_HANDLE svc, int wanted, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        int s = state(svc);
        while (s != wanted && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(250); // the SCM offers no wait; polling as sc.exe does
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            s = state(svc);
        }
        return s;
    }

    private static int state(Winsvc.SC_HANDLE svc) {
        Winsvc.SERVICE_STATUS status = new Winsvc.SERVICE_STATUS();
        check(Advapi32.INSTANCE.QueryServiceStatus(svc, status));
        return status.dwCurrentState;
    }

    private interface ServiceCall {
        int apply(Winsvc.SC_HANDLE svc);
    }

    private static int withService(int access, ServiceCall call) {
        Winsvc.SC_HANDLE scm = openScm(ScmConstants.SC_MANAGER_CONNECT);
        try {
            Winsvc.SC_HANDLE svc = openService(scm, access);
            try {
                return call.apply(svc);
            } finally {
                Advapi32.INSTANCE.CloseServiceHandle(svc);
            }
        } finally {
            Advapi32.INSTANCE.CloseServiceHandle(scm);
        }
    }

    private static Winsvc.SC_HANDLE openScm(int access) {
        Winsvc.SC_HANDLE scm = Advapi32.INSTANCE.OpenSCManager(null, null, access);
        if (scm == null) {
            throw new Win32Exception(Native.getLastError());
        }
        return scm;
    }

    private static Winsvc.SC_HANDLE openService(Winsvc.SC_HANDLE scm, int access) {
        Winsvc.SC_HANDLE svc = Advapi32.INSTANCE.OpenService(scm, ServiceNames.SERVICE_NAME, access);
        if (svc == null) {
            throw new Win32Exception(Native.getLastError());
        }
        return svc;
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new Win32Exception(Native.getLastError());
        }
    }

    /** A state number as the SDK names it. */
    public static String stateName(int state) {
        switch (state) {
            case 0: return "NOT_INSTALLED";
            case ScmConstants.SERVICE_STOPPED: return "STOPPED";
            case ScmConstants.SERVICE_START_PENDING: return "START_PENDING";
            case ScmConstants.SERVICE_STOP_PENDING: return "STOP_PENDING";
            case ScmConstants.SERVICE_RUNNING: return "RUNNING";
            default: return "STATE_" + state;
        }
    }
}
