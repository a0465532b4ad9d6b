package org.viofs.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.bridge.vhostuser.VirtiofsdProcess;
import org.viofs.fuse.FuseClient;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;

/**
 * One share, assembled bottom-up in one place: source (a virtiofsd we start, a running daemon's
 * socket, or a transport given to us) → transport → {@link FuseClient} (FUSE_INIT) → {@link FuseVolume}
 * (when a {@link VolumeConfig} is given). The command line, the conformance suite, the volume tests and
 * the Windows service (which passes its {@code ViofsTransport}) build their shares with it.
 *
 * <pre>{@code
 * try (ShareStack s = ShareStack.builder()
 *         .launch(dir, VirtiofsdLauncher.Options.builder().xattr(true).build())
 *         .volume(VolumeConfig.builder().xattrs(true).build())
 *         .open()) {
 *     s.volume().open(...);
 * }
 * }</pre>
 *
 * <p>{@link #close()} undoes the assembly in reverse order: the volume or client (FUSE_DESTROY, then the
 * transport), then the daemon if we started it. If assembling fails, whatever was built is closed
 * before the exception leaves {@link Builder#open()}. Accessors are thread-safe; open and close are not.
 */
public final class ShareStack implements AutoCloseable {
    private final VirtiofsdProcess daemon;
    private final VirtiofsdBinary daemonBinary;
    private final FuseTransport transport;
    private final FuseClient client;
    private final FuseVolume volume;
    private boolean closed;

    private ShareStack(VirtiofsdProcess daemon, VirtiofsdBinary daemonBinary, FuseTransport transport, FuseClient client,
                       FuseVolume volume) {
        this.daemon = daemon;
        this.daemonBinary = daemonBinary;
        this.transport = transport;
        this.client = client;
        this.volume = volume;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The transport as connected or given (before any {@link Builder#interpose} wrapper). */
    public FuseTransport transport() {
        return transport;
    }

    /** The FUSE client, INIT done (the volume's own when a volume is mounted). */
    public FuseClient client() {
        return client;
    }

    /** The mounted volume, or null when the builder was given no {@link VolumeConfig}. */
    public FuseVolume volume() {
        return volume;
    }

    /** The daemon we started, or null for a socket or a given transport. */
    public VirtiofsdProcess daemon() {
        return daemon;
    }

    /**
     * Which virtiofsd serves the share (flavour, version, path): the one we started, or for a socket the
     * process listening on it when it can be seen from here; empty for a given transport.
     */
    public Optional<VirtiofsdBinary> daemonBinary() {
        return Optional.ofNullable(daemonBinary);
    }

    /** Closes the volume or client (DESTROY, transport), then stops our daemon. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (volume != null) {
                volume.close();
            } else {
                client.close();
            }
        } finally {
            if (daemon != null) {
                daemon.close();
            }
        }
    }

    /** Says what to assemble; {@link #open()} does it. Exactly one source. Not thread-safe. */
    public static final class Builder {
        private Path sharedDir;
        private VirtiofsdLauncher.Options launcherOptions;
        private Path socket;
        private FuseTransport given;
        private VhostUserTransport.Config transportConfig = VhostUserTransport.Config.defaults();
        private UnaryOperator<FuseTransport> interpose = UnaryOperator.identity();
        private FuseClient.Options clientOptions = FuseClient.Options.defaults();
        private VolumeConfig volumeConfig;

        private Builder() {
        }

        /** Source: start virtiofsd on {@code dir} with these options (the flavour is the binary's). */
        public Builder launch(Path dir, VirtiofsdLauncher.Options options) {
            this.sharedDir = Objects.requireNonNull(dir, "dir");
            this.launcherOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Source: connect to the vhost-user socket of a virtiofsd that is already running. */
        public Builder socket(Path path) {
            this.socket = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Source: this transport, already open (the Windows service's {@code ViofsTransport}). The stack
         * owns it from {@link #open()} on.
         */
        public Builder transport(FuseTransport t) {
            this.given = Objects.requireNonNull(t, "transport");
            return this;
        }

        /** vhost-user settings for {@link #launch} and {@link #socket} (default: {@code Config.defaults()}). */
        public Builder transportConfig(VhostUserTransport.Config config) {
            this.transportConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Wraps the transport before the client uses it (e.g. a {@code CountingTransport}); identity by default. */
        public Builder interpose(UnaryOperator<FuseTransport> wrapper) {
            this.interpose = Objects.requireNonNull(wrapper, "wrapper");
            return this;
        }

        /** Options of a bare client (no volume); a volume derives its client's from its {@link VolumeConfig}. */
        public Builder clientOptions(FuseClient.Options options) {
            this.clientOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Mount a {@link FuseVolume} with this configuration; without it the stack ends at the client. */
        public Builder volume(VolumeConfig config) {
            this.volumeConfig = config;
            return this;
        }

        /**
         * Assembles the stack.
         *
         * @throws IllegalStateException  unless exactly one source was given
         * @throws org.viofs.bridge.vhostuser.VirtiofsdNotFoundException when the virtiofsd to launch is missing
         * @throws RuntimeException       whatever a layer throws; the layers below are closed first
         */
        public ShareStack open() {
            int sources = (sharedDir != null ? 1 : 0) + (socket != null ? 1 : 0) + (given != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalStateException("a share needs exactly one source (launch, socket or transport), got "
                        + sources);
            }
            List<AutoCloseable> built = new ArrayList<>();
            try {
                VirtiofsdProcess daemon = null;
                VirtiofsdBinary binary = null;
                FuseTransport t;
                if (sharedDir != null) {
                    daemon = VirtiofsdLauncher.start(sharedDir, launcherOptions);
                    built.add(daemon);
                    binary = daemon.binary();
                    t = VhostUserTransport.connect(daemon.socketPath(),
                            transportConfig.withDiagnostics(daemon::describe));
                } else if (socket != null) {
                    binary = VirtiofsdBinary.listeningOn(socket).orElse(null);
                    t = VhostUserTransport.connect(socket, transportConfig);
                } else {
                    t = given;
                }
                built.add(t);
                FuseTransport used = interpose.apply(t);
                FuseClient client;
                FuseVolume volume = null;
                if (volumeConfig != null) {
                    volume = FuseVolume.mount(used, volumeConfig);
                    client = volume.client();
                } else {
                    client = FuseClient.init(used, clientOptions);
                }
                return new ShareStack(daemon, binary, t, client, volume);
            } catch (RuntimeException | Error e) {
                for (int i = built.size() - 1; i >= 0; i--) {
                    try {
                        built.get(i).close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }
    }
}
