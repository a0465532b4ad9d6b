package org.viofs.bridge.vhostuser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A running virtiofsd started by {@link VirtiofsdLauncher}: its socket, its captured log (stdout and
 * stderr), its PIDs, and how to stop or kill it.
 *
 * <p>With {@code sandbox=namespace} virtiofsd forks a child in new namespaces when the frontend
 * connects; that child holds the connection, the memfd mapping and the eventfds.
 * {@link #fdHolderPid()} finds it, so tests can inspect {@code /proc/PID/fd}.
 *
 * <p>Thread-safe. The creator closes it; {@link #close()} stops the daemon and deletes its socket
 * directory (the log text stays readable through {@link #log()}).
 */
public final class VirtiofsdProcess implements AutoCloseable {
    /** Directory where virtiofsd 7.2 writes its pid file (§9). */
    public static final Path PID_DIR = Path.of("/run/virtiofsd");
    /** How much of the log {@link #describe()} quotes, in characters. */
    private static final int LOG_TAIL_CHARS = 2000;
    /** How long {@link #describe()} gives a running daemon to finish exiting, in milliseconds. */
    private static final long DESCRIBE_EXIT_WAIT_MILLIS = 1000;

    private final Process process;
    private final List<String> command;
    private final Path workDir;
    private final Path socket;
    private final Path logFile;
    private final VirtiofsdLauncher.Options options;
    private final VirtiofsdBinary binary;
    private final boolean runsAsRoot;
    private volatile String finalLog;
    private boolean closed;

    VirtiofsdProcess(Process process, List<String> command, Path workDir, Path socket, Path logFile,
                     VirtiofsdLauncher.Options options, VirtiofsdBinary binary, boolean runsAsRoot) {
        this.process = process;
        this.command = List.copyOf(command);
        this.workDir = workDir;
        this.socket = socket;
        this.logFile = logFile;
        this.options = options;
        this.binary = binary;
        this.runsAsRoot = runsAsRoot;
    }

    /** The vhost-user socket path (unique per daemon). */
    public Path socketPath() {
        return socket;
    }

    /** The command line that was run. */
    public List<String> command() {
        return command;
    }

    /** The options it was started with. */
    public VirtiofsdLauncher.Options options() {
        return options;
    }

    /** Which daemon runs: flavour, version and path. */
    public VirtiofsdBinary binary() {
        return binary;
    }

    /** PID of the process that was started (the parent when sandbox=namespace). */
    public long pid() {
        return process.pid();
    }

    /**
     * PID of the process holding the connection's file descriptors: with sandbox=namespace the last of
     * the chain of sandboxed children (the C daemon forks one after accept, once a frontend has connected
     * and got a reply; the Rust daemon forks before it listens, and again into its pid namespace), else,
     * or when there is no child (not connected yet, or gone), {@link #pid()}.
     */
    public long fdHolderPid() {
        long holder = pid();
        if (options.sandbox() == VirtiofsdLauncher.Sandbox.NAMESPACE) {
            for (int depth = 0; depth < MAX_SANDBOX_DEPTH; depth++) {
                List<Long> children = children(holder);
                if (children.isEmpty()) {
                    break;
                }
                holder = children.get(0);
            }
        }
        return holder;
    }

    /** Forks between the started process and the one serving the connection: at most two (Rust). */
    private static final int MAX_SANDBOX_DEPTH = 4;

    /** Children of {@code pid} from {@code /proc/PID/task/TID/children}; empty if none or gone. */
    static List<Long> children(long pid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    for (String s : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                        if (!s.isEmpty()) {
                            out.add(Long.parseLong(s));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // no such process
        }
        return out;
    }

    /** True while the started process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status once it has exited. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Waits up to {@code timeout} for the started process to exit; true if it did. */
    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Path of the captured log (deleted by {@link #close()}). */
    public Path logFile() {
        return logFile;
    }

    /** Everything the daemon printed so far. */
    public String log() {
        String f = finalLog;
        if (f != null) {
            return f;
        }
        try {
            return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The last {@code chars} bytes of the log (decoded leniently), without reading all of it. */
    public String logTail(int chars) {
        String f = finalLog;
        if (f != null) {
            return f.length() > chars ? "…" + f.substring(f.length() - chars) : f;
        }
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(logFile.toFile(), "r")) {
            long len = raf.length();
            long from = Math.max(0, len - chars);
            byte[] b = new byte[(int) (len - from)];
            raf.seek(from);
            raf.readFully(b);
            return (from > 0 ? "…" : "") + new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** One line for failure messages: PID, state or exit status, and the tail of the log. */
    public String describe() {
        if (process.isAlive()) {
            // called right after the socket hung up, the exit is usually a moment away
            waitFor(Duration.ofMillis(DESCRIBE_EXIT_WAIT_MILLIS));
        }
        String state = process.isAlive() ? "running" : "exited with status " + process.exitValue()
                + (process.exitValue() > 128 ? " (signal " + (process.exitValue() - 128) + ")" : "");
        String tail = logTail(LOG_TAIL_CHARS);
        return binary.flavour().label() + " virtiofsd " + binary.version() + " pid " + pid() + " " + state + (tail.isBlank() ? "" : "; log tail:\n" + tail.strip());
    }

    /**
     * How long SIGKILLed processes get to be gone. They cannot refuse, but the kernel has to tear down
     * every thread and the mapping of the guest memory, and on a loaded machine that took longer than a
     * stop timeout of 500 ms; what is still there after this long is reported by pid.
     */
    static final Duration KILL_REAP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * SIGKILLs the fd-holding child and the started process at once and waits (bounded by {@link
     * #KILL_REAP_TIMEOUT}) for all of them to be gone.
     *
     * @throws IllegalStateException naming every pid that is still there after that
     */
    public void kill() {
        List<ProcessHandle> all = descendantsAndSelf();
        // the started process first, so it cannot see a child die and exit by itself (status 0, not 137)
        process.toHandle().destroyForcibly();
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        awaitKilled(all);
    }

    /**
     * Stops the daemon: SIGTERM, then SIGKILL for whatever still runs after the stop timeout; waits
     * (bounded by {@link #KILL_REAP_TIMEOUT}) for the exit. Idempotent.
     *
     * @throws IllegalStateException naming every pid that survived SIGKILL
     */
    public void stop() {
        List<ProcessHandle> all = descendantsAndSelf();
        process.toHandle().destroy();
        if (!awaitExit(List.of(process.toHandle()), options.stopTimeout())) {
            process.toHandle().destroyForcibly();
        }
        for (ProcessHandle h : all) {
            if (running(h)) {
                h.destroyForcibly();
            }
        }
        awaitKilled(all);
    }

    /** Waits for SIGKILLed processes to be gone and for our own child to be reaped. */
    private void awaitKilled(List<ProcessHandle> all) {
        Duration bound = KILL_REAP_TIMEOUT.compareTo(options.stopTimeout()) > 0 ? KILL_REAP_TIMEOUT : options.stopTimeout();
        if (!awaitExit(all, bound)) {
            List<String> left = new ArrayList<>();
            for (ProcessHandle h : all) {
                if (running(h)) {
                    left.add("pid " + h.pid() + (h.pid() == pid() ? "" : " (child of " + pid() + ")") + " in state "
                            + state(h.pid()));
                }
            }
            if (!left.isEmpty()) {
                throw new IllegalStateException(binary.flavour().label() + " virtiofsd pid " + pid()
                        + " survived SIGKILL for " + bound.toMillis() + " ms: " + String.join(", ", left));
            }
        }
        waitFor(bound);
    }

    /** The states of the process's threads as /proc shows them (e.g. "D" or "R,S"), or "gone". */
    static String state(long pid) {
        List<String> states = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String st = String.valueOf(stat.charAt(stat.lastIndexOf(')') + 2));
                    if (!states.contains(st)) {
                        states.add(st);
                    }
                } catch (IOException | IndexOutOfBoundsException e) {
                    // this thread is gone
                }
            }
        } catch (IOException e) {
            return "gone";
        }
        return states.isEmpty() ? "gone" : String.join(",", states);
    }

    /** Every descendant (the sandbox children), deepest first, then the started process. */
    private List<ProcessHandle> descendantsAndSelf() {
        List<ProcessHandle> all = new ArrayList<>();
        collect(pid(), all, 0);
        all.add(process.toHandle());
        return all;
    }

    private static void collect(long pid, List<ProcessHandle> into, int depth) {
        if (depth >= MAX_SANDBOX_DEPTH) {
            return;
        }
        for (long c : children(pid)) {
            collect(c, into, depth + 1);
            ProcessHandle.of(c).ifPresent(into::add);
        }
    }

    private static boolean awaitExit(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle h : handles) {
            while (running(h)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Some thread of the process is neither zombie nor dead. The thread-group leader turns zombie
     * while other threads may still be exiting, and the fds close only when the last one is gone; the
     * sandbox child is also reparented when its parent dies, and whoever reaps it may take its time.
     */
    static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(h.pid()), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (state != 'Z' && state != 'X') {
                        return true;
                    }
                } catch (IOException | IndexOutOfBoundsException e) {
                    // this thread is gone
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The pid file virtiofsd writes for this socket: the C daemon's in {@link #PID_DIR}, named by the socket
     * path with '/' turned into '.' (in a private tmpfs when not run as root); the Rust daemon's next to
     * the socket, {@code SOCKET.pid}.
     */
    Optional<Path> pidFile() {
        if (binary.flavour() == VirtiofsdBinary.Flavour.RUST) {
            return Optional.of(socket.resolveSibling(socket.getFileName() + ".pid"));
        }
        return runsAsRoot ? Optional.of(PID_DIR.resolve(socket.toString().replace('/', '.') + ".pid")) : Optional.empty();
    }

    /** Stops the daemon and removes its socket directory and pid file. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            finalLog = log();
            try {
                Files.deleteIfExists(socket);
                Files.deleteIfExists(logFile);
                if (pidFile().isPresent()) {
                    Files.deleteIfExists(pidFile().get());
                }
                Files.deleteIfExists(workDir);
            } catch (IOException e) {
                // leftovers in /tmp are harmless
            }
        }
    }

    @Override
    public String toString() {
        return binary.flavour().label() + " virtiofsd " + binary.version() + " pid " + pid() + " on " + socket;
    }
}
