package org.viofs.service;

/**
 * SCM values from the Windows SDK's winsvc.h and winnt.h that the service and the installer use. Each
 * is asserted in {@code ScmConstantsTest} against the SDK number and, where jna-platform defines it,
 * against jna-platform (docs/service.md §2).
 */
public final class ScmConstants {
    private ScmConstants() {
    }

    /** winnt.h {@code SERVICE_WIN32_OWN_PROCESS}. */
    public static final int SERVICE_WIN32_OWN_PROCESS = 0x10;
    /** winnt.h {@code SERVICE_AUTO_START}. */
    public static final int SERVICE_AUTO_START = 2;
    /** winnt.h {@code SERVICE_DEMAND_START}. */
    public static final int SERVICE_DEMAND_START = 3;
    /** winnt.h {@code SERVICE_ERROR_NORMAL}. */
    public static final int SERVICE_ERROR_NORMAL = 1;

    /** winsvc.h service states. */
    public static final int SERVICE_STOPPED = 1;
    public static final int SERVICE_START_PENDING = 2;
    public static final int SERVICE_STOP_PENDING = 3;
    public static final int SERVICE_RUNNING = 4;

    /** winsvc.h controls. */
    public static final int SERVICE_CONTROL_STOP = 1;
    public static final int SERVICE_CONTROL_INTERROGATE = 4;
    public static final int SERVICE_CONTROL_SHUTDOWN = 5;

    /** winsvc.h accepted controls. */
    public static final int SERVICE_ACCEPT_STOP = 1;
    public static final int SERVICE_ACCEPT_SHUTDOWN = 4;

    /** winsvc.h {@code ChangeServiceConfig2} levels. */
    public static final int SERVICE_CONFIG_DESCRIPTION = 1;
    public static final int SERVICE_CONFIG_FAILURE_ACTIONS = 2;
    public static final int SERVICE_CONFIG_DELAYED_AUTO_START_INFO = 3;
    public static final int SERVICE_CONFIG_FAILURE_ACTIONS_FLAG = 4;

    /** winsvc.h {@code SC_ACTION_TYPE}. */
    public static final int SC_ACTION_NONE = 0;
    public static final int SC_ACTION_RESTART = 1;

    /** winsvc.h access rights. */
    public static final int SC_MANAGER_CONNECT = 0x0001;
    public static final int SC_MANAGER_CREATE_SERVICE = 0x0002;
    public static final int SERVICE_QUERY_STATUS = 0x0004;
    public static final int SERVICE_START = 0x0010;
    public static final int SERVICE_STOP = 0x0020;
    public static final int SERVICE_CHANGE_CONFIG = 0x0002;
    public static final int DELETE = 0x00010000;
    public static final int SERVICE_ALL_ACCESS = 0x000F01FF;

    /** winerror.h codes the SCM shell tells apart. */
    public static final int ERROR_SERVICE_DOES_NOT_EXIST = 1060;
    public static final int ERROR_SERVICE_NOT_ACTIVE = 1062;
    public static final int ERROR_SERVICE_ALREADY_RUNNING = 1056;
    public static final int ERROR_SERVICE_EXISTS = 1073;
    public static final int ERROR_FAILED_SERVICE_CONTROLLER_CONNECT = 1063;

    /** winnt.h Event Log types ({@code EVENTLOG_*_TYPE}). */
    public static final int EVENTLOG_ERROR_TYPE = 0x0001;
    public static final int EVENTLOG_WARNING_TYPE = 0x0002;
    public static final int EVENTLOG_INFORMATION_TYPE = 0x0004;
    /** What the source registers as TypesSupported: error, warning, information. */
    public static final int EVENT_TYPES_SUPPORTED = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE
            | EVENTLOG_INFORMATION_TYPE;
}
