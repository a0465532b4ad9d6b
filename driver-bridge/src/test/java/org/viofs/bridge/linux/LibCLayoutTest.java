package org.viofs.bridge.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/** Struct layouts and constants against docs/vhost-user-frontend.md §11.2 (x86_64, gcc-verified there). */
class LibCLayoutTest {
    @Test
    void iovecIs16BytesBaseThenLength() {
        assertEquals(16, LibC.IOVEC_SIZE, "sizeof(struct iovec)");
        assertEquals(0, LibC.IOVEC_BASE_OFF, "iov_base");
        assertEquals(8, LibC.IOVEC_LEN_OFF, "iov_len");
    }

    @Test
    void msghdrMatchesX8664() {
        LibC.msghdr m = new LibC.msghdr();
        assertEquals(56, LibC.MSGHDR_SIZE, "sizeof(struct msghdr)");
        assertEquals(0, m.offsetOf("msg_name"));
        assertEquals(8, m.offsetOf("msg_namelen"));
        assertEquals(16, LibC.MSGHDR_IOV_OFF, "msg_iov");
        assertEquals(24, LibC.MSGHDR_IOVLEN_OFF, "msg_iovlen");
        assertEquals(32, LibC.MSGHDR_CONTROL_OFF, "msg_control");
        assertEquals(40, LibC.MSGHDR_CONTROLLEN_OFF, "msg_controllen");
        assertEquals(48, m.offsetOf("msg_flags"));
    }

    @Test
    void cmsghdrAndTheOneFdSizes() {
        assertEquals(0, LibC.CMSG_LEN_OFF, "cmsg_len");
        assertEquals(8, LibC.CMSG_LEVEL_OFF, "cmsg_level");
        assertEquals(12, LibC.CMSG_TYPE_OFF, "cmsg_type");
        assertEquals(16, LibC.CMSG_DATA_OFF, "CMSG_DATA");
        assertEquals(20, LibC.cmsgLen(4), "CMSG_LEN(sizeof(int))");
        assertEquals(24, LibC.cmsgSpace(4), "CMSG_SPACE(sizeof(int))");
        assertEquals(24, LibC.cmsgLen(8), "CMSG_LEN(2 fds)");
        assertEquals(24, LibC.cmsgSpace(8), "CMSG_SPACE(2 fds)");
    }

    @Test
    void pollfdIs8Bytes() {
        assertEquals(8, LibC.POLLFD_SIZE, "sizeof(struct pollfd)");
        assertEquals(0, LibC.POLLFD_FD_OFF);
        assertEquals(4, LibC.POLLFD_EVENTS_OFF);
        assertEquals(6, LibC.POLLFD_REVENTS_OFF);
    }

    @Test
    void constantsFromTheReference() {
        assertEquals(1, LibC.MFD_CLOEXEC);
        assertEquals(3, LibC.PROT_READ | LibC.PROT_WRITE);
        assertEquals(1, LibC.MAP_SHARED);
        assertEquals(0x80000, LibC.EFD_CLOEXEC);
        assertEquals(0x800, LibC.EFD_NONBLOCK);
        assertEquals(0x4000, LibC.MSG_NOSIGNAL);
        assertEquals(1, LibC.POLLIN);
        assertEquals(110, LibC.SOCKADDR_UN_PATH_OFF + LibC.SUN_PATH_MAX, "sizeof(struct sockaddr_un)");
    }

    @Test
    void eventfdCountsWritesAndReadResetsIt() {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        assertTrue(fd >= 0, "eventfd errno " + Native.getLastError());
        try (com.sun.jna.Memory one = new com.sun.jna.Memory(8)) {
            one.setLong(0, 1);
            assertEquals(8, LibC.write(fd, one, 8));
            assertEquals(8, LibC.write(fd, one, 8));
            one.setLong(0, 0);
            assertEquals(8, LibC.read(fd, one, 8));
            assertEquals(2, one.getLong(0), "two writes of 1 read back as 2");
            assertEquals(-1, LibC.read(fd, one, 8), "empty non-blocking eventfd");
            assertEquals(LibC.EAGAIN, Native.getLastError());
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void memfdMappingIsSharedBetweenTwoMappings() {
        int fd = LibC.memfd_create("layout-test", LibC.MFD_CLOEXEC);
        assertTrue(fd >= 0);
        try {
            assertEquals(0, LibC.ftruncate(fd, 4096));
            Pointer a = LibC.mmap(null, 4096, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
            Pointer b = LibC.mmap(null, 4096, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
            assertTrue(Pointer.nativeValue(a) != LibC.MAP_FAILED && Pointer.nativeValue(b) != LibC.MAP_FAILED);
            a.setLong(8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, b.getLong(8), "the second mapping sees the first one's write");
            assertEquals(0, LibC.munmap(a, 4096));
            assertEquals(0, LibC.munmap(b, 4096));
        } finally {
            LibC.close(fd);
        }
    }
}
