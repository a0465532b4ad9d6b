package org.viofs.bridge.vhostuser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Starts the C virtiofsd (Debian {@code qemu-system-common}, {@code /usr/lib/qemu/virtiofsd}) on a
 * directory, on a fresh socket path, and waits until it listens (vhost-user-frontend.md §9).
 *
 * <p>As root the daemon runs directly; otherwise it runs inside an unprivileged user + mount namespace
 * with a private tmpfs on {@code /run/virtiofsd}, where it can write its pid file (the recipe of
 * {@code virtiofsd-userns.sh}; the frontend must then run as the same user, the socket is mode 0700).
 *
 * <p>Stateless and thread-safe. The caller owns the returned {@link VirtiofsdProcess} and closes it.
 */
public final class VirtiofsdLauncher {
    /** Where Debian's qemu-system-common installs virtiofsd 7.2. */
    public static final Path DEFAULT_BINARY = Path.of("/usr/lib/qemu/virtiofsd");
    /** Environment variable that overrides {@link #DEFAULT_BINARY}. */
    public static final String BINARY_ENV = "VIRTIOFSD";
    /** The install command quoted in the error for a missing binary. */
    public static final String INSTALL_HINT = "apt-get install qemu-system-common";

    private VirtiofsdLauncher() {
    }

    /** {@code -o cache=}: how long the guest may cache entries, attributes and data (§7.4). */
    public enum CacheMode { AUTO, NONE, ALWAYS }

    /** {@code -o sandbox=}: namespace forks a child after accept; chroot stays one process (§1). */
    public enum Sandbox { NAMESPACE, CHROOT }

    /** {@code -o log_level=}. */
    public enum LogLevel { DEBUG, INFO, WARN, ERR }

    /** How the daemon gets the privileges it insists on (pid file in /run/virtiofsd, unshare, chroot). */
    public enum Privileges {
        /** Directly as root, else in a user namespace. */
        AUTO,
        /** Run the binary directly (needs root). */
        DIRECT,
        /** Inside {@code unshare --user --map-root-user --mount} with a private tmpfs on /run/virtiofsd. */
        USER_NAMESPACE
    }

    /**
     * Daemon options.
     *
     * @param binary         the virtiofsd to run; null = {@code $VIRTIOFSD} or {@link #DEFAULT_BINARY}
     * @param cache          cache mode
     * @param xattr          {@code -o xattr} (true) or {@code -o no_xattr}
     * @param threadPoolSize {@code --thread-pool-size} (0 = process requests on the queue thread, the default).
     *                       Observed here: with N &gt; 0 the Debian 7.2 binary's seccomp filter kills the
     *                       daemon (SIGSYS on sched_getaffinity from a GLib pool thread, exit status 1)
     *                       once the pool grows; keep 0 unless the build is known to work
     * @param sandbox        sandbox mode
     * @param logLevel       log level of the captured log
     * @param privileges     direct, in a user namespace, or chosen by the current uid
     * @param extraArgs      appended as they are
     * @param startTimeout   how long to wait for the socket to appear
     * @param stopTimeout    how long stop() waits after SIGTERM before SIGKILL, and after SIGKILL
     */
    public record Options(Path binary, CacheMode cache, boolean xattr, int threadPoolSize, Sandbox sandbox,
                          LogLevel logLevel, Privileges privileges, List<String> extraArgs, Duration startTimeout,
                          Duration stopTimeout) {
        public Options {
            Objects.requireNonNull(privileges, "privileges");
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(sandbox, "sandbox");
            Objects.requireNonNull(logLevel, "logLevel");
            extraArgs = List.copyOf(extraArgs);
            Objects.requireNonNull(startTimeout, "startTimeout");
            Objects.requireNonNull(stopTimeout, "stopTimeout");
            if (threadPoolSize < 0) {
                throw new IllegalArgumentException("threadPoolSize must be >= 0, got " + threadPoolSize);
            }
        }

        /** cache=auto, no xattr, pool 0, sandbox=namespace, log level info, 10 s to start, 5 s to stop. */
        public static Options defaults() {
            return new Options(null, CacheMode.AUTO, false, 0, Sandbox.NAMESPACE, LogLevel.INFO, Privileges.AUTO,
                    List.of(), Duration.ofSeconds(10), Duration.ofSeconds(5));
        }

        public Options withBinary(Path v) {
            return new Options(v, cache, xattr, threadPoolSize, sandbox, logLevel, privileges, extraArgs,
                    startTimeout, stopTimeout);
        }

        public Options withCache(CacheMode v) {
            return new Options(binary, v, xattr, threadPoolSize, sandbox, logLevel, privileges, extraArgs,
                    startTimeout, stopTimeout);
        }

        public Options withXattr(boolean v) {
            return new Options(binary, cache, v, threadPoolSize, sandbox, logLevel, privileges, extraArgs,
                    startTimeout, stopTimeout);
        }

        public Options withThreadPoolSize(int v) {
            return new Options(binary, cache, xattr, v, sandbox, logLevel, privileges, extraArgs,
                    startTimeout, stopTimeout);
        }

        public Options withSandbox(Sandbox v) {
            return new Options(binary, cache, xattr, threadPoolSize, v, logLevel, privileges, extraArgs,
                    startTimeout, stopTimeout);
        }

        public Options withLogLevel(LogLevel v) {
            return new Options(binary, cache, xattr, threadPoolSize, sandbox, v, privileges, extraArgs,
                    startTimeout, stopTimeout);
        }

        public Options withPrivileges(Privileges v) {
            return new Options(binary, cache, xattr, threadPoolSize, sandbox, logLevel, v, extraArgs, startTimeout,
                    stopTimeout);
        }

        public Options withExtraArgs(List<String> v) {
            return new Options(binary, cache, xattr, threadPoolSize, sandbox, logLevel, privileges, v,
                    startTimeout, stopTimeout);
        }

        public Options withStartTimeout(Duration v) {
            return new Options(binary, cache, xattr, threadPoolSize, sandbox, logLevel, privileges, extraArgs,
                    v, stopTimeout);
        }

        public Options withStopTimeout(Duration v) {
            return new Options(binary, cache, xattr, threadPoolSize, sandbox, logLevel, privileges, extraArgs,
                    startTimeout, v);
        }
    }

    /** The binary these options run: the explicit one, else {@code $VIRTIOFSD}, else the Debian path. */
    public static Path binary(Options options) {
        if (options.binary() != null) {
            return options.binary();
        }
        String env = System.getenv(BINARY_ENV);
        return env != null && !env.isBlank() ? Path.of(env) : DEFAULT_BINARY;
    }

    /**
     * Starts virtiofsd sharing {@code sharedDir} and waits until its socket exists.
     *
     * @throws VirtiofsdNotFoundException if the binary is missing (the message gives the install command)
     * @throws IllegalStateException with the daemon's log if it exits or does not listen in time
     */
    public static VirtiofsdProcess start(Path sharedDir, Options options) {
        Path binary = binary(options);
        if (!Files.isExecutable(binary)) {
            throw new VirtiofsdNotFoundException("virtiofsd not found at " + binary + ": install it with `"
                    + INSTALL_HINT + "` (the Debian package provides " + DEFAULT_BINARY + "), or point $" + BINARY_ENV
                    + " at another build");
        }
        if (!Files.isDirectory(sharedDir)) {
            throw new IllegalArgumentException("shared directory does not exist: " + sharedDir);
        }
        Path workDir;
        try {
            workDir = Files.createTempDirectory("viofs-vfsd-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the virtiofsd socket", e);
        }
        Path socket = workDir.resolve("vhost.sock");
        Path log = workDir.resolve("virtiofsd.log");
        List<String> command = new ArrayList<>();
        boolean root = isRoot();
        boolean userNamespace = options.privileges() == Privileges.USER_NAMESPACE
                || options.privileges() == Privileges.AUTO && !root;
        if (userNamespace) {
            // user + mount namespace where the daemon is "root" and /run/virtiofsd is private (virtiofsd-userns.sh)
            command.addAll(List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                    "mkdir -p /run/virtiofsd 2>/dev/null; mount -t tmpfs tmpfs /run/virtiofsd && exec \"$0\" \"$@\""));
        }
        command.add(binary.toString());
        command.add("--socket-path=" + socket);
        command.add("-o");
        command.add("source=" + sharedDir.toAbsolutePath());
        command.add("-o");
        command.add("cache=" + options.cache().name().toLowerCase(Locale.ROOT));
        command.add("-o");
        command.add(options.xattr() ? "xattr" : "no_xattr");
        command.add("-o");
        command.add("sandbox=" + options.sandbox().name().toLowerCase(Locale.ROOT));
        command.add("-o");
        command.add("log_level=" + options.logLevel().name().toLowerCase(Locale.ROOT));
        command.add("--thread-pool-size=" + options.threadPoolSize());
        command.addAll(options.extraArgs());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        VirtiofsdProcess daemon = new VirtiofsdProcess(process, command, workDir, socket, log, options, !userNamespace);
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        try {
            while (!isListening(socket)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("virtiofsd exited with status " + process.exitValue()
                            + " before listening on " + socket + "; command: " + String.join(" ", command)
                            + "; log:\n" + daemon.log());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("virtiofsd did not create " + socket + " within "
                            + options.startTimeout().toMillis() + " ms; command: " + String.join(" ", command)
                            + "; log:\n" + daemon.log());
                }
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.close();
            throw new IllegalStateException("interrupted while waiting for virtiofsd to listen", e);
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    /** Bound (file exists) is not enough: connect before listen() is refused. /proc/net/unix shows the state. */
    static boolean isListening(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try {
            String suffix = " " + socket;
            for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
                if (line.endsWith(suffix)) {
                    String[] f = line.trim().split("\\s+");
                    // Flags column: __SO_ACCEPTCON (0x10000) marks a listening socket
                    return f.length > 3 && (Long.parseLong(f[3], 16) & SO_ACCEPTCON) != 0;
                }
            }
            return false;
        } catch (IOException | NumberFormatException e) {
            return true; // no /proc/net/unix: the file's existence is all we can check
        }
    }

    /** Linux {@code net/unix/af_unix.c}: the Flags column of /proc/net/unix for a listening socket. */
    private static final long SO_ACCEPTCON = 0x10000;

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
