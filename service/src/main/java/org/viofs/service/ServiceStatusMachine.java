package org.viofs.service;

/**
 * The SERVICE_STATUS values the service reports, in order, and its answer to each control (pure; the
 * SCM shell {@link ScmServiceHost} only passes them on). START_PENDING and STOP_PENDING carry a rising
 * check point and a wait hint; only RUNNING accepts STOP and SHUTDOWN (docs/service.md §2).
 * Thread-safe.
 */
public final class ServiceStatusMachine {
    /** winerror.h {@code NO_ERROR}. */
    public static final int NO_ERROR = 0;
    /** winerror.h {@code ERROR_CALL_NOT_IMPLEMENTED}: a control handler's answer to controls it ignores. */
    public static final int ERROR_CALL_NOT_IMPLEMENTED = 120;
    /** winerror.h {@code ERROR_SERVICE_SPECIFIC_ERROR}: the exit code when dwServiceSpecificExitCode says more. */
    public static final int ERROR_SERVICE_SPECIFIC_ERROR = 1066;

    /** One SERVICE_STATUS (without dwServiceType, always SERVICE_WIN32_OWN_PROCESS). */
    public record Status(int state, int controlsAccepted, int win32ExitCode, int serviceSpecificExitCode,
                         int checkPoint, int waitHintMs) {
    }

    /** What the control handler does with a control. */
    public enum Action { STOP, REPORT, IGNORE }

    private int checkPoint;
    private Status current = new Status(ScmConstants.SERVICE_STOPPED, 0, NO_ERROR, 0, 0, 0);

    /** Still starting (mounting); each call is one more check point. */
    public synchronized Status startPending(int waitHintMs) {
        return current = new Status(ScmConstants.SERVICE_START_PENDING, 0, NO_ERROR, 0, ++checkPoint, waitHintMs);
    }

    /** Running: STOP and SHUTDOWN accepted. */
    public synchronized Status running() {
        checkPoint = 0;
        return current = new Status(ScmConstants.SERVICE_RUNNING,
                ScmConstants.SERVICE_ACCEPT_STOP | ScmConstants.SERVICE_ACCEPT_SHUTDOWN, NO_ERROR, 0, 0, 0);
    }

    /** Unmounting; each call is one more check point. */
    public synchronized Status stopPending(int waitHintMs) {
        return current = new Status(ScmConstants.SERVICE_STOP_PENDING, 0, NO_ERROR, 0, ++checkPoint, waitHintMs);
    }

    /** Stopped; {@code specificError} ≠ 0 reports a failure (ERROR_SERVICE_SPECIFIC_ERROR + that code). */
    public synchronized Status stopped(int specificError) {
        checkPoint = 0;
        return current = new Status(ScmConstants.SERVICE_STOPPED, 0,
                specificError == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR, specificError, 0, 0);
    }

    public synchronized Status current() {
        return current;
    }

    /**
     * STOP and SHUTDOWN stop the service; INTERROGATE re-reports; every other control is answered
     * ERROR_CALL_NOT_IMPLEMENTED, as the SCM expects for controls a service did not accept.
     */
    public static Action onControl(int control) {
        switch (control) {
            case ScmConstants.SERVICE_CONTROL_STOP:
            case ScmConstants.SERVICE_CONTROL_SHUTDOWN:
                return Action.STOP;
            case ScmConstants.SERVICE_CONTROL_INTERROGATE:
                return Action.REPORT;
            default:
                return Action.IGNORE;
        }
    }

    /** The handler's return value for an action. */
    public static int handlerResult(Action a) {
        return a == Action.IGNORE ? ERROR_CALL_NOT_IMPLEMENTED : NO_ERROR;
    }
}
