package org.viofs.conformance;

import java.nio.file.Path;
import java.time.Duration;

import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.bridge.vhostuser.VirtiofsdProcess;
import org.viofs.conformance.KnownUnsupported.Mode;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseFlags;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;
import org.viofs.volume.VolumeOperations;

/**
 * A volume to run the conformance cases on, in one mode, with the facade options the WinFsp binding
 * would give it. {@link #startOwn} starts a virtiofsd (plain or {@code -o xattr}) on a directory;
 * {@link #connect} checks a daemon that is already running. The caller closes it: volume (DESTROY
 * and transport), then the daemon if it was started here.
 */
public final class ConformanceTarget implements AutoCloseable {
    /** Every wait on the transport is bounded by this. */
    static final Duration TRANSPORT_TIMEOUT = Duration.ofSeconds(10);

    private final Mode mode;
    private final VolumeOperations volume;
    private final FacadeOptions options;
    private final AutoCloseable[] closeInOrder;

    public ConformanceTarget(Mode mode, VolumeOperations volume, FacadeOptions options, AutoCloseable... closeInOrder) {
        this.mode = mode;
        this.volume = volume;
        this.options = options;
        this.closeInOrder = closeInOrder;
    }

    public Mode mode() {
        return mode;
    }

    public VolumeOperations volume() {
        return volume;
    }

    public FacadeOptions options() {
        return options;
    }

    /** What the WinFsp binding tells the FSD about a FuseVolume with this configuration. */
    static FacadeOptions optionsFor(VolumeConfig config) {
        return FacadeOptions.builder().caseSensitive(!config.caseInsensitive())
                .fileSystemName(config.fileSystemName()).namedStreams(config.xattrs()).build();
    }

    /**
     * Starts virtiofsd on {@code sharedDir} ({@code -o xattr} in XATTR mode), connects over
     * vhost-user and mounts a {@link FuseVolume}.
     *
     * @throws org.viofs.bridge.vhostuser.VirtiofsdNotFoundException when virtiofsd is not installed
     */
    public static ConformanceTarget startOwn(Mode mode, Path sharedDir) {
        boolean xattr = mode == Mode.XATTR;
        VirtiofsdProcess daemon = VirtiofsdLauncher.start(sharedDir, VirtiofsdLauncher.Options.defaults()
                .withXattr(xattr).withLogLevel(VirtiofsdLauncher.LogLevel.WARN));
        try {
            VhostUserTransport t = VhostUserTransport.connect(daemon.socketPath(),
                    VhostUserTransport.Config.defaults().withTimeout(TRANSPORT_TIMEOUT).withDiagnostics(daemon::describe));
            VolumeConfig config = configFor(xattr);
            FuseVolume v;
            try {
                v = FuseVolume.mount(t, config);
            } catch (RuntimeException | Error e) {
                t.close();
                throw e;
            }
            return new ConformanceTarget(mode, v, optionsFor(config), v, daemon);
        } catch (RuntimeException | Error e) {
            daemon.close();
            throw e;
        }
    }

    /**
     * Connects to a running daemon's socket. The mode is named by whether extended attributes work
     * on the share root (LISTXATTR answers, rather than ENOSYS/EOPNOTSUPP): a probe volume asks,
     * unmounts (FUSE_DESTROY) and the same connection is mounted again with that configuration — a
     * second connection is not possible, as virtiofsd serves one front-end and exits after it.
     */
    public static ConformanceTarget connect(Path socket) {
        VhostUserTransport t = VhostUserTransport.connect(socket,
                VhostUserTransport.Config.defaults().withTimeout(TRANSPORT_TIMEOUT));
        try {
            FuseVolume probe = FuseVolume.mount(new KeepOpen(t), VolumeConfig.builder().build());
            boolean xattr;
            try {
                xattr = xattrsWork(probe);
            } finally {
                probe.close();
            }
            VolumeConfig config = configFor(xattr);
            FuseVolume v = FuseVolume.mount(t, config);
            return new ConformanceTarget(xattr ? Mode.XATTR : Mode.PLAIN, v, optionsFor(config), v);
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    /**
     * The volume configuration a run uses: the defaults a user gets, plus the drive the facade's
     * volume is taken to be mounted on ({@link Win32Facade#DRIVE}), as the WinFsp binding tells a
     * mounted volume its drive, so {@code \\??\\V:\\…} symlink targets stay on the share.
     */
    static VolumeConfig configFor(boolean xattr) {
        return VolumeConfig.builder().xattrs(xattr).mountPoint(Win32Facade.DRIVE).build();
    }

    static boolean xattrsWork(FuseVolume v) {
        try {
            v.client().listxattrSize(FuseFlags.ROOT_ID);
            return true;
        } catch (FuseErrnoException e) {
            return !(e.is(Errno.ENOSYS) || e.is(Errno.EOPNOTSUPP));
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : closeInOrder) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
