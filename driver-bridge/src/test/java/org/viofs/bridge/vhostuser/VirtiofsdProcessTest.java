package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping and killing, on a stand-in process tree (a shell that ignores SIGTERM, and its child): no
 * daemon needed, since what is checked is how long a SIGKILLed process is waited for.
 */
class VirtiofsdProcessTest {
    @TempDir
    Path dir;

    /** A shell ignoring SIGTERM with a sleeping child, wrapped as a daemon whose stop timeout is 1 ms. */
    private VirtiofsdProcess standIn() throws IOException {
        List<String> cmd = List.of("sh", "-c", "trap '' TERM; sleep 300 & wait");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        VirtiofsdLauncher.Options o = VirtiofsdLauncher.Options.builder().sandbox(VirtiofsdLauncher.Sandbox.NAMESPACE)
                .stopTimeout(Duration.ofMillis(1)).build();
        return new VirtiofsdProcess(p, cmd, Files.createDirectory(dir.resolve("work")), dir.resolve("work/vhost.sock"),
                dir.resolve("log"), o, new VirtiofsdBinary(VirtiofsdBinary.Flavour.C, "7.2", Path.of("/bin/sh")), true);
    }

    /** Waits (bounded) until the shell has forked its sleeping child, so the tree has two processes. */
    private static long awaitChild(VirtiofsdProcess d) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            List<Long> c = VirtiofsdProcess.children(d.pid());
            if (!c.isEmpty()) {
                return c.get(0);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no child of pid " + d.pid());
    }

    /** Killed: gone, or a zombie waiting for whoever it was reparented to. */
    private static void assertGone(long pid) {
        String s = VirtiofsdProcess.state(pid);
        assertTrue(s.equals("gone") || s.equals("Z"), "pid " + pid + " in state " + s);
    }

    @Test
    void stopWaitsForTheSigkilledTreeBeyondTheStopTimeout() throws Exception {
        VirtiofsdProcess d = standIn();
        long child = awaitChild(d);
        // SIGTERM is ignored; 1 ms later SIGKILL. Waiting only the 1 ms stop timeout for the kill to take
        // effect failed with "survived SIGKILL"; the kill gets KILL_REAP_TIMEOUT
        d.stop();
        assertFalse(d.isAlive());
        assertGone(child);
        d.close();
    }

    @Test
    void killEndsTheTreeAndWaitsUntilItIsGone() throws Exception {
        VirtiofsdProcess d = standIn();
        long child = awaitChild(d);
        d.kill();
        assertFalse(d.isAlive());
        assertTrue(d.exitCode().isPresent() && d.exitCode().getAsInt() == 128 + 9, "SIGKILL: " + d.exitCode());
        assertGone(child);
        d.close();
    }

    @Test
    void stateNamesTheThreadStatesOrGone() throws Exception {
        String mine = VirtiofsdProcess.state(ProcessHandle.current().pid());
        assertTrue(mine.matches("[RSD](,[RSDt])*|[RSDt](,[RSDt])*"), mine);
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("gone", VirtiofsdProcess.state(p.pid()), "exited and reaped");
    }
}
