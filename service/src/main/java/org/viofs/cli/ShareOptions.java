package org.viofs.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

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
            description = "virtiofsd binary, C or Rust (default: $VIRTIOFSD, else the first installed: /usr/lib/qemu/virtiofsd, /usr/libexec/virtiofsd, the cargo build in ~/.cache/viofs).")
    Path virtiofsd;

    @Option(names = "--cache", paramLabel = "MODE", defaultValue = "auto",
            description = "Cache mode of our own virtiofsd: auto, none or always (default: ${DEFAULT-VALUE}).")
    String cache;

    @Option(names = "--xattr", description = "Start our own virtiofsd with -o xattr.")
    boolean xattr;

    @Option(names = "--thread-pool-size", paramLabel = "N", defaultValue = "0",
            description = "Thread pool of our own virtiofsd (default: ${DEFAULT-VALUE}, requests served on the queue thread).")
    int threadPoolSize;

    @Option(names = "--sandbox", paramLabel = "MODE",
            description = "Sandbox of our own virtiofsd: namespace, chroot, or none (Rust only; default: namespace).")
    String sandbox;

    @Option(names = "--seccomp", paramLabel = "ACTION",
            description = "Seccomp action of our own virtiofsd: kill (both), log, trap or none (Rust only; default: the daemon's, kill).")
    String seccomp;

    @Option(names = "--inode-file-handles", paramLabel = "MODE",
            description = "Rust virtiofsd only: never, prefer or mandatory (default: the daemon's, prefer).")
    String inodeFileHandles;

    /** The launcher options these flags describe. */
    public VirtiofsdLauncher.Options launcherOptions() {
        VirtiofsdLauncher.CacheMode mode;
        try {
            mode = VirtiofsdLauncher.CacheMode.valueOf(cache.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "--cache must be auto, none or always, was '" + cache + "'");
        }
        if (threadPoolSize < 0) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "--thread-pool-size must be ≥ 0, was " + threadPoolSize);
        }
        VirtiofsdLauncher.Options.Builder b = VirtiofsdLauncher.Options.builder().binary(virtiofsd).cache(mode)
                .xattr(xattr).threadPoolSize(threadPoolSize);
        if (sandbox != null) {
            b.sandbox(parse(VirtiofsdLauncher.Sandbox.class, "--sandbox", sandbox));
        }
        if (seccomp != null) {
            b.seccomp(parse(VirtiofsdLauncher.Seccomp.class, "--seccomp", seccomp));
        }
        if (inodeFileHandles != null) {
            b.inodeFileHandles(parse(VirtiofsdLauncher.InodeFileHandles.class, "--inode-file-handles", inodeFileHandles));
        }
        return b.build();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, option + " must be one of "
                    + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", was '" + value + "'");
        }
    }
}
