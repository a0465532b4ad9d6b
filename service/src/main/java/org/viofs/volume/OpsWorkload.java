package org.viofs.volume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.viofs.fuse.RequestCounter;

/**
 * Counts the FUSE requests the volume sends for common Windows operations, each modelled as the
 * callback sequence WinFsp issues for it (docs/winfsp-native.md §2.1):
 * <ul>
 * <li>open = GetSecurityByName + Open; close = Cleanup + Close;</li>
 * <li>create = GetSecurityByName(parent) + Create; CloseHandle after writing = Cleanup with the
 *     write-time flags + Close;</li>
 * <li>list = open directory + ReadDirectory until the end (a 64 KiB buffer, as
 *     FspFileSystemAddDirInfo fills it: 104 + 2·name bytes per entry, 8-aligned) + close;</li>
 * <li>delete = open(DELETE) + SetDelete + Cleanup(Delete) + Close;</li>
 * <li>rename = open(DELETE) + Rename + Cleanup + Close.</li>
 * </ul>
 * Keys: {@code openReadCloseDepth4Cold}, {@code openReadCloseDepth4Warm}, {@code openReadCloseRepeated100}
 * (100 warm open+read+close cycles of one file: requests per cycle = value / 100), {@code list1000},
 * {@code createWriteClose}, {@code deleteFile}, {@code renameFile}. A closed file's FUSE handle is kept
 * for the next open (deferred close, {@link VolumeConfig#deferredCloseMillis()}): its RELEASE comes
 * when that time runs out, after the measurement, and is not counted in the operation that closed it.
 * Each measurement starts from an
 * empty name cache and no kept handles ({@link FuseVolume#dropCaches()}, whose FORGETs and RELEASEs
 * are not counted) with the share
 * root's attributes fresh (one uncounted GetSecurityByName of {@code \}, as a user working in the
 * share keeps them), so the counts do not depend on how long the preparation took. The warm open
 * runs right after the cold one; the counts assume no timeout expires within one operation (the
 * daemon's default is 1 s; with an injected clock, exactly).
 *
 * <p>Not thread-safe; run it alone on a fresh share directory.
 */
public final class OpsWorkload {
    /** Buffer the FSD gives ReadDirectory (WinFsp's default query-directory buffer is 64 KiB). */
    static final int DIR_QUERY_BUFFER = 64 * 1024;
    /** sizeof(FSP_FSCTL_DIR_INFO) without the name (docs/winfsp-native.md §1.3). */
    static final int DIR_INFO_FIXED = 104;

    private OpsWorkload() {
    }

    /**
     * Prepares the files on the host (a depth-4 file, a 1,000-file directory, files to delete and
     * rename), then measures each operation.
     *
     * @param shareDir the host directory the daemon serves (fresh: the names used must not exist)
     * @param volume   a volume whose FUSE client reports to {@code counting}
     * @param counting the listener that counts the volume's requests
     */
    public static Map<String, Long> run(Path shareDir, FuseVolume volume, RequestCounter counting) {
        try {
            Path deep = shareDir.resolve("ops-a").resolve("b").resolve("c");
            Files.createDirectories(deep);
            byte[] page = new byte[4096];
            Arrays.fill(page, (byte) 'x');
            Files.write(deep.resolve("file.bin"), page);
            Path list = Files.createDirectories(shareDir.resolve("ops-list"));
            for (int i = 0; i < 1000; i++) {
                Files.write(list.resolve(String.format("f%04d.txt", i)), new byte[0]);
            }
            Files.write(shareDir.resolve("ops-delete.bin"), page);
            Files.write(shareDir.resolve("ops-rename-a.bin"), page);
        } catch (IOException e) {
            throw new UncheckedIOException("preparing the ops workload in " + shareDir, e);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        String deepFile = "\\ops-a\\b\\c\\file.bin";

        coldStart(volume);
        out.put("openReadCloseDepth4Cold", measure(volume, counting, () -> openReadClose(volume, deepFile)));
        out.put("openReadCloseDepth4Warm", measure(volume, counting, () -> openReadClose(volume, deepFile)));
        out.put("openReadCloseRepeated100", measure(volume, counting, () -> {
            for (int i = 0; i < 100; i++) {
                openReadClose(volume, deepFile);
            }
        }));

        coldStart(volume);
        out.put("list1000", measure(volume, counting, () -> {
            int n = listAll(volume, "\\ops-list");
            if (n != 1002) {
                throw new IllegalStateException("listed " + n + " entries in \\ops-list, expected 1,000 + . and ..");
            }
        }));

        coldStart(volume);
        out.put("createWriteClose", measure(volume, counting, () -> {
            volume.getSecurityByName("\\");
            FileContext c = volume.create("\\ops-new.bin", (CreateOptions.FILE_CREATE << 24)
                    | CreateOptions.FILE_NON_DIRECTORY_FILE, PosixSecurity.FILE_GENERIC_READ
                    | PosixSecurity.FILE_GENERIC_WRITE, FileAttributes.NORMAL, null, 0).context();
            byte[] data = new byte[4096];
            volume.write(c, ByteBuffer.wrap(data), 0, data.length, false, false);
            volume.cleanup(c, null, CleanupFlags.SET_ARCHIVE_BIT | CleanupFlags.SET_LAST_WRITE_TIME
                    | CleanupFlags.SET_CHANGE_TIME);
            volume.close(c);
        }));

        coldStart(volume);
        out.put("deleteFile", measure(volume, counting, () -> deleteFile(volume, "\\ops-delete.bin")));

        coldStart(volume);
        out.put("renameFile", measure(volume, counting, () -> {
            String p = "\\ops-rename-a.bin";
            volume.getSecurityByName(p);
            FileContext c = volume.open(p, CreateOptions.FILE_OPEN << 24, PosixSecurity.DELETE
                    | PosixSecurity.FILE_READ_ATTRIBUTES).context();
            volume.rename(c, p, "\\ops-rename-b.bin", false);
            volume.cleanup(c, null, 0);
            volume.close(c);
        }));
        return out;
    }

    private static void openReadClose(FuseVolume volume, String path) {
        volume.getSecurityByName(path);
        FileContext c = volume.open(path, CreateOptions.FILE_OPEN << 24, PosixSecurity.FILE_GENERIC_READ).context();
        ByteBuffer b = ByteBuffer.allocate(4096);
        int n = volume.read(c, b, 0, 4096);
        if (n != 4096) {
            throw new IllegalStateException("read " + n + " bytes of " + path + ", expected 4096");
        }
        volume.cleanup(c, null, 0);
        volume.close(c);
    }

    /**
     * DeleteFile as WinFsp's DLL drives it: GetSecurityByName, Open for DELETE, SetDelete, Cleanup with
     * Delete, Close (docs/winfsp-native.md §2.1).
     */
    public static void deleteFile(FuseVolume volume, String path) {
        volume.getSecurityByName(path);
        FileContext c = volume.open(path, CreateOptions.FILE_OPEN << 24, PosixSecurity.DELETE
                | PosixSecurity.FILE_READ_ATTRIBUTES).context();
        volume.setDelete(c, path, true);
        volume.cleanup(c, path, CleanupFlags.DELETE);
        volume.close(c);
    }

    private static int listAll(FuseVolume volume, String path) {
        return (int) ListingWorkload.listOnce(volume, path, () -> { }, c -> { });
    }

    /** Empties the name cache and refreshes the root's attributes, neither counted. */
    private static void coldStart(FuseVolume volume) {
        volume.dropCaches();
        volume.getSecurityByName("\\");
    }

    /**
     * The requests of {@code op}, the FORGETs it leaves waiting ({@link DeferredForgets}) included: they
     * are sent before the count ends, and those an earlier operation left are sent before it begins.
     */
    private static long measure(FuseVolume volume, RequestCounter counting, Runnable op) {
        volume.sendWaitingForgets();
        long before = counting.total();
        op.run();
        volume.sendWaitingForgets();
        return counting.total() - before;
    }
}
