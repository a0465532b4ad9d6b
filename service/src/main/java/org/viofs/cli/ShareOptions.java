package org.viofs.cli;

import java.nio.file.Path;

import org.viofs.bridge.vhostuser.VirtiofsdLauncher;

import picocli.CommandLine.Option;

/**
 * Options shared by the Linux commands that talk to a virtiofsd: either connect to a running daemon
 * ({@code --socket}) or start one on a directory.
 */
public final class ShareOptions {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "Connect to the vhost-user socket of a running virtiofsd instead of starting one.")
    Path socket;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory to share when starting our own virtiofsd (default: a new temporary directory).")
    Path dir;

    @Option(names = "--virtiofsd", paramLabel = "PATH",
            description = "virtiofsd binary (default: $VIRTIOFSD or /usr/lib/qemu/virtiofsd).")
    Path virtiofsd;

    @Option(names = "--cache", paramLabel = "MODE", defaultValue = "auto",
            description = "Cache mode of our own virtiofsd: auto, none or always (default: ${DEFAULT-VALUE}).")
    String cache;

    @Option(names = "--xattr", description = "Start our own virtiofsd with -o xattr.")
    boolean xattr;

    @Option(names = "--thread-pool-size", paramLabel = "N", defaultValue = "0",
            description = "Thread pool of our own virtiofsd (default: ${DEFAULT-VALUE}, requests served on the queue thread).")
    int threadPoolSize;

    /** The launcher options these flags describe. */
    public VirtiofsdLauncher.Options launcherOptions() {
        VirtiofsdLauncher.CacheMode mode;
        try {
            mode = VirtiofsdLauncher.CacheMode.valueOf(cache.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "--cache must be auto, none or always, was '" + cache + "'");
        }
        if (threadPoolSize < 0) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "--thread-pool-size must be ≥ 0, was " + threadPoolSize);
        }
        return VirtiofsdLauncher.Options.builder().binary(virtiofsd).cache(mode).xattr(xattr).threadPoolSize(threadPoolSize).build();
    }
}
