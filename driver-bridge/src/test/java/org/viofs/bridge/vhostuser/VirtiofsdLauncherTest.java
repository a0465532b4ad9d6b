package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.viofs.bridge.vhostuser.VirtiofsdBinary.Flavour;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher.CacheMode;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher.InodeFileHandles;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher.LogLevel;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher.Options;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher.Sandbox;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher.Seccomp;

/** Our options on each flavour's command line, and the flavour told from {@code --version}; no daemon runs. */
class VirtiofsdLauncherTest {
    private static final VirtiofsdBinary C = new VirtiofsdBinary(Flavour.C, "7.2.22", Path.of("/usr/lib/qemu/virtiofsd"));
    private static final VirtiofsdBinary RUST = new VirtiofsdBinary(Flavour.RUST, "1.14.0", Path.of("/opt/virtiofsd"));
    private static final Path SOCK = Path.of("/tmp/s/vhost.sock");
    private static final Path DIR = Path.of("/srv/share");

    @Test
    void defaultsOnBothFlavours() {
        assertEquals(List.of("--socket-path=/tmp/s/vhost.sock", "-o", "source=/srv/share", "-o", "cache=auto", "-o",
                "no_xattr", "-o", "sandbox=namespace", "-o", "log_level=info", "--thread-pool-size=0"),
                VirtiofsdLauncher.commandLine(C, SOCK, DIR, Options.defaults()));
        assertEquals(List.of("--socket-path=/tmp/s/vhost.sock", "--shared-dir=/srv/share", "--cache=auto",
                "--sandbox=namespace", "--log-level=info", "--thread-pool-size=0"),
                VirtiofsdLauncher.commandLine(RUST, SOCK, DIR, Options.defaults()));
    }

    @Test
    void cacheNoneIsNeverOnRustAndErrIsError() {
        Options o = Options.builder().cache(CacheMode.NONE).xattr(true).threadPoolSize(4).logLevel(LogLevel.ERR).build();
        List<String> c = VirtiofsdLauncher.commandLine(C, SOCK, DIR, o);
        assertTrue(c.containsAll(List.of("cache=none", "xattr", "log_level=err", "--thread-pool-size=4")), c.toString());
        List<String> r = VirtiofsdLauncher.commandLine(RUST, SOCK, DIR, o);
        assertTrue(r.containsAll(List.of("--cache=never", "--xattr", "--log-level=error", "--thread-pool-size=4")),
                r.toString());
    }

    @Test
    void xattrMapSeccompInodeHandlesAndSubmountsOnRust() {
        Options o = Options.builder().xattrMap(":map::user.virtiofs.:").seccomp(Seccomp.KILL)
                .inodeFileHandles(InodeFileHandles.NEVER).announceSubmounts(false).sandbox(Sandbox.NONE).build();
        List<String> r = VirtiofsdLauncher.commandLine(RUST, SOCK, DIR, o);
        assertTrue(r.containsAll(List.of("--xattrmap=:map::user.virtiofs.:", "--seccomp=kill",
                "--inode-file-handles=never", "--no-announce-submounts", "--sandbox=none")), r.toString());
    }

    @Test
    void xattrMapImpliesXattrAndSubmountsOnC() {
        Options o = Options.builder().xattrMap(":map::user.virtiofs.:").seccomp(Seccomp.KILL).announceSubmounts(true)
                .build();
        List<String> c = VirtiofsdLauncher.commandLine(C, SOCK, DIR, o);
        assertTrue(c.containsAll(List.of("xattr", "xattrmap=:map::user.virtiofs.:", "announce_submounts")), c.toString());
        assertTrue(c.stream().noneMatch(a -> a.contains("seccomp")), "the C filter always kills: nothing to say");
    }

    @Test
    void optionsTheCDaemonLacksAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VirtiofsdLauncher.commandLine(C,
                SOCK, DIR, Options.builder().inodeFileHandles(InodeFileHandles.PREFER).build()));
        assertTrue(e.getMessage().contains("--inode-file-handles=prefer") && e.getMessage().contains("7.2.22"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VirtiofsdLauncher.commandLine(C, SOCK, DIR,
                Options.builder().seccomp(Seccomp.LOG).build()));
        assertTrue(e.getMessage().contains("--seccomp=log"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VirtiofsdLauncher.commandLine(C, SOCK, DIR,
                Options.builder().sandbox(Sandbox.NONE).build()));
        assertTrue(e.getMessage().contains("--sandbox=none"), e.getMessage());
    }

    @Test
    void builderRoundTripsEveryField() {
        Options o = Options.builder().binary(Path.of("/x")).cache(CacheMode.ALWAYS).xattr(true).xattrMap(":ok::")
                .threadPoolSize(3).sandbox(Sandbox.CHROOT).seccomp(Seccomp.TRAP).inodeFileHandles(InodeFileHandles.MANDATORY)
                .announceSubmounts(true).logLevel(LogLevel.WARN).privileges(VirtiofsdLauncher.Privileges.DIRECT)
                .extraArgs(List.of("--a")).startTimeout(java.time.Duration.ofSeconds(3))
                .stopTimeout(java.time.Duration.ofSeconds(4)).build();
        assertEquals(o, o.toBuilder().build());
        assertThrows(IllegalArgumentException.class, () -> Options.builder().threadPoolSize(-1).build());
        assertThrows(IllegalArgumentException.class, () -> Options.builder().xattrMap("").build());
    }

    @Test
    void flavourAndVersionFromVersionOutput() {
        Path p = Path.of("/b");
        assertEquals(new VirtiofsdBinary(Flavour.C, "7.2.22", p), VirtiofsdBinary.parseVersion(p,
                "virtiofsd version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright (c) 2003-2022 Fabrice Bellard\n"
                        + "using FUSE kernel interface version 7.36\n"));
        assertEquals(new VirtiofsdBinary(Flavour.RUST, "1.14.0", p), VirtiofsdBinary.parseVersion(p, "virtiofsd 1.14.0\n"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> VirtiofsdBinary.parseVersion(p, "bash 5.2\n"));
        assertTrue(e.getMessage().contains("bash 5.2"), e.getMessage());
    }
}
