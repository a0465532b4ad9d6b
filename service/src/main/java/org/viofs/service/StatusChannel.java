package org.viofs.service;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinDef;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * The local channel {@code viofs status} reads the running service through (issue 8 §5). One exchange
 * per connection: the client sends {@value #REQUEST} and a newline, the service answers with the byte
 * length of {@link StatusReport#toJson()} in decimal, a newline, the JSON itself, and closes. The client
 * reads exactly that many bytes, so it never depends on how the end of a pipe shows. On Windows a named pipe ({@value ServiceNames#STATUS_PIPE})
 * whose DACL lets only SYSTEM and Administrators in ({@link #PIPE_SDDL}), local clients only; on Linux
 * (tests) a Unix socket only its owner may open (0600).
 */
public final class StatusChannel {
    private static final System.Logger LOG = System.getLogger(StatusChannel.class.getName());
    /** The one request. */
    public static final String REQUEST = "status";
    /** Longest request line read, and longest answer accepted by the client. */
    static final int MAX_REQUEST = 64;
    static final int MAX_ANSWER = 4 << 20;

    /**
     * The pipe's security descriptor in SDDL (docs/service.md §5): DACL protected from inheritance
     * ({@code P}), GENERIC_ALL ({@code GA}) for LocalSystem ({@code SY}, S-1-5-18) and the built-in
     * Administrators ({@code BA}, S-1-5-32-544); nobody else.
     */
    public static final String PIPE_SDDL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)";
    /** winbase.h {@code PIPE_ACCESS_DUPLEX}. */
    static final int PIPE_ACCESS_DUPLEX = 0x00000003;
    /** winbase.h {@code FILE_FLAG_FIRST_PIPE_INSTANCE}: fail if someone else created the name first. */
    static final int FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000;
    /** winbase.h {@code PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT} are all 0. */
    static final int PIPE_TYPE_BYTE = 0;
    /** winbase.h {@code PIPE_REJECT_REMOTE_CLIENTS}. */
    static final int PIPE_REJECT_REMOTE_CLIENTS = 0x00000008;
    /** winbase.h {@code PIPE_UNLIMITED_INSTANCES}. */
    static final int PIPE_UNLIMITED_INSTANCES = 255;
    /** winerror.h {@code ERROR_PIPE_CONNECTED}: the client came before ConnectNamedPipe, which is fine. */
    static final int ERROR_PIPE_CONNECTED = 535;
    /** sddl.h {@code SDDL_REVISION_1}. */
    static final int SDDL_REVISION_1 = 1;

    private StatusChannel() {
    }

    /** A listening channel; closing it stops answering. */
    public interface Server extends AutoCloseable {
        @Override
        void close();
    }

    // ================================================================== client

    /**
     * Asks the service at {@code endpoint} (a pipe name {@code \\.\pipe\…} or a Unix socket path).
     *
     * @throws IllegalStateException with a message for people when the service is not there or
     *                               refuses the caller
     */
    public static StatusReport query(String endpoint) {
        byte[] answer;
        if (endpoint.startsWith("\\\\.\\pipe\\")) {
            answer = queryPipe(endpoint);
        } else {
            answer = querySocket(Path.of(endpoint));
        }
        return StatusReport.fromJson(new String(answer, StandardCharsets.UTF_8));
    }

    private static byte[] queryPipe(String pipe) {
        try (RandomAccessFile f = new RandomAccessFile(pipe, "rw")) {
            f.write((REQUEST + "\n").getBytes(StandardCharsets.US_ASCII));
            return readFramed(f);
        } catch (FileNotFoundException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("denied")) {
                throw new IllegalStateException("only Administrators and SYSTEM may read the service's status;"
                        + " run from an elevated prompt");
            }
            throw new IllegalStateException(ServiceNames.SERVICE_NAME + " is not running (no " + pipe + ")");
        } catch (IOException e) {
            throw new IllegalStateException("reading " + pipe + " failed: " + e.getMessage(), e);
        }
    }

    private static byte[] querySocket(Path socket) {
        if (!Files.exists(socket)) {
            throw new IllegalStateException("no viofs service is listening on " + socket);
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap((REQUEST + "\n").getBytes(StandardCharsets.US_ASCII)));
            return readFramed(new DataInputStream(Channels.newInputStream(ch)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the status from " + socket + ": " + e.getMessage(), e);
        }
    }

    /** The answer to one request line, framed: the report, or an error object for anything else. */
    static byte[] answer(String requestLine, Supplier<StatusReport> report) {
        String body = REQUEST.equals(requestLine.strip()) ? report.get().toJson() : "{\"error\": \"unknown request\"}";
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = (json.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + json.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(json, 0, out, head.length, json.length);
        return out;
    }

    /**
     * Reads one framed answer: decimal length, newline, that many bytes.
     *
     * @throws IllegalStateException for a malformed header or a length over {@link #MAX_ANSWER}
     */
    static byte[] readFramed(DataInput in) throws IOException {
        StringBuilder len = new StringBuilder();
        for (byte b = in.readByte(); b != '\n'; b = in.readByte()) {
            if (b < '0' || b > '9' || len.length() >= 10) {
                throw new IllegalStateException("not a viofs status answer (bad length header)");
            }
            len.append((char) b);
        }
        long n = len.length() == 0 ? -1 : Long.parseLong(len.toString());
        if (n < 0 || n > MAX_ANSWER) {
            throw new IllegalStateException("status answer of " + n + " bytes; at most " + MAX_ANSWER);
        }
        byte[] body = new byte[(int) n];
        in.readFully(body);
        return body;
    }

    // ================================================================== Unix socket (Linux, tests)

    /** Listens on a Unix socket that only this user may open. */
    public static Server listenOnSocket(Path socket, Supplier<StatusReport> report) {
        try {
            Files.deleteIfExists(socket);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            Thread t = new Thread(() -> {
                while (server.isOpen()) {
                    try (SocketChannel c = server.accept()) {
                        c.write(ByteBuffer.wrap(answer(readLine(c), report)));
                    } catch (IOException e) {
                        if (server.isOpen()) {
                            LOG.log(Level.WARNING, "status channel: " + e);
                        }
                    } catch (RuntimeException e) {
                        LOG.log(Level.ERROR, "status channel failed to answer", e);
                    }
                }
            }, "viofs-status");
            t.setDaemon(true);
            t.start();
            return () -> {
                try {
                    server.close();
                    Files.deleteIfExists(socket);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "closing the status channel: " + e);
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + socket, e);
        }
    }

    private static String readLine(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MAX_REQUEST);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                break;
            }
            byte[] a = b.array();
            for (int i = 0; i < b.position(); i++) {
                if (a[i] == '\n') {
                    return new String(a, 0, i, StandardCharsets.US_ASCII);
                }
            }
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }

    // ================================================================== named pipe (Windows)

    /** advapi32's SDDL conversion, which jna-platform lacks. Declarations only. */
    interface SddlLibrary extends StdCallLibrary {
        SddlLibrary INSTANCE = Native.load("advapi32", SddlLibrary.class, W32APIOptions.DEFAULT_OPTIONS);

        /** ConvertStringSecurityDescriptorToSecurityDescriptorW; free the result with LocalFree. */
        boolean ConvertStringSecurityDescriptorToSecurityDescriptor(String sddl, int revision,
                                                                     PointerByReference sd, IntByReference size);
    }

    /** Listens on the named pipe; Windows-only, never run yet (README). */
    public static Server listenOnPipe(String pipe, Supplier<StatusReport> report) {
        PointerByReference sd = new PointerByReference();
        if (!SddlLibrary.INSTANCE.ConvertStringSecurityDescriptorToSecurityDescriptor(PIPE_SDDL, SDDL_REVISION_1, sd,
                null)) {
            throw new IllegalStateException("ConvertStringSecurityDescriptorToSecurityDescriptor failed: "
                    + Native.getLastError());
        }
        WinBase.SECURITY_ATTRIBUTES sa = new WinBase.SECURITY_ATTRIBUTES();
        sa.dwLength = new WinDef.DWORD(sa.size());
        sa.lpSecurityDescriptor = sd.getValue();
        sa.bInheritHandle = false;
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        Kernel32 k = Kernel32.INSTANCE;
        Thread t = new Thread(() -> {
            boolean first = true;
            try {
                while (open.get()) {
                    WinNT.HANDLE h = k.CreateNamedPipe(pipe, PIPE_ACCESS_DUPLEX | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
                            PIPE_TYPE_BYTE | PIPE_REJECT_REMOTE_CLIENTS, PIPE_UNLIMITED_INSTANCES, 65536, 65536, 0, sa);
                    if (WinBase.INVALID_HANDLE_VALUE.equals(h)) {
                        LOG.log(Level.ERROR, "CreateNamedPipe(" + pipe + ") failed: " + Native.getLastError());
                        return;
                    }
                    first = false;
                    try {
                        if (!k.ConnectNamedPipe(h, null) && Native.getLastError() != ERROR_PIPE_CONNECTED) {
                            continue;
                        }
                        if (!open.get()) {
                            return;
                        }
                        byte[] buf = new byte[MAX_REQUEST];
                        IntByReference n = new IntByReference();
                        String line = k.ReadFile(h, buf, buf.length, n, null)
                                ? new String(buf, 0, n.getValue(), StandardCharsets.US_ASCII) : "";
                        byte[] a = answer(line, report);
                        k.WriteFile(h, a, a.length, new IntByReference(), null);
                        k.FlushFileBuffers(h);
                        k.DisconnectNamedPipe(h);
                    } catch (RuntimeException e) {
                        LOG.log(Level.ERROR, "status channel failed to answer", e);
                    } finally {
                        k.CloseHandle(h);
                    }
                }
            } finally {
                k.LocalFree(sd.getValue());
            }
        }, "viofs-status");
        t.setDaemon(true);
        t.start();
        return () -> {
            if (open.getAndSet(false)) {
                try (RandomAccessFile wake = new RandomAccessFile(pipe, "rw")) { // unblocks ConnectNamedPipe
                    wake.write('\n');
                } catch (IOException e) {
                    // already gone
                }
            }
        };
    }

}
