package org.viofs.bridge.vhostuser;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.viofs.bridge.DaemonExitedException;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.TransportTimeoutException;
import org.viofs.bridge.linux.LibC;
import org.viofs.bridge.vhostuser.VhostUserMessage.Header;
import org.viofs.bridge.vhostuser.VhostUserMessage.Request;

/**
 * The vhost-user Unix socket: sends messages with optional SCM_RIGHTS fds and reads replies, every
 * read bounded by a deadline. Not thread-safe: the transport serialises control traffic.
 */
final class ControlChannel {
    /** Largest reply payload accepted (the biggest reply used here is a u64 or vring state). */
    private static final int MAX_REPLY_PAYLOAD = 4096;

    private final int sock;
    private final Path path;
    private final Supplier<String> diagnostics;
    private final Memory io = new Memory(VhostUserMessage.HEADER_SIZE + MAX_REPLY_PAYLOAD);
    private final Memory iov = new Memory(LibC.IOVEC_SIZE);
    private final Memory msghdr = new Memory(LibC.MSGHDR_SIZE);
    private final Memory cmsg = new Memory(LibC.cmsgSpace(4 * VhostUserMessage.MAX_MEM_REGIONS));
    private final Memory pollfd = new Memory(LibC.POLLFD_SIZE);

    private ControlChannel(int sock, Path path, Supplier<String> diagnostics) {
        this.sock = sock;
        this.path = path;
        this.diagnostics = diagnostics;
    }

    /** Connects to the backend's listening socket. */
    static ControlChannel connect(Path path, Supplier<String> diagnostics) {
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        if (p.length >= LibC.SUN_PATH_MAX) {
            throw new IllegalArgumentException("socket path is " + p.length + " bytes, the limit is "
                    + (LibC.SUN_PATH_MAX - 1) + " (sockaddr_un.sun_path): " + path);
        }
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new TransportException("socket(AF_UNIX) failed: " + SharedMemoryRegion.errno());
        }
        Memory sa = new Memory(LibC.SOCKADDR_UN_PATH_OFF + LibC.SUN_PATH_MAX);
        sa.clear();
        sa.setShort(0, (short) LibC.AF_UNIX);
        sa.write(LibC.SOCKADDR_UN_PATH_OFF, p, 0, p.length);
        if (LibC.connect(fd, sa, LibC.SOCKADDR_UN_PATH_OFF + p.length + 1) != 0) {
            String e = SharedMemoryRegion.errno();
            LibC.close(fd);
            throw new TransportException("cannot connect to the vhost-user socket " + path + ": " + e
                    + " (is virtiofsd running on it? it accepts exactly one connection)" + diag(diagnostics));
        }
        return new ControlChannel(fd, path, diagnostics);
    }

    int fd() {
        return sock;
    }

    Path path() {
        return path;
    }

    String diagnostics() {
        return diag(diagnostics);
    }

    private static String diag(Supplier<String> d) {
        if (d == null) {
            return "";
        }
        try {
            String s = d.get();
            return s == null || s.isEmpty() ? "" : "; " + s;
        } catch (RuntimeException e) {
            return "; (diagnostics failed: " + e + ")";
        }
    }

    /** Sends one message; {@code fds} may be empty. */
    void send(Request request, boolean needReply, ByteBuffer payload, int... fds) {
        ByteBuffer msg = VhostUserMessage.encode(request, needReply, payload);
        int len = msg.remaining();
        if (len > io.size()) {
            throw new IllegalArgumentException(request + " message of " + len + " bytes is too large");
        }
        byte[] bytes = new byte[len];
        msg.get(msg.position(), bytes);
        io.write(0, bytes, 0, len);
        iov.setPointer(LibC.IOVEC_BASE_OFF, io);
        iov.setLong(LibC.IOVEC_LEN_OFF, len);
        msghdr.clear();
        msghdr.setPointer(LibC.MSGHDR_IOV_OFF, iov);
        msghdr.setLong(LibC.MSGHDR_IOVLEN_OFF, 1);
        if (fds.length > 0) {
            cmsg.clear();
            cmsg.setLong(LibC.CMSG_LEN_OFF, LibC.cmsgLen(4 * fds.length));
            cmsg.setInt(LibC.CMSG_LEVEL_OFF, LibC.SOL_SOCKET);
            cmsg.setInt(LibC.CMSG_TYPE_OFF, LibC.SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) {
                cmsg.setInt(LibC.CMSG_DATA_OFF + 4L * i, fds[i]);
            }
            msghdr.setPointer(LibC.MSGHDR_CONTROL_OFF, cmsg);
            msghdr.setLong(LibC.MSGHDR_CONTROLLEN_OFF, LibC.cmsgSpace(4 * fds.length));
        }
        long n;
        do {
            n = LibC.sendmsg(sock, msghdr, LibC.MSG_NOSIGNAL);
        } while (n < 0 && Native.getLastError() == LibC.EINTR);
        if (n < 0) {
            int e = Native.getLastError();
            String what = "sendmsg(" + request + ") on " + path + " failed: " + LibC.strerror(e) + " (errno " + e + ")";
            if (e == LibC.EPIPE || e == LibC.ECONNRESET) {
                throw new DaemonExitedException("virtiofsd closed the vhost-user connection: " + what
                        + diagnostics());
            }
            throw new TransportException(what);
        }
        if (n != len) {
            throw new TransportException("sendmsg(" + request + ") sent " + n + " of " + len + " bytes");
        }
    }

    /**
     * Reads the reply to {@code request}: checks code and REPLY flag, returns the payload
     * (little-endian, a fresh buffer).
     */
    ByteBuffer receiveReply(Request request, long deadlineNanos) {
        readFully(0, VhostUserMessage.HEADER_SIZE, request, deadlineNanos);
        Header h = Header.decode(io.getByteBuffer(0, VhostUserMessage.HEADER_SIZE), 0);
        if (h.request() != request.code || !h.isReply() || h.version() != VhostUserMessage.FLAG_VERSION_1) {
            throw new TransportException("expected the reply to " + request + ", got " + h.requestName()
                    + " with flags 0x" + Integer.toHexString(h.flags()));
        }
        if (h.size() < 0 || h.size() > MAX_REPLY_PAYLOAD) {
            throw new TransportException("reply to " + request + " announces " + Integer.toUnsignedString(h.size())
                    + " payload bytes, limit " + MAX_REPLY_PAYLOAD);
        }
        readFully(VhostUserMessage.HEADER_SIZE, h.size(), request, deadlineNanos);
        ByteBuffer out = ByteBuffer.allocate(h.size()).order(ByteOrder.LITTLE_ENDIAN);
        io.getByteBuffer(VhostUserMessage.HEADER_SIZE, h.size()).get(out.array());
        return out;
    }

    private void readFully(long off, int n, Request request, long deadlineNanos) {
        int got = 0;
        while (got < n) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new TransportTimeoutException("no reply to " + request + " from " + path + " within the timeout"
                        + diagnostics());
            }
            pollfd.setInt(LibC.POLLFD_FD_OFF, sock);
            pollfd.setShort(LibC.POLLFD_EVENTS_OFF, LibC.POLLIN);
            pollfd.setShort(LibC.POLLFD_REVENTS_OFF, (short) 0);
            int r = LibC.poll(pollfd, 1, (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            if (r < 0 && Native.getLastError() != LibC.EINTR) {
                throw new TransportException("poll on " + path + " failed: " + SharedMemoryRegion.errno());
            }
            if (r <= 0) {
                continue;
            }
            Pointer at = io.share(off + got);
            long k = LibC.recv(sock, at, n - got, LibC.MSG_DONTWAIT);
            if (k == 0) {
                throw new DaemonExitedException("virtiofsd closed the vhost-user connection while " + request
                        + " was waiting for its reply (a rejected message makes libvhost-user exit)" + diagnostics());
            }
            if (k < 0) {
                int e = Native.getLastError();
                if (e == LibC.EINTR || e == LibC.EAGAIN) {
                    continue;
                }
                if (e == LibC.ECONNRESET) {
                    throw new DaemonExitedException("vhost-user connection reset while waiting for the reply to "
                            + request + diagnostics());
                }
                throw new TransportException("recv on " + path + " failed: " + LibC.strerror(e) + " (errno " + e + ")");
            }
            got += (int) k;
        }
    }

    /** Closes the socket (the backend then exits). */
    void close() {
        LibC.close(sock);
    }
}
