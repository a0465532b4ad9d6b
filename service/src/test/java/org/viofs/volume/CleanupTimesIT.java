package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Times at close, with the Cleanup flags exactly as WinFsp's FSD computes them for each file object
 * (docs/volume-semantics.md "Cleanup flags"): an explicitly set time survives the close, a writer's
 * close moves LastWriteTime, the allocation trim keeps the time and works from a read-only handle.
 */
class CleanupTimesIT {
    /** 2000-01-01T00:00:00Z as a Windows FILETIME. */
    static final long Y2000 = FileInfoMapper.toFileTime(946_684_800L, 0);
    static final long Y2000_MILLIS = 946_684_800_000L;
    /** Any time after 2020: "now" in these tests. */
    static final long Y2020_MILLIS = 1_577_836_800_000L;

    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong();
    VolumeHarness h;
    FuseVolume v;

    @BeforeEach
    void start() {
        h = VolumeHarness.start(dir, VolumeConfig.builder().nanoClock(clock::get).build());
        v = h.volume;
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /**
     * The FSD's Cleanup flags for one file object (src/sys/cleanup.c): modified = a write, end of file
     * or allocation went through it; the did* flags are what SetBasicInfo set through it.
     */
    static int fsdFlags(boolean modified, boolean didSetAttributes, boolean didSetWriteTime, boolean didSetMetadata,
                        boolean trimAllocation) {
        int f = CleanupFlags.SET_LAST_ACCESS_TIME;
        if (trimAllocation) {
            f |= CleanupFlags.SET_ALLOCATION_SIZE;
        }
        if (modified && !didSetAttributes) {
            f |= CleanupFlags.SET_ARCHIVE_BIT;
        }
        if (modified && !didSetWriteTime) {
            f |= CleanupFlags.SET_LAST_WRITE_TIME;
        }
        if (modified || didSetMetadata) {
            f |= CleanupFlags.SET_CHANGE_TIME;
        }
        return f;
    }

    private long hostMtimeMillis(String name) throws Exception {
        return Files.getLastModifiedTime(dir.resolve(name)).toMillis();
    }

    private void expireCaches() {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
    }

    private long hostBlocks(String name) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b", dir.resolve(name).toString()).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "stat ran");
        return Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
    }

    @Test
    void aSetLastWriteTimeSurvivesTheClose() throws Exception {
        Files.write(dir.resolve("f"), new byte[] {1});
        FileContext c = h.open("\\f", VolumeHarness.RW);
        v.setBasicInfo(c, FileAttributes.INVALID_FILE_ATTRIBUTES, 0, 0, Y2000, 0);
        v.cleanup(c, null, fsdFlags(false, false, true, true, false));
        v.close(c);
        assertEquals(Y2000_MILLIS, hostMtimeMillis("f"), "SetFileTime(2000) then CloseHandle keeps 2000");
    }

    @Test
    void settingReadOnlyKeepsTheTime() throws Exception {
        Files.write(dir.resolve("old"), new byte[] {1});
        Files.setLastModifiedTime(dir.resolve("old"), FileTime.fromMillis(Y2000_MILLIS));
        FileContext c = h.open("\\old", VolumeHarness.RW);
        v.setBasicInfo(c, FileAttributes.READONLY, 0, 0, 0, 0);
        v.cleanup(c, null, fsdFlags(false, true, false, true, false));
        v.close(c);
        assertEquals(Y2000_MILLIS, hostMtimeMillis("old"), "SetFileAttributes(READONLY) moves no time");
    }

    @Test
    void aWriteAfterSetFileTimeThroughTheSameHandleKeepsTheSetTime() throws Exception {
        // memfs: Write moves no time, Cleanup sets LastWriteTime only when asked; the FSD does not ask a
        // file object that set LastWriteTime itself
        FileContext c = h.create("\\w");
        v.setBasicInfo(c, FileAttributes.INVALID_FILE_ATTRIBUTES, 0, 0, Y2000, 0);
        h.write(c, 0, new byte[] {1, 2, 3});
        v.cleanup(c, null, fsdFlags(true, false, true, true, false));
        v.close(c);
        assertEquals(Y2000_MILLIS, hostMtimeMillis("w"));
        assertEquals(3, Files.size(dir.resolve("w")));
    }

    @Test
    void theAllocationTrimKeepsASetTime() throws Exception {
        FileContext c = h.create("\\t");
        v.setFileSize(c, 1 << 20, true); // SetFileInformationByHandle(FileAllocationInfo): modified, trim at close
        v.setBasicInfo(c, FileAttributes.INVALID_FILE_ATTRIBUTES, 0, 0, Y2000, 0);
        v.cleanup(c, null, fsdFlags(true, false, true, true, true));
        v.close(c);
        assertEquals(Y2000_MILLIS, hostMtimeMillis("t"), "the trim's truncate does not stamp a new mtime");
        assertEquals(0, hostBlocks("t"), "the allocation went back");
    }

    @Test
    void aWritersCloseMovesLastWriteTimeAfterAnotherHandleSetIt() throws Exception {
        Files.write(dir.resolve("f"), new byte[] {1});
        FileContext writer = h.open("\\f", VolumeHarness.RW);
        h.write(writer, 0, new byte[] {9, 9});
        FileContext setter = h.open("\\f", VolumeHarness.RW);
        v.setBasicInfo(setter, FileAttributes.INVALID_FILE_ATTRIBUTES, 0, 0, Y2000, 0);
        v.cleanup(setter, null, fsdFlags(false, false, true, true, false));
        v.close(setter);
        assertEquals(Y2000_MILLIS, hostMtimeMillis("f"));
        v.cleanup(writer, null, fsdFlags(true, false, false, false, false));
        v.close(writer);
        assertTrue(hostMtimeMillis("f") > Y2020_MILLIS, "the writer's close stamps now, as NTFS and memfs do");
    }

    @Test
    void theAllocationTrimWorksFromAReadOnlyHandle() throws Exception {
        Files.write(dir.resolve("r"), new byte[] {7});
        FileContext writer = h.open("\\r", VolumeHarness.RW);
        v.setFileSize(writer, 1 << 20, true);
        FileContext reader = h.open("\\r", VolumeHarness.R);
        assertEquals(1, h.read(reader, 0, 1).length, "the reader's handle is open on the host (O_RDONLY)");
        v.cleanup(writer, null, fsdFlags(true, false, false, false, false));
        v.close(writer);
        assertTrue(hostBlocks("r") > 0, "still allocated while the reader is open");
        // the last handle's cleanup carries SetAllocationSize (the FSD keeps TruncateOnClose per file)
        v.cleanup(reader, null, fsdFlags(false, false, false, false, true));
        v.close(reader);
        assertTrue(hostBlocks("r") <= 8, "the trim went through although the last handle only reads: "
                + hostBlocks("r") + " blocks of 512 bytes left for 1 byte");
        assertEquals(1, Files.size(dir.resolve("r")));
    }
}
