package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.fuse.Opcode;

/**
 * A real virtiofsd that lies in a few replies (issue 12 item 1): every walk over what it said ends,
 * and each lie costs the request it answered an error status (IO_DEVICE_ERROR, a protocol error),
 * never a thread. Each call is bounded, so a walk that would go on forever fails the test instead of
 * hanging the run.
 */
class LyingHostIT {
    /** Far above what any of these calls takes; only an endless walk reaches it. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong();
    private LyingTransport lying;

    private VolumeHarness start(boolean caseInsensitive) {
        return VolumeHarness.start(dir, VolumeConfig.builder().caseInsensitive(caseInsensitive).nanoClock(clock::get).build(),
                VirtiofsdFixture.options().logLevel(VirtiofsdLauncher.LogLevel.WARN).build(), VirtiofsdFixture.TEST_CONFIG,
                t -> lying = new LyingTransport(t));
    }

    /** Node id and inode the daemon gave {@code \d}, learnt from the true LOOKUP reply. */
    private final AtomicLong dNode = new AtomicLong();
    private final AtomicLong dIno = new AtomicLong();

    /** LOOKUP(d, "x") answers d's own node id (and inode), keeping the file type the daemon said. */
    private LyingTransport.Lie xIsD() {
        return (q, a) -> {
            if (q.opcode() == Opcode.LOOKUP && q.name().equals("d") && a.getInt(4) == 0) {
                dNode.set(a.getLong(LyingTransport.ENTRY_NODEID));
                dIno.set(a.getLong(LyingTransport.ENTRY_INO));
            } else if (q.opcode() == Opcode.LOOKUP && q.name().equals("x") && a.getInt(4) == 0) {
                a.putLong(LyingTransport.ENTRY_NODEID, dNode.get()).putLong(LyingTransport.ENTRY_INO, dIno.get());
            }
            return a;
        };
    }

    /** What the issue found: LOOKUP(1,"d") → node 2 dir, then LOOKUP(2,"x") → node 2 as a symlink. */
    @Test
    void aDirectoryAnsweredAsItsOwnSymlinkChild() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        Files.createSymbolicLink(dir.resolve("d").resolve("x"), Path.of("."));
        try (VolumeHarness h = start(false)) {
            lying.lie = xIsD();
            FuseVolume v = h.volume;
            FileContext d = h.openDir("\\d");
            assertTimeoutPreemptively(BOUND, () -> {
                assertThrowsStatus(NtStatus.IO_DEVICE_ERROR, () -> v.getSecurityByName("\\d\\x"), "GetSecurityByName");
                assertThrowsStatus(NtStatus.IO_DEVICE_ERROR, () -> v.open("\\d\\x", 0, VolumeHarness.R), "Open");
                assertThrowsStatus(NtStatus.IO_DEVICE_ERROR, () -> v.getDirInfoByName(d, "x"), "GetDirInfoByName");
                assertThrowsStatus(NtStatus.IO_DEVICE_ERROR, () -> v.resolveReparsePoints("\\d\\x\\y", 0, true),
                        "ResolveReparsePoints");
                expireCaches();
                FileInfo fi = v.getFileInfo(d);
                assertEquals(FileAttributes.DIRECTORY, fi.fileAttributes() & (FileAttributes.DIRECTORY
                        | FileAttributes.REPARSE_POINT), "\\d is still the directory it was: " + fi);
            });
            h.close(d);
        }
    }

    /** The same lie with the file type kept (a directory as its own child directory). */
    @Test
    void aDirectoryAnsweredAsItsOwnChildDirectory() throws Exception {
        Files.createDirectories(dir.resolve("d").resolve("x"));
        try (VolumeHarness h = start(false)) {
            lying.lie = xIsD();
            FuseVolume v = h.volume;
            assertTimeoutPreemptively(BOUND, () -> {
                assertThrowsStatus(NtStatus.IO_DEVICE_ERROR, () -> v.open("\\d\\x", 0, VolumeHarness.R), "Open");
                assertThrowsStatus(NtStatus.IO_DEVICE_ERROR, () -> v.getSecurityByName("\\d\\x\\x\\x"), "a deeper path");
                FileContext d = h.openDir("\\d");
                assertEquals(List.of(".", "..", "x"), h.list(d, 100).stream().map(DirInfo::fileName)
                        .collect(Collectors.toList()), "the listing (true) still shows x");
                h.close(d);
            });
        }
    }

    /** A known node id answered with another file type (GETATTR of a file says directory). */
    @Test
    void aFileThatComesBackAsADirectory() throws Exception {
        Files.writeString(dir.resolve("f"), "data");
        try (VolumeHarness h = start(false)) {
            FuseVolume v = h.volume;
            FileContext f = h.open("\\f", VolumeHarness.R);
            lying.lie = (q, a) -> {
                if (q.opcode() == Opcode.GETATTR && a.getInt(4) == 0) {
                    a.putInt(LyingTransport.ATTR_MODE, HostStat.S_IFDIR | 0755);
                }
                return a;
            };
            expireCaches();
            assertThrowsStatus(NtStatus.IO_DEVICE_ERROR, () -> v.getFileInfo(f), "GetFileInfo");
            lying.lie = (q, a) -> a;
            assertEquals(4, v.getFileInfo(f).fileSize(), "the true reply is taken again");
            h.close(f);
        }
    }

    /**
     * READDIRPLUS cookies that go round (0 → 7 → 8 → 7 …): the listing ends with a protocol error at
     * the first cookie that comes back. The lie stops after 1,000 pages, so without the check the test
     * fails on the status instead of running on.
     */
    @Test
    void aListingWhoseCookiesGoRound() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        for (String n : List.of("a", "b", "c")) {
            Files.writeString(dir.resolve("d").resolve(n), n);
        }
        try (VolumeHarness h = start(false)) {
            FuseVolume v = h.volume;
            FileContext d = h.openDir("\\d");
            lying.lie = cookiesGoRound();
            int before = lying.sent(Opcode.READDIRPLUS);
            assertTimeoutPreemptively(BOUND, () -> assertThrowsStatus(NtStatus.IO_DEVICE_ERROR,
                    () -> h.list(d, 100), "ReadDirectory"));
            assertEquals(3, lying.sent(Opcode.READDIRPLUS) - before, "cookies 0, 7, 8 asked; 7 again refused");
            lying.lie = (q, a) -> a;
            assertEquals(List.of(".", "..", "a", "b", "c"), h.list(d, 100).stream().map(DirInfo::fileName)
                    .collect(Collectors.toList()), "a true listing afterwards");
            h.close(d);
        }
    }

    /** The case-insensitive scan (a LOOKUP that missed lists the directory) ends the same way. */
    @Test
    void aCaseInsensitiveScanWhoseCookiesGoRound() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        Files.writeString(dir.resolve("d").resolve("name"), "x");
        try (VolumeHarness h = start(true)) {
            FuseVolume v = h.volume;
            lying.lie = cookiesGoRound();
            int before = lying.sent(Opcode.READDIRPLUS);
            assertTimeoutPreemptively(BOUND, () -> assertThrowsStatus(NtStatus.IO_DEVICE_ERROR,
                    () -> v.getSecurityByName("\\d\\NAME"), "GetSecurityByName of another case"));
            assertEquals(3, lying.sent(Opcode.READDIRPLUS) - before);
            lying.lie = (q, a) -> a;
            assertTrue(v.open("\\d\\NAME", 0, VolumeHarness.R).openFileInfo().normalizedName().endsWith("\\name"),
                    "the true scan finds the host's spelling");
        }
    }

    private LyingTransport.Lie cookiesGoRound() {
        AtomicInteger pages = new AtomicInteger();
        return (q, a) -> {
            if (q.opcode() == Opcode.READDIRPLUS && a.getInt(4) == 0) {
                int n = pages.getAndIncrement();
                if (n >= 1000) {
                    return a.limit(LyingTransport.OUT_HEADER_BYTES).putInt(0, LyingTransport.OUT_HEADER_BYTES);
                }
                LyingTransport.setCookies(a, n % 2 == 0 ? 7 : 8);
            }
            return a;
        };
    }

    private void expireCaches() {
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
    }
}
