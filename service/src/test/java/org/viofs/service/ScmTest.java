package org.viofs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.Winsvc;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.viofs.bridge.testing.StructLayout;
import org.viofs.bridge.windows.CfgMgr32Library;

/**
 * Every SCM, Event Log, pipe and notification value the Windows shell uses, against the Windows SDK's
 * numbers (winsvc.h, winnt.h, winerror.h, winbase.h, sddl.h, cfgmgr32.h; docs/service.md §2–§5) and,
 * where it has them, jna-platform's; the x64 layouts of the structures passed; the plan and the status
 * sequence.
 */
class ScmTest {
    @Test
    void scmValuesAreTheSdks() {
        assertEquals(0x10, ScmConstants.SERVICE_WIN32_OWN_PROCESS);
        assertEquals(WinNT.SERVICE_WIN32_OWN_PROCESS, ScmConstants.SERVICE_WIN32_OWN_PROCESS);
        assertEquals(2, ScmConstants.SERVICE_AUTO_START);
        assertEquals(WinNT.SERVICE_AUTO_START, ScmConstants.SERVICE_AUTO_START);
        assertEquals(1, ScmConstants.SERVICE_ERROR_NORMAL);
        assertEquals(WinNT.SERVICE_ERROR_NORMAL, ScmConstants.SERVICE_ERROR_NORMAL);
        assertEquals(List.of(1, 2, 3, 4), List.of(ScmConstants.SERVICE_STOPPED, ScmConstants.SERVICE_START_PENDING,
                ScmConstants.SERVICE_STOP_PENDING, ScmConstants.SERVICE_RUNNING));
        assertEquals(List.of(Winsvc.SERVICE_STOPPED, Winsvc.SERVICE_START_PENDING, Winsvc.SERVICE_STOP_PENDING,
                Winsvc.SERVICE_RUNNING), List.of(ScmConstants.SERVICE_STOPPED, ScmConstants.SERVICE_START_PENDING,
                ScmConstants.SERVICE_STOP_PENDING, ScmConstants.SERVICE_RUNNING));
        assertEquals(List.of(1, 4, 5), List.of(ScmConstants.SERVICE_CONTROL_STOP,
                ScmConstants.SERVICE_CONTROL_INTERROGATE, ScmConstants.SERVICE_CONTROL_SHUTDOWN));
        assertEquals(Winsvc.SERVICE_CONTROL_SHUTDOWN, ScmConstants.SERVICE_CONTROL_SHUTDOWN);
        assertEquals(List.of(1, 4), List.of(ScmConstants.SERVICE_ACCEPT_STOP, ScmConstants.SERVICE_ACCEPT_SHUTDOWN));
        assertEquals(Winsvc.SERVICE_ACCEPT_SHUTDOWN, ScmConstants.SERVICE_ACCEPT_SHUTDOWN);
        assertEquals(List.of(1, 2, 3, 4), List.of(ScmConstants.SERVICE_CONFIG_DESCRIPTION,
                ScmConstants.SERVICE_CONFIG_FAILURE_ACTIONS, ScmConstants.SERVICE_CONFIG_DELAYED_AUTO_START_INFO,
                ScmConstants.SERVICE_CONFIG_FAILURE_ACTIONS_FLAG));
        assertEquals(Winsvc.SERVICE_CONFIG_FAILURE_ACTIONS, ScmConstants.SERVICE_CONFIG_FAILURE_ACTIONS);
        assertEquals(1, ScmConstants.SC_ACTION_RESTART);
        assertEquals(Winsvc.SC_ACTION_RESTART, ScmConstants.SC_ACTION_RESTART);
        assertEquals(0x000F01FF, ScmConstants.SERVICE_ALL_ACCESS);
        assertEquals(Winsvc.SERVICE_ALL_ACCESS, ScmConstants.SERVICE_ALL_ACCESS);
        assertEquals(Winsvc.SERVICE_START | Winsvc.SERVICE_STOP | Winsvc.SERVICE_QUERY_STATUS,
                ScmConstants.SERVICE_START | ScmConstants.SERVICE_STOP | ScmConstants.SERVICE_QUERY_STATUS);
        assertEquals(WinNT.DELETE, ScmConstants.DELETE);
        assertEquals(Winsvc.SC_MANAGER_CREATE_SERVICE, ScmConstants.SC_MANAGER_CREATE_SERVICE);
        assertEquals(List.of(1060, 1062, 1056, 1073, 1063), List.of(ScmConstants.ERROR_SERVICE_DOES_NOT_EXIST,
                ScmConstants.ERROR_SERVICE_NOT_ACTIVE, ScmConstants.ERROR_SERVICE_ALREADY_RUNNING,
                ScmConstants.ERROR_SERVICE_EXISTS, ScmConstants.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT));
        assertEquals(WinError.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT,
                ScmConstants.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT);
        assertEquals(WinError.ERROR_SERVICE_EXISTS, ScmConstants.ERROR_SERVICE_EXISTS);
        assertEquals(WinError.ERROR_CALL_NOT_IMPLEMENTED, ServiceStatusMachine.ERROR_CALL_NOT_IMPLEMENTED);
        assertEquals(WinError.ERROR_SERVICE_SPECIFIC_ERROR, ServiceStatusMachine.ERROR_SERVICE_SPECIFIC_ERROR);
        assertEquals(-1, ServiceConfigLibrary.SERVICE_NO_CHANGE, "0xffffffff");
    }

    @Test
    void eventLogValuesAreTheSdks() {
        assertEquals(List.of(1, 2, 4), List.of(ScmConstants.EVENTLOG_ERROR_TYPE, ScmConstants.EVENTLOG_WARNING_TYPE,
                ScmConstants.EVENTLOG_INFORMATION_TYPE));
        assertEquals(List.of(WinNT.EVENTLOG_ERROR_TYPE, WinNT.EVENTLOG_WARNING_TYPE, WinNT.EVENTLOG_INFORMATION_TYPE),
                List.of(ScmConstants.EVENTLOG_ERROR_TYPE, ScmConstants.EVENTLOG_WARNING_TYPE,
                        ScmConstants.EVENTLOG_INFORMATION_TYPE));
        assertEquals(7, ScmConstants.EVENT_TYPES_SUPPORTED);
        assertEquals(ScmConstants.EVENTLOG_ERROR_TYPE, EventLogHandler.eventType(java.util.logging.Level.SEVERE));
        assertEquals(ScmConstants.EVENTLOG_WARNING_TYPE, EventLogHandler.eventType(java.util.logging.Level.WARNING));
        assertEquals(ScmConstants.EVENTLOG_INFORMATION_TYPE, EventLogHandler.eventType(java.util.logging.Level.INFO));
        assertEquals("[home] Read failed unexpectedly",
                EventLogHandler.withShare("Read failed unexpectedly", "winfsp-dispatcher-home"));
        assertEquals("[data] lost: gone", EventLogHandler.withShare("[data] lost: gone", "viofs-share-2"),
                "the manager's messages carry their tag already");
    }

    @Test
    void pipeValuesAreTheSdks() {
        assertEquals(WinBase.PIPE_ACCESS_DUPLEX, StatusChannel.PIPE_ACCESS_DUPLEX);
        assertEquals(0x00080000, StatusChannel.FILE_FLAG_FIRST_PIPE_INSTANCE);
        assertEquals(WinBase.PIPE_REJECT_REMOTE_CLIENTS, StatusChannel.PIPE_REJECT_REMOTE_CLIENTS);
        assertEquals(WinBase.PIPE_UNLIMITED_INSTANCES, StatusChannel.PIPE_UNLIMITED_INSTANCES);
        assertEquals(WinError.ERROR_PIPE_CONNECTED, StatusChannel.ERROR_PIPE_CONNECTED);
        assertEquals(1, StatusChannel.SDDL_REVISION_1);
        // SDDL: D: DACL, P protected, (A;;GA;;;SY) allow GENERIC_ALL to LocalSystem, (…;;;BA) to Administrators
        assertEquals("D:P(A;;GA;;;SY)(A;;GA;;;BA)", StatusChannel.PIPE_SDDL);
        assertEquals("\\\\.\\pipe\\viofs-status", ServiceNames.STATUS_PIPE);
    }

    @Test
    void notificationValuesAreTheSdks() {
        assertEquals(List.of(0, 1, 2, 3, 4, 5), List.of(CfgMgr32Library.ACTION_DEVICEINTERFACEARRIVAL,
                CfgMgr32Library.ACTION_DEVICEINTERFACEREMOVAL, CfgMgr32Library.ACTION_DEVICEQUERYREMOVE,
                CfgMgr32Library.ACTION_DEVICEQUERYREMOVEFAILED, CfgMgr32Library.ACTION_DEVICEREMOVEPENDING,
                CfgMgr32Library.ACTION_DEVICEREMOVECOMPLETE));
        assertEquals(0, WindowsDevices.ERROR_SUCCESS);
    }

    /** CM_NOTIFY_EVENT_DATA up to the interface's symbolic link (cfgmgr32.h). */
    @Structure.FieldOrder({"FilterType", "Reserved", "ClassGuid", "SymbolicLink"})
    public static class CmNotifyEventDataInterface extends Structure {
        public int FilterType;
        public int Reserved;
        public Guid.GUID ClassGuid;
        public short[] SymbolicLink = new short[1];
    }

    @Test
    void x64LayoutsOfThePassedStructures() {
        assertEquals(8, Native.POINTER_SIZE, "the layouts below are x64's");
        assertEquals(28, new Winsvc.SERVICE_STATUS().size(), "SERVICE_STATUS: seven DWORDs");
        Winsvc.SERVICE_FAILURE_ACTIONS fa = new Winsvc.SERVICE_FAILURE_ACTIONS();
        // SERVICE_FAILURE_ACTIONSW: DWORD dwResetPeriod @0, LPWSTR lpRebootMsg @8, LPWSTR lpCommand @16,
        // DWORD cActions @24, SC_ACTION *lpsaActions @32; sizeof 40
        assertEquals(40, fa.size());
        assertEquals(List.of(0, 8, 16, 24, 32), List.of(StructLayout.offsetOf(fa, "dwResetPeriod"), StructLayout.offsetOf(fa, "lpRebootMsg"),
                StructLayout.offsetOf(fa, "lpCommand"), StructLayout.offsetOf(fa, "cActions"), StructLayout.offsetOf(fa, "lpsaActions")));
        assertEquals(8, new Winsvc.SC_ACTION().size(), "SC_ACTION: Type, Delay");
        assertEquals(16, new Winsvc.SERVICE_TABLE_ENTRY().size(), "SERVICE_TABLE_ENTRYW: two pointers");
        assertEquals(4, ServiceConfigLibrary.DELAYED_AUTO_START_INFO_BYTES, "SERVICE_DELAYED_AUTO_START_INFO: one BOOL");
        assertEquals(4, new Winsvc.SERVICE_FAILURE_ACTIONS_FLAG().size(), "one BOOL");
        CmNotifyEventDataInterface e = new CmNotifyEventDataInterface();
        assertEquals(WindowsDevices.SYMBOLIC_LINK_OFFSET, StructLayout.offsetOf(e, "SymbolicLink"));
        assertEquals(24, WindowsDevices.SYMBOLIC_LINK_OFFSET);
    }

    @Test
    void theFailureActionsRestartThreeTimesAndResetAfterADay() {
        Winsvc.SERVICE_FAILURE_ACTIONS fa = ScmShell.failureActions();
        fa.write();
        assertEquals(86400, fa.getPointer().getInt(0));
        assertEquals(3, fa.getPointer().getInt(24));
        com.sun.jna.Pointer actions = fa.getPointer().getPointer(32);
        for (int i = 0; i < 3; i++) {
            assertEquals(ScmConstants.SC_ACTION_RESTART, actions.getInt(8L * i), "Type of action " + i);
        }
        assertEquals(List.of(5000, 30000, 60000), List.of(actions.getInt(4), actions.getInt(12), actions.getInt(20)));
        assertEquals("VirtioFsDrv\0WinFsp\0", ScmShell.dependencies(List.of("VirtioFsDrv", "WinFsp")),
                "each NUL-terminated; JNA adds the list's final NUL");
    }

    @Test
    void theInstallPlan() {
        ScmPlan p = ScmPlan.install(ScmPlan.binaryPath("C:\\Program Files\\viofs\\runtime\\bin\\java.exe",
                "C:\\Program Files\\viofs\\lib"));
        Map<String, Object> f = p.fields();
        assertEquals("ViofsSvc", f.get("serviceName"));
        assertEquals("viofs VirtIO-FS Service", f.get("displayName"));
        assertEquals("delayed-auto", f.get("startType"));
        assertEquals(List.of("VirtioFsDrv", "WinFsp"), f.get("dependencies"));
        assertEquals("\"C:\\Program Files\\viofs\\runtime\\bin\\java.exe\" -cp \"C:\\Program Files\\viofs\\lib\\*\""
                + " org.viofs.cli.ViofsCommand service", f.get("binaryPath"), "every path quoted");
        assertEquals(List.of("serviceName", "displayName", "description", "serviceType", "startType", "errorControl",
                "account", "dependencies", "recoveryActions", "recoveryResetSeconds", "binaryPath", "registry"),
                List.copyOf(f.keySet()));
        assertTrue(p.steps().stream().anyMatch(s -> s.contains("SERVICE_CONFIG_DELAYED_AUTO_START_INFO")));
        assertThrows(IllegalArgumentException.class, () -> ScmPlan.binaryPath("C:\\a\"b\\java.exe", "C:\\lib"));
    }

    @Test
    void uninstallKeepsTheSettingsUnlessAsked() {
        assertEquals(List.of("HKLM\\Software\\VirtIO-FS"), ScmPlan.uninstall(false).fields().get("keepRegistryKeys"));
        assertEquals(List.of("HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\viofs",
                "HKLM\\Software\\VirtIO-FS"), ScmPlan.uninstall(true).fields().get("deleteRegistryKeys"));
    }

    @Test
    void theStatusSequence() {
        ServiceStatusMachine m = new ServiceStatusMachine();
        assertEquals(new ServiceStatusMachine.Status(2, 0, 0, 0, 1, 10000), m.startPending(10000));
        assertEquals(new ServiceStatusMachine.Status(2, 0, 0, 0, 2, 10000), m.startPending(10000),
                "each report while mounting is one more check point");
        assertEquals(new ServiceStatusMachine.Status(4, 1 | 4, 0, 0, 0, 0), m.running(),
                "RUNNING accepts STOP and SHUTDOWN");
        assertEquals(new ServiceStatusMachine.Status(3, 0, 0, 0, 1, 15000), m.stopPending(15000));
        assertEquals(new ServiceStatusMachine.Status(1, 0, 0, 0, 0, 0), m.stopped(0));
        assertEquals(new ServiceStatusMachine.Status(1, 0, 1066, 7, 0, 0), m.stopped(7));
        assertEquals(ServiceStatusMachine.Action.STOP, ServiceStatusMachine.onControl(1));
        assertEquals(ServiceStatusMachine.Action.STOP, ServiceStatusMachine.onControl(5));
        assertEquals(ServiceStatusMachine.Action.REPORT, ServiceStatusMachine.onControl(4));
        assertEquals(ServiceStatusMachine.Action.IGNORE, ServiceStatusMachine.onControl(2), "PAUSE is not accepted");
        assertEquals(120, ServiceStatusMachine.handlerResult(ServiceStatusMachine.Action.IGNORE));
        assertEquals(0, ServiceStatusMachine.handlerResult(ServiceStatusMachine.Action.STOP));
    }
}
