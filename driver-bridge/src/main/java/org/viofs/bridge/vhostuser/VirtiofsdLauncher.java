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
 * Starts a virtiofsd — the C daemon or the Rust one ({@link VirtiofsdBinary.Flavour}) — on a directory,
 * on a fresh socket path, and waits until it listens (docs/vhost-user-frontend.md §9). Our options are
 * mapped to the flavour's command line ({@link #commandLine}); an option the flavour lacks is refused
 * with {@link IllegalArgumentException} naming it, never dropped.
 *
 * <p>As root the daemon runs directly; otherwise the C daemon runs inside an unprivileged user + mount
 * namespace with a private tmpfs on {@code /run/virtiofsd}, where it can write its pid file (the recipe
 * of {@code virtiofsd-userns.sh}; the frontend must then run as the same user, the socket is mode 0700).
 * The Rust daemon writes its pid file next to the socket and sets up its own user namespace.
 *
 * <p>Stateless and thread-safe. The caller owns the returned {@link VirtiofsdProcess} and closes it.
 */
public final class VirtiofsdLauncher {
    /** Where Debian's qemu-system-common installs the C virtiofsd 7.2. */
    public static final Path DEFAULT_BINARY = VirtiofsdBinary.C_DEBIAN;
    /** Environment variable that names the binary to use when the options name none. */
    public static final String BINARY_ENV = VirtiofsdBinary.BINARY_ENV;
    /** The install command quoted in the error for a missing binary. */
    public static final String INSTALL_HINT = VirtiofsdBinary.C_INSTALL_HINT;

    private VirtiofsdLauncher() {
    }

    /** How long the guest may cache entries, attributes and data (§7.4): C {@code -o cache=}, Rust {@code --cache=}. */
    public enum CacheMode {
        AUTO("auto", "auto"), NONE("none", "never"), ALWAYS("always", "always");

        private final String c;
        private final String rust;

        CacheMode(String c, String rust) {
            this.c = c;
            this.rust = rust;
        }

        /** The value on the command line of {@code flavour}. */
        public String argument(VirtiofsdBinary.Flavour flavour) {
            return flavour == VirtiofsdBinary.Flavour.C ? c : rust;
        }
    }

    /** Sandbox mode: namespace forks a sandboxed child; chroot stays one process (§1); none is Rust-only. */
    public enum Sandbox { NAMESPACE, CHROOT, NONE }

    /**
     * What the seccomp filter does on a system call outside its allow-list. The C daemon always kills the
     * process (it has no option); the Rust daemon takes {@code --seccomp=}.
     */
    public enum Seccomp { KILL, LOG, TRAP, NONE }

    /** Rust {@code --inode-file-handles=}: reference inodes by file handle instead of O_PATH fds. */
    public enum InodeFileHandles { NEVER, PREFER, MANDATORY }

    /** Log level: C {@code -o log_level=} (err), Rust {@code --log-level=} (error). */
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
     * Daemon options; build them with {@link #builder()} (every field defaults as documented there).
     *
     * @param binary            the virtiofsd to run; null = {@link VirtiofsdBinary#preferred()}
     * @param cache             cache mode
     * @param xattr             extended attributes on (C {@code -o xattr}, Rust {@code --xattr}) or off
     * @param xattrMap          xattr mapping rules (C {@code -o xattrmap=}, Rust {@code --xattrmap=}; both
     *                          imply xattr), or null
     * @param threadPoolSize    {@code --thread-pool-size} (0 = process requests on the queue thread, the
     *                          default of both). The C daemon 7.2 on this kernel is killed by its own seccomp
     *                          filter once its GLib pool starts a third thread; see the README's daemon section
     * @param sandbox           sandbox mode ({@link Sandbox#NONE} is Rust-only)
     * @param seccomp           seccomp action, or null for the daemon's default (both kill); the C daemon
     *                          accepts only {@link Seccomp#KILL}
     * @param inodeFileHandles  Rust-only {@code --inode-file-handles=}, or null for the daemon's default
     * @param announceSubmounts tell the guest about mount points (C {@code -o announce_submounts}, Rust
     *                          {@code --[no-]announce-submounts}), or null for the daemon's default (C off,
     *                          Rust on); C cannot be told false explicitly, which is its default anyway
     * @param logLevel          log level of the captured log
     * @param privileges        direct, in a user namespace, or chosen by the current uid
     * @param extraArgs         appended as they are (flavour-specific by nature)
     * @param startTimeout      how long to wait for the socket to listen
     * @param stopTimeout       how long stop() waits after SIGTERM before SIGKILL, and after SIGKILL
     */
    public record Options(Path binary, CacheMode cache, boolean xattr, String xattrMap, int threadPoolSize,
                          Sandbox sandbox, Seccomp seccomp, InodeFileHandles inodeFileHandles,
                          Boolean announceSubmounts, LogLevel logLevel, Privileges privileges, List<String> extraArgs,
                          Duration startTimeout, Duration stopTimeout) {
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
            if (xattrMap != null && (xattrMap.isEmpty() || xattrMap.indexOf('\0') >= 0)) {
                throw new IllegalArgumentException("xattrMap must be a non-empty rule string without NUL");
            }
        }

        /** The defaults: see {@link Builder}. */
        public static Options defaults() {
            return builder().build();
        }

        /**
         * A builder with the defaults: the preferred binary, cache=auto, no xattr, no xattrmap, pool 0,
         * sandbox=namespace, the daemon's seccomp, inode-file-handles and announce-submounts defaults,
         * log level info, privileges by uid, no extra arguments, 10 s to start, 5 s to stop.
         */
        public static Builder builder() {
            return new Builder();
        }

        /** A builder holding these options. */
        public Builder toBuilder() {
            Builder b = new Builder();
            b.binary = binary;
            b.cache = cache;
            b.xattr = xattr;
            b.xattrMap = xattrMap;
            b.threadPoolSize = threadPoolSize;
            b.sandbox = sandbox;
            b.seccomp = seccomp;
            b.inodeFileHandles = inodeFileHandles;
            b.announceSubmounts = announceSubmounts;
            b.logLevel = logLevel;
            b.privileges = privileges;
            b.extraArgs = extraArgs;
            b.startTimeout = startTimeout;
            b.stopTimeout = stopTimeout;
            return b;
        }

        /** Builds {@link Options}; not thread-safe. */
        public static final class Builder {
            private Path binary;
            private CacheMode cache = CacheMode.AUTO;
            private boolean xattr;
            private String xattrMap;
            private int threadPoolSize;
            private Sandbox sandbox = Sandbox.NAMESPACE;
            private Seccomp seccomp;
            private InodeFileHandles inodeFileHandles;
            private Boolean announceSubmounts;
            private LogLevel logLevel = LogLevel.INFO;
            private Privileges privileges = Privileges.AUTO;
            private List<String> extraArgs = List.of();
            private Duration startTimeout = Duration.ofSeconds(10);
            private Duration stopTimeout = Duration.ofSeconds(5);

            private Builder() {
            }

            public Builder binary(Path v) {
                binary = v;
                return this;
            }

            public Builder cache(CacheMode v) {
                cache = v;
                return this;
            }

            public Builder xattr(boolean v) {
                xattr = v;
                return this;
            }

            public Builder xattrMap(String v) {
                xattrMap = v;
                return this;
            }

            public Builder threadPoolSize(int v) {
                threadPoolSize = v;
                return this;
            }

            public Builder sandbox(Sandbox v) {
                sandbox = v;
                return this;
            }

            public Builder seccomp(Seccomp v) {
                seccomp = v;
                return this;
            }

            public Builder inodeFileHandles(InodeFileHandles v) {
                inodeFileHandles = v;
                return this;
            }

            public Builder announceSubmounts(Boolean v) {
                announceSubmounts = v;
                return this;
            }

            public Builder logLevel(LogLevel v) {
                logLevel = v;
                return this;
            }

            public Builder privileges(Privileges v) {
                privileges = v;
                return this;
            }

            public Builder extraArgs(List<String> v) {
                extraArgs = v;
                return this;
            }

            public Builder startTimeout(Duration v) {
                startTimeout = v;
                return this;
            }

            public Builder stopTimeout(Duration v) {
                stopTimeout = v;
                return this;
            }

            /** @throws IllegalArgumentException or NullPointerException for an invalid field */
            public Options build() {
                return new Options(binary, cache, xattr, xattrMap, threadPoolSize, sandbox, seccomp, inodeFileHandles,
                        announceSubmounts, logLevel, privileges, extraArgs, startTimeout, stopTimeout);
            }
        }
    }

    /** The binary these options run: the explicit one, else {@link VirtiofsdBinary#preferred()}. */
    public static Path binary(Options options) {
        return options.binary() != null ? options.binary() : VirtiofsdBinary.preferred();
    }

    /**
     * The daemon's arguments after the binary for these options: the C daemon takes {@code -o key=value},
     * the Rust one {@code --key=value}.
     *
     * @throws IllegalArgumentException naming the option and the daemon, for an option it lacks
     */
    public static List<String> commandLine(VirtiofsdBinary daemon, Path socket, Path sharedDir, Options o) {
        List<String> a = new ArrayList<>();
        a.add("--socket-path=" + socket);
        if (daemon.flavour() == VirtiofsdBinary.Flavour.C) {
            refuse(daemon, o.sandbox() == Sandbox.NONE, "sandbox none", "--sandbox=none");
            refuse(daemon, o.seccomp() != null && o.seccomp() != Seccomp.KILL,
                    "seccomp " + lower(o.seccomp()), "--seccomp=" + lower(o.seccomp()));
            refuse(daemon, o.inodeFileHandles() != null, "inode file handles " + lower(o.inodeFileHandles()),
                    "--inode-file-handles=" + lower(o.inodeFileHandles()));
            c(a, "source=" + sharedDir.toAbsolutePath());
            c(a, "cache=" + o.cache().argument(daemon.flavour()));
            c(a, o.xattr() || o.xattrMap() != null ? "xattr" : "no_xattr");
            if (o.xattrMap() != null) {
                c(a, "xattrmap=" + o.xattrMap());
            }
            c(a, "sandbox=" + lower(o.sandbox()));
            if (Boolean.TRUE.equals(o.announceSubmounts())) {
                c(a, "announce_submounts");
            }
            c(a, "log_level=" + lower(o.logLevel()));
        } else {
            a.add("--shared-dir=" + sharedDir.toAbsolutePath());
            a.add("--cache=" + o.cache().argument(daemon.flavour()));
            if (o.xattr()) {
                a.add("--xattr");
            }
            if (o.xattrMap() != null) {
                a.add("--xattrmap=" + o.xattrMap());
            }
            a.add("--sandbox=" + lower(o.sandbox()));
            if (o.seccomp() != null) {
                a.add("--seccomp=" + lower(o.seccomp()));
            }
            if (o.inodeFileHandles() != null) {
                a.add("--inode-file-handles=" + lower(o.inodeFileHandles()));
            }
            if (o.announceSubmounts() != null) {
                a.add(o.announceSubmounts() ? "--announce-submounts" : "--no-announce-submounts");
            }
            a.add("--log-level=" + (o.logLevel() == LogLevel.ERR ? "error" : lower(o.logLevel())));
        }
        a.add("--thread-pool-size=" + o.threadPoolSize());
        a.addAll(o.extraArgs());
        return a;
    }

    private static void c(List<String> a, String option) {
        a.add("-o");
        a.add(option);
    }

    private static void refuse(VirtiofsdBinary daemon, boolean lacking, String what, String rustArgument) {
        if (lacking) {
            throw new IllegalArgumentException("the " + daemon.flavour().label() + " virtiofsd " + daemon.version()
                    + " (" + daemon.path() + ") has no option for " + what + " (the Rust daemon's " + rustArgument
                    + "); drop it or use the Rust virtiofsd");
        }
    }

    private static String lower(Enum<?> e) {
        return e == null ? "" : e.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Starts virtiofsd sharing {@code sharedDir} and waits until its socket listens.
     *
     * @throws VirtiofsdNotFoundException if the binary is missing (the message gives the install command)
     * @throws IllegalArgumentException   if the daemon lacks one of the options
     * @throws IllegalStateException with the daemon's log if it exits or does not listen in time
     */
    public static VirtiofsdProcess start(Path sharedDir, Options options) {
        VirtiofsdBinary identity = VirtiofsdBinary.identify(binary(options));
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
        List<String> arguments;
        try {
            arguments = commandLine(identity, socket, sharedDir, options);
        } catch (IllegalArgumentException e) {
            deleteQuietly(workDir);
            throw e;
        }
        List<String> command = new ArrayList<>();
        boolean root = isRoot();
        boolean userNamespace = options.privileges() == Privileges.USER_NAMESPACE
                || options.privileges() == Privileges.AUTO && !root && identity.flavour() == VirtiofsdBinary.Flavour.C;
        if (userNamespace) {
            // user + mount namespace where the daemon is "root" and /run/virtiofsd is private (virtiofsd-userns.sh)
            command.addAll(List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                    "mkdir -p /run/virtiofsd 2>/dev/null; mount -t tmpfs tmpfs /run/virtiofsd && exec \"$0\" \"$@\""));
        }
        command.add(identity.path().toString());
        command.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            deleteQuietly(workDir);
            throw new UncheckedIOException("cannot start " + command, e);
        }
        VirtiofsdProcess daemon = new VirtiofsdProcess(process, command, workDir, socket, log, options, identity,
                !userNamespace);
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        try {
            while (!isListening(socket)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(identity.flavour().label() + " virtiofsd exited with status "
                            + process.exitValue() + " before listening on " + socket + "; command: "
                            + String.join(" ", command) + "; log:\n" + daemon.log());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(identity.flavour().label() + " virtiofsd did not listen on "
                            + socket + " within " + options.startTimeout().toMillis() + " ms; command: "
                            + String.join(" ", command) + "; log:\n" + daemon.log());
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

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // an empty directory in /tmp is harmless
        }
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
