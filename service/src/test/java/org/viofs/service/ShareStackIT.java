package org.viofs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.bridge.vhostuser.VirtiofsdProcess;
import org.viofs.fuse.FuseFlags;
import org.viofs.volume.VolumeConfig;

/** The three sources of a {@link ShareStack} against the daemon under test, and its close and failure order. */
class ShareStackIT {
    @TempDir
    Path dir;

    @Test
    void launchedStackMountsAVolumeAndCloseStopsTheDaemon() throws Exception {
        Files.writeString(dir.resolve("f.txt"), "x");
        ShareStack s = ShareStack.builder().launch(dir, VirtiofsdFixture.options().build())
                .transportConfig(VirtiofsdFixture.TEST_CONFIG).volume(VolumeConfig.builder().build()).open();
        VirtiofsdProcess daemon = s.daemon();
        try {
            assertEquals(VirtiofsdFixture.daemonUnderTest().flavour(), s.daemonBinary().orElseThrow().flavour());
            assertSame(s.volume().client(), s.client(), "the volume's own client");
            assertEquals(0100000, s.client().lookup(FuseFlags.ROOT_ID, "f.txt").attr().mode() & 0170000);
        } finally {
            s.close();
        }
        assertFalse(daemon.isAlive(), "close stops our daemon");
        s.close(); // idempotent
    }

    @Test
    void socketStackNamesTheDaemonItFindsAndLeavesItsLifeToIt() {
        try (VirtiofsdProcess d = VirtiofsdLauncher.start(dir, VirtiofsdFixture.options().build())) {
            try (ShareStack s = ShareStack.builder().socket(d.socketPath()).transportConfig(VirtiofsdFixture.TEST_CONFIG)
                    .open()) {
                assertNull(s.daemon(), "not ours");
                assertNull(s.volume(), "no VolumeConfig: the stack ends at the client");
                assertEquals(d.binary().flavour(), s.daemonBinary().orElseThrow().flavour(), "found through /proc");
                assertEquals(0040000, s.client().getattr(FuseFlags.ROOT_ID).attr().mode() & 0170000);
            }
            // virtiofsd serves one connection and exits after it (bounded wait)
            assertTrue(d.waitFor(Duration.ofSeconds(10)), "the daemon ends with its connection: " + d.describe());
        }
    }

    @Test
    void givenTransportIsUsedAsItIs() {
        try (VirtiofsdProcess d = VirtiofsdLauncher.start(dir, VirtiofsdFixture.options().build())) {
            VhostUserTransport t = VhostUserTransport.connect(d.socketPath(), VirtiofsdFixture.TEST_CONFIG);
            try (ShareStack s = ShareStack.builder().transport(t).volume(VolumeConfig.builder().build()).open()) {
                assertSame(t, s.transport());
                assertTrue(s.daemonBinary().isEmpty(), "a given transport names no daemon");
                assertEquals(0040000, s.client().getattr(FuseFlags.ROOT_ID).attr().mode() & 0170000);
            }
        }
    }

    @Test
    void aFailingLayerClosesWhatWasBuiltBelowIt() {
        List<FuseTransport> seen = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ShareStack.builder()
                .launch(dir, VirtiofsdFixture.options().build()).transportConfig(VirtiofsdFixture.TEST_CONFIG)
                .interpose(t -> {
                    seen.add(t);
                    assertEquals(1, ourDaemons(), "the daemon runs while the layers above are built");
                    throw new IllegalStateException("interposer refuses");
                }).open());
        assertEquals("interposer refuses", e.getMessage());
        assertEquals(1, seen.size());
        assertTrue(((VhostUserTransport) seen.get(0)).failure().getMessage().contains("was closed"),
                "the transport was closed");
        assertEquals(0, ourDaemons(), "and the daemon stopped");
    }

    /** Live child processes of this JVM sharing {@link #dir}: the daemons started for it. */
    private long ourDaemons() {
        String shared = dir.toAbsolutePath().toString();
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(shared)).orElse(false))
                .count();
    }

    @Test
    void exactlyOneSource() {
        assertThrows(IllegalStateException.class, () -> ShareStack.builder().open());
        assertThrows(IllegalStateException.class, () -> ShareStack.builder().socket(dir.resolve("a"))
                .launch(dir, VirtiofsdFixture.options().build()).open());
    }
}
