package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.abi.CreateOut;
import org.viofs.fuse.abi.Dirent;
import org.viofs.fuse.abi.DirentPlus;
import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.abi.OpenOut;
import org.viofs.fuse.abi.SetattrIn;
import org.viofs.fuse.abi.StatfsOut;

/**
 * Every FuseClient operation against a real virtiofsd (xattr on), each result checked on the host
 * directory with java.nio.file. One daemon for the class; each test works in its own subdirectory.
 */
class FuseClientIT {
    @TempDir
    static Path shared;
    static VirtiofsdFixture fixture;
    static FuseClient client;
    static RequestCounter counting;
    static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeAll
    static void start() {
        fixture = VirtiofsdFixture.start(shared, VirtiofsdFixture.options().xattr(true).build(),
                VirtiofsdFixture.TEST_CONFIG);
        counting = new RequestCounter();
        client = FuseClient.init(fixture.transport(), FuseOptions.builder().listener(counting).build());
    }

    @AfterAll
    static void stop() throws IOException {
        // keep the daemon's per-request log beside the surefire reports: it explains a failure
        Files.writeString(Path.of("target", "virtiofsd-FuseClientIT.log"), fixture.log());
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            fixture.close();
        }
    }

    /** A fresh directory made through FUSE: its host path and node id. */
    record Dir(Path host, long node) {
    }

    private static Dir newDir(TestInfo info) {
        String name = info.getTestMethod().orElseThrow().getName() + "-" + SEQ.incrementAndGet();
        EntryOut e = client.mkdir(FuseFlags.ROOT_ID, name, 0755, 0);
        assertTrue(Files.isDirectory(shared.resolve(name)), "MKDIR made " + name + " on the host");
        return new Dir(shared.resolve(name), e.nodeId());
    }

    private static FuseErrnoException expectErrno(Errno expected, Executable call) {
        FuseErrnoException e = assertThrows(FuseErrnoException.class, call, "expected " + expected);
        assertSame(expected, e.errno(), "expected " + expected + ", was " + e.getMessage());
        return e;
    }

    /** Bytes of one fuse_direntplus record: 152 fixed, then the name, padded to 8 (docs/vhost-user-frontend.md §7.3). */
    private static int direntplusBytes(String name) {
        return (152 + name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 7) & ~7;
    }

    /** st_blocks of a host file, from stat(1): Java's file attribute views do not carry it. */
    private static long hostBlocks(Path p) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder("stat", "-c", "%b", p.toString()).redirectErrorStream(true).start();
        String out = new String(pr.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertTrue(pr.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "stat did not finish");
        assertEquals(0, pr.exitValue(), "stat " + p + ": " + out);
        return Long.parseLong(out);
    }

    private static long hostIno(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void initNegotiatedWhatVirtiofsdGrants() {
        FuseLimits l = client.limits();
        assertEquals(7, l.major());
        // the C virtiofsd 7.2 speaks 7.36 (our offer); the Rust 1.14.0 answers with its own 7.38
        assertEquals(rust() ? 38 : 36, l.minor(), "FUSE minor of " + VirtiofsdFixture.daemonUnderTest());
        assertEquals(1 << 20, l.maxWrite());
        assertEquals(256, l.maxPages());
        assertEquals(1 << 20, l.maxReadChunk());
        assertEquals(1 << 20, l.maxWriteChunk());
        assertTrue(l.granted(InitFlags.MAX_PAGES | InitFlags.DO_READDIRPLUS | InitFlags.ASYNC_READ
                | InitFlags.ATOMIC_O_TRUNC | InitFlags.BIG_WRITES | InitFlags.PARALLEL_DIROPS), Integer.toHexString(l.flags()));
        assertEquals(1, l.timeGran());
    }

    @Test
    void lookupAndGetattrMatchTheHostFile(TestInfo info) throws Exception {
        Dir d = newDir(info);
        Path f = d.host().resolve("hello.txt");
        Files.writeString(f, "hello, host");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        EntryOut e = client.lookup(d.node(), "hello.txt");
        assertEquals(11, e.attr().size());
        assertEquals(hostIno(f), e.attr().ino(), "attr.ino is the host inode");
        assertEquals(0100640, e.attr().mode());
        assertTrue(e.attr().isRegular());
        assertEquals(1, client.nodes().lookups(e.nodeId()));
        AttrOut a = client.getattr(e.nodeId());
        assertEquals(e.attr().ino(), a.attr().ino());
        assertEquals(Files.getLastModifiedTime(f).toMillis() / 1000, a.attr().mtime());
        expectErrno(Errno.ENOENT, () -> client.lookup(d.node(), "missing"));
        expectErrno(Errno.ENOTDIR, () -> client.lookup(e.nodeId(), "below-a-file"));
        client.forget(e.nodeId(), 1);
        assertEquals(0, client.nodes().lookups(e.nodeId()));
    }

    @Test
    void createWriteReadAndCheckOnHost(TestInfo info) throws Exception {
        Dir d = newDir(info);
        CreateOut c = client.create(d.node(), "data.bin", OpenFlags.O_RDWR, 0644, 0);
        assertTrue(Files.isRegularFile(d.host().resolve("data.bin")));
        assertEquals(1, client.nodes().lookups(c.entry().nodeId()), "CREATE adds a lookup reference");
        byte[] data = new byte[(3 << 20) + 4321];
        new Random(7).nextBytes(data);
        long node = c.entry().nodeId();
        long fh = c.open().fh();
        assertEquals(data.length, client.write(node, fh, 0, ByteBuffer.wrap(data)), "3 MiB write split in 1 MiB chunks");
        client.flush(node, fh);
        client.fsync(node, fh, false);
        client.fsync(node, fh, true);
        assertArrayEquals(data, Files.readAllBytes(d.host().resolve("data.bin")), "host file has the bytes");

        ByteBuffer back = ByteBuffer.allocate(data.length + 1000);
        assertEquals(data.length, client.read(node, fh, 0, back), "short only at EOF");
        assertArrayEquals(data, java.util.Arrays.copyOf(back.array(), data.length));

        // zero-copy variant hands every chunk in order
        ByteBuffer gathered = ByteBuffer.allocate(data.length);
        List<Long> offsets = new ArrayList<>();
        long n = client.read(node, fh, 0, data.length, (off, chunk) -> {
            offsets.add(off);
            gathered.put(chunk);
        });
        assertEquals(data.length, n);
        assertEquals(List.of(0L, 1L << 20, 2L << 20, 3L << 20), offsets);
        assertArrayEquals(data, gathered.array());
        assertEquals(0, client.read(node, fh, data.length, ByteBuffer.allocate(100)), "at EOF: 0 bytes");

        // a write at an offset past the end makes a hole on the host
        assertEquals(3, client.write(node, fh, data.length + 10, ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertEquals(data.length + 13, Files.size(d.host().resolve("data.bin")));
        client.release(node, fh, OpenFlags.O_RDWR);

        OpenOut ro = client.open(node, OpenFlags.O_RDONLY);
        expectErrno(Errno.EBADF, () -> client.write(node, ro.fh(), 0, ByteBuffer.wrap(new byte[] {9})));
        client.release(node, ro.fh(), OpenFlags.O_RDONLY);
        expectErrno(Errno.EEXIST, () -> client.create(d.node(), "data.bin", OpenFlags.O_RDWR | OpenFlags.O_EXCL,
                0644, 0));
        client.nodes().forgetAll(node);
    }

    @Test
    void openWithTruncateAndAppend(TestInfo info) throws Exception {
        Dir d = newDir(info);
        Path f = d.host().resolve("t");
        Files.writeString(f, "0123456789");
        long node = client.lookup(d.node(), "t").nodeId();
        OpenOut o = client.open(node, OpenFlags.O_WRONLY | OpenFlags.O_TRUNC);
        assertEquals(0, Files.size(f), "O_TRUNC (ATOMIC_O_TRUNC granted) empties the host file");
        client.write(node, o.fh(), 0, ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
        client.release(node, o.fh(), OpenFlags.O_WRONLY);
        assertEquals("abc", Files.readString(f));
        client.nodes().forgetAll(node);
    }

    @Test
    void mkdirRmdirUnlinkAndTheirErrors(TestInfo info) throws Exception {
        Dir d = newDir(info);
        EntryOut sub = client.mkdir(d.node(), "sub", 0750, 0);
        assertTrue(sub.attr().isDirectory());
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.host().resolve("sub"))));
        expectErrno(Errno.EEXIST, () -> client.mkdir(d.node(), "sub", 0755, 0));
        Files.writeString(d.host().resolve("sub/inner"), "x");
        expectErrno(Errno.ENOTEMPTY, () -> client.rmdir(d.node(), "sub"));
        expectErrno(Errno.EISDIR, () -> client.unlink(d.node(), "sub"));
        // the C virtiofsd 7.2 finds the victim in its inode table: a name never looked up gives EIO, so
        // callers LOOKUP first, as Linux does (FuseClient#unlink javadoc); the Rust one answers ENOTDIR
        expectErrno(rust() ? Errno.ENOTDIR : Errno.EIO, () -> client.rmdir(sub.nodeId(), "inner"));
        long inner = client.lookup(sub.nodeId(), "inner").nodeId();
        expectErrno(Errno.ENOTDIR, () -> client.rmdir(sub.nodeId(), "inner"));
        expectErrno(rust() ? Errno.ENOENT : Errno.EIO, () -> client.unlink(d.node(), "nothing"));
        expectErrno(Errno.ENOENT, () -> client.lookup(d.node(), "nothing"));
        client.unlink(sub.nodeId(), "inner");
        assertFalse(Files.exists(d.host().resolve("sub/inner")));
        client.forget(inner, 1);
        client.rmdir(d.node(), "sub");
        assertFalse(Files.exists(d.host().resolve("sub")));
        // the node outlives its name until forgotten
        expectErrno(Errno.ENOENT, () -> client.lookup(d.node(), "sub"));
        client.forget(sub.nodeId(), 1);
        EntryOut again = client.mkdir(d.node(), "dir2", 0755, 0);
        expectErrno(Errno.EISDIR, () -> client.open(again.nodeId(), OpenFlags.O_RDWR));
        client.forget(again.nodeId(), 1);
    }

    @Test
    void setattrModeSizeTimesOwner(TestInfo info) throws Exception {
        Dir d = newDir(info);
        CreateOut c = client.create(d.node(), "s", OpenFlags.O_RDWR, 0600, 0);
        long node = c.entry().nodeId();
        Path f = d.host().resolve("s");
        client.write(node, c.open().fh(), 0, ByteBuffer.wrap(new byte[10000]));

        AttrOut a = client.setattr(node, SetattrIn.builder().mode(0640).build());
        assertEquals(0100640, a.attr().mode());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));

        a = client.setattr(node, SetattrIn.builder().size(1234).build());
        assertEquals(1234, a.attr().size());
        assertEquals(1234, Files.size(f));
        a = client.setattr(node, SetattrIn.builder().size(5000).fh(c.open().fh()).build());
        assertEquals(5000, Files.size(f), "size through the handle (FATTR_FH)");

        a = client.setattr(node, SetattrIn.builder().atime(1_000_000_000L, 123_456_789).mtime(1_500_000_000L, 5)
                .build());
        assertEquals(1_500_000_000L, a.attr().mtime());
        assertEquals(5, a.attr().mtimeNsec());
        assertEquals(Instant.ofEpochSecond(1_500_000_000L, 5), Files.getLastModifiedTime(f).toInstant());
        assertEquals(Instant.ofEpochSecond(1_000_000_000L, 123_456_789),
                ((FileTime) Files.getAttribute(f, "lastAccessTime")).toInstant());

        long before = Instant.now().getEpochSecond();
        a = client.setattr(node, SetattrIn.builder().mtimeNow().atimeNow().build());
        long after = Instant.now().getEpochSecond();
        // file times come from the kernel's coarse clock, which may lag the one Java reads by a tick
        assertTrue(a.attr().mtime() >= before - 1 && a.attr().mtime() <= after,
                "MTIME_NOW sets the daemon's clock: " + a.attr().mtime() + " outside " + (before - 1) + ".." + after);
        assertEquals(a.attr().mtime(), Files.getLastModifiedTime(f).toInstant().getEpochSecond());

        a = client.setattr(node, SetattrIn.builder().uid(1234).gid(2345).build());
        assertEquals(1234, a.attr().uid());
        assertEquals(1234, (Integer) Files.getAttribute(f, "unix:uid"));
        assertEquals(2345, (Integer) Files.getAttribute(f, "unix:gid"));

        // ctime is not settable on Linux: the bit is accepted and the daemon's ctime stays its own
        a = client.setattr(node, SetattrIn.builder().ctime(42, 0).build());
        assertNotEquals(42, a.attr().ctime());

        AttrOut viaFh = client.getattr(node, c.open().fh());
        assertEquals(5000, viaFh.attr().size());
        client.release(node, c.open().fh(), OpenFlags.O_RDWR);
        client.forget(node, 1);
    }

    @Test
    void renamePlainNoreplaceExchangeAndAcrossDirectories(TestInfo info) throws Exception {
        Dir d = newDir(info);
        Files.writeString(d.host().resolve("a"), "A");
        Files.writeString(d.host().resolve("b"), "B");
        long other = client.mkdir(d.node(), "other", 0755, 0).nodeId();
        // the C virtiofsd 7.2 renames only names it has looked up (EIO otherwise), see mkdirRmdirUnlink...;
        // the Rust one renames by name
        if (rust()) {
            client.rename(d.node(), "a", d.node(), "a2", 0);
            client.rename(d.node(), "a2", d.node(), "a", 0);
        } else {
            expectErrno(Errno.EIO, () -> client.rename(d.node(), "a", d.node(), "a2", 0));
        }
        long a = client.lookup(d.node(), "a").nodeId();
        long b = client.lookup(d.node(), "b").nodeId();

        client.rename(d.node(), "a", d.node(), "a2", 0);
        assertFalse(Files.exists(d.host().resolve("a")));
        assertEquals("A", Files.readString(d.host().resolve("a2")));

        expectErrno(Errno.EEXIST, () -> client.rename(d.node(), "a2", d.node(), "b", FuseFlags.RENAME_NOREPLACE));
        assertEquals("B", Files.readString(d.host().resolve("b")), "NOREPLACE left the target alone");

        client.rename(d.node(), "a2", d.node(), "b", FuseFlags.RENAME_EXCHANGE);
        assertEquals("A", Files.readString(d.host().resolve("b")));
        assertEquals("B", Files.readString(d.host().resolve("a2")));

        client.rename(d.node(), "b", other, "moved", 0);
        assertEquals("A", Files.readString(d.host().resolve("other/moved")));
        client.rename(d.node(), "a2", other, "moved", 0);
        assertEquals("B", Files.readString(d.host().resolve("other/moved")), "flags 0 replaces");
        Files.writeString(d.host().resolve("other/full"), "x");
        long emptyish = client.mkdir(d.node(), "emptyish", 0755, 0).nodeId();
        expectErrno(Errno.ENOTEMPTY, () -> client.rename(d.node(), "emptyish", d.node(), "other", 0));
        long renames = counting.count(Opcode.RENAME);
        expectErrno(Errno.EINVAL, () -> client.rename(d.node(), "other", other, "inside-itself", 0));
        assertEquals(renames + 1, counting.count(Opcode.RENAME),
                "EINVAL from RENAME2 with flags 0 is retried as RENAME (which fails the same way here)");
        expectErrno(Errno.ENOTDIR, () -> client.rename(d.node(), "emptyish", other, "moved", 0));
        for (long n : new long[] {a, b, other, emptyish}) {
            client.forget(n, 1);
        }
    }

    @Test
    void plainRenameOpcodeWorksOnTheDaemon(TestInfo info) throws Exception {
        Dir d = newDir(info);
        Files.writeString(d.host().resolve("old"), "content");
        long node = client.lookup(d.node(), "old").nodeId();
        long renames = counting.count(Opcode.RENAME);
        long renames2 = counting.count(Opcode.RENAME2);
        client.rename2Missing(true);
        try {
            client.rename(d.node(), "old", d.node(), "new", 0);
            // with flags the request is RENAME2 even now: RENAME cannot carry them
            expectErrno(Errno.EEXIST, () -> {
                Files.writeString(d.host().resolve("other"), "x");
                client.lookup(d.node(), "new");
                client.rename(d.node(), "new", d.node(), "other", FuseFlags.RENAME_NOREPLACE);
            });
        } finally {
            client.rename2Missing(false);
        }
        assertEquals(renames + 1, counting.count(Opcode.RENAME));
        assertEquals(renames2 + 1, counting.count(Opcode.RENAME2));
        assertEquals("content", Files.readString(d.host().resolve("new")));
        assertFalse(Files.exists(d.host().resolve("old")));
        client.forget(node, 2);
    }

    @Test
    void symlinkReadlinkAndLoops(TestInfo info) throws Exception {
        Dir d = newDir(info);
        EntryOut s = client.symlink(d.node(), "ln", "../target/x");
        assertTrue(s.attr().isSymlink());
        assertEquals(Path.of("../target/x"), Files.readSymbolicLink(d.host().resolve("ln")));
        assertEquals("../target/x", client.readlink(s.nodeId()));
        expectErrno(Errno.EEXIST, () -> client.symlink(d.node(), "ln", "y"));
        Files.writeString(d.host().resolve("file"), "x");
        long file = client.lookup(d.node(), "file").nodeId();
        // virtiofsd 7.2 calls readlinkat(fd, "") on the node's O_PATH fd: a non-symlink gives ENOENT
        expectErrno(Errno.ENOENT, () -> client.readlink(file));

        // A loop cannot produce ELOOP over FUSE: the daemon never follows a link for the client.
        // LOOKUP takes names one component at a time without following, a symlink node used as a
        // directory gives ENOTDIR, and virtiofsd 7.2 refuses to OPEN anything but regular files and
        // directories with EBADF. Resolving links (and detecting loops) is the volume's job.
        EntryOut l1 = client.symlink(d.node(), "loop1", "loop2");
        EntryOut l2 = client.symlink(d.node(), "loop2", "loop1");
        assertEquals("loop2", client.readlink(l1.nodeId()));
        assertEquals("loop1", client.readlink(l2.nodeId()));
        expectErrno(Errno.ENOTDIR, () -> client.lookup(l1.nodeId(), "x"));
        expectErrno(Errno.EBADF, () -> client.open(l1.nodeId(), OpenFlags.O_RDONLY));
        for (long n : new long[] {s.nodeId(), file, l1.nodeId(), l2.nodeId()}) {
            client.forget(n, 1);
        }
    }

    @Test
    void hardLink(TestInfo info) throws Exception {
        Dir d = newDir(info);
        Files.writeString(d.host().resolve("orig"), "data");
        EntryOut orig = client.lookup(d.node(), "orig");
        EntryOut l = client.link(orig.nodeId(), d.node(), "again");
        assertEquals(orig.attr().ino(), l.attr().ino());
        assertEquals(2, l.attr().nlink());
        assertEquals(2, (Integer) Files.getAttribute(d.host().resolve("orig"), "unix:nlink"));
        assertEquals(hostIno(d.host().resolve("orig")), hostIno(d.host().resolve("again")));
        assertEquals(l.nodeId(), orig.nodeId(), "same inode, same node: the daemon now holds 2 references");
        assertEquals(2, client.nodes().lookups(orig.nodeId()));
        expectErrno(Errno.EEXIST, () -> client.link(orig.nodeId(), d.node(), "again"));
        client.forget(orig.nodeId(), 2);
    }

    @Test
    void readdirplusAndReaddirSeeEveryEntryAcrossCalls(TestInfo info) throws Exception {
        Dir d = newDir(info);
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 300; i++) {
            String name = "entry-" + i + "-" + "x".repeat(i % 40);
            Files.writeString(d.host().resolve(name), Integer.toString(i));
            expected.add(name);
        }
        Files.createDirectory(d.host().resolve("subdir"));
        expected.add("subdir");
        OpenOut dh = client.opendir(d.node());
        long before = client.nodes().totalLookups();
        Set<String> seen = new TreeSet<>();
        List<Long> nodeIds = new ArrayList<>();
        long cookie = 0;
        int calls = 0;
        List<List<String>> batches = new ArrayList<>();
        while (true) {
            List<DirentPlus> batch = client.readdirplus(d.node(), dh.fh(), cookie, 4096);
            calls++;
            if (batch.isEmpty()) {
                break;
            }
            batches.add(batch.stream().map(DirentPlus::name).toList());
            for (DirentPlus e : batch) {
                if (e.dirent().isDotOrDotDot()) {
                    assertEquals(0, e.nodeId(), ". and .. carry no node");
                    continue;
                }
                assertTrue(seen.add(e.name()), "seen twice: " + e.name());
                assertEquals(hostIno(d.host().resolve(e.name())), e.entry().attr().ino(), e.name());
                assertEquals(e.entry().attr().isDirectory() ? FileMode.DT_DIR : FileMode.DT_REG, e.dirent().type());
                nodeIds.add(e.nodeId());
            }
            cookie = batch.get(batch.size() - 1).off();
        }
        assertEquals(expected, seen);
        // the daemon packs each 4 KiB reply greedily: 152 bytes + the name, padded to 8, per record, and
        // a record that does not fit starts the next reply; one more call gets the empty end
        assertEquals(batches.size() + 1, calls, "one call per reply plus the empty one");
        for (int i = 0; i < batches.size(); i++) {
            int used = batches.get(i).stream().mapToInt(FuseClientIT::direntplusBytes).sum();
            assertTrue(used <= 4096, "reply " + i + " holds " + used + " bytes");
            if (i + 1 < batches.size()) {
                int next = direntplusBytes(batches.get(i + 1).get(0));
                assertTrue(used + next > 4096, "reply " + i + " (" + used + " bytes) had room for the next record ("
                        + next + " bytes)");
            }
        }
        assertEquals(before + 301, client.nodes().totalLookups(), "one reference per entry");
        for (long n : nodeIds) {
            client.nodes().forgetLater(n, 1);
        }
        client.nodes().flush();
        assertEquals(before, client.nodes().totalLookups());

        Set<String> plain = new HashSet<>();
        cookie = 0;
        for (List<Dirent> b; !(b = client.readdir(d.node(), dh.fh(), cookie)).isEmpty(); ) {
            b.forEach(e -> plain.add(e.name()));
            cookie = b.get(b.size() - 1).off();
        }
        assertTrue(plain.containsAll(expected) && plain.contains(".") && plain.contains(".."), plain.toString());
        assertEquals(expected.size() + 2, plain.size());
        assertEquals(before, client.nodes().totalLookups(), "READDIR takes no references");
        client.fsyncdir(d.node(), dh.fh(), false);
        client.releasedir(d.node(), dh.fh());
    }

    @Test
    void statfsMatchesTheHostFileStore() throws Exception {
        FileStore store = Files.getFileStore(shared);
        long freeBefore = store.getUsableSpace();
        StatfsOut s = client.statfs(FuseFlags.ROOT_ID);
        long freeAfter = store.getUsableSpace();
        assertEquals(store.getTotalSpace(), s.blocks() * s.frsize());
        assertEquals(255, s.namelen(), "ext4 (and tmpfs, xfs, btrfs) allow 255-byte names");
        assertEquals(store.getBlockSize(), s.bsize(), "the host's block size");
        assertTrue(s.files() > 0, "statvfs f_files, which Java cannot read: " + s.files());
        // other processes write to this file system too: bracket the daemon's answer by two host readings
        long fuseFree = s.bavail() * s.frsize();
        long slack = 64L << 20;
        assertTrue(fuseFree >= Math.min(freeBefore, freeAfter) - slack && fuseFree <= Math.max(freeBefore, freeAfter) + slack,
                "free space " + fuseFree + " outside the host's " + freeBefore + ".." + freeAfter + " ± 64 MiB");
    }

    @Test
    void fallocateAndLseek(TestInfo info) throws Exception {
        Dir d = newDir(info);
        CreateOut c = client.create(d.node(), "f", OpenFlags.O_RDWR, 0644, 0);
        long node = c.entry().nodeId();
        long fh = c.open().fh();
        Path f = d.host().resolve("f");
        client.fallocate(node, fh, 0, 0, 1 << 20);
        assertEquals(1 << 20, Files.size(f), "mode 0 extends the file");
        client.fallocate(node, fh, FuseFlags.FALLOC_FL_KEEP_SIZE, 0, 4 << 20);
        assertEquals(1 << 20, Files.size(f), "KEEP_SIZE allocates without growing");
        long blocks = client.getattr(node).attr().blocks();
        assertEquals(hostBlocks(f), blocks, "st_blocks as the host reports it");
        assertTrue(blocks * 512 >= 4 << 20, "the allocation covers 4 MiB: " + blocks + " blocks");

        client.write(node, fh, 3 << 20, ByteBuffer.wrap(new byte[] {7}));
        long size = (3 << 20) + 1;
        assertEquals(size, Files.size(f));
        assertEquals(size, client.lseek(node, fh, 0, FuseFlags.SEEK_END));
        assertEquals(100, client.lseek(node, fh, 100, FuseFlags.SEEK_SET));
        long data = client.lseek(node, fh, 0, FuseFlags.SEEK_DATA);
        assertTrue(data >= 0 && data <= 3 << 20, "SEEK_DATA " + data);
        assertEquals(size, client.lseek(node, fh, 3 << 20, FuseFlags.SEEK_HOLE), "the last byte ends in EOF");
        expectErrno(Errno.ENXIO, () -> client.lseek(node, fh, size + 10, FuseFlags.SEEK_DATA));

        client.fallocate(node, fh, FuseFlags.FALLOC_FL_PUNCH_HOLE | FuseFlags.FALLOC_FL_KEEP_SIZE, 0, 1 << 20);
        assertEquals(size, Files.size(f));
        ByteBuffer head = ByteBuffer.allocate(16);
        client.read(node, fh, 0, head);
        assertArrayEquals(new byte[16], head.array(), "a punched hole reads as zeros");
        expectErrno(Errno.EINVAL, () -> client.fallocate(node, fh, 0, 0, 0));
        client.release(node, fh, OpenFlags.O_RDWR);
        client.forget(node, 1);
    }

    @Test
    void xattrSetGetListRemove(TestInfo info) throws Exception {
        Dir d = newDir(info);
        Path f = d.host().resolve("x");
        Files.writeString(f, "x");
        long node = client.lookup(d.node(), "x").nodeId();
        byte[] value = "value-é".getBytes(StandardCharsets.UTF_8);
        client.setxattr(node, "user.viofs.test", value, FuseFlags.XATTR_CREATE);
        UserDefinedFileAttributeView host = Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
        ByteBuffer hv = ByteBuffer.allocate(64);
        host.read("viofs.test", hv);
        assertArrayEquals(value, java.util.Arrays.copyOf(hv.array(), hv.position()), "the host sees the value");

        assertEquals(value.length, client.getxattrSize(node, "user.viofs.test"));
        assertArrayEquals(value, client.getxattr(node, "user.viofs.test"));
        expectErrno(Errno.ERANGE, () -> client.getxattr(node, "user.viofs.test", ByteBuffer.allocate(3)));
        expectErrno(Errno.EEXIST, () -> client.setxattr(node, "user.viofs.test", value, FuseFlags.XATTR_CREATE));
        expectErrno(Errno.ENODATA, () -> client.setxattr(node, "user.absent", value, FuseFlags.XATTR_REPLACE));
        client.setxattr(node, "user.viofs.empty", new byte[0], 0);
        assertArrayEquals(new byte[0], client.getxattr(node, "user.viofs.empty"));

        host.write("host.side", ByteBuffer.wrap(new byte[] {1, 2}));
        List<String> names = client.listxattr(node);
        assertTrue(names.containsAll(List.of("user.viofs.test", "user.viofs.empty", "user.host.side")), names.toString());
        assertEquals(names.stream().mapToInt(n -> n.getBytes(StandardCharsets.UTF_8).length + 1).sum(),
                client.listxattrSize(node));

        client.removexattr(node, "user.viofs.test");
        assertFalse(host.list().contains("viofs.test"));
        expectErrno(Errno.ENODATA, () -> client.getxattrSize(node, "user.viofs.test"));
        expectErrno(Errno.ENODATA, () -> client.removexattr(node, "user.viofs.test"));
        client.forget(node, 1);
    }

    @Test
    void staleNodeAfterLastForgetIsEbadf(TestInfo info) throws Exception {
        Dir d = newDir(info);
        Files.writeString(d.host().resolve("f"), "x");
        long node = client.lookup(d.node(), "f").nodeId();
        client.forget(node, 1);
        // FORGET has no reply; a GETATTR on the request queue may overtake it, so poll briefly
        long deadline = System.nanoTime() + 5_000_000_000L;
        FuseErrnoException last = null;
        while (System.nanoTime() < deadline) {
            try {
                client.getattr(node);
                Thread.sleep(10);
            } catch (FuseErrnoException e) {
                last = e;
                break;
            }
        }
        // docs/vhost-user-frontend.md §7.5: a dead nodeid gives EBADF, not ENOENT/ESTALE
        assertTrue(last != null && last.is(Errno.EBADF), "after FORGET the node is dead: " + last);
    }

    private static boolean rust() {
        return VirtiofsdFixture.daemonUnderTest().flavour() == org.viofs.bridge.vhostuser.VirtiofsdBinary.Flavour.RUST;
    }
}
