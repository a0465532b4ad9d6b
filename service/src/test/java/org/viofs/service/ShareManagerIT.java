package org.viofs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.volume.FuseVolume;
import org.viofs.winfsp.RecordingWinFsp;

/**
 * The whole path on Linux (issue 8 §7): the share manager over two real virtiofsd daemons as its
 * devices, a stand-in WinFsp library, file operations through the real FspCallbacks function pointers
 * into the host directories. Arrival, a slow mount next to a quick one, daemon death with back-off on
 * the injected clock, query-remove, removal and return, stop.
 */
@Timeout(120)
class ShareManagerIT {
    private static final String A = "\\\\?\\pci#ven_1af4&dev_105a#a";
    private static final String B = "\\\\?\\pci#ven_1af4&dev_105a#b";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    @TempDir
    Path conf;

    private final List<VirtiofsdFixture> daemons = new ArrayList<>();
    private final Map<String, VirtiofsdFixture> current = new ConcurrentHashMap<>();
    private final Map<String, Pointer> tables = new ConcurrentHashMap<>();
    private final Map<String, FuseVolume> volumes = new ConcurrentHashMap<>();
    private final Map<String, RecordingWinFsp> dlls = new ConcurrentHashMap<>();
    private final Set<String> slow = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<VirtiofsdFixture> slowOpened = new CompletableFuture<>();
    private final Set<String> failNextOpen = ConcurrentHashMap.newKeySet();
    private final ManualScheduler scheduler = new ManualScheduler();
    private volatile Set<Character> lettersInUse = Set.of('C', 'Z');
    private ShareManager manager;

    /** Each open starts a virtiofsd on the device's directory: a device that is opened again is a new connection. */
    private final DeviceAccess devices = new DeviceAccess() {
        @Override
        public List<String> presentDevices() {
            return List.of();
        }

        @Override
        public OpenedDevice open(String path) {
            if (failNextOpen.remove(path)) {
                throw new IllegalStateException("device not ready (injected)");
            }
            Path dir = path.equals(A) ? dirA : dirB;
            String tag = path.equals(A) ? "alpha" : "beta";
            VirtiofsdFixture f = VirtiofsdFixture.start(dir, VirtiofsdFixture.options().build(),
                    VirtiofsdFixture.TEST_CONFIG.toBuilder().tag(tag).build());
            synchronized (daemons) {
                daemons.add(f);
            }
            current.put(path, f);
            if (slow.remove(path)) {
                f.pauseDaemon(); // INIT waits until the test resumes it
                slowOpened.complete(f);
            }
            return new OpenedDevice(f.transport(), () -> { });
        }

        @Override
        public Set<Character> lettersInUse() {
            return lettersInUse;
        }
    };

    private final Mounter mounter = (volume, options) -> {
        RecordingWinFsp dll = new RecordingWinFsp();
        Mounter.Mounted m = Mounter.winFsp(dll, () -> 1L).mount(volume, options);
        tables.put(m.mountPoint(), dll.interfaceTable);
        volumes.put(m.mountPoint(), volume);
        dlls.put(m.mountPoint(), dll);
        return m;
    };

    private ShareManager start() throws IOException {
        return start("", null);
    }

    private ShareManager start(String moreSettings, String onlyTag) throws IOException {
        Path settings = conf.resolve("viofs.conf");
        Files.writeString(settings, "# alpha keeps its letter\n[alpha]\nMountPoint = F:\n" + moreSettings);
        FileSettingsStore store = FileSettingsStore.read(settings, conf.resolve("viofs.state"));
        manager = new ShareManager(devices, mounter, store, SettingsLayer.empty("command line"), onlyTag, scheduler,
                Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC));
        return manager;
    }

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.stop(WAIT);
        }
        for (VirtiofsdFixture f : daemons) {
            f.resumeDaemonQuietly();
            f.close();
        }
    }

    private void await(String path, ShareState state) throws InterruptedException {
        assertTrue(manager.awaitState(path, state, WAIT), () -> path + " did not reach " + state + ": "
                + manager.status(path));
    }

    private NativeCalls on(String letter) {
        return new NativeCalls(tables.get(letter));
    }

    @Test
    void twoSharesThroughArrivalSlowMountDeathRemovalAndReturn() throws Exception {
        start();
        Files.writeString(dirA.resolve("from-host.txt"), "host says hi");

        // arrival of both; alpha's daemon is stopped, so its INIT hangs while beta mounts
        slow.add(A);
        manager.deviceArrived(A);
        VirtiofsdFixture alphaDaemon = slowOpened.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        manager.deviceArrived(B);
        await(B, ShareState.MOUNTED);
        assertEquals(ShareState.MOUNTING, manager.status(A).state(), "a slow share does not hold up the others");
        assertEquals("Y:", manager.status(B).letter(), "Z: is in use and F: is alpha's: the next free from Z: down");
        assertEquals(0, on("Y:").createAndWrite("\\b1.txt", "written on beta"));
        assertEquals("written on beta", Files.readString(dirB.resolve("b1.txt")));

        alphaDaemon.resumeDaemon();
        await(A, ShareState.MOUNTED);
        assertEquals("F:", manager.status(A).letter(), "the configured letter");
        assertEquals("F:", volumes.get("F:").mountPoint(), "the drive WinFsp used is fed back to the volume");
        assertEquals("host says hi", on("F:").read("\\from-host.txt"));
        assertEquals(0, on("F:").createAndWrite("\\a1.txt", "written on alpha"));
        assertEquals("written on alpha", Files.readString(dirA.resolve("a1.txt")));
        assertEquals(1L, manager.status(A).requests().get("CREATE"), "one CREATE for one new file");
        assertEquals(1L, manager.status(A).requests().get("WRITE"), "one WRITE for one small write");

        // alpha's daemon dies: the next request fails, the share is unmounted and retried after 1 s
        current.get(A).killDaemon();
        assertNotEquals(0, on("F:").createAndWrite("\\a2.txt", "lost"));
        await(A, ShareState.LOST);
        assertTrue(dlls.get("F:").calls.contains("StopDispatcher"), "unmounted: " + dlls.get("F:").calls);
        assertEquals(List.of(Duration.ofSeconds(1)), scheduler.delays);
        assertEquals(0, on("Y:").createAndWrite("\\b2.txt", "beta goes on"), "beta is not disturbed");
        assertEquals("beta goes on", Files.readString(dirB.resolve("b2.txt")));

        // the first retry finds the device not ready: back-off doubles
        failNextOpen.add(A);
        scheduler.advance(Duration.ofMillis(999));
        assertEquals(ShareState.LOST, manager.status(A).state(), "no attempt before the back-off has passed");
        scheduler.advance(Duration.ofMillis(1));
        await(A, ShareState.FAILED);
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), scheduler.delays);
        assertEquals(2, manager.status(A).errors());
        assertTrue(manager.status(A).lastError().contains("device not ready"), manager.status(A).lastError());
        scheduler.advance(Duration.ofSeconds(2));
        await(A, ShareState.MOUNTED);
        assertEquals("F:", manager.status(A).letter());
        assertEquals(0, on("F:").createAndWrite("\\a3.txt", "alpha is back"));
        assertEquals("alpha is back", Files.readString(dirA.resolve("a3.txt")));

        // beta: query-remove closes it (the daemon sees its front-end go), removal, then it returns
        VirtiofsdFixture betaDaemon = current.get(B);
        manager.queryRemove(B);
        assertEquals(ShareState.REMOVE_PENDING, manager.status(B).state(), "unmounted before query-remove returns");
        assertEquals(List.of("Create WinFsp.Disk", "SetMountPoint Y:", "StartDispatcher 0", "StopDispatcher",
                "RemoveMountPoint", "Delete"), dlls.get("Y:").calls);
        manager.removeComplete(B);
        await(B, ShareState.REMOVED);
        assertTrue(betaDaemon.daemon().waitFor(WAIT), "beta's daemon exits once its front-end closed");
        manager.deviceArrived(B);
        await(B, ShareState.MOUNTED);
        assertEquals("Y:", manager.status(B).letter(), "the letter it had before");
        assertEquals("written on beta", on("Y:").read("\\b1.txt"));

        // stop unmounts both
        assertEquals(List.of(), manager.stop(WAIT));
        assertEquals(ShareState.STOPPED, manager.status(A).state());
        assertEquals(ShareState.STOPPED, manager.status(B).state());
        assertEquals("Delete", dlls.get("F:").calls.get(dlls.get("F:").calls.size() - 1));
    }

    @Test
    void aDisabledTagStaysClosedAndAFailedQueryRemoveMountsAgain() throws Exception {
        start("[beta]\nDisabled = 1\n", null);
        manager.deviceArrived(A);
        manager.deviceArrived(B);
        await(A, ShareState.MOUNTED);
        await(B, ShareState.DISABLED);
        assertTrue(current.get(B).daemon().waitFor(WAIT), "the disabled device is closed again");
        assertTrue(manager.status(B).lastError().startsWith("Disabled (file "), manager.status(B).lastError());
        assertEquals("beta", manager.status(B).tag());

        manager.queryRemove(A);
        assertEquals(ShareState.REMOVE_PENDING, manager.status(A).state());
        manager.queryRemoveFailed(A);
        await(A, ShareState.MOUNTED);
        assertEquals("F:", manager.status(A).letter());
        assertEquals(0, on("F:").createAndWrite("\\again.txt", "still here"));
        assertEquals("still here", Files.readString(dirA.resolve("again.txt")));

        // the status channel reports both, with where beta's setting came from
        ServiceRunner runner = ServiceRunner.over("console", manager, Instant.parse("2026-12-03T10:00:00Z"));
        Path socket = conf.resolve("status.sock");
        runner.listenOnSocket(socket);
        try {
            StatusReport r = StatusChannel.query(socket.toString());
            assertEquals(2, r.shares().size());
            ShareStatus beta = r.shares().stream().filter(x -> "beta".equals(x.tag())).findFirst().orElseThrow();
            assertEquals(ShareState.DISABLED, beta.state());
            assertEquals(List.of("Disabled=1 (file " + conf.resolve("viofs.conf") + " [beta])"), beta.settings());
            ShareStatus alpha = r.shares().stream().filter(x -> "alpha".equals(x.tag())).findFirst().orElseThrow();
            assertEquals("F:", alpha.letter());
            assertEquals(ShareState.MOUNTED, alpha.state());
        } finally {
            assertEquals(List.of(), runner.stop(WAIT));
        }
        assertEquals(ShareState.STOPPED, manager.status(A).state());
    }

    @Test
    void aShareGetsItsLetterAgainAfterARestart() throws Exception {
        start();
        manager.deviceArrived(B);
        await(B, ShareState.MOUNTED);
        assertEquals("Y:", manager.status(B).letter(), "Z: is taken now");
        assertEquals(List.of(), manager.stop(WAIT));

        lettersInUse = Set.of('C'); // Z: is free after the restart, but beta had Y:
        start();
        manager.deviceArrived(B);
        await(B, ShareState.MOUNTED);
        assertEquals("Y:", manager.status(B).letter(), "remembered in the state file, not counted again");
    }

    @Test
    void mountWithATagLeavesTheOtherDevicesAlone() throws Exception {
        start("", "beta");
        manager.deviceArrived(A);
        manager.deviceArrived(B);
        await(B, ShareState.MOUNTED);
        await(A, ShareState.DISABLED);
        assertEquals("not the tag asked for (beta)", manager.status(A).lastError());
        assertEquals(0, scheduler.pending(), "nothing to retry");
    }

    @Test
    void xattrAutoFollowsTheWriteProbeAndXattrOnRequiresIt() throws Exception {
        // both daemons run without xattrs: auto mounts without the features, on refuses to mount
        start("[alpha]\nXattr = on\n", null);
        manager.deviceArrived(A);
        manager.deviceArrived(B);
        await(B, ShareState.MOUNTED);
        await(A, ShareState.FAILED);
        FuseVolume beta = volumes.get(manager.status(B).letter());
        assertEquals(false, beta.config().xattrs(), "auto: the probe found no xattr support");
        String why = manager.status(A).lastError();
        assertTrue(why.contains("Xattr is on, but the share cannot store extended attributes"), why);
        assertTrue(why.contains("ENOSYS"), "names the probe's finding: " + why);
    }
}
