package org.viofs.service;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Winsvc;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The SCM entry point (issue 8 §3): StartServiceCtrlDispatcher, RegisterServiceCtrlHandlerEx,
 * SetServiceStatus with the values {@link ServiceStatusMachine} decides: START_PENDING with check points
 * while the present shares mount, RUNNING accepting STOP and SHUTDOWN, STOP_PENDING while unmounting,
 * STOPPED. Windows-only, never run yet (README).
 */
public final class ScmServiceHost {
    private static final System.Logger LOG = System.getLogger(ScmServiceHost.class.getName());
    /** How often START_PENDING / STOP_PENDING are reported again, and the hint they give. */
    static final Duration CHECK_POINT_EVERY = Duration.ofSeconds(2);
    static final int WAIT_HINT_MS = 10_000;
    /** The longest START_PENDING lasts: after it the service runs and slow shares go on mounting. */
    static final Duration MAX_START = Duration.ofSeconds(60);

    private final ServiceStatusMachine machine = new ServiceStatusMachine();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Supplier<ServiceRunner> starter;
    private Winsvc.SERVICE_STATUS_HANDLE handle;
    // strongly reachable while the dispatcher runs
    private final Winsvc.SERVICE_MAIN_FUNCTION main = this::serviceMain;
    private final Winsvc.HandlerEx handler = this::control;

    private ScmServiceHost(Supplier<ServiceRunner> starter) {
        this.starter = starter;
    }

    /**
     * Runs as the service until the SCM stops it.
     *
     * @return false when this process was not started by the SCM (ERROR_FAILED_SERVICE_CONTROLLER_CONNECT)
     */
    public static boolean run(Supplier<ServiceRunner> starter) {
        ScmServiceHost host = new ScmServiceHost(starter);
        Winsvc.SERVICE_TABLE_ENTRY entry = new Winsvc.SERVICE_TABLE_ENTRY();
        Winsvc.SERVICE_TABLE_ENTRY[] table = (Winsvc.SERVICE_TABLE_ENTRY[]) entry.toArray(2);
        table[0].lpServiceName = ServiceNames.SERVICE_NAME;
        table[0].lpServiceProc = host.main;
        table[1].lpServiceName = null;
        table[1].lpServiceProc = null;
        if (!Advapi32.INSTANCE.StartServiceCtrlDispatcher(table)) {
            int error = Native.getLastError();
            if (error == ScmConstants.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
                return false;
            }
            throw new com.sun.jna.platform.win32.Win32Exception(error);
        }
        return true;
    }

    private void serviceMain(int argc, Pointer argv) {
        handle = Advapi32.INSTANCE.RegisterServiceCtrlHandlerEx(ServiceNames.SERVICE_NAME, handler, null);
        if (handle == null) {
            LOG.log(Level.ERROR, "RegisterServiceCtrlHandlerEx failed: " + Native.getLastError());
            return;
        }
        report(machine.startPending(WAIT_HINT_MS));
        ServiceRunner runner;
        try {
            runner = starter.get();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "the service could not start", e);
            report(machine.stopped(1));
            return;
        }
        long deadline = System.nanoTime() + MAX_START.toNanos();
        while (!runner.manager().settled() && System.nanoTime() - deadline < 0 && !stopRequestedWithin()) {
            report(machine.startPending(WAIT_HINT_MS));
        }
        report(machine.running());
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        report(machine.stopPending((int) ServiceRunner.STOP_WAIT.toMillis()));
        Thread beat = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(CHECK_POINT_EVERY.toMillis()); // a heartbeat for the SCM, not a wait for a condition
                } catch (InterruptedException e) {
                    return;
                }
                report(machine.stopPending((int) ServiceRunner.STOP_WAIT.toMillis()));
            }
        }, "viofs-stop-checkpoints");
        beat.setDaemon(true);
        beat.start();
        runner.stop(ServiceRunner.STOP_WAIT);
        beat.interrupt();
        report(machine.stopped(0));
    }

    private boolean stopRequestedWithin() {
        try {
            return stopRequested.await(CHECK_POINT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private int control(int control, int eventType, Pointer eventData, Pointer context) {
        ServiceStatusMachine.Action a = ServiceStatusMachine.onControl(control);
        try {
            if (a == ServiceStatusMachine.Action.STOP) {
                stopRequested.countDown();
            } else if (a == ServiceStatusMachine.Action.REPORT) {
                report(machine.current());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "service control " + control + " failed", e);
        }
        return ServiceStatusMachine.handlerResult(a);
    }

    private synchronized void report(ServiceStatusMachine.Status s) {
        Winsvc.SERVICE_STATUS st = new Winsvc.SERVICE_STATUS();
        st.dwServiceType = ScmConstants.SERVICE_WIN32_OWN_PROCESS;
        st.dwCurrentState = s.state();
        st.dwControlsAccepted = s.controlsAccepted();
        st.dwWin32ExitCode = s.win32ExitCode();
        st.dwServiceSpecificExitCode = s.serviceSpecificExitCode();
        st.dwCheckPoint = s.checkPoint();
        st.dwWaitHint = s.waitHintMs();
        if (!Advapi32.INSTANCE.SetServiceStatus(handle, st)) {
            LOG.log(Level.WARNING, "SetServiceStatus failed: " + Native.getLastError());
        }
    }
}
