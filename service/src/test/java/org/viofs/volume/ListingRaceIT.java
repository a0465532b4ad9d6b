package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.fuse.Opcode;

/**
 * WinFsp does not serialise a directory listing against renames and deletes in that directory
 * (Explorer refreshing a folder while a program saves). Here the READDIRPLUS reply is held back
 * after the daemon answered, another thread renames or deletes, and only then does the listing reach
 * the volume: the late listing must not put back a name the newer operation changed.
 */
class ListingRaceIT {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private VolumeHarness start(boolean caseInsensitive, HoldingTransport[] holder) {
        return VolumeHarness.start(dir, VolumeConfig.builder().caseInsensitive(caseInsensitive).build(),
                VirtiofsdFixture.options().logLevel(VirtiofsdLauncher.LogLevel.WARN).build(), t -> {
                    holder[0] = new HoldingTransport(t);
                    return holder[0];
                });
    }

    /** Lists the root on another thread with its READDIRPLUS reply held; returns once the reply is held. */
    private static CompletableFuture<List<DirInfo>> heldListing(VolumeHarness h, HoldingTransport t) throws Exception {
        FileContext root = h.openDir("\\");
        t.arm(Opcode.READDIRPLUS.code());
        CompletableFuture<List<DirInfo>> listing = CompletableFuture.supplyAsync(() -> {
            try {
                return h.list(root, 1000);
            } finally {
                h.close(root);
            }
        });
        t.awaitHeld();
        return listing;
    }

    @ParameterizedTest(name = "caseInsensitive={0}")
    @ValueSource(booleans = {false, true})
    void aListingThatOverlapsARenameDoesNotPutTheOldNameBack(boolean caseInsensitive) throws Exception {
        Files.write(dir.resolve("a"), bytes("old"));
        HoldingTransport[] t = new HoldingTransport[1];
        try (VolumeHarness h = start(caseInsensitive, t)) {
            CompletableFuture<List<DirInfo>> listing = heldListing(h, t[0]);
            h.rename("\\a", "\\c", false); // MoveFileEx(a, c) while the listing that still shows a is in flight
            t[0].release();
            listing.get(HoldingTransport.WAIT_SECONDS, TimeUnit.SECONDS);

            FileContext created = h.create("\\a"); // CreateFile(a, CREATE_NEW): a no longer exists
            h.write(created, 0, bytes("new"));
            h.closeModified(created);
            h.delete("\\c");

            assertArrayEquals(bytes("new"), Files.readAllBytes(dir.resolve("a")), "the new a keeps its content");
            assertFalse(Files.exists(dir.resolve("c")), "DeleteFile(c) removed c, not the new a");
        }
    }

    @ParameterizedTest(name = "caseInsensitive={0}")
    @ValueSource(booleans = {false, true})
    void aListingThatOverlapsADeleteDoesNotBringTheFileBack(boolean caseInsensitive) throws Exception {
        Files.write(dir.resolve("x"), bytes("old"));
        HoldingTransport[] t = new HoldingTransport[1];
        try (VolumeHarness h = start(caseInsensitive, t)) {
            CompletableFuture<List<DirInfo>> listing = heldListing(h, t[0]);
            h.delete("\\x");
            t[0].release();
            listing.get(HoldingTransport.WAIT_SECONDS, TimeUnit.SECONDS);

            assertThrowsStatus(NtStatus.OBJECT_NAME_NOT_FOUND, () -> h.open("\\x", VolumeHarness.RW),
                    "CreateFile(x, OPEN_EXISTING) after DeleteFile(x)");
            assertFalse(Files.exists(dir.resolve("x")), "x is gone on the host");
            FileContext again = h.create("\\x");
            h.write(again, 0, bytes("kept"));
            h.closeModified(again);
            assertArrayEquals(bytes("kept"), Files.readAllBytes(dir.resolve("x")), "what is written to a new x stays");
        }
    }

    @ParameterizedTest(name = "caseInsensitive={0}")
    @ValueSource(booleans = {false, true})
    void aListingThatOverlapsAWriteDoesNotShowTheOldSize(boolean caseInsensitive) throws Exception {
        Files.write(dir.resolve("s"), bytes("12"));
        HoldingTransport[] t = new HoldingTransport[1];
        try (VolumeHarness h = start(caseInsensitive, t)) {
            FileContext f = h.open("\\s", VolumeHarness.RW);
            CompletableFuture<List<DirInfo>> listing = heldListing(h, t[0]);
            h.write(f, 0, bytes("123456"));
            t[0].release();
            listing.get(HoldingTransport.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(6, h.volume.getFileInfo(f).fileSize(), "the size after the write, not the listing's older one");
            h.closeModified(f);
        }
    }

    @org.junit.jupiter.api.Test
    void aCaseInsensitiveListingBegunBeforeACreateIsNotComplete() throws Exception {
        HoldingTransport[] t = new HoldingTransport[1];
        try (VolumeHarness h = start(true, t)) {
            CompletableFuture<List<DirInfo>> listing = heldListing(h, t[0]);
            h.close(h.mkdir("\\d2"));
            h.volume.dropCaches(); // memory pressure: the new name leaves the cache
            t[0].release();
            listing.get(HoldingTransport.WAIT_SECONDS, TimeUnit.SECONDS);
            // the listing (without d2) must not count as complete: d2 is looked up, not taken as missing
            h.close(h.create("\\d2\\b"));
            assertEquals(true, Files.exists(dir.resolve("d2").resolve("b")));
        }
    }

    @ParameterizedTest(name = "caseInsensitive={0}")
    @ValueSource(booleans = {false, true})
    void aListingThatOverlapsAnAttributeChangeOfAFileTheCacheForgotDoesNotBringTheOldAttributesBack(
            boolean caseInsensitive) throws Exception {
        Path r = dir.resolve("r");
        Files.write(r, bytes("x"));
        Files.setPosixFilePermissions(r, PosixFilePermissions.fromString("r--r--r--")); // READONLY
        HoldingTransport[] t = new HoldingTransport[1];
        try (VolumeHarness h = start(caseInsensitive, t)) {
            CompletableFuture<List<DirInfo>> listing = heldListing(h, t[0]); // still shows r READONLY
            FileContext f = h.open("\\r", VolumeHarness.RW);
            h.volume.setBasicInfo(f, 0, 0, 0, 0, 0); // SetFileAttributes(r, NORMAL)
            h.close(f);
            h.volume.dropCaches(); // memory pressure: r leaves the cache, and with it what the cache knew of r
            t[0].release();
            listing.get(HoldingTransport.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(0, h.volume.getSecurityByName("\\r").fileAttributes() & FileAttributes.READONLY,
                    "r is no longer READONLY (MoveFileEx onto it would answer CANNOT_DELETE)");
            assertTrue(PosixFilePermissions.toString(Files.getPosixFilePermissions(r)).contains("w"),
                    "the host agrees: " + Files.getPosixFilePermissions(r));
        }
    }
}
