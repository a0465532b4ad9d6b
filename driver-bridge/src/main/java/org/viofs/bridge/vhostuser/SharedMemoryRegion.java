package org.viofs.bridge.vhostuser;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.viofs.bridge.linux.LibC;

/**
 * An anonymous shared-memory file (memfd) mapped read-write, {@code MAP_SHARED}, into this process: the
 * "guest RAM" a vhost-user backend maps too (docs/vhost-user-frontend.md §4). Its pages start zeroed and are
 * allocated on first touch.
 *
 * <p>Thread-safe for reading its properties. {@link #close()} unmaps the region: the caller must make
 * sure no thread uses {@link #buffer()} afterwards (touching unmapped memory crashes the JVM). The
 * creator closes it.
 */
public final class SharedMemoryRegion implements AutoCloseable {
    private final int size;
    private final Pointer base;
    private final ByteBuffer buffer;
    private int fd;
    private boolean unmapped;

    private SharedMemoryRegion(int fd, Pointer base, int size) {
        this.fd = fd;
        this.base = base;
        this.size = size;
        this.buffer = base.getByteBuffer(0, size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Creates and maps a memfd of {@code size} bytes.
     *
     * @param name shows up in {@code /proc/PID/fd} as {@code memfd:NAME}
     * @throws IllegalStateException naming the call and errno if the kernel refuses
     */
    public static SharedMemoryRegion create(String name, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("region size must be positive, got " + size);
        }
        int fd = LibC.memfd_create(name, LibC.MFD_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("memfd_create(" + name + ") failed: " + errno());
        }
        if (LibC.ftruncate(fd, size) != 0) {
            String e = errno();
            LibC.close(fd);
            throw new IllegalStateException("ftruncate(memfd, " + size + ") failed: " + e);
        }
        Pointer p = LibC.mmap(null, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (p == null || Pointer.nativeValue(p) == LibC.MAP_FAILED) {
            String e = errno();
            LibC.close(fd);
            throw new IllegalStateException("mmap(memfd, " + size + " bytes) failed: " + e);
        }
        return new SharedMemoryRegion(fd, p, size);
    }

    static String errno() {
        int e = Native.getLastError();
        return LibC.strerror(e) + " (errno " + e + ")";
    }

    /** The memfd, for SCM_RIGHTS; -1 once {@link #closeFd()} or {@link #close()} ran. */
    public synchronized int fd() {
        return fd;
    }

    /** Closes the memfd only; the mapping (and the backend's mapping) stay valid. Idempotent. */
    public synchronized void closeFd() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }

    /** Region size in bytes. */
    public int size() {
        return size;
    }

    /** The address of the mapping in this process (the vhost-user "userspace address"). */
    public long address() {
        return Pointer.nativeValue(base);
    }

    /** A little-endian direct buffer over the whole mapping. Use absolute access only; shared between threads. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Unmaps the region and closes the fd. Idempotent. */
    @Override
    public synchronized void close() {
        closeFd();
        if (!unmapped) {
            unmapped = true;
            LibC.munmap(base, size);
        }
    }
}
