package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VhostUserConfig;
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.bridge.vhostuser.VirtiofsdProcess;
import org.viofs.cli.ExitCodes;
import org.viofs.conformance.KnownUnsupported.Mode;
import org.viofs.fuse.FuseClient;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;
import org.viofs.volume.VolumeOperations;

import picocli.CommandLine;

/**
 * {@code viofs conformance} against a real virtiofsd (the flavour under test) that is killed
 * (SIGKILL) or frozen (SIGSTOP) in the middle of the plain mode: the run stops at the first transport
 * loss, every case from the one that was running on is NOT_RUN (never KNOWN_UNSUPPORTED or FAIL), the
 * xattr mode is not started, one line on stderr names the cause, and the exit code is 3. A killed
 * daemon ends the run at once; a frozen one costs the one transport timeout of the request that found
 * it gone, and nothing more (no FUSE_DESTROY or SIGTERM waiting on it at teardown).
 *
 * <p>The transport timeout is short here ({@value #DEFAULT_TIMEOUT_SECONDS} s) so the frozen daemon
 * costs little; {@code -Dviofs.it.lossTimeoutSeconds=10} runs it with the command's own timeout
 * ({@link ConformanceTarget#TRANSPORT_TIMEOUT}) and prints the seconds from the loss to the exit.
 */
class ConformanceDaemonLossIT {
    static final int DEFAULT_TIMEOUT_SECONDS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(
            Integer.getInteger("viofs.it.lossTimeoutSeconds", DEFAULT_TIMEOUT_SECONDS));
    /**
     * Hang guard on the time from the loss to the exit: the timeout (frozen) plus teardown, with room
     * for a loaded machine. Without the immediate teardown a frozen daemon took the timeout three
     * times over plus the daemon's 5 s stop timeout.
     */
    private static final Duration BOUND = TIMEOUT.plusSeconds(5);
    /** The daemon is lost at this Create callback of the plain mode (a few cases in). */
    private static final int LOSE_AT_CREATE = 40;

    /** Own daemons as ConformanceTarget starts them, with the test's transport timeout and a trigger. */
    private static final class LosingTargets implements ConformanceCommand.Targets {
        private final Consumer<VirtiofsdProcess> lose;
        final List<VirtiofsdProcess> daemons = new ArrayList<>();
        final AtomicInteger creates = new AtomicInteger();
        volatile long lostAtNanos;
        /** The thread that ran the losing Create: the suite names it after its case. */
        volatile String lostInThread;

        LosingTargets(Consumer<VirtiofsdProcess> lose) {
            this.lose = lose;
        }

        @Override
        public List<VirtiofsdBinary> daemons(Path named) {
            return List.of(VirtiofsdFixture.daemonUnderTest());
        }

        @Override
        public ConformanceTarget startOwn(Mode mode, Path sharedDir, VirtiofsdBinary binary) {
            VirtiofsdProcess daemon = VirtiofsdLauncher.start(sharedDir, VirtiofsdLauncher.Options.builder()
                    .binary(binary.path()).xattr(mode == Mode.XATTR).logLevel(VirtiofsdLauncher.LogLevel.WARN).build());
            daemons.add(daemon);
            VhostUserTransport t = VhostUserTransport.connect(daemon.socketPath(),
                    VhostUserConfig.builder().timeout(TIMEOUT).diagnostics(daemon::describe).build());
            VolumeConfig config = ConformanceTarget.configFor(mode == Mode.XATTR);
            FuseVolume v = FuseVolume.mount(o -> FuseClient.init(t, o), config);
            VolumeOperations losing = (VolumeOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {VolumeOperations.class}, (proxy, method, args) -> {
                        if (method.getName().equals("create") && creates.incrementAndGet() == LOSE_AT_CREATE) {
                            lostInThread = Thread.currentThread().getName();
                            lose.accept(daemon);
                            lostAtNanos = System.nanoTime();
                        }
                        try {
                            return method.invoke(v, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            return new ConformanceTarget(mode, losing, ConformanceTarget.optionsFor(config), binary,
                    ConformanceTarget.endAtOnce(daemon, t), v, daemon);
        }

        @Override
        public ConformanceTarget connect(Path socket) {
            throw new UnsupportedOperationException("this test starts its own daemon; --socket is not used");
        }
    }

    /** @param aliveAtExit daemons of the run still running when the command returned */
    private record Run(int exit, String err, JsonObject doc, long millis, long millisAfterLoss, long aliveAtExit) {
    }

    private static Run run(LosingTargets targets) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ConformanceCommand(targets, ProcessLauncher.system(), () -> false));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int exit = cl.execute("--json");
        long end = System.nanoTime();
        long millis = TimeUnit.NANOSECONDS.toMillis(end - start);
        long afterLoss = TimeUnit.NANOSECONDS.toMillis(end - targets.lostAtNanos);
        long alive = targets.daemons.stream().filter(VirtiofsdProcess::isAlive).count();
        for (VirtiofsdProcess d : targets.daemons) {
            d.close();
        }
        return new Run(exit, err.toString(), JsonParser.parseString(out.toString()).getAsJsonObject(), millis,
                afterLoss, alive);
    }

    /** Portable cases from {@code first} (inclusive) to the end of the catalog, or all when null. */
    private static int portableFrom(String first) {
        int n = 0;
        boolean counting = first == null;
        for (ConformanceCase c : ConformanceCatalog.all()) {
            counting |= c.name().equals(first);
            if (counting && c.isPortable()) {
                n++;
            }
        }
        return n;
    }

    /** Checks the report of a run whose plain daemon was lost with a transport exception of this kind. */
    private static void assertStoppedAtTheLoss(Run r, LosingTargets targets, String lossKind) {
        assertEquals(ExitCodes.TRANSPORT, r.exit(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r.err());
        String flavour = VirtiofsdFixture.daemonUnderTest().flavour().label();
        assertTrue(lines.get(0).matches("viofs: conformance stopped, the daemon's transport was lost: plain on "
                + flavour + " [^:]+: " + lossKind + " in .*"), lines.get(0));

        // the case that ran the losing Create, from its thread's name ("conformance-" + case name)
        String thread = targets.lostInThread;
        assertTrue(thread != null && thread.startsWith("conformance-"), "lost in thread " + thread);
        String lostCase = thread.substring("conformance-".length());
        int expectedNotRun = portableFrom(lostCase);
        assertTrue(expectedNotRun > 0 && expectedNotRun < portableFrom(null), lostCase);

        JsonArray modes = r.doc().getAsJsonArray("modes");
        assertEquals(2, modes.size());
        JsonObject plain = modes.get(0).getAsJsonObject();
        assertTrue(plain.get("transportLoss").getAsString().startsWith(lossKind + " in "), plain.toString());
        boolean lost = false;
        int notRun = 0;
        for (JsonElement e : plain.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            String result = c.get("result").getAsString();
            if (result.equals("NOT_PORTABLE")) {
                continue;
            }
            if (c.get("name").getAsString().equals(lostCase)) {
                lost = true;
            }
            if (lost) {
                // once lost, nothing is judged: no KNOWN_UNSUPPORTED or FAIL caused by the loss
                assertEquals("NOT_RUN", result, c.toString());
                assertTrue(c.get("reason").getAsString().startsWith("transport lost: " + lossKind), c.toString());
                notRun++;
            } else {
                assertTrue(result.equals("PASS") || result.equals("KNOWN_UNSUPPORTED"), c.toString());
            }
        }
        assertEquals(expectedNotRun, notRun, "NOT_RUN from " + lostCase + " on");
        JsonObject totals = plain.getAsJsonObject("totals");
        assertEquals(expectedNotRun, totals.get("NOT_RUN").getAsInt());
        assertEquals(0, totals.get("FAIL").getAsInt());

        JsonObject xattr = modes.get(1).getAsJsonObject();
        JsonObject xt = xattr.getAsJsonObject("totals");
        assertEquals(portableFrom(null), xt.get("NOT_RUN").getAsInt(), xt.toString());
        assertEquals(ConformanceCatalog.EXTERNAL_CASES - portableFrom(null), xt.get("NOT_PORTABLE").getAsInt());
        assertEquals(0, xt.get("PASS").getAsInt());
        assertEquals(1, targets.daemons.size(), "the xattr daemon is never started");
        assertEquals(0, r.aliveAtExit(), "the lost daemon was ended before the command returned");
        assertTrue(r.millisAfterLoss() < BOUND.toMillis(), "exit " + r.millisAfterLoss() + " ms after the loss, bound "
                + BOUND.toMillis() + " ms (transport timeout " + TIMEOUT.toMillis() + " ms)");
    }

    @Test
    void aKilledDaemonStopsTheRunWithExitCode3() {
        LosingTargets targets = new LosingTargets(VirtiofsdProcess::kill);
        Run r = run(targets);
        assertStoppedAtTheLoss(r, targets, "DaemonExitedException");
        System.out.println(VirtiofsdFixture.daemonUnderTest() + " killed at Create #" + LOSE_AT_CREATE + " in "
                + targets.lostInThread + ": exit " + r.exit() + " " + r.millisAfterLoss() + " ms after the loss (whole run "
                + r.millis() + " ms, transport timeout " + TIMEOUT.toMillis() + " ms)");
    }

    @Test
    void aFrozenDaemonCostsOneTransportTimeout() {
        LosingTargets targets = new LosingTargets(ConformanceDaemonLossIT::sigstop);
        Run r = run(targets);
        assertStoppedAtTheLoss(r, targets, "TransportTimeoutException");
        System.out.println(VirtiofsdFixture.daemonUnderTest() + " frozen at Create #" + LOSE_AT_CREATE + " in "
                + targets.lostInThread + ": exit " + r.exit() + " " + r.millisAfterLoss() + " ms after the loss (whole run "
                + r.millis() + " ms, transport timeout " + TIMEOUT.toMillis() + " ms)");
    }

    private static void sigstop(VirtiofsdProcess daemon) {
        long holder = daemon.fdHolderPid();
        for (long pid : holder == daemon.pid() ? new long[] {daemon.pid()} : new long[] {daemon.pid(), holder}) {
            try {
                Process p = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).inheritIO().start();
                assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "kill -STOP " + pid);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
