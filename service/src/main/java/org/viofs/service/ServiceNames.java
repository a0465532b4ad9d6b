package org.viofs.service;

/**
 * The names viofs registers on Windows. The service, display and event-source names are the
 * project's own; the driver and WinFsp service names and the configuration key are the ones the
 * existing software uses (docs/service.md §1).
 */
public final class ServiceNames {
    private ServiceNames() {
    }

    /** The SCM service name. */
    public static final String SERVICE_NAME = "ViofsSvc";
    /** The SCM display name. */
    public static final String DISPLAY_NAME = "viofs VirtIO-FS Service";
    /** The SCM description. */
    public static final String DESCRIPTION = "Mounts every virtio-fs share of this virtual machine as a drive letter"
            + " (viofs.sys from virtio-win, WinFsp).";
    /** The Event Log source (Application log). */
    public static final String EVENT_SOURCE = "viofs";
    /** The kernel service of virtio-win's viofs.sys (viofs.inf, docs/viofs-anchor.md §1.2). */
    public static final String VIRTIO_FS_DRIVER_SERVICE = "VirtioFsDrv";
    /**
     * The kernel service of WinFsp's file system driver: {@code FSP_FSCTL_DRIVER_NAME}, which is the
     * product name "WinFsp" (WinFsp {@code inc/winfsp/fsctl.h}; docs/service.md §1).
     */
    public static final String WINFSP_DRIVER_SERVICE = "WinFsp";
    /** The anchor's configuration key under HKLM (docs/viofs-anchor.md §5.2), read by viofs too. */
    public static final String CONFIG_KEY = "Software\\VirtIO-FS";
    /** Where the Event Log looks up sources of the Application log. */
    public static final String EVENT_LOG_KEY = "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\" + EVENT_SOURCE;
    /** The local status channel of the running service (a named pipe; docs/service.md §5). */
    public static final String STATUS_PIPE = "\\\\.\\pipe\\viofs-status";
    /** The main class the service binary path runs. */
    public static final String MAIN_CLASS = "org.viofs.cli.ViofsCommand";
}
