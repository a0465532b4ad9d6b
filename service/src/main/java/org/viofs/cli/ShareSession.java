package org.viofs.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;
import java.util.function.Function;

import org.viofs.bridge.vhostuser.VhostUserConfig;
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.bridge.vhostuser.VirtiofsdProcess;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseOptions;
import org.viofs.fuse.RequestCounter;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;

/**
 * One FUSE session with a virtiofsd for a Linux command: our own daemon on a directory (a temporary one
 * unless given), or a running daemon's socket. Every request is counted by a {@link RequestCounter}.
 * The session speaks FUSE through a bare {@link FuseClient} ({@link #open}) or a mounted
 * {@link FuseVolume} ({@link #openVolume}).
 *
 * <p>Not thread-safe to open or close; the {@link #client()} and {@link #volume()} are. {@link #close()}
 * sends DESTROY, stops our daemon and deletes a temporary directory, in that order.
 */
public final class ShareSession implements AutoCloseable {
    private final VirtiofsdProcess daemon;
    private final Path tempDir;
    private final Path sharedDir;
    private final RequestCounter counter;
    private final FuseClient client;
    private final FuseVolume volume;

    private ShareSession(VirtiofsdProcess daemon, Path tempDir, Path sharedDir, RequestCounter counter,
                         FuseClient client, FuseVolume volume) {
        this.daemon = daemon;
        this.tempDir = tempDir;
        this.sharedDir = sharedDir;
        this.counter = counter;
        this.client = client;
        this.volume = volume;
    }

    /**
     * Opens a session as the options say.
     *
     * @param populate fills a new temporary share before the daemon starts; null for none
     */
    public static ShareSession open(ShareOptions options, VhostUserConfig config, Consumer<Path> populate) {
        return open(options, config, populate, null);
    }

    /** Like {@link #open}, with a {@link FuseVolume} mounted over the session (it sends INIT). */
    public static ShareSession openVolume(ShareOptions options, VhostUserConfig config,
                                          Consumer<Path> populate, VolumeConfig volumeConfig) {
        return open(options, config, populate, volumeConfig);
    }

    private static ShareSession open(ShareOptions options, VhostUserConfig config, Consumer<Path> populate,
                                     VolumeConfig mount) {
        if (options.socket != null) {
            VhostUserTransport t = VhostUserTransport.connect(options.socket, config);
            return start(null, null, null, t, mount);
        }
        Path temp = null;
        Path dir = options.dir;
        if (dir == null) {
            try {
                temp = Files.createTempDirectory("viofs-share-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary share directory", e);
            }
            dir = temp;
            if (populate != null) {
                populate.accept(dir);
            }
        }
        VirtiofsdProcess d = null;
        try {
            d = VirtiofsdLauncher.start(dir, options.launcherOptions());
            VirtiofsdProcess forDiagnostics = d;
            VhostUserTransport t = VhostUserTransport.connect(d.socketPath(),
                    config.toBuilder().diagnostics(forDiagnostics::describe).build());
            return start(d, temp, dir, t, mount);
        } catch (RuntimeException e) {
            if (d != null) {
                d.close();
            }
            deleteTree(temp);
            throw e;
        }
    }

    private static ShareSession start(VirtiofsdProcess d, Path temp, Path dir, VhostUserTransport t,
                                      VolumeConfig mount) {
        RequestCounter counter = new RequestCounter();
        Function<FuseOptions, FuseClient> init = o -> FuseClient.init(t, o.toBuilder().listener(counter).build());
        try {
            FuseVolume v = mount != null ? FuseVolume.mount(init, mount) : null;
            FuseClient c = v != null ? v.client() : init.apply(FuseOptions.defaults());
            return new ShareSession(d, temp, dir, counter, c, v);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** The FUSE client (the volume's, when one is mounted). */
    public FuseClient client() {
        return client;
    }

    /** The mounted volume, or null for a bare-client session. */
    public FuseVolume volume() {
        return volume;
    }

    /** Counts every request of the session, INIT included. */
    public RequestCounter counter() {
        return counter;
    }

    /** The host directory shared, or null when connected to someone else's daemon. */
    public Path sharedDir() {
        return sharedDir;
    }

    /** Our daemon, or null when connected to a running one. */
    public VirtiofsdProcess daemon() {
        return daemon;
    }

    @Override
    public void close() {
        try {
            if (volume != null) {
                volume.close();
            } else {
                client.close();
            }
        } finally {
            try {
                if (daemon != null) {
                    daemon.close();
                }
            } finally {
                deleteTree(tempDir);
            }
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("viofs: could not delete temporary directory " + root + ": " + e);
        }
    }
}
