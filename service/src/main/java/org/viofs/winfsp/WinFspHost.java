package org.viofs.winfsp;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.Wincon;
import com.sun.jna.ptr.PointerByReference;
import java.lang.System.Logger.Level;
import org.viofs.volume.NtStatus;
import org.viofs.volume.VolumeOperations;

/**
 * One mounted WinFsp volume over a {@link VolumeOperations}: FspFileSystemCreate, then
 * SetMountPoint, then StartDispatcher; {@link #close()} undoes it in the order WinFsp expects,
 * StopDispatcher → RemoveMountPoint → Delete (docs/winfsp-native.md §3.2, §5.1).
 *
 * <p>The host owns the callback table, every callback object and the FileContext table, and keeps
 * them strongly reachable until FspFileSystemDelete has returned (the DLL stores the table's address,
 * it does not copy it). Decisions (parameters, mount point syntax, status mapping) are made by the pure
 * classes of this package before anything native is called; a wrong mount point fails before
 * FspFileSystemCreate. Thread-safe for {@link #close()}; the rest is immutable.
 */
public final class WinFspHost implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WinFspHost.class.getName());
    /** The name of the Java threads WinFsp's dispatcher threads become. */
    public static final String DISPATCHER_THREAD_NAME = "winfsp-dispatcher";
    /**
     * Dispatcher threads are native: attached once as daemon threads (they must not keep the JVM
     * alive) and kept attached, instead of attach/detach per call (docs/winfsp-native.md §3.3). Given to
     * {@link FspCallbacks} before it creates the function pointers, as JNA requires.
     */
    private static final CallbackThreadInitializer DISPATCHER_THREADS =
            new CallbackThreadInitializer(true, false, DISPATCHER_THREAD_NAME);

    private final WinFspLibrary lib;
    private final FspCallbacks callbacks;
    private final FileContextTable contexts;
    private final MountPoint requested;
    private Pointer fileSystem;
    private boolean mounted;
    private boolean dispatching;
    private String mountPoint;

    private WinFspHost(WinFspLibrary lib, FspCallbacks callbacks, FileContextTable contexts, MountPoint requested,
                       Pointer fileSystem) {
        this.lib = lib;
        this.callbacks = callbacks;
        this.contexts = contexts;
        this.requested = requested;
        this.fileSystem = fileSystem;
    }

    /** Mounts with the DLL found as FspLoad finds it. Windows-only. */
    public static WinFspHost mount(VolumeOperations volume, MountOptions options) {
        return mount(WinFspLibrary.load(), volume, options, nowAsFileTime());
    }

    /**
     * @param lib          the DLL (or a stand-in)
     * @param creationTime VolumeCreationTime as FILETIME
     * @throws IllegalArgumentException for invalid options, before any native call
     * @throws WinFspException          when a WinFsp function fails; nothing stays mounted
     */
    public static WinFspHost mount(WinFspLibrary lib, VolumeOperations volume, MountOptions options,
                                   long creationTime) {
        return mount(lib, volume, options, creationTime, DISPATCHER_THREADS);
    }

    /**
     * As {@link #mount(WinFspLibrary, VolumeOperations, MountOptions, long)}, with the dispatcher threads
     * named {@code winfsp-dispatcher-<share>}, so every log line from them says which share it is about.
     */
    public static WinFspHost mount(WinFspLibrary lib, VolumeOperations volume, MountOptions options,
                                   long creationTime, String share) {
        return mount(lib, volume, options, creationTime,
                new CallbackThreadInitializer(true, false, DISPATCHER_THREAD_NAME + "-" + share));
    }

    private static WinFspHost mount(WinFspLibrary lib, VolumeOperations volume, MountOptions options,
                                    long creationTime, CallbackThreadInitializer threads) {
        MountPoint mp = MountPoint.parse(options.mountPoint(), options.network());
        FileContextTable contexts = new FileContextTable();
        FspCallbacks callbacks = new FspCallbacks(volume, contexts, new InfoBuffer() {
            @Override
            public boolean addDirInfo(Pointer dirInfo, Pointer buffer, int length, Pointer pBytesTransferred) {
                return lib.FspFileSystemAddDirInfo(dirInfo, buffer, length, pBytesTransferred) != 0;
            }

            @Override
            public boolean addStreamInfo(Pointer streamInfo, Pointer buffer, int length, Pointer pBytesTransferred) {
                return lib.FspFileSystemAddStreamInfo(streamInfo, buffer, length, pBytesTransferred) != 0;
            }
        }, threads);
        // the EA flag follows the table, so flag and slots 27-30 come and go together; bad options are
        // still refused here, before any native call
        FspFsctlVolumeParams params = VolumeParamsBuilder.build(options, creationTime, callbacks.extendedAttributes(),
                callbacks.readOnlyVolume());
        PointerByReference pFileSystem = new PointerByReference();
        try (Memory device = Utf16.toNative(VolumeParamsBuilder.devicePath(options))) {
            check("FspFileSystemCreate", lib.FspFileSystemCreate(device, params.getPointer(), callbacks.table(),
                    pFileSystem), VolumeParamsBuilder.devicePath(options));
        }
        WinFspHost host = new WinFspHost(lib, callbacks, contexts, mp, pFileSystem.getValue());
        try {
            host.start(options);
        } catch (RuntimeException | Error e) {
            host.close();
            throw e;
        }
        return host;
    }

    private void start(MountOptions options) {
        if (options.debugLogMask() != 0) {
            lib.FspDebugLogSetHandle(Kernel32.INSTANCE.GetStdHandle(Wincon.STD_ERROR_HANDLE).getPointer());
            lib.FspFileSystemSetDebugLogF(fileSystem, options.debugLogMask());
        }
        if (requested.kind() != MountPoint.Kind.NONE) {
            try (Memory mp = Utf16.toNative(requested.nativeValue())) {
                check("FspFileSystemSetMountPoint", lib.FspFileSystemSetMountPoint(fileSystem, mp),
                        options.mountPoint());
            }
            mounted = true;
        }
        check("FspFileSystemStartDispatcher", lib.FspFileSystemStartDispatcher(fileSystem,
                options.dispatcherThreads()), null);
        dispatching = true;
        Pointer chosen = fileSystem.getPointer(FspFileSystemStruct.mountPointOffset());
        mountPoint = chosen == null ? null : Utf16.read(chosen);
        LOG.log(Level.INFO, "WinFsp volume mounted at {0}", mountPoint == null ? options.networkPrefix() : mountPoint);
    }

    private static void check(String function, int status, String detail) {
        if (status < 0) { // !NT_SUCCESS
            throw new WinFspException(function, status, detail);
        }
    }

    /** The mount point WinFsp used (the chosen letter for "*"), or null for a network volume without one. */
    public String mountPoint() {
        return mountPoint;
    }

    /** Contexts not yet closed by WinFsp. */
    public int openContexts() {
        return contexts.size();
    }

    /** The PID of the process behind the current Create, Open or Rename; 0 elsewhere. */
    public int operationProcessId() {
        return lib.FspFileSystemOperationProcessIdF();
    }

    /**
     * Tells Windows that a file changed outside it (e.g. on the host): NotifyBegin, Notify, NotifyEnd.
     *
     * @param filter   FILE_NOTIFY_CHANGE_* bits
     * @param action   FILE_ACTION_* value
     * @param fileName the normalized volume path, e.g. {@code \dir\file.txt}
     */
    public synchronized void notifyChanged(int filter, int action, String fileName, int timeoutMs) {
        Pointer fs = requireOpen();
        byte[] name = Utf16.encode(fileName);
        int size = FspFsctlNotifyInfo.NAME_OFFSET + name.length;
        // one record as FspFileSystemAddNotifyInfo lays it out: the buffer length is Size rounded up to 8
        int bufferSize = (size + PortableInfoBuffer.ALIGNMENT - 1) & -PortableInfoBuffer.ALIGNMENT;
        int begin = lib.FspFileSystemNotifyBegin(fs, timeoutMs);
        check("FspFileSystemNotifyBegin", begin, fileName);
        try (Memory m = new Memory(bufferSize)) {
            m.clear();
            FspFsctlNotifyInfo info = new FspFsctlNotifyInfo(m);
            info.Size = (short) size;
            info.Filter = filter;
            info.Action = action;
            info.write();
            m.write(FspFsctlNotifyInfo.NAME_OFFSET, name, 0, name.length);
            check("FspFileSystemNotify", lib.FspFileSystemNotify(fs, m, bufferSize), fileName);
        } finally {
            check("FspFileSystemNotifyEnd", lib.FspFileSystemNotifyEnd(fs), fileName);
        }
    }

    /** Maps a Win32 error number to an NTSTATUS the way WinFsp does. */
    public int ntStatusFromWin32(int error) {
        return lib.FspNtStatusFromWin32(error);
    }

    private Pointer requireOpen() {
        if (fileSystem == null) {
            throw new WinFspException("WinFspHost", NtStatus.INVALID_HANDLE, "the volume is unmounted");
        }
        return fileSystem;
    }

    /** The callbacks; reachable until close() has deleted the file system. */
    FspCallbacks callbacks() {
        return callbacks;
    }

    /** StopDispatcher → RemoveMountPoint → Delete. Idempotent. */
    @Override
    public synchronized void close() {
        Pointer fs = fileSystem;
        if (fs == null) {
            return;
        }
        if (dispatching) {
            lib.FspFileSystemStopDispatcher(fs);
            dispatching = false;
        }
        if (mounted) {
            lib.FspFileSystemRemoveMountPoint(fs);
            mounted = false;
        }
        lib.FspFileSystemDelete(fs);
        fileSystem = null;
        // callbacks and their table stay referenced by this object; only now may they be collected
        java.lang.ref.Reference.reachabilityFence(callbacks);
    }

    /** Now as a FILETIME (100 ns since 1601), for VolumeCreationTime. */
    public static long nowAsFileTime() {
        // FILETIME: 100 ns since 1601-01-01; the Unix epoch is 116444736000000000 (docs/winfsp-native.md §2.1)
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 10_000_000L + now.getNano() / 100 + 116_444_736_000_000_000L;
    }
}
