package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.RawFuse;
import org.viofs.bridge.testing.VirtiofsdFixture;

/**
 * Out-of-order completion for real: with a daemon thread pool, a request that blocks in the daemon does
 * not hold up a later one. The block: the host holds a write lease on a file, so the daemon's open(2)
 * for the guest's OPEN waits until the lease is given up (fcntl(2) F_SETLEASE; the Rust daemon opens
 * only regular files and directories, so a FIFO would not do). The GETATTR sent after the OPEN completes
 * while the OPEN is pending; then the host releases the lease and the OPEN completes too. Without a
 * pool the GETATTR would wait behind the OPEN (the queue thread serves one request at a time).
 */
class ThreadPoolIT {
    /** x86_64 system call numbers a daemon thread blocked in an open shows in /proc/PID/task/TID/syscall. */
    private static final List<String> OPEN_SYSCALLS = List.of("2 ", "257 ", "304 ", "437 ");
    /** fcntl(2) commands and arguments (asm-generic/fcntl.h, linux/fcntl.h). */
    private static final int F_SETSIG = 10;
    private static final int F_SETLEASE = 1024;
    private static final int F_WRLCK = 1;
    private static final int F_UNLCK = 2;
    /** The lease-break signal goes to us: SIGURG, whose default action is to ignore it (SIGIO would kill). */
    private static final int SIGURG = 23;

    /** The few libc calls the host side needs. */
    interface CLib extends Library {
        CLib INSTANCE = Native.load("c", CLib.class);

        int open(String path, int flags);

        int fcntl(int fd, int cmd, int arg);

        int close(int fd);
    }

    @TempDir
    Path dir;

    @Test
    void aLaterRequestCompletesWhileAnEarlierOneBlocksInThePool() throws Exception {
        Path file = dir.resolve("leased");
        Files.writeString(file, "held by the host");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (VirtiofsdFixture f = VirtiofsdFixture.start(dir, VirtiofsdFixture.options().threadPoolSize(2).build(),
                VirtiofsdFixture.TEST_CONFIG)) {
            VhostUserTransport t = f.transport();
            RawFuse.initialize(t);
            long node = ConcurrentWorkload.lookup(t, "leased");
            int fd = CLib.INSTANCE.open(file.toString(), 0);
            assertTrue(fd >= 0, "open " + file + ": errno " + Native.getLastError());
            boolean leased = false;
            try {
                assertEquals(0, CLib.INSTANCE.fcntl(fd, F_SETSIG, SIGURG), "F_SETSIG: errno " + Native.getLastError());
                assertEquals(0, CLib.INSTANCE.fcntl(fd, F_SETLEASE, F_WRLCK), "F_SETLEASE: errno " + Native.getLastError());
                leased = true;
                Future<Long> open = pool.submit(() -> ConcurrentWorkload.open(t, node));
                awaitThreadInOpen(f.daemonPid(), open);
                // the OPEN waits in a pool thread; the GETATTR sent after it completes first
                assertEquals(0040000, RawFuse.getattrMode(t, RawFuse.ROOT_ID) & 0170000, "root is a directory");
                assertFalse(open.isDone(), "the OPEN still waits for the lease");
                assertEquals(0, CLib.INSTANCE.fcntl(fd, F_SETLEASE, F_UNLCK), "release the lease");
                leased = false;
                long fh = open.get(10, TimeUnit.SECONDS);
                release(t, node, fh);
            } finally {
                if (leased) {
                    CLib.INSTANCE.fcntl(fd, F_SETLEASE, F_UNLCK);
                }
                CLib.INSTANCE.close(fd);
            }
            assertEquals(null, t.failure());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits (bounded) until a daemon thread is inside an open call, or the OPEN completed early. */
    private static void awaitThreadInOpen(long pid, Future<Long> open) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!inOpen(pid)) {
            if (open.isDone()) {
                open.get(); // rethrows the reason
                throw new AssertionError("OPEN of a leased file completed at once");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no virtiofsd thread entered open(2) within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private static boolean inOpen(long pid) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String sc = Files.readString(task.resolve("syscall"));
                    if (OPEN_SYSCALLS.stream().anyMatch(sc::startsWith)) {
                        return true;
                    }
                } catch (IOException e) {
                    // thread gone
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static void release(VhostUserTransport t, long node, long fh) {
        ByteBuffer rel = RawFuse.release(node, fh);
        int err = t.exchange(RawFuse.of(rel), RawFuse.OUT_HEADER_SIZE, r -> RawFuse.outError(RawFuse.checkReply(rel, r)));
        assertEquals(0, err, "RELEASE");
    }
}
