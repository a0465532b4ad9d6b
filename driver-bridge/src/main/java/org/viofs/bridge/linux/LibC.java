package org.viofs.bridge.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The few glibc functions and structs the vhost-user transport needs (x86_64 Linux), as JNA direct
 * mappings. Declarations only: no logic, no error handling. A failing call returns -1 (or
 * {@link #MAP_FAILED} for {@code mmap}); read errno with {@code Native.getLastError()} right after it.
 *
 * <p>Signatures and constants are from docs/vhost-user-frontend.md §11 (which cites the glibc / Linux UAPI
 * headers); {@code size_t}, {@code ssize_t} and {@code off_t} map to {@code long}. The structs exist
 * so that their sizes and offsets can be asserted in tests; the hot path uses the {@code *_OFF}
 * constants derived from them on raw {@code Memory}.
 *
 * <p>Thread-safe (the functions are; the caller owns every fd and mapping it creates and closes it).
 */
public final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private LibC() {
    }

    // ---------------------------------------------------------------- constants (§11.1, §11.2)

    /** {@code <sys/mman.h>}: close-on-exec for memfd_create. */
    public static final int MFD_CLOEXEC = 0x1;
    /** {@code <sys/mman.h>} PROT_READ. */
    public static final int PROT_READ = 0x1;
    /** {@code <sys/mman.h>} PROT_WRITE. */
    public static final int PROT_WRITE = 0x2;
    /** {@code <sys/mman.h>} MAP_SHARED. */
    public static final int MAP_SHARED = 0x01;
    /** {@code <sys/mman.h>}: what mmap returns on failure, {@code (void *) -1}. */
    public static final long MAP_FAILED = -1L;
    /** {@code <sys/eventfd.h>} EFD_CLOEXEC. */
    public static final int EFD_CLOEXEC = 0x80000;
    /** {@code <sys/eventfd.h>} EFD_NONBLOCK. */
    public static final int EFD_NONBLOCK = 0x800;
    /** {@code <sys/socket.h>} AF_UNIX. */
    public static final int AF_UNIX = 1;
    /** {@code <sys/socket.h>} SOCK_STREAM. */
    public static final int SOCK_STREAM = 1;
    /** {@code <sys/socket.h>} SOCK_CLOEXEC. */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** {@code <sys/socket.h>} SOL_SOCKET (cmsg_level). */
    public static final int SOL_SOCKET = 1;
    /** {@code <sys/socket.h>} SCM_RIGHTS (cmsg_type). */
    public static final int SCM_RIGHTS = 1;
    /** {@code <sys/socket.h>} MSG_PEEK. */
    public static final int MSG_PEEK = 0x2;
    /** {@code <sys/socket.h>} MSG_DONTWAIT. */
    public static final int MSG_DONTWAIT = 0x40;
    /** {@code <sys/socket.h>} MSG_NOSIGNAL: EPIPE instead of SIGPIPE when the peer is gone. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code <poll.h>} POLLIN. */
    public static final short POLLIN = 0x001;
    /** {@code <poll.h>} POLLERR. */
    public static final short POLLERR = 0x008;
    /** {@code <poll.h>} POLLHUP. */
    public static final short POLLHUP = 0x010;
    /** {@code <poll.h>} POLLNVAL. */
    public static final short POLLNVAL = 0x020;
    /** {@code <errno.h>} EINTR. */
    public static final int EINTR = 4;
    /** {@code <errno.h>} EAGAIN. */
    public static final int EAGAIN = 11;
    /** {@code <errno.h>} EPIPE. */
    public static final int EPIPE = 32;
    /** {@code <errno.h>} ECONNRESET. */
    public static final int ECONNRESET = 104;
    /** {@code <signal.h>} SIGKILL. */
    public static final int SIGKILL = 9;
    /** {@code <signal.h>} SIGTERM. */
    public static final int SIGTERM = 15;
    /** {@code <signal.h>} SIGCONT (x86_64). */
    public static final int SIGCONT = 18;
    /** {@code <signal.h>} SIGSTOP (x86_64). */
    public static final int SIGSTOP = 19;
    /** {@code <sys/un.h>}: size of {@code sun_path} in {@code struct sockaddr_un}. */
    public static final int SUN_PATH_MAX = 108;
    /** {@code struct sockaddr_un}: offset of {@code sun_path} (after the u16 {@code sun_family}). */
    public static final int SOCKADDR_UN_PATH_OFF = 2;

    // ---------------------------------------------------------------- functions (§11.1)

    /** {@code int memfd_create(const char *name, unsigned int flags)}. */
    public static native int memfd_create(String name, int flags);

    /** {@code int ftruncate(int fd, off_t length)}. */
    public static native int ftruncate(int fd, long length);

    /** {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}. */
    public static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    /** {@code int munmap(void *addr, size_t length)}. */
    public static native int munmap(Pointer addr, long length);

    /** {@code int eventfd(unsigned int initval, int flags)}. */
    public static native int eventfd(int initval, int flags);

    /** {@code int socket(int domain, int type, int protocol)}. */
    public static native int socket(int domain, int type, int protocol);

    /** {@code int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}. */
    public static native int connect(int sockfd, Pointer addr, int addrlen);

    /** {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)}. */
    public static native long sendmsg(int sockfd, Pointer msghdr, int flags);

    /** {@code ssize_t recv(int sockfd, void *buf, size_t len, int flags)}. */
    public static native long recv(int sockfd, Pointer buf, long len, int flags);

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    public static native long read(int fd, Pointer buf, long count);

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    public static native long write(int fd, Pointer buf, long count);

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}; timeout in milliseconds, -1 = forever. */
    public static native int poll(Pointer fds, long nfds, int timeoutMillis);

    /** {@code int close(int fd)}. */
    public static native int close(int fd);

    /** {@code int kill(pid_t pid, int sig)}. */
    public static native int kill(int pid, int sig);

    /** {@code char *strerror(int errnum)}: for messages only. */
    public static native String strerror(int errnum);

    // ---------------------------------------------------------------- structs (§11.2)

    /** A struct whose field offsets can be read, for layout constants and tests. */
    public abstract static class LayoutStructure extends Structure {
        /** Offset of {@code field} in bytes. */
        public int offsetOf(String field) {
            return fieldOffset(field);
        }
    }

    /** {@code struct iovec} (16 bytes). Layout reference only. */
    @Structure.FieldOrder({"iov_base", "iov_len"})
    public static final class iovec extends LayoutStructure {
        public Pointer iov_base;
        public long iov_len;
    }

    /** {@code struct msghdr} (56 bytes on x86_64). Layout reference only. */
    @Structure.FieldOrder({"msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control",
            "msg_controllen", "msg_flags"})
    public static final class msghdr extends LayoutStructure {
        public Pointer msg_name;
        public int msg_namelen;
        public Pointer msg_iov;
        public long msg_iovlen;
        public Pointer msg_control;
        public long msg_controllen;
        public int msg_flags;
    }

    /** {@code struct cmsghdr} without its data (16 bytes); data starts at {@link #CMSG_DATA_OFF}. */
    @Structure.FieldOrder({"cmsg_len", "cmsg_level", "cmsg_type"})
    public static final class cmsghdr extends LayoutStructure {
        public long cmsg_len;
        public int cmsg_level;
        public int cmsg_type;
    }

    /** {@code struct pollfd} (8 bytes). Layout reference only. */
    @Structure.FieldOrder({"fd", "events", "revents"})
    public static final class pollfd extends LayoutStructure {
        public int fd;
        public short events;
        public short revents;
    }

    /** Size of {@code struct iovec}. */
    public static final int IOVEC_SIZE = new iovec().size();
    /** Offset of {@code iov_base}. */
    public static final int IOVEC_BASE_OFF = new iovec().offsetOf("iov_base");
    /** Offset of {@code iov_len}. */
    public static final int IOVEC_LEN_OFF = new iovec().offsetOf("iov_len");

    /** Size of {@code struct msghdr}. */
    public static final int MSGHDR_SIZE = new msghdr().size();
    /** Offset of {@code msg_iov}. */
    public static final int MSGHDR_IOV_OFF = new msghdr().offsetOf("msg_iov");
    /** Offset of {@code msg_iovlen}. */
    public static final int MSGHDR_IOVLEN_OFF = new msghdr().offsetOf("msg_iovlen");
    /** Offset of {@code msg_control}. */
    public static final int MSGHDR_CONTROL_OFF = new msghdr().offsetOf("msg_control");
    /** Offset of {@code msg_controllen}. */
    public static final int MSGHDR_CONTROLLEN_OFF = new msghdr().offsetOf("msg_controllen");

    /** Size of {@code struct cmsghdr}, which is also where {@code CMSG_DATA} starts on x86_64. */
    public static final int CMSG_DATA_OFF = new cmsghdr().size();
    /** Offset of {@code cmsg_len}. */
    public static final int CMSG_LEN_OFF = new cmsghdr().offsetOf("cmsg_len");
    /** Offset of {@code cmsg_level}. */
    public static final int CMSG_LEVEL_OFF = new cmsghdr().offsetOf("cmsg_level");
    /** Offset of {@code cmsg_type}. */
    public static final int CMSG_TYPE_OFF = new cmsghdr().offsetOf("cmsg_type");

    /** Size of {@code struct pollfd}. */
    public static final int POLLFD_SIZE = new pollfd().size();
    /** Offset of {@code fd}. */
    public static final int POLLFD_FD_OFF = new pollfd().offsetOf("fd");
    /** Offset of {@code events}. */
    public static final int POLLFD_EVENTS_OFF = new pollfd().offsetOf("events");
    /** Offset of {@code revents}. */
    public static final int POLLFD_REVENTS_OFF = new pollfd().offsetOf("revents");

    /** {@code CMSG_LEN(n)}: the {@code cmsg_len} of a control message carrying {@code n} data bytes. */
    public static long cmsgLen(int dataBytes) {
        return CMSG_DATA_OFF + dataBytes;
    }

    /** {@code CMSG_SPACE(n)}: the buffer space for such a message, data padded to 8 bytes. */
    public static long cmsgSpace(int dataBytes) {
        return CMSG_DATA_OFF + ((dataBytes + 7L) & ~7L);
    }
}
