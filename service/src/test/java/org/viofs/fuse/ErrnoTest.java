package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    /** Linux numbers (asm-generic/errno-base.h, errno.h), written out independently of the enum. */
    private static final Map<String, Integer> LINUX = Map.ofEntries(
            Map.entry("EPERM", 1), Map.entry("ENOENT", 2), Map.entry("EIO", 5), Map.entry("E2BIG", 7),
            Map.entry("EBADF", 9), Map.entry("EAGAIN", 11), Map.entry("ENOMEM", 12), Map.entry("EACCES", 13),
            Map.entry("EBUSY", 16), Map.entry("EEXIST", 17), Map.entry("EXDEV", 18), Map.entry("ENOTDIR", 20),
            Map.entry("EISDIR", 21), Map.entry("EINVAL", 22), Map.entry("EMFILE", 24), Map.entry("EFBIG", 27),
            Map.entry("ENOSPC", 28), Map.entry("EROFS", 30), Map.entry("EMLINK", 31), Map.entry("ERANGE", 34),
            Map.entry("ENAMETOOLONG", 36), Map.entry("ENOSYS", 38), Map.entry("ENOTEMPTY", 39),
            Map.entry("ELOOP", 40), Map.entry("ENODATA", 61), Map.entry("EPROTO", 71), Map.entry("EOVERFLOW", 75),
            Map.entry("EOPNOTSUPP", 95), Map.entry("ETIMEDOUT", 110), Map.entry("ESTALE", 116),
            Map.entry("EDQUOT", 122));

    @Test
    void linuxNumbersNotMsvc() {
        LINUX.forEach((name, number) -> {
            Errno e = Errno.valueOf(name);
            assertEquals(number, e.number(), name);
            assertSame(e, Errno.of(number), "of(" + number + ")");
        });
    }

    @Test
    void numbersAreUniqueAndRoundTrip() {
        Set<Integer> seen = new HashSet<>();
        for (Errno e : Errno.values()) {
            assertTrue(seen.add(e.number()), "duplicate number " + e.number() + " at " + e);
            assertSame(e, Errno.of(e.number()));
            assertTrue(e.number() > 0 && e.number() <= Errno.MAX_ERRNO);
        }
    }

    @Test
    void unknownNumberIsKeptRaw() {
        assertNull(Errno.of(200));
        assertNull(Errno.of(0));
        assertNull(Errno.of(-2));
        assertNull(Errno.of(4095));
        assertEquals("errno 200", Errno.describe(200));
        assertEquals("ENOENT (2)", Errno.describe(2));
        FuseErrnoException e = new FuseErrnoException(200, Opcode.GETATTR, 7);
        assertNull(e.errno());
        assertEquals(200, e.errnoNumber());
        assertEquals("errno 200 from GETATTR on node 7", e.getMessage());
    }

    @Test
    void exceptionMessageNamesErrnoOpcodeAndNode() {
        FuseErrnoException e = new FuseErrnoException(2, Opcode.LOOKUP, 1);
        assertEquals("ENOENT (2) from LOOKUP on node 1", e.getMessage());
        assertSame(Errno.ENOENT, e.errno());
        assertTrue(e.is(Errno.ENOENT));
        assertSame(Opcode.LOOKUP, e.opcode());
        assertEquals(1, e.nodeId());
    }

    @Test
    void opcodeNumbersFromFuseH() {
        Map<Opcode, Integer> expected = Map.ofEntries(Map.entry(Opcode.LOOKUP, 1), Map.entry(Opcode.FORGET, 2),
                Map.entry(Opcode.GETATTR, 3), Map.entry(Opcode.SETATTR, 4), Map.entry(Opcode.READLINK, 5),
                Map.entry(Opcode.SYMLINK, 6), Map.entry(Opcode.MKDIR, 9), Map.entry(Opcode.UNLINK, 10),
                Map.entry(Opcode.RMDIR, 11), Map.entry(Opcode.RENAME, 12), Map.entry(Opcode.LINK, 13),
                Map.entry(Opcode.OPEN, 14), Map.entry(Opcode.READ, 15), Map.entry(Opcode.WRITE, 16),
                Map.entry(Opcode.STATFS, 17), Map.entry(Opcode.RELEASE, 18), Map.entry(Opcode.FSYNC, 20),
                Map.entry(Opcode.SETXATTR, 21), Map.entry(Opcode.GETXATTR, 22), Map.entry(Opcode.LISTXATTR, 23),
                Map.entry(Opcode.REMOVEXATTR, 24), Map.entry(Opcode.FLUSH, 25), Map.entry(Opcode.INIT, 26),
                Map.entry(Opcode.OPENDIR, 27), Map.entry(Opcode.READDIR, 28), Map.entry(Opcode.RELEASEDIR, 29),
                Map.entry(Opcode.FSYNCDIR, 30), Map.entry(Opcode.CREATE, 35), Map.entry(Opcode.DESTROY, 38),
                Map.entry(Opcode.BATCH_FORGET, 42), Map.entry(Opcode.FALLOCATE, 43),
                Map.entry(Opcode.READDIRPLUS, 44), Map.entry(Opcode.RENAME2, 45), Map.entry(Opcode.LSEEK, 46));
        expected.forEach((op, n) -> {
            assertEquals(n, op.code(), op.name());
            assertSame(op, Opcode.of(n));
        });
        assertNull(Opcode.of(7), "7 is unused (was GETDIR)");
        assertNull(Opcode.of(4096));
        assertNull(Opcode.of(-1));
    }

    @Test
    void initDefaultIsWhatVirtiofsdGrantsPlusInitExt() {
        // docs/vhost-user-frontend.md §7.4: offered set granted as 0x44f039, everything but INIT_EXT
        assertEquals(0x44f039 | InitFlags.INIT_EXT, InitFlags.VIOFS_DEFAULT);
        assertEquals(0100, OpenFlags.O_CREAT);
        assertEquals(0200000, OpenFlags.O_DIRECTORY);
        assertEquals(0x4000, FileMode.S_IFDIR);
        assertEquals(FileMode.S_IFDIR >> 12, FileMode.DT_DIR);
        assertEquals(FileMode.S_IFLNK >> 12, FileMode.DT_LNK);
        assertEquals(FileMode.S_IFREG >> 12, FileMode.DT_REG);
    }
}
