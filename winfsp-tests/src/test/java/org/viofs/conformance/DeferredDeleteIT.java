package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.fuse.FuseClient;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;

/**
 * A delete that another handle keeps pending is done at that handle's close: the FSD sends the
 * deleting Cleanup on whichever handle of the file closes last (docs/winfsp-native.md §2.1
 * "Cleanup"), here a listing's directory handle or an attribute query's file handle.
 */
class DeferredDeleteIT {

    @TempDir
    Path dir;

    @Test
    void aDirectoryRemovedWhileListedGoesAtTheListingsClose() throws Exception {
        VolumeConfig config = VolumeConfig.builder().mountPoint(Win32Facade.DRIVE).build();
        try (VirtiofsdFixture fixture = VirtiofsdFixture.start(dir, VirtiofsdFixture.options()
                .logLevel(VirtiofsdLauncher.LogLevel.WARN).build(), VirtiofsdFixture.TEST_CONFIG);
             FuseVolume volume = FuseVolume.mount(o -> FuseClient.init(fixture.transport(), o), config)) {
            Win32Facade f = new Win32Facade(volume, ConformanceTarget.optionsFor(config));
            assertTrue(f.createDirectory("\\d2", null));
            Win32Structs.FindHandle listing = f.findFirstFile("\\d2\\*");
            assertNotNull(listing, "error " + f.getLastError());
            assertTrue(f.removeDirectory("\\d2"), "error " + f.getLastError());
            assertTrue(Files.isDirectory(dir.resolve("d2")), "pending while the listing holds it open");
            assertTrue(f.findClose(listing));
            assertFalse(Files.exists(dir.resolve("d2")), "removed at the listing's close");
        }
    }
}
