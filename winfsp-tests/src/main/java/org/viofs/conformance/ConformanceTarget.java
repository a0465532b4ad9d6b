package org.viofs.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.vhostuser.VhostUserConfig;
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.bridge.vhostuser.VirtiofsdProcess;
import org.viofs.conformance.KnownUnsupported.Mode;
import org.viofs.fuse.FuseClient;
import org.viofs.service.ShareStack;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;
import org.viofs.volume.VolumeOperations;
import org.viofs.winfsp.MountOptions;

/**
 * A volume to run the conformance cases on, in one mode, with the facade options the WinFsp binding
 * would give it, assembled by a {@link ShareStack}. {@link #startOwn} starts a given virtiofsd (plain
 * or with xattrs) on a directory; {@link #connect} checks a daemon that is already running. The caller closes it: volume (DESTROY
 * and transport), then the daemon if it was started here; or, once the run lost the transport,
 * {@link #closeAfterLoss()}, which waits on nothing the lost daemon would have to answer.
 */
public final class ConformanceTarget implements AutoCloseable {
    /** Every wait on the transport is bounded by this. */
    static final Duration TRANSPORT_TIMEOUT = Duration.ofSeconds(10);

    private final Mode mode;
    private final VolumeOperations volume;
    private final FacadeOptions options;
    private final VirtiofsdBinary daemon;
    private final List<AutoCloseable> onLoss;
    private final AutoCloseable[] closeInOrder;

    /**
     * @param daemon       the virtiofsd behind the volume, or null when unknown (reported as such)
     * @param closeInOrder closed by {@link #close()}, first to last
     */
    public ConformanceTarget(Mode mode, VolumeOperations volume, FacadeOptions options, VirtiofsdBinary daemon,
                             AutoCloseable... closeInOrder) {
        this(mode, volume, options, daemon, List.of(), closeInOrder);
    }

    /**
     * @param daemon       the virtiofsd behind the volume, or null when unknown (reported as such)
     * @param onLoss       closed first by {@link #closeAfterLoss()}, first to last: what ends the connection
     *                     without waiting on the daemon ({@link #endAtOnce})
     * @param closeInOrder closed by {@link #close()}, first to last
     */
    public ConformanceTarget(Mode mode, VolumeOperations volume, FacadeOptions options, VirtiofsdBinary daemon,
                             List<AutoCloseable> onLoss, AutoCloseable... closeInOrder) {
        this.mode = mode;
        this.volume = volume;
        this.options = options;
        this.daemon = daemon;
        this.onLoss = List.copyOf(onLoss);
        this.closeInOrder = closeInOrder;
    }

    /**
     * What ends a lost connection at once, in order: SIGKILL for the daemon we started (a frozen one
     * ignores SIGTERM, and a killed one closes its end of the socket, so nothing below waits on it),
     * then the transport (every pending call fails at once, and FUSE_DESTROY is refused instead of
     * waiting a transport timeout for an answer that will not come).
     *
     * @param ours the daemon we started, or null for a user's daemon (which is left running)
     */
    public static List<AutoCloseable> endAtOnce(VirtiofsdProcess ours, FuseTransport transport) {
        List<AutoCloseable> l = new ArrayList<>();
        if (ours != null) {
            l.add(ours::kill);
        }
        l.add(transport);
        return l;
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

    /**
     * What the WinFsp binding tells the FSD about a FuseVolume with this configuration: the very
     * {@link MountOptions} a real mount of it uses ({@link MountOptions#forVolume}), so conformance and
     * the product cannot disagree on a setting.
     */
    static FacadeOptions optionsFor(VolumeConfig config) {
        MountOptions m = MountOptions.forVolume(config).build();
        return FacadeOptions.builder().caseSensitive(m.caseSensitive()).sectorSize(m.sectorSize())
                .sectorsPerAllocationUnit(m.sectorsPerAllocationUnit()).maxComponentLength(m.maxComponentLength())
                .fileSystemName(m.fileSystemName()).namedStreams(m.namedStreams())
                .volumeSerialNumber(m.volumeSerialNumber()).build();
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
                .transportConfig(VhostUserConfig.builder().timeout(TRANSPORT_TIMEOUT).build())
                .volume(config).open();
        return new ConformanceTarget(mode, stack.volume(), optionsFor(config), stack.daemonBinary().orElse(daemon),
                endAtOnce(stack.daemon(), stack.transport()), stack);
    }

    /**
     * Connects to a running daemon's socket. The mode is named by whether extended attributes work
     * on the share ({@link org.viofs.volume.ShareCapabilities}, probed by writing): a probe volume asks,
     * unmounts (FUSE_DESTROY) and the same connection is mounted again with that configuration — a
     * second connection is not possible, as virtiofsd serves one front-end and exits after it.
     */
    public static ConformanceTarget connect(Path socket) {
        VirtiofsdBinary daemon = VirtiofsdBinary.listeningOn(socket).orElse(null);
        VhostUserTransport t = VhostUserTransport.connect(socket,
                VhostUserConfig.builder().timeout(TRANSPORT_TIMEOUT).build());
        try {
            FuseVolume probe = FuseVolume.mount(o -> FuseClient.init(new KeepOpen(t), o),
                    VolumeConfig.builder().build());
            boolean xattr;
            try {
                xattr = xattrsWork(probe);
            } finally {
                probe.close();
            }
            VolumeConfig config = configFor(xattr);
            ShareStack stack = ShareStack.builder().transport(t).volume(config).open();
            return new ConformanceTarget(xattr ? Mode.XATTR : Mode.PLAIN, stack.volume(), optionsFor(config), daemon,
                    endAtOnce(null, t), stack);
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
        closeAll(List.of(closeInOrder));
    }

    /**
     * Closes after the run lost the transport (the daemon exited or stopped answering): first what
     * ends the connection at once (see {@link #endAtOnce}), then as {@link #close()}, which then waits
     * on nothing. Without it a frozen daemon would cost a transport timeout for FUSE_DESTROY and the
     * stop timeout for a SIGTERM it cannot see.
     */
    public void closeAfterLoss() {
        List<AutoCloseable> all = new ArrayList<>(onLoss);
        all.addAll(List.of(closeInOrder));
        closeAll(all);
    }

    private static void closeAll(List<AutoCloseable> inOrder) {
        RuntimeException first = null;
        for (AutoCloseable c : inOrder) {
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
