package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FileInfoMapperTest {

    private static HostStat stat(int mode, long size, long blocks) {
        return new HostStat(4242, size, blocks, 1_700_000_000L, 123_456_789, 1_600_000_000L, 5, 1_650_000_000L, 0,
                mode, 3, 1000, 1000);
    }

    @Test
    void regularFile() {
        FileInfo fi = FileInfoMapper.toFileInfo(stat(0100644, 5000, 16), "a.txt", true);
        assertEquals(FileAttributes.ARCHIVE, fi.fileAttributes());
        assertEquals(0, fi.reparseTag());
        assertEquals(5000, fi.fileSize());
        assertEquals(8192, fi.allocationSize(), "16 blocks of 512 = 8192");
        assertEquals(4242, fi.indexNumber());
        assertEquals(3, fi.hardLinks());
        // 1970 + 1.7e9 s in FILETIME, plus 1,234,567 units of 100 ns
        assertEquals(1_700_000_000L * 10_000_000L + 116444736000000000L + 1_234_567, fi.lastAccessTime());
        assertEquals(1_600_000_000L * 10_000_000L + 116444736000000000L, fi.lastWriteTime(), "5 ns truncate to 0");
        assertEquals(fi.lastWriteTime(), fi.creationTime(), "creation = the older of mtime and ctime");
        assertEquals(1_650_000_000L * 10_000_000L + 116444736000000000L, fi.changeTime());
    }

    @Test
    void allocationNeverBelowSizeAndRoundedToClusters() {
        assertEquals(4096, FileInfoMapper.toFileInfo(stat(0100644, 1, 0), "s", false).allocationSize(), "sparse 1 byte");
        assertEquals(0, FileInfoMapper.toFileInfo(stat(0100644, 0, 0), "e", false).allocationSize());
        assertEquals(12288, FileInfoMapper.toFileInfo(stat(0100644, 4097, 24), "x", false).allocationSize());
    }

    @Test
    void attributes() {
        assertEquals(FileAttributes.ARCHIVE | FileAttributes.READONLY,
                FileInfoMapper.toFileInfo(stat(0100444, 0, 0), "r", false).fileAttributes(), "no write bit = READONLY");
        FileInfo dir = FileInfoMapper.toFileInfo(stat(040555, 4096, 8), "d", false);
        assertEquals(FileAttributes.DIRECTORY, dir.fileAttributes(), "directories never READONLY, size 0");
        assertEquals(0, dir.fileSize());
        FileInfo link = FileInfoMapper.toFileInfo(stat(0120777, 10, 0), "l", false);
        assertEquals(FileAttributes.REPARSE_POINT, link.fileAttributes());
        assertEquals(0xA000000C, link.reparseTag());
        assertEquals(FileAttributes.ARCHIVE | FileAttributes.HIDDEN,
                FileInfoMapper.toFileInfo(stat(0100644, 0, 0), ".bashrc", true).fileAttributes());
        assertEquals(FileAttributes.ARCHIVE,
                FileInfoMapper.toFileInfo(stat(0100644, 0, 0), ".bashrc", false).fileAttributes(), "option off");
        assertEquals(FileAttributes.ARCHIVE, FileInfoMapper.toFileInfo(stat(0140755, 0, 0), "sock", false).fileAttributes(),
                "a socket is not a directory (the anchor's bug)");
    }

    @Test
    void fileTimeBackToUnix() {
        long ft = FileInfoMapper.toFileTime(1_600_000_000L, 999_999_900);
        long[] u = FileInfoMapper.toUnixTime(ft);
        assertEquals(1_600_000_000L, u[0]);
        assertEquals(999_999_900, u[1]);
        long[] before = FileInfoMapper.toUnixTime(FileInfoMapper.UNIX_EPOCH_AS_FILETIME - 1);
        assertEquals(-1, before[0], "100 ns before 1970");
        assertEquals(999_999_900, before[1], "nanoseconds are never negative");
    }
}
