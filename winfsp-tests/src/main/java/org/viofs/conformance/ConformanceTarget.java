package org.viofs.conformance;

import java.nio.file.Path;
import java.time.Duration;

import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.conformance.KnownUnsupported.Mode;
import org.viofs.fuse.Errno;
import org.viofs.fuse.FuseErrnoException;
import org.viofs.fuse.FuseFlags;
import org.viofs.service.ShareStack;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;
import org.viofs.volume.VolumeOperations;

/**
 * A volume to run the conformance cases on, in one mode, with the facade options the WinFsp binding
 * would give it, assembled by a {@link ShareStack}. {@link #startOwn} starts a given virtiofsd (plain
 * or with xattrs) on a directory; {@link #connect} checks a daemon that is already running. The caller closes it: volume (DESTROY
 * and transport), then the daemon if it was started here.
 */
public final class ConformanceTarget implements AutoCloseable {
    /** Every wait on the transport is bounded by this. */
    static final Duration TRANSPORT_TIMEOUT = Duration.ofSeconds(10);

    private final Mode mode;
    private final VolumeOperations volume;
    private final FacadeOptions options;
    private final VirtiofsdBinary daemon;
    private final AutoCloseable[] closeInOrder;

    /**
     * @param daemon       the virtiofsd behind the volume, or null when unknown (reported as such)
     * @param closeInOrder closed by {@link #close()}, first to last
     */
    public ConformanceTarget(Mode mode, VolumeOperations volume, FacadeOptions options, VirtiofsdBinary daemon,
                             AutoCloseable... closeInOrder) {
        this.mode = mode;
        this.volume = volume;
        this.options = options;
        this.daemon = daemon;
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

    /** The virtiofsd that served this target (flavour, version, path), or null when it could not be seen. */
    public VirtiofsdBinary daemon() {
        return daemon;
    }

    /** What the WinFsp binding tells the FSD about a FuseVolume with this configuration. */
    static FacadeOptions optionsFor(VolumeConfig config) {
        return FacadeOptions.builder().caseSensitive(!config.caseInsensitive())
                .fileSystemName(config.fileSystemName()).namedStreams(config.xattrs()).build();
    }

    /**
     * Starts this virtiofsd on {@code sharedDir} (with xattrs in XATTR mode), connects over vhost-user
     * and mounts a {@link FuseVolume}: one {@link ShareStack}.
     *
     * @throws org.viofs.bridge.vhostuser.VirtiofsdNotFoundException when virtiofsd is not installed
     */
    public static ConformanceTarget startOwn(Mode mode, Path sharedDir, VirtiofsdBinary daemon) {
        boolean xattr = mode == Mode.XATTR;
        VolumeConfig config = configFor(xattr);
        ShareStack stack = ShareStack.builder()
                .launch(sharedDir, VirtiofsdLauncher.Options.builder().binary(daemon.path()).xattr(xattr)
                        .logLevel(VirtiofsdLauncher.LogLevel.WARN).build())
                .transportConfig(VhostUserTransport.Config.defaults().withTimeout(TRANSPORT_TIMEOUT))
                .volume(config).open();
        return new ConformanceTarget(mode, stack.volume(), optionsFor(config), stack.daemonBinary().orElse(daemon),
                stack);
    }

    /**
     * Connects to a running daemon's socket. The mode is named by whether extended attributes work
     * on the share root (LISTXATTR answers, rather than ENOSYS/EOPNOTSUPP): a probe volume asks,
     * unmounts (FUSE_DESTROY) and the same connection is mounted again with that configuration — a
     * second connection is not possible, as virtiofsd serves one front-end and exits after it.
     */
    public static ConformanceTarget connect(Path socket) {
        VirtiofsdBinary daemon = VirtiofsdBinary.listeningOn(socket).orElse(null);
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
            ShareStack stack = ShareStack.builder().transport(t).volume(config).open();
            return new ConformanceTarget(xattr ? Mode.XATTR : Mode.PLAIN, stack.volume(), optionsFor(config), daemon,
                    stack);
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
