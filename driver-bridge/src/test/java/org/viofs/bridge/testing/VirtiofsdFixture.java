package org.viofs.bridge.testing;

import java.nio.file.Path;
import java.time.Duration;
import org.viofs.bridge.vhostuser.VhostUserTransport;
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
 * <p>When virtiofsd is missing, {@link #start} throws with the install command
 * ({@code apt-get install qemu-system-common}), so the test fails; it never skips. The daemon log is
 * captured (debug level by default) and appended to transport failure messages.
 *
 * <p>Thread-safe accessors; the test closes it ({@link #close()}: transport, then daemon).
 */
public final class VirtiofsdFixture implements AutoCloseable {
    /** Defaults for tests: debug log (the per-request log is what explains a failure), 10 s timeouts. */
    public static final VirtiofsdLauncher.Options TEST_OPTIONS = VirtiofsdLauncher.Options.defaults()
            .withLogLevel(VirtiofsdLauncher.LogLevel.DEBUG);
    /** Transport defaults for tests: 8 slots (small memfd), 10 s bound on every wait. */
    public static final VhostUserTransport.Config TEST_CONFIG = VhostUserTransport.Config.defaults()
            .withMaxInFlight(8).withQueueSize(16).withTimeout(Duration.ofSeconds(10));

    private final VirtiofsdProcess daemon;
    private final VhostUserTransport transport;
    private final Path sharedDir;

    private VirtiofsdFixture(Path sharedDir, VirtiofsdProcess daemon, VhostUserTransport transport) {
        this.sharedDir = sharedDir;
        this.daemon = daemon;
        this.transport = transport;
    }

    /** Starts a daemon on {@code dir} with {@link #TEST_OPTIONS} and connects with {@link #TEST_CONFIG}. */
    public static VirtiofsdFixture start(Path dir) {
        return start(dir, TEST_OPTIONS, TEST_CONFIG);
    }

    /** Starts a daemon with these options and connects with this configuration. */
    public static VirtiofsdFixture start(Path dir, VirtiofsdLauncher.Options options, VhostUserTransport.Config config) {
        VirtiofsdProcess daemon = VirtiofsdLauncher.start(dir, options);
        try {
            VhostUserTransport t = VhostUserTransport.connect(daemon.socketPath(),
                    config.withDiagnostics(daemon::describe));
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
