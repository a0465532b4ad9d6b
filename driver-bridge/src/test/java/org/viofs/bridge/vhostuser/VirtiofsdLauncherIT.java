package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.RawFuse;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher.CacheMode;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher.Options;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher.Sandbox;

/** Starting, inspecting and stopping the real virtiofsd, and what its options change on the wire. */
class VirtiofsdLauncherIT {
    /** FUSE_DO_READDIRPLUS: asked for by RawFuse.init(), granted except with cache=none (§7.4). */
    private static final int FUSE_DO_READDIRPLUS = RawFuse.FUSE_DO_READDIRPLUS;
    /** FOPEN_DIRECT_IO: OPEN's open_flags with cache=none (§7.4). */
    private static final int FOPEN_DIRECT_IO = 1;

    @TempDir
    Path dir;

    @Test
    void missingBinaryFailsWithTheInstallCommand() {
        Options o = VirtiofsdFixture.options().binary(dir.resolve("no-such-virtiofsd")).build();
        VirtiofsdNotFoundException e = assertThrows(VirtiofsdNotFoundException.class, () -> VirtiofsdLauncher.start(dir, o));
        assertTrue(e.getMessage().contains("apt-get install qemu-system-common"), e.getMessage());
        assertTrue(e.getMessage().contains("/usr/lib/qemu/virtiofsd"), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-virtiofsd"), "names the path looked at: " + e.getMessage());
    }

    @Test
    void daemonThatExitsAtOnceFailsWithItsLog() {
        Options o = VirtiofsdFixture.options().extraArgs(List.of("-o", "no_such_option_xyz")).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> VirtiofsdLauncher.start(dir, o));
        assertTrue(e.getMessage().contains("exited with status"), e.getMessage());
        assertTrue(e.getMessage().contains("no_such_option_xyz"), "quotes the daemon's complaint: " + e.getMessage());
    }

    @Test
    void missingSharedDirectoryIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> VirtiofsdLauncher.start(dir.resolve("absent"), VirtiofsdFixture.options().build()));
    }

    @Test
    void namespaceSandboxChildHoldsTheConnectionFds() throws Exception {
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir)) {
            RawFuse.initialize(f.transport());
            long holder = f.daemonPid();
            long parent = f.daemon().pid();
            assertNotEquals(parent, holder, "sandbox=namespace forks a child (C: after accept; Rust: before listening)");
            assertTrue(ProcessHandle.of(parent).orElseThrow().descendants().anyMatch(h -> h.pid() == holder),
                    "the holder descends from the started process");
            List<String> fds = fdTargets(holder);
            long eventfds = fds.stream().filter(s -> s.contains("eventfd")).count();
            // ours: kick and call of both queues (4); the daemon's own: one eventfd per queue thread that
            // tells the thread to stop (fuse_virtio.c's kill_fd), 2
            assertEquals(6, eventfds, "kick + call eventfds of both queues in /proc/" + holder + "/fd: " + fds);
            assertTrue(fds.stream().anyMatch(s -> s.startsWith("socket:")), "the vhost-user socket: " + fds);
            String maps = Files.readString(Path.of("/proc", Long.toString(holder), "maps"));
            assertTrue(maps.contains("memfd:viofs-vhost-user"), "the shared memfd is mapped by the daemon");
            // the per-request debug line each flavour prints for our INIT
            String initLine = rust() ? "Received request: opcode=Init" : "INIT: 7.36";
            assertTrue(f.log().contains(initLine), "debug log captured: " + f.daemon().logTail(500));
        }
    }

    @Test
    void forgetHasTakenEffectWhenSendNoReplyReturns() throws Exception {
        int files = 20;
        for (int i = 0; i < files; i++) {
            Files.writeString(dir.resolve("f" + i), "x");
        }
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir, VirtiofsdFixture.optionsWithInodeFds().build(),
                VirtiofsdFixture.TEST_CONFIG)) {
            RawFuse.initialize(f.transport());
            long pid = f.daemonPid();
            int baseline = fdTargets(pid).size();
            List<Long> nodes = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                nodes.add(ConcurrentWorkload.lookup(f.transport(), "f" + i));
            }
            assertEquals(baseline + files, fdTargets(pid).size(), "virtiofsd holds an O_PATH fd per looked-up inode");
            for (long n : nodes) {
                f.transport().sendNoReply(RawFuse.of(RawFuse.forget(n, 1)));
            }
            // no polling: sendNoReply returns only after the daemon completed the FORGET
            assertEquals(baseline, fdTargets(pid).size(), "every inode fd closed by the time the FORGETs returned");
        }
    }

    @Test
    void chrootSandboxIsOneProcessAndStopEndsIt() throws Exception {
        Options o = VirtiofsdFixture.options().sandbox(Sandbox.CHROOT).build();
        VirtiofsdFixture f = VirtiofsdFixture.start(dir, o, VirtiofsdFixture.TEST_CONFIG);
        try {
            RawFuse.initialize(f.transport());
            assertEquals(f.daemon().pid(), f.daemonPid(), "sandbox=chroot does not fork");
            assertTrue(f.daemon().command().contains(rust() ? "--sandbox=chroot" : "sandbox=chroot"),
                    f.daemon().command().toString());
        } finally {
            f.transport().close();
            f.daemon().stop();
        }
        assertFalse(f.daemon().isAlive());
        f.close();
        assertFalse(Files.exists(f.daemon().socketPath()), "socket removed by close()");
        f.daemon().pidFile().ifPresent(p -> assertFalse(Files.exists(p), "pid file removed: " + p));
    }

    @Test
    void stopEndsAnIdleDaemonThatNobodyConnectedToWithinItsBound() {
        // virtiofsd blocked in accept() may ignore SIGTERM: stop() must fall back to SIGKILL in time
        VirtiofsdProcess d = VirtiofsdLauncher.start(dir, VirtiofsdFixture.options().build());
        try {
            assertTrue(d.isAlive());
            long t0 = System.nanoTime();
            d.stop();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(d.isAlive(), d.describe());
            // a hang guard: SIGTERM's grace, then the bound on a SIGKILLed process being gone, and slack
            long bound = VirtiofsdFixture.options().build().stopTimeout().toMillis()
                    + VirtiofsdProcess.KILL_REAP_TIMEOUT.toMillis() + 1000;
            assertTrue(ms < bound, "stop took " + ms + " ms, bound " + bound + " ms");
        } finally {
            d.close();
        }
    }

    @Test
    void userNamespaceWrapperServesFuse() {
        // the non-root recipe (virtiofsd-userns.sh), forced here although the test runs as root
        Options o = VirtiofsdFixture.options().privileges(VirtiofsdLauncher.Privileges.USER_NAMESPACE).build();
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir, o, VirtiofsdFixture.TEST_CONFIG)) {
            assertEquals("unshare", f.daemon().command().get(0), f.daemon().command().toString());
            RawFuse.initialize(f.transport());
            assertEquals(0040000, RawFuse.getattrMode(f.transport(), RawFuse.ROOT_ID) & 0170000);
            assertNotEquals(f.daemon().pid(), f.daemonPid(), "namespace sandbox child under the wrapper's exec chain");
        }
    }

    @Test
    void twoDaemonsGetTwoSockets() {
        try (VirtiofsdProcess a = VirtiofsdLauncher.start(dir, VirtiofsdFixture.options().build());
             VirtiofsdProcess b = VirtiofsdLauncher.start(dir, VirtiofsdFixture.options().build())) {
            assertNotEquals(a.socketPath(), b.socketPath());
            assertTrue(a.isAlive() && b.isAlive(), "no pid-file clash: " + a.describe() + " / " + b.describe());
        }
    }

    @Test
    void cacheNoneShowsOnTheWire() throws Exception {
        Files.writeString(dir.resolve("f.txt"), "hello");
        Options o = VirtiofsdFixture.options().cache(CacheMode.NONE).threadPoolSize(2).xattr(true).build();
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir, o, VirtiofsdFixture.TEST_CONFIG)) {
            List<String> cmd = f.daemon().command();
            assertTrue(rust() ? cmd.containsAll(List.of("--cache=never", "--xattr", "--thread-pool-size=2"))
                    : cmd.containsAll(List.of("cache=none", "xattr", "--thread-pool-size=2")), cmd.toString());
            ByteBuffer init = RawFuse.initialize(f.transport());
            int flags = init.getInt(RawFuse.OUT_HEADER_SIZE + 12);
            assertEquals(0, flags & FUSE_DO_READDIRPLUS, "cache=none withdraws DO_READDIRPLUS, flags 0x"
                    + Integer.toHexString(flags));
            ByteBuffer lk = RawFuse.lookup(RawFuse.ROOT_ID, "f.txt");
            long[] entry = f.transport().exchange(RawFuse.of(lk), RawFuse.LOOKUP_REPLY, r -> new long[] {
                    r.getLong(16), r.getLong(16 + 16), r.getLong(16 + 24)});
            assertEquals(0, entry[1], "entry_valid with cache=none");
            assertEquals(0, entry[2], "attr_valid with cache=none");
            ByteBuffer op = RawFuse.open(entry[0]);
            int openFlags = f.transport().exchange(RawFuse.of(op), RawFuse.OPEN_REPLY, r -> r.getInt(16 + 8));
            assertEquals(FOPEN_DIRECT_IO, openFlags & FOPEN_DIRECT_IO, "OPEN gets FOPEN_DIRECT_IO with cache=none");
        }
    }

    @Test
    void cacheAutoIsTheDefaultOnTheWire() {
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir)) {
            ByteBuffer init = RawFuse.initialize(f.transport());
            int flags = init.getInt(RawFuse.OUT_HEADER_SIZE + 12);
            assertEquals(FUSE_DO_READDIRPLUS, flags & FUSE_DO_READDIRPLUS, "cache=auto grants DO_READDIRPLUS");
        }
    }

    private static List<String> fdTargets(long pid) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    out.add(Files.readSymbolicLink(p).toString());
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return out;
    }

    private static boolean rust() {
        return VirtiofsdFixture.daemonUnderTest().flavour() == VirtiofsdBinary.Flavour.RUST;
    }

    @Test
    void anOptionTheFlavourLacksIsRefusedBeforeAnythingStarts() throws Exception {
        Options o = VirtiofsdFixture.options().inodeFileHandles(VirtiofsdLauncher.InodeFileHandles.PREFER).build();
        if (rust()) {
            try (VirtiofsdProcess d = VirtiofsdLauncher.start(dir, o)) {
                assertTrue(d.command().contains("--inode-file-handles=prefer"), d.command().toString());
            }
            return;
        }
        UnsupportedDaemonOptionException e = assertThrows(UnsupportedDaemonOptionException.class,
                () -> VirtiofsdLauncher.start(dir, o));
        assertTrue(e.getMessage().contains("--inode-file-handles=prefer") && e.getMessage().contains("7.2"),
                e.getMessage());
    }
}
