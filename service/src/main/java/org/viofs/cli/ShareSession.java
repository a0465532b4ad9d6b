package org.viofs.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.function.Consumer;

import org.viofs.bridge.CountingTransport;
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdProcess;
import org.viofs.fuse.FuseClient;
import org.viofs.service.ShareStack;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;

/**
 * One FUSE session with a virtiofsd for a Linux command: a {@link ShareStack} over our own daemon on a
 * directory (a temporary one unless given) or over a running daemon's socket, with every request
 * counted by a {@link CountingTransport}. What this adds to the stack is the command line's part: the
 * temporary share and its sample files, and the counter.
 *
 * <p>Not thread-safe to open or close; the {@link #client()} and {@link #volume()} are. {@link #close()}
 * closes the stack (DESTROY, transport, our daemon) and then deletes a temporary directory.
 */
public final class ShareSession implements AutoCloseable {
    private final ShareStack stack;
    private final Path tempDir;
    private final Path sharedDir;
    private final CountingTransport counter;

    private ShareSession(ShareStack stack, Path tempDir, Path sharedDir, CountingTransport counter) {
        this.stack = stack;
        this.tempDir = tempDir;
        this.sharedDir = sharedDir;
        this.counter = counter;
    }

    /**
     * Opens a session as the options say, ending at the FUSE client.
     *
     * @param populate fills a new temporary share before the daemon starts; null for none
     */
    public static ShareSession open(ShareOptions options, VhostUserTransport.Config config, Consumer<Path> populate) {
        return open(options, config, populate, null);
    }

    /** Like {@link #open}, with a {@link FuseVolume} mounted over the session (it sends INIT). */
    public static ShareSession openVolume(ShareOptions options, VhostUserTransport.Config config,
                                          Consumer<Path> populate, VolumeConfig volumeConfig) {
        return open(options, config, populate, volumeConfig);
    }

    private static ShareSession open(ShareOptions options, VhostUserTransport.Config config, Consumer<Path> populate,
                                     VolumeConfig volumeConfig) {
        CountingTransport[] counting = new CountingTransport[1];
        ShareStack.Builder b = ShareStack.builder().transportConfig(config).volume(volumeConfig)
                .interpose(t -> counting[0] = new CountingTransport(t));
        if (options.socket != null) {
            return new ShareSession(b.socket(options.socket).open(), null, null, counting[0]);
        }
        Path temp = null;
        Path dir = options.dir;
        try {
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
            ShareStack stack = b.launch(dir, options.launcherOptions()).open();
            return new ShareSession(stack, temp, dir, counting[0]);
        } catch (RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
    }

    /** The assembled share. */
    public ShareStack stack() {
        return stack;
    }

    /** The FUSE client (the volume's, when one is mounted). */
    public FuseClient client() {
        return stack.client();
    }

    /** The mounted volume, or null for a bare-client session. */
    public FuseVolume volume() {
        return stack.volume();
    }

    public CountingTransport counter() {
        return counter;
    }

    /** The host directory shared, or null when connected to someone else's daemon. */
    public Path sharedDir() {
        return sharedDir;
    }

    /** Our daemon, or null when connected to a running one. */
    public VirtiofsdProcess daemon() {
        return stack.daemon();
    }

    /** Which virtiofsd serves the share, when known (see {@link ShareStack#daemonBinary()}). */
    public Optional<VirtiofsdBinary> daemonBinary() {
        return stack.daemonBinary();
    }

    @Override
    public void close() {
        try {
            stack.close();
        } finally {
            deleteTree(tempDir);
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
