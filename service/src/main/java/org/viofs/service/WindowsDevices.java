package org.viofs.service;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinDef;
import com.sun.jna.ptr.PointerByReference;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.viofs.bridge.windows.ChunkPolicy;
import org.viofs.bridge.windows.CfgMgr32Library;
import org.viofs.bridge.windows.CmNotifyFilter;
import org.viofs.bridge.windows.Kernel32DeviceHandle;
import org.viofs.bridge.windows.ViofsDevices;
import org.viofs.bridge.windows.ViofsDeviceFinder;
import org.viofs.bridge.windows.ViofsTransport;
import org.viofs.bridge.windows.Win32CallException;
import org.viofs.bridge.windows.Win32ErrorMapper;

/**
 * The Windows shell under the share manager (docs/viofs-anchor.md §1.3, §2): SetupDi enumeration, CreateFile,
 * GET_VOLUME_NAME, one DEVICEHANDLE notification per open device, and the DEVICEINTERFACE notification
 * for the class GUID, each turned into a {@link ShareManager} event. Callbacks only hand the event on
 * and return ERROR_SUCCESS (never a veto). Windows-only, never run yet (README).
 *
 * <p>Paths are compared in lower case: SetupDi and the notification's symbolic link name the same
 * interface, possibly in different case (UNVERIFIED, docs/service.md §3).
 */
public final class WindowsDevices implements DeviceAccess {
    private static final System.Logger LOG = System.getLogger(WindowsDevices.class.getName());
    /** CM notification callbacks run on native pool threads: daemon, named, attached once. */
    private static final CallbackThreadInitializer NOTIFY_THREADS =
            new CallbackThreadInitializer(true, false, "viofs-device-notify");
    /**
     * Offset of {@code SymbolicLink} in {@code CM_NOTIFY_EVENT_DATA} for an interface event: FilterType
     * (4) + Reserved (4) + ClassGuid (16) (cfgmgr32.h; asserted in WindowsShellLayoutTest).
     */
    static final int SYMBOLIC_LINK_OFFSET = 24;
    /** winerror.h {@code ERROR_SUCCESS}: what every notification callback returns. */
    static final int ERROR_SUCCESS = 0;

    private final CfgMgr32Library cm = CfgMgr32Library.Holder.INSTANCE;
    private volatile ShareManager manager;
    private Pointer interfaceNotification;
    // strongly reachable for as long as the notification is registered
    private final CfgMgr32Library.NotifyCallback onInterface = this::onInterfaceEvent;

    static String normalize(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    /** Registers for arrivals and removals of the viofs interface class, delivering to {@code m}. */
    public void watch(ShareManager m) {
        this.manager = m;
        Native.setCallbackThreadInitializer(onInterface, NOTIFY_THREADS);
        PointerByReference h = new PointerByReference();
        int cr = cm.CM_Register_Notification(CmNotifyFilter.forInterfaceClass(ViofsDeviceFinder.interfaceGuid()), null,
                onInterface, h);
        if (cr != CfgMgr32Library.CR_SUCCESS) {
            throw new IllegalStateException("CM_Register_Notification(interface class) failed: CONFIGRET " + cr);
        }
        interfaceNotification = h.getValue();
    }

    /** Unregisters the class notification (not from inside a callback). */
    public void unwatch() {
        if (interfaceNotification != null) {
            cm.CM_Unregister_Notification(interfaceNotification);
            interfaceNotification = null;
        }
    }

    private int onInterfaceEvent(Pointer hNotify, Pointer context, int action, Pointer eventData, int size) {
        try {
            ShareManager m = manager;
            if (m == null || eventData == null || size <= SYMBOLIC_LINK_OFFSET) {
                return ERROR_SUCCESS;
            }
            String path = normalize(org.viofs.winfsp.Utf16.read(eventData.share(SYMBOLIC_LINK_OFFSET)));
            if (action == CfgMgr32Library.ACTION_DEVICEINTERFACEARRIVAL) {
                m.deviceArrived(path);
            } else if (action == CfgMgr32Library.ACTION_DEVICEINTERFACEREMOVAL) {
                m.removeComplete(path);
            }
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "device interface notification failed", t);
        }
        return ERROR_SUCCESS;
    }

    @Override
    public List<String> presentDevices() {
        try {
            List<String> out = new ArrayList<>();
            for (String p : ViofsDeviceFinder.interfacePaths()) {
                out.add(normalize(p));
            }
            return out;
        } catch (Win32CallException e) {
            throw Win32ErrorMapper.map(e, ViofsDeviceFinder.GUID_DEVINTERFACE_VIRT_FS_STRING);
        }
    }

    @Override
    public OpenedDevice open(String path) {
        Kernel32DeviceHandle handle;
        try {
            handle = Kernel32DeviceHandle.open(path);
        } catch (Win32CallException e) {
            throw Win32ErrorMapper.map(e, path);
        }
        String tag = ViofsDevices.tagOf(handle, path);
        ViofsTransport transport = new ViofsTransport(handle, tag, new ChunkPolicy(), ViofsTransport.DEFAULT_LOCK_TIMEOUT);
        AutoCloseable watch = watchHandle(path, handle);
        return new OpenedDevice(transport, watch);
    }

    /** One DEVICEHANDLE notification: query-remove, its failure, remove-complete for this device. */
    private AutoCloseable watchHandle(String path, Kernel32DeviceHandle handle) {
        CfgMgr32Library.NotifyCallback cb = (hNotify, context, action, data, size) -> {
            try {
                ShareManager m = manager;
                if (m != null) {
                    switch (action) {
                        case CfgMgr32Library.ACTION_DEVICEQUERYREMOVE -> m.queryRemove(path);
                        case CfgMgr32Library.ACTION_DEVICEQUERYREMOVEFAILED -> m.queryRemoveFailed(path);
                        case CfgMgr32Library.ACTION_DEVICEREMOVEPENDING, CfgMgr32Library.ACTION_DEVICEREMOVECOMPLETE ->
                                m.removeComplete(path);
                        default -> { }
                    }
                }
            } catch (Throwable t) {
                LOG.log(Level.ERROR, "device handle notification failed for " + path, t);
            }
            return ERROR_SUCCESS;
        };
        Native.setCallbackThreadInitializer(cb, NOTIFY_THREADS);
        PointerByReference h = new PointerByReference();
        int cr = cm.CM_Register_Notification(CmNotifyFilter.forHandle(handle.handle().getPointer()), null, cb, h);
        if (cr != CfgMgr32Library.CR_SUCCESS) {
            LOG.log(Level.WARNING, "CM_Register_Notification(handle of {0}) failed: CONFIGRET {1}; removal of this"
                    + " device is seen only when its interface goes", path, cr);
            return () -> { };
        }
        Pointer registration = h.getValue();
        return () -> {
            cm.CM_Unregister_Notification(registration);
            java.lang.ref.Reference.reachabilityFence(cb);
        };
    }

    @Override
    public Set<Character> lettersInUse() {
        char[] buf = new char[4 * 26 + 2];
        int n = Kernel32.INSTANCE.GetLogicalDriveStrings(new WinDef.DWORD(buf.length), buf).intValue();
        Set<Character> used = new HashSet<>();
        // "C:\<NUL>D:\<NUL>…<NUL>": the letter starts each entry
        for (int i = 0; i < n; i++) {
            if ((i == 0 || buf[i - 1] == 0) && Character.isLetter(buf[i])) {
                used.add(Character.toUpperCase(buf[i]));
            }
        }
        return used;
    }

}
