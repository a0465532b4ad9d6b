package org.viofs.bridge.vhostuser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One virtiofsd binary and what it is: the C daemon that QEMU shipped until 8.0 (Debian 12's
 * {@code qemu-system-common}, {@code /usr/lib/qemu/virtiofsd}) or the Rust daemon that replaced it
 * (the distribution package {@code virtiofsd}, {@code /usr/libexec/virtiofsd}, or the crates.io crate
 * that {@code scripts/dev.sh} builds into {@code ~/.cache/viofs/}). The two speak the same vhost-user and
 * FUSE protocol but take different command lines (docs/vhost-user-frontend.md §9).
 *
 * @param flavour which daemon
 * @param version its version as {@code --version} prints it, e.g. {@code 7.2.22} or {@code 1.14.0}
 * @param path    the binary
 */
public record VirtiofsdBinary(Flavour flavour, String version, Path path) {
    /** Which virtiofsd implementation a binary is. */
    public enum Flavour {
        /** QEMU's C virtiofsd ({@code tools/virtiofsd}, removed in QEMU 8.0): {@code -o key=value} options. */
        C("c"),
        /** The Rust virtiofsd (gitlab.com/virtio-fs/virtiofsd): {@code --key=value} options. */
        RUST("rust");

        private final String label;

        Flavour(String label) {
            this.label = label;
        }

        /** {@code c} or {@code rust}, as reports and {@code -Dviofs.virtiofsd.flavour} spell it. */
        public String label() {
            return label;
        }

        /** Parses {@link #label()} (case-insensitive). */
        public static Flavour parse(String s) {
            for (Flavour f : values()) {
                if (f.label.equalsIgnoreCase(s.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("virtiofsd flavour must be c or rust, was '" + s + "'");
        }
    }

    /** Debian 12's C daemon (package {@code qemu-system-common}). */
    public static final Path C_DEBIAN = Path.of("/usr/lib/qemu/virtiofsd");
    /** The Rust daemon from the distribution package {@code virtiofsd} (Debian 13, Ubuntu 24.04). */
    public static final Path RUST_DISTRIBUTION = Path.of("/usr/libexec/virtiofsd");
    /** The crate version {@code scripts/dev.sh} builds when the distribution has no Rust daemon. */
    public static final String RUST_PINNED_VERSION = "1.14.0";
    /** Environment variable naming one more binary to consider (and the one {@link #preferred()} picks). */
    public static final String BINARY_ENV = "VIRTIOFSD";
    /** How to get the C daemon, quoted when none is found. */
    public static final String C_INSTALL_HINT = "apt-get install qemu-system-common";
    /** How to get the Rust daemon, quoted when none is found. */
    public static final String RUST_INSTALL_HINT = "apt-get install virtiofsd (Debian 13, Ubuntu 24.04), or "
            + "scripts/dev.sh, which builds virtiofsd " + RUST_PINNED_VERSION + " with cargo into ~/.cache/viofs/";
    /** How long {@code --version} may take. */
    private static final long VERSION_TIMEOUT_MILLIS = 5000;
    /** How much of {@code --version}'s output is read. */
    private static final int VERSION_OUTPUT_LIMIT = 4096;

    private static final Pattern C_VERSION = Pattern.compile("virtiofsd version (\\S+)");
    private static final Pattern RUST_VERSION = Pattern.compile("^virtiofsd (\\d+\\.\\d+\\.\\d+\\S*)", Pattern.MULTILINE);
    /** path → (mtime, result): identifying runs the binary, do it once per file version. */
    private static final Map<Path, Map.Entry<FileTime, VirtiofsdBinary>> IDENTIFIED = new ConcurrentHashMap<>();

    public VirtiofsdBinary {
        Objects.requireNonNull(flavour, "flavour");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(path, "path");
    }

    /** {@code rust 1.14.0 (/root/.cache/viofs/virtiofsd-1.14.0/bin/virtiofsd)}. */
    public String describe() {
        return flavour.label() + " " + version + " (" + path + ")";
    }

    /**
     * Runs {@code binary --version} and tells the flavour from what it prints: the C daemon prints
     * {@code virtiofsd version 7.2.22 (…)}, the Rust one {@code virtiofsd 1.14.0}.
     *
     * @throws VirtiofsdNotFoundException if the file is not an executable
     * @throws IllegalStateException      if it does not answer like either daemon
     */
    public static VirtiofsdBinary identify(Path binary) {
        if (!Files.isExecutable(binary) || Files.isDirectory(binary)) {
            throw new VirtiofsdNotFoundException("virtiofsd not found at " + binary + ": install the C daemon with `"
                    + C_INSTALL_HINT + "` (it provides " + C_DEBIAN + ") or the Rust one with " + RUST_INSTALL_HINT
                    + "; or point $" + BINARY_ENV + " or --virtiofsd at another build");
        }
        FileTime mtime;
        try {
            mtime = Files.getLastModifiedTime(binary);
        } catch (IOException e) {
            mtime = FileTime.fromMillis(0);
        }
        Map.Entry<FileTime, VirtiofsdBinary> known = IDENTIFIED.get(binary);
        if (known != null && known.getKey().equals(mtime)) {
            return known.getValue();
        }
        VirtiofsdBinary b = parseVersion(binary, runVersion(binary));
        IDENTIFIED.put(binary, Map.entry(mtime, b));
        return b;
    }

    /** The flavour and version in a {@code --version} output. */
    static VirtiofsdBinary parseVersion(Path binary, String output) {
        Matcher c = C_VERSION.matcher(output);
        if (c.find()) {
            return new VirtiofsdBinary(Flavour.C, c.group(1), binary);
        }
        Matcher r = RUST_VERSION.matcher(output);
        if (r.find()) {
            return new VirtiofsdBinary(Flavour.RUST, r.group(1), binary);
        }
        throw new IllegalStateException(binary + " --version printed neither a C nor a Rust virtiofsd version: '"
                + output.strip() + "'");
    }

    private static String runVersion(Path binary) {
        Process p;
        try {
            p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + " --version: " + e.getMessage(), e);
        }
        try (InputStream in = p.getInputStream()) {
            if (!p.waitFor(VERSION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(binary + " --version did not exit within " + VERSION_TIMEOUT_MILLIS + " ms");
            }
            return new String(in.readNBytes(VERSION_OUTPUT_LIMIT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + binary + " --version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + binary + " --version", e);
        }
    }

    /**
     * Where virtiofsd binaries are looked for, in order: {@code $VIRTIOFSD}, the C daemon's Debian path,
     * the Rust distribution path, the cargo builds under {@code ~/.cache/viofs/virtiofsd-VERSION/bin}
     * (the pinned version first), {@code virtiofsd} on {@code $PATH}.
     */
    public static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String env = System.getenv(BINARY_ENV);
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env));
        }
        out.add(C_DEBIAN);
        out.add(RUST_DISTRIBUTION);
        Path cache = cacheDir();
        out.add(cache.resolve("virtiofsd-" + RUST_PINNED_VERSION).resolve("bin").resolve("virtiofsd"));
        try (var s = Files.list(cache)) {
            s.filter(d -> d.getFileName().toString().startsWith("virtiofsd-")).sorted()
                    .map(d -> d.resolve("bin").resolve("virtiofsd")).forEach(out::add);
        } catch (IOException e) {
            // no cache yet
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (!d.isEmpty()) {
                    out.add(Path.of(d, "virtiofsd"));
                }
            }
        }
        return out;
    }

    /** {@code $XDG_CACHE_HOME/viofs} or {@code ~/.cache/viofs}: where {@code scripts/dev.sh} builds. */
    public static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("viofs");
    }

    /**
     * Every virtiofsd installed, at most one per flavour: the first {@link #candidates() candidate} of
     * each flavour that runs. C before Rust.
     */
    public static List<VirtiofsdBinary> installed() {
        Map<Flavour, VirtiofsdBinary> found = new LinkedHashMap<>();
        for (Path p : candidates()) {
            if (!Files.isExecutable(p) || Files.isDirectory(p)) {
                continue;
            }
            try {
                VirtiofsdBinary b = identify(p.toRealPath());
                found.putIfAbsent(b.flavour(), new VirtiofsdBinary(b.flavour(), b.version(), p));
            } catch (IOException | RuntimeException e) {
                // not a virtiofsd we can use; the next candidate may be
            }
        }
        List<VirtiofsdBinary> out = new ArrayList<>();
        for (Flavour f : Flavour.values()) {
            if (found.containsKey(f)) {
                out.add(found.get(f));
            }
        }
        return out;
    }

    /** The installed binary of one flavour. */
    public static Optional<VirtiofsdBinary> installed(Flavour flavour) {
        return installed().stream().filter(b -> b.flavour() == flavour).findFirst();
    }

    /**
     * The binary of this flavour, or a {@link VirtiofsdNotFoundException} with that flavour's install
     * command (tests fail with it; they never skip).
     */
    public static VirtiofsdBinary require(Flavour flavour) {
        return installed(flavour).orElseThrow(() -> new VirtiofsdNotFoundException("no " + flavour.label()
                + " virtiofsd found (looked at " + candidates() + "); install it: "
                + (flavour == Flavour.C ? "`" + C_INSTALL_HINT + "` (Debian 12; later releases no longer ship it)"
                : RUST_INSTALL_HINT)));
    }

    /**
     * The binary used when none is named: {@code $VIRTIOFSD}, else the first installed (C, then Rust).
     * If nothing is installed, the Debian path, so that starting it fails with the install command.
     */
    public static Path preferred() {
        String env = System.getenv(BINARY_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        List<VirtiofsdBinary> all = installed();
        return all.isEmpty() ? C_DEBIAN : all.get(0).path();
    }

    /**
     * The virtiofsd listening on a vhost-user socket someone else started, when this process can see it:
     * the socket's inode from {@code /proc/net/unix}, the process holding it from {@code /proc/PID/fd},
     * its binary from {@code /proc/PID/exe}. Empty when any step is not visible (another user's or
     * namespace's daemon) or the binary is not a virtiofsd. Bounded: one pass over {@code /proc}.
     */
    public static Optional<VirtiofsdBinary> listeningOn(Path socket) {
        try {
            String inode = null;
            String suffix = " " + socket.toAbsolutePath();
            for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
                if (line.endsWith(suffix)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 6) {
                        inode = f[6];
                    }
                }
            }
            if (inode == null) {
                return Optional.empty();
            }
            String target = "socket:[" + inode + "]";
            List<Long> pids = new ArrayList<>();
            try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : procs) {
                    pids.add(Long.parseLong(p.getFileName().toString()));
                }
            }
            pids.sort(null);
            for (long pid : pids) {
                Path fds = Path.of("/proc", Long.toString(pid), "fd");
                try (var s = Files.newDirectoryStream(fds)) {
                    for (Path fd : s) {
                        if (target.equals(readLink(fd))) {
                            String exe = readLink(Path.of("/proc", Long.toString(pid), "exe"));
                            if (exe != null && Files.isExecutable(Path.of(exe))) {
                                return Optional.of(identify(Path.of(exe)));
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, not ours to read, or not a virtiofsd: keep looking
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
