package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host names Windows cannot tell apart: {@code pu:x} is shown as {@code pu<U+F03A>x}, so a host name
 * that holds a literal U+F03A could be listed but never reached. Each name Windows sees must lead to
 * exactly one host file (docs/volume-semantics.md "Names").
 */
class HostNamesIT {
    static final String MAPPED = "pu\uF03Ax";

    /** The UTF-8 bytes of {@link #MAPPED} for printf(1), so the host name never depends on the JVM's file name encoding. */
    static final String MAPPED_PRINTF = "pu\\357\\200\\272x";

    @TempDir
    Path dir;

    /** Runs {@code sh -c script} with the test directory as $1 and the literal name as $2; its exit code. */
    private int sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "n=$(printf '" + MAPPED_PRINTF + "'); " + script, "sh", dir.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "sh ran");
        return p.exitValue();
    }

    @Test
    void aHostNameWithALiteralMappedCharacterIsNotShownAndTheMappedOneWorks() throws Exception {
        Files.write(dir.resolve("pu:x"), new byte[] {1});
        assertEquals(0, sh("printf 'ab' > \"$1/$n\""), "the literal U+F03A name made on the host");
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().build())) {
            FileContext root = h.openDir("\\");
            List<DirInfo> listing = h.list(root, 100);
            h.close(root);
            List<DirInfo> shown = listing.stream().filter(d -> d.fileName().startsWith("pu")).toList();
            assertEquals(1, shown.size(), "one name, not the same name twice: " + shown.stream().map(d -> WinPath.escapeForLog(d.fileName())).toList());
            assertEquals(MAPPED, shown.get(0).fileName());
            assertEquals(1, shown.get(0).fileInfo().fileSize(), "the entry is pu:x's");

            FileContext c = h.open("\\" + MAPPED, VolumeHarness.R);
            assertArrayEquals(new byte[] {1}, h.read(c, 0, 10), "the shown name opens pu:x");
            h.close(c);
            h.delete("\\" + MAPPED);
            assertFalse(Files.exists(dir.resolve("pu:x")));
            assertEquals(0, sh("test -f \"$1/$n\""), "the hidden host file is left alone");
        }
    }

    @Test
    void caseTwinsEachReachTheirOwnFileByTheirExactName() throws Exception {
        Files.write(dir.resolve("A.txt"), new byte[] {1});
        Files.write(dir.resolve("a.txt"), new byte[] {2, 2});
        try (VolumeHarness h = VolumeHarness.start(dir, VolumeConfig.builder().caseInsensitive(true).build())) {
            // no listing first: each exact name is asked for as it is
            assertArrayEquals(new byte[] {1}, readAll(h, "\\A.txt"));
            assertArrayEquals(new byte[] {2, 2}, readAll(h, "\\a.txt"), "a.txt is not its twin A.txt");
            h.volume.dropCaches();
            // a listing first: both are shown, both are cached
            FileContext root = h.openDir("\\");
            List<String> names = h.list(root, 100).stream().map(DirInfo::fileName).filter(n -> !n.startsWith(".")).toList();
            h.close(root);
            assertEquals(List.of("A.txt", "a.txt"), names);
            assertArrayEquals(new byte[] {2, 2}, readAll(h, "\\a.txt"));
            assertArrayEquals(new byte[] {1}, readAll(h, "\\A.txt"));
            assertArrayEquals(new byte[] {1}, readAll(h, "\\A.TXT"), "another casing: the first twin in ordinal order");
            h.delete("\\a.txt");
            assertFalse(Files.exists(dir.resolve("a.txt")), "DeleteFile(a.txt) removed a.txt");
            assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("A.txt")), "and left its twin alone");
        }
    }

    private static byte[] readAll(VolumeHarness h, String path) {
        FileContext c = h.open(path, VolumeHarness.R);
        try {
            return h.read(c, 0, 100);
        } finally {
            h.close(c);
        }
    }
}
