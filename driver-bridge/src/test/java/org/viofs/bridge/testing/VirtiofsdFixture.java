package org.viofs.bridge.testing;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.viofs.bridge.linux.LibC;
import org.viofs.bridge.vhostuser.VhostUserConfig;
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.bridge.vhostuser.VirtiofsdProcess;

/**
 * Test fixture: a real virtiofsd on a directory plus a {@link VhostUserTransport} connected to it.
 *
 * <pre>{@code
 * @TempDir Path dir;
 * try (VirtiofsdFixture f = VirtiofsdFixture.start(dir)) {
 *     FuseTransport t = f.transport();          // not yet INIT-ed: FUSE_INIT is the client's job
 *     ...
 *     f.killDaemon();                            // SIGKILL mid-test
 * }
 * }</pre>
 *
 * <p>The daemon is the flavour the run is for ({@link #FLAVOUR_PROPERTY}): every integration test runs
 * once per installed flavour without being copied. When that virtiofsd is missing, {@link #start}
 * throws with the install command, so the test fails; it never skips. The daemon log is
 * captured (debug level by default) and appended to transport failure messages.
 *
 * <p>Thread-safe accessors; the test closes it ({@link #close()}: transport, then daemon).
 */
public final class VirtiofsdFixture implements AutoCloseable {
    /**
     * System property naming the daemon flavour this test run uses ({@code c} or {@code rust}); the
     * build runs the integration tests once per flavour (the pom's failsafe executions). Unset: the
     * preferred binary ({@link VirtiofsdBinary#preferred()}).
     */
    public static final String FLAVOUR_PROPERTY = "viofs.virtiofsd.flavour";
    private static volatile VirtiofsdBinary daemonUnderTest;
    /** Transport defaults for tests: 8 slots (small memfd), 10 s bound on every wait. */
    public static final VhostUserConfig TEST_CONFIG = VhostUserConfig.builder().maxInFlight(8).queueSize(16)
            .timeout(Duration.ofSeconds(10)).build();

    private final VirtiofsdProcess daemon;
    private final VhostUserTransport transport;
    private final Path sharedDir;

    private VirtiofsdFixture(Path sharedDir, VirtiofsdProcess daemon, VhostUserTransport transport) {
        this.sharedDir = sharedDir;
        this.daemon = daemon;
        this.transport = transport;
    }

    /**
     * The virtiofsd this run tests against: the installed binary of the flavour named by
     * {@link #FLAVOUR_PROPERTY}, else the preferred one.
     *
     * @throws org.viofs.bridge.vhostuser.VirtiofsdNotFoundException with the install command when that
     *                                                               flavour is not installed (the test fails)
     */
    public static VirtiofsdBinary daemonUnderTest() {
        VirtiofsdBinary d = daemonUnderTest;
        if (d == null) {
            String f = System.getProperty(FLAVOUR_PROPERTY, "");
            d = f.isBlank() ? VirtiofsdBinary.identify(VirtiofsdBinary.preferred())
                    : VirtiofsdBinary.require(VirtiofsdBinary.Flavour.parse(f));
            daemonUnderTest = d;
        }
        return d;
    }

    /**
     * Launcher options for tests, to adjust and build: the daemon under test with its own defaults (as
     * hosts run it; the Rust daemon then references inodes by file handle, {@code
     * --inode-file-handles=prefer}, and answers ESTALE for a node whose file is gone, which the volume
     * handles), debug log (the per-request log is what explains a failure), 500 ms from SIGTERM to
     * SIGKILL (the daemon normally exits on its own when the transport closes).
     */
    public static VirtiofsdLauncher.Options.Builder options() {
        return VirtiofsdLauncher.Options.builder().binary(daemonUnderTest().path())
                .logLevel(VirtiofsdLauncher.LogLevel.DEBUG).stopTimeout(Duration.ofMillis(500));
    }

    /**
     * {@link #options()} for a test that counts the daemon's open fds per looked-up inode: the Rust
     * daemon references inodes by file handle where the file system allows
     * ({@code --inode-file-handles=prefer}, its default), so it is told to hold an O_PATH fd per inode as
     * the C daemon always does.
     */
    public static VirtiofsdLauncher.Options.Builder optionsWithInodeFds() {
        return options().inodeFileHandles(daemonUnderTest().flavour() == VirtiofsdBinary.Flavour.RUST
                ? VirtiofsdLauncher.InodeFileHandles.NEVER : null);
    }

    /** Starts a daemon on {@code dir} with {@link #options()} and connects with {@link #TEST_CONFIG}. */
    public static VirtiofsdFixture start(Path dir) {
        return start(dir, options().build(), TEST_CONFIG);
    }

    /** Starts a daemon with these options and connects with this configuration. */
    public static VirtiofsdFixture start(Path dir, VirtiofsdLauncher.Options options, VhostUserConfig config) {
        VirtiofsdProcess daemon = VirtiofsdLauncher.start(dir, options);
        try {
            VhostUserTransport t = VhostUserTransport.connect(daemon.socketPath(),
                    config.toBuilder().diagnostics(daemon::describe).build());
            return new VirtiofsdFixture(dir, daemon, t);
        } catch (RuntimeException | Error e) {
            try {
                daemon.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The connected transport (FUSE_INIT not sent yet). */
    public VhostUserTransport transport() {
        return transport;
    }

    /** The daemon handle (socket, options, exit status, stop). */
    public VirtiofsdProcess daemon() {
        return daemon;
    }

    /** The shared directory. */
    public Path sharedDir() {
        return sharedDir;
    }

    /** PID of the process holding the connection's fds (the sandbox child with sandbox=namespace). */
    public long daemonPid() {
        return daemon.fdHolderPid();
    }

    /** What the daemon printed so far. */
    public String log() {
        return daemon.log();
    }

    /** SIGKILLs the daemon (child and parent) and waits until they are gone. The transport stays open. */
    public void killDaemon() {
        daemon.kill();
    }

    /** SIGSTOPs the fd-holding daemon process: requests stay pending until {@link #resumeDaemon()}. */
    public void pauseDaemon() {
        signal(LibC.SIGSTOP);
        // SIGSTOP takes effect asynchronously: wait until every thread shows state T (bounded)
        long pid = daemonPid();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!allThreadsStopped(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("virtiofsd pid " + pid + " did not stop within 2 s after SIGSTOP");
            }
            Thread.onSpinWait();
        }
    }

    private static boolean allThreadsStopped(long pid) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat = Files.readString(task.resolve("stat"));
                // state is the field after the parenthesised command name
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                if (state != 'T' && state != 't') {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return true; // gone
        }
    }

    /** SIGCONTs the daemon after {@link #pauseDaemon()}. */
    public void resumeDaemon() {
        signal(LibC.SIGCONT);
    }

    /** {@link #resumeDaemon()} that ignores a daemon already gone (for teardown). */
    public void resumeDaemonQuietly() {
        LibC.kill((int) daemonPid(), LibC.SIGCONT);
    }

    private void signal(int sig) {
        long pid = daemonPid();
        if (LibC.kill((int) pid, sig) != 0) {
            throw new IllegalStateException("kill(" + pid + ", " + sig + ") failed, errno " + Native.getLastError());
        }
    }

    /** Closes the transport, then stops the daemon (it normally exits on its own once the socket closes). */
    @Override
    public void close() {
        try {
            transport.close();
        } finally {
            daemon.close();
        }
    }
}
