package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.fuse.Errno;
import org.viofs.fuse.Opcode;

/**
 * Nodes whose file is gone on the host (ESTALE). The Rust virtiofsd references inodes by file handle
 * by default ({@code --inode-file-handles=prefer}) and answers ESTALE for a node whose file was unlinked
 * or replaced; the C daemon keeps an O_PATH fd per node, so the old file stays reachable. A path whose
 * cached name leads to such a node is looked up again once; a handle whose file is gone answers
 * FILE_DELETED, and the next open looks the name up again. Each daemon runs with its own defaults
 * (as the whole suite does), so both behaviours are checked, each against the flavour that has it.
 */
class StaleNodeIT {
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong();

    /** The daemon under test references nodes by file handle (the Rust daemon's default). */
    private static boolean fileHandles() {
        return VirtiofsdFixture.daemonUnderTest().flavour() == VirtiofsdBinary.Flavour.RUST;
    }

    /** The daemon under test with its own inode default (Rust: file handles), as hosts run it. */
    private static VirtiofsdLauncher.Options daemonDefaults() {
        return VirtiofsdFixture.options().inodeFileHandles(null).logLevel(VirtiofsdLauncher.LogLevel.WARN).build();
    }

    private VolumeHarness start() {
        return VolumeHarness.start(dir, VolumeConfig.builder().nanoClock(clock::get).build(), daemonDefaults());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Replaces {@code name} on the host by a new file (a new inode) with this content. */
    private void replaceOnHost(String name, String content) throws Exception {
        Path tmp = dir.resolve(name + ".new");
        Files.write(tmp, bytes(content));
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The cached node of a root entry, its attributes expired (as when attr_valid ends before entry_valid). */
    private static Node expireAttributesOf(VolumeHarness h, String name) {
        NodeCache cache = h.volume.cache();
        cache.enter();
        try {
            Node n = cache.lookupChild(cache.root(), name).node();
            cache.expireAttributes(n);
            return n;
        } finally {
            cache.leave();
        }
    }

    @Test
    void aCachedNameWhoseFileWasReplacedOnTheHostIsLookedUpOnceMore() throws Exception {
        Files.write(dir.resolve("f"), bytes("old"));
        try (VolumeHarness h = start()) {
            h.close(h.open("\\f", VolumeHarness.R));
            replaceOnHost("f", "newer!");
            Node cached = expireAttributesOf(h, "f");
            h.counting.reset();
            FileContext c = h.open("\\f", VolumeHarness.R);
            try {
                if (fileHandles()) {
                    // GETATTR of the cached node: ESTALE; the walk again: LOOKUP finds the new file
                    assertEquals(1, h.counting.count(Opcode.GETATTR), h.counting.snapshot().toString());
                    assertEquals(1, h.counting.count(Opcode.LOOKUP), h.counting.snapshot().toString());
                    assertEquals(6, h.volume.getFileInfo(c).fileSize());
                    assertArrayEquals(bytes("newer!"), h.read(c, 0, 100));
                    assertTrue(((Handle) c).node != cached, "the handle is on the new node");
                } else {
                    // the C daemon still answers for the unlinked file: the cached name keeps leading to it
                    // until the entry expires, as any cached name does
                    assertEquals(1, h.counting.count(Opcode.GETATTR), h.counting.snapshot().toString());
                    assertEquals(0, h.counting.count(Opcode.LOOKUP), h.counting.snapshot().toString());
                    assertArrayEquals(bytes("old"), h.read(c, 0, 100));
                }
            } finally {
                h.close(c);
            }
        }
    }

    @Test
    void aHandleWhoseFileThisVolumeReplacedAnswersFileDeletedAndTheNameLeadsToTheNewFile() throws Exception {
        Files.write(dir.resolve("a"), bytes("aaa"));
        Files.write(dir.resolve("b"), bytes("bbbbb"));
        try (VolumeHarness h = start()) {
            FileContext a = h.open("\\a", VolumeHarness.R); // no FUSE OPEN yet: the first Read opens
            try {
                h.rename("\\b", "\\a", true);
                if (fileHandles()) {
                    NtStatusException e = assertThrows(NtStatusException.class, () -> h.read(a, 0, 100));
                    assertEquals(NtStatus.FILE_DELETED, e.status(), e.getMessage());
                    assertTrue(e.getMessage().contains("Read: the file was deleted or replaced through this volume (ESTALE (116) from OPEN"),
                            e.getMessage());
                } else {
                    assertArrayEquals(bytes("aaa"), h.read(a, 0, 100), "the C daemon keeps the replaced file");
                }
            } finally {
                h.close(a);
            }
            FileContext b = h.open("\\a", VolumeHarness.R);
            try {
                assertArrayEquals(bytes("bbbbb"), h.read(b, 0, 100));
            } finally {
                h.close(b);
            }
        }
    }

    /** An error reply for the request {@code reply} answers: the header only, error -{@code errno}. */
    private static ByteBuffer errorReply(ByteBuffer reply, Errno errno) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 16).putInt(4, -errno.number())
                .putLong(8, reply.getLong(8));
    }

    @Test
    void estaleThatPersistsAfterAFreshLookupFailsWithFileDeletedAfterOneRetry() throws Exception {
        Files.write(dir.resolve("f"), bytes("x"));
        LyingTransport[] lying = new LyingTransport[1];
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().nanoClock(clock::get).build(),
                daemonDefaults(), t -> lying[0] = new LyingTransport(t))) {
            h.close(h.open("\\f", VolumeHarness.R));
            Node f = expireAttributesOf(h, "f");
            // a host that keeps answering ESTALE for f, whatever the volume asks (no real daemon does)
            lying[0].lie = (q, a) -> (q.opcode() == Opcode.GETATTR && q.nodeId() == f.id)
                    || (q.opcode() == Opcode.LOOKUP && q.name().equals("f")) ? errorReply(a, Errno.ESTALE) : a;
            h.counting.reset();
            NtStatusException e = assertThrows(NtStatusException.class, () -> h.volume.getSecurityByName("\\f"));
            assertEquals(NtStatus.FILE_DELETED, e.status(), e.getMessage());
            assertTrue(e.getMessage().contains("GetSecurityByName: the file was deleted or replaced on the host (ESTALE (116) "
                    + "from LOOKUP"), e.getMessage());
            // once: GETATTR of the cached node, then one fresh walk (LOOKUP), then the status
            assertEquals(1, h.counting.count(Opcode.GETATTR), h.counting.snapshot().toString());
            assertEquals(1, h.counting.count(Opcode.LOOKUP), h.counting.snapshot().toString());

            // the host is honest again: the name is looked up afresh and works
            lying[0].lie = (q, a) -> a;
            h.close(h.open("\\f", VolumeHarness.R));
        }
    }
}
