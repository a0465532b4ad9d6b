package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeIT {
    @TempDir
    Path dir;

    @Test
    void createWriteReadBack() throws Exception {
        long t0 = System.nanoTime();
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().mountTag("t").build())) {
            System.out.println("start " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            FileContext c = h.create("\\a.txt");
            byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
            assertEquals(5, h.write(c, 0, data));
            assertArrayEquals(data, h.read(c, 0, 100));
            h.closeModified(c);
            assertArrayEquals(data, Files.readAllBytes(dir.resolve("a.txt")));
            System.out.println(h.counting.snapshot() + " " + h.volume.counters().snapshot());
        }
        System.out.println("total " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
