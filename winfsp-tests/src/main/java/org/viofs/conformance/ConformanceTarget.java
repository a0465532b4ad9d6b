package org.viofs.conformance;

import java.nio.file.Path;
import java.time.Duration;

import org.viofs.bridge.vhostuser.VhostUserConfig;
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.bridge.vhostuser.VirtiofsdProcess;
import org.viofs.conformance.KnownUnsupported.Mode;
import org.viofs.fuse.FuseClient;
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
        FacadeOptions d = FacadeOptions.defaults();
        return new FacadeOptions(!config.caseInsensitive(), d.sectorSize(), d.sectorsPerAllocationUnit(),
                d.maxComponentLength(), config.fileSystemName(), config.xattrs(), true, true,
                d.volumeSerialNumber(), null);
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
                    VhostUserConfig.builder().timeout(TRANSPORT_TIMEOUT).diagnostics(daemon::describe).build());
            VolumeConfig config = configFor(xattr);
            FuseVolume v;
            try {
                v = FuseVolume.mount(o -> FuseClient.init(t, o), config);
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
     * on the share ({@link org.viofs.volume.ShareCapabilities}, probed by writing): a probe volume asks,
     * unmounts (FUSE_DESTROY) and the same connection is mounted again with that configuration — a
     * second connection is not possible, as virtiofsd serves one front-end and exits after it.
     */
    public static ConformanceTarget connect(Path socket) {
        VhostUserTransport t = VhostUserTransport.connect(socket,
                VhostUserConfig.builder().timeout(TRANSPORT_TIMEOUT).build());
        try {
            FuseVolume probe = FuseVolume.mount(o -> FuseClient.init(new KeepOpen(t), o), VolumeConfig.builder().build());
            boolean xattr;
            try {
                xattr = xattrsWork(probe);
            } finally {
                probe.close();
            }
            VolumeConfig config = configFor(xattr);
            FuseVolume v = FuseVolume.mount(o -> FuseClient.init(t, o), config);
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

    /**
     * Whether the share stores extended attributes: the volume's write probe at mount (set, read back
     * and remove a scratch attribute), not a LISTXATTR, which a daemon's xattrmap may let through while
     * refusing every write.
     */
    static boolean xattrsWork(FuseVolume v) {
        return v.capabilities().xattrsUsable();
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
