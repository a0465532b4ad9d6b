package org.viofs.bridge.windows;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * cfgmgr32.dll device notifications (docs/viofs-anchor.md §2), for whoever watches arrival and removal of
 * virtio-fs devices. Declarations only; Windows-only.
 */
public interface CfgMgr32Library extends Library {
    /** cfgmgr32.h {@code CR_SUCCESS}. */
    int CR_SUCCESS = 0;
    /** {@code CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL}. */
    int ACTION_DEVICEINTERFACEARRIVAL = 0;
    /** {@code CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL}. */
    int ACTION_DEVICEINTERFACEREMOVAL = 1;
    /** {@code CM_NOTIFY_ACTION_DEVICEQUERYREMOVE}. */
    int ACTION_DEVICEQUERYREMOVE = 2;
    /** {@code CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED}. */
    int ACTION_DEVICEQUERYREMOVEFAILED = 3;
    /** {@code CM_NOTIFY_ACTION_DEVICEREMOVEPENDING}. */
    int ACTION_DEVICEREMOVEPENDING = 4;
    /** {@code CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE}. */
    int ACTION_DEVICEREMOVECOMPLETE = 5;

    /** Loaded on first use. */
    final class Holder {
        private Holder() {
        }

        public static final CfgMgr32Library INSTANCE = Native.load("cfgmgr32", CfgMgr32Library.class);
    }

    /** {@code PCM_NOTIFY_CALLBACK}; must return ERROR_SUCCESS (0) and never veto a removal. */
    interface NotifyCallback extends Callback {
        int invoke(Pointer hNotify, Pointer context, int action, Pointer eventData, int eventDataSize);
    }

    int CM_Register_Notification(CmNotifyFilter filter, Pointer context, NotifyCallback callback,
                                 PointerByReference notifyContext);

    /** Must not be called from inside the notification's own callback. */
    int CM_Unregister_Notification(Pointer notifyContext);
}
