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
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.bridge.vhostuser.VirtiofsdProcess;
import org.viofs.cli.ExitCodes;
import org.viofs.conformance.KnownUnsupported.Mode;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;
import org.viofs.volume.VolumeOperations;

import picocli.CommandLine;

/**
 * {@code viofs conformance} against a real virtiofsd that is killed (SIGKILL) or frozen (SIGSTOP)
 * in the middle of the plain mode: the run stops at the first transport loss, every case from the
 * one that was running on is NOT_RUN (never KNOWN_UNSUPPORTED or FAIL), the xattr mode is not
 * started, one line on stderr names the cause, and the exit code is 3. The transport timeout is
 * short here so the frozen daemon costs little.
 */
class ConformanceDaemonLossIT {
    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(2);
    /** The daemon is lost at this Create callback of the plain mode (a few cases in). */
    private static final int LOSE_AT_CREATE = 40;

    /** Own daemons as ConformanceTarget starts them, with a short transport timeout and a trigger. */
    private static final class LosingTargets implements ConformanceCommand.Targets {
        private final Consumer<VirtiofsdProcess> lose;
        final List<VirtiofsdProcess> daemons = new ArrayList<>();
        final AtomicInteger creates = new AtomicInteger();
        volatile long lostAtNanos;

        LosingTargets(Consumer<VirtiofsdProcess> lose) {
            this.lose = lose;
        }

        @Override
        public List<VirtiofsdBinary> daemons(Path named) {
            // the Debian C daemon the rest of the suite uses
            return List.of(VirtiofsdBinary.identify(VirtiofsdBinary.C_DEBIAN));
        }

        @Override
        public ConformanceTarget startOwn(Mode mode, Path sharedDir, VirtiofsdBinary binary) {
            VirtiofsdProcess daemon = VirtiofsdLauncher.start(sharedDir, VirtiofsdLauncher.Options.builder()
                    .binary(binary.path()).xattr(mode == Mode.XATTR).logLevel(VirtiofsdLauncher.LogLevel.WARN).build());
            daemons.add(daemon);
            VhostUserTransport t = VhostUserTransport.connect(daemon.socketPath(),
                    VhostUserTransport.Config.defaults().withTimeout(SHORT_TIMEOUT).withDiagnostics(daemon::describe));
            VolumeConfig config = ConformanceTarget.configFor(mode == Mode.XATTR);
            FuseVolume v = FuseVolume.mount(t, config);
            VolumeOperations losing = (VolumeOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {VolumeOperations.class}, (proxy, method, args) -> {
                        if (method.getName().equals("create") && creates.incrementAndGet() == LOSE_AT_CREATE) {
                            lostAtNanos = System.nanoTime();
                            lose.accept(daemon);
                        }
                        try {
                            return method.invoke(v, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            return new ConformanceTarget(mode, losing, ConformanceTarget.optionsFor(config), binary, v, daemon);
        }

        @Override
        public ConformanceTarget connect(Path socket) {
            throw new UnsupportedOperationException();
        }
    }

    private record Run(int exit, String err, JsonObject doc, long millis, long millisAfterLoss) {
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
        for (VirtiofsdProcess d : targets.daemons) {
            d.close();
        }
        return new Run(exit, err.toString(), JsonParser.parseString(out.toString()).getAsJsonObject(), millis,
                afterLoss);
    }

    /** Checks the report of a run whose plain daemon was lost with a transport exception of this kind. */
    private static void assertStoppedAtTheLoss(Run r, String lossKind) {
        assertEquals(ExitCodes.TRANSPORT, r.exit(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).matches("viofs: conformance stopped, the daemon's transport was lost: plain on c [^:]+: "
                + lossKind + " in .*"), lines.get(0));

        JsonArray modes = r.doc().getAsJsonArray("modes");
        assertEquals(2, modes.size());
        JsonObject plain = modes.get(0).getAsJsonObject();
        assertTrue(plain.get("transportLoss").getAsString().startsWith(lossKind + " in "), plain.toString());
        boolean lost = false;
        int judgedBefore = 0;
        int notRun = 0;
        for (JsonElement e : plain.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            String result = c.get("result").getAsString();
            if (result.equals("NOT_PORTABLE")) {
                continue;
            }
            if (result.equals("NOT_RUN")) {
                lost = true;
                notRun++;
                assertTrue(c.get("reason").getAsString().startsWith("transport lost: " + lossKind), c.toString());
            } else {
                // once lost, nothing after is judged: no KNOWN_UNSUPPORTED or FAIL caused by the loss
                assertTrue(!lost, "judged after the loss: " + c);
                assertTrue(result.equals("PASS") || result.equals("KNOWN_UNSUPPORTED"), c.toString());
                judgedBefore++;
            }
        }
        assertTrue(judgedBefore > 0 && notRun > 0, "judged " + judgedBefore + ", not run " + notRun);
        JsonObject totals = plain.getAsJsonObject("totals");
        assertEquals(notRun, totals.get("NOT_RUN").getAsInt());
        assertEquals(0, totals.get("FAIL").getAsInt());

        JsonObject xattr = modes.get(1).getAsJsonObject();
        JsonObject xt = xattr.getAsJsonObject("totals");
        assertEquals(ConformanceCatalog.EXTERNAL_CASES, xt.get("NOT_RUN").getAsInt() + xt.get("NOT_PORTABLE").getAsInt());
        assertEquals(0, xt.get("PASS").getAsInt());
    }

    @Test
    void aKilledDaemonStopsTheRunWithExitCode3() {
        LosingTargets targets = new LosingTargets(VirtiofsdProcess::kill);
        Run r = run(targets);
        assertStoppedAtTheLoss(r, "DaemonExitedException");
        assertEquals(1, targets.daemons.size(), "the xattr daemon is never started");
        System.out.println("daemon killed at Create #" + LOSE_AT_CREATE + ": exit " + r.exit() + " "
                + r.millisAfterLoss() + " ms after the loss (whole run " + r.millis() + " ms)");
    }

    @Test
    void aFrozenDaemonCostsOneTransportTimeout() {
        LosingTargets targets = new LosingTargets(ConformanceDaemonLossIT::sigstop);
        Run r = run(targets);
        assertStoppedAtTheLoss(r, "TransportTimeoutException");
        System.out.println("daemon frozen at Create #" + LOSE_AT_CREATE + ": exit " + r.exit() + " "
                + r.millisAfterLoss() + " ms after the loss (whole run " + r.millis() + " ms, transport timeout "
                + SHORT_TIMEOUT.toMillis() + " ms)");
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
