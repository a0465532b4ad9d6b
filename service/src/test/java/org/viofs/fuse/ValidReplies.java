package org.viofs.fuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.viofs.fuse.abi.Attr;
import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.abi.CreateOut;
import org.viofs.fuse.abi.Dirent;
import org.viofs.fuse.abi.DirentPlus;
import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.abi.GetxattrIn;
import org.viofs.fuse.abi.GetxattrOut;
import org.viofs.fuse.abi.InHeader;
import org.viofs.fuse.abi.InitOut;
import org.viofs.fuse.abi.LseekOut;
import org.viofs.fuse.abi.OpenOut;
import org.viofs.fuse.abi.OutHeader;
import org.viofs.fuse.abi.ReadIn;
import org.viofs.fuse.abi.StatfsOut;
import org.viofs.fuse.abi.WriteIn;
import org.viofs.fuse.abi.WriteOut;

/**
 * Builds a well-formed reply, as virtiofsd 7.2 would send it, to any request the client sends: the
 * starting point the {@link ReplyMutator} damages. Values are drawn from a seeded {@link Random}, so a
 * seed reproduces the whole sequence. Public for the volume's fuzzer. Not thread-safe.
 */
public final class ValidReplies {
    private static final String[] NAMES = {"a", "file.txt", "dir", "Ünïcode-名前", "x".repeat(40), "link"};
    private final Random rnd;

    public ValidReplies(Random rnd) {
        this.rnd = rnd;
    }

    /** A well-formed reply to {@code request} (header + arguments, as sent) that fits {@code replyCapacity}. */
    public ByteBuffer reply(ByteBuffer request, int replyCapacity) {
        ByteBuffer req = request.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        InHeader h = InHeader.decode(req);
        Opcode op = Opcode.of(h.opcode());
        if (op != Opcode.INIT && op != Opcode.DESTROY && rnd.nextInt(10) == 0) {
            return error(h.unique(), ERRNOS[rnd.nextInt(ERRNOS.length)]);
        }
        ByteBuffer body = ByteBuffer.allocate(Math.max(0, replyCapacity - OutHeader.SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        switch (op) {
            case INIT -> new InitOut(7, 36, 131072, 0x44f039, 0, 0, 1 << 20, 1, 256, 0, 0).encode(body);
            case LOOKUP, MKDIR, SYMLINK, LINK, MKNOD -> entry().encode(body);
            case CREATE -> new CreateOut(entry(), new OpenOut(rnd.nextInt(100), 0)).encode(body);
            case GETATTR, SETATTR -> new AttrOut(1, rnd.nextInt(1_000_000_000), attr()).encode(body);
            case OPEN, OPENDIR -> new OpenOut(rnd.nextInt(100), 0).encode(body);
            case STATFS -> new StatfsOut(1000, 500, 400, 100, 50, 4096, 255, 4096).encode(body);
            case LSEEK -> new LseekOut(rnd.nextInt(1 << 20)).encode(body);
            case WRITE -> new WriteOut(WriteIn.decode(req).size()).encode(body);
            case READ -> {
                int size = ReadIn.decode(req).size();
                byte[] data = new byte[rnd.nextBoolean() ? size : rnd.nextInt(size + 1)];
                rnd.nextBytes(data);
                body.put(data);
            }
            case READDIRPLUS, READDIR -> listing(body, ReadIn.decode(req), op == Opcode.READDIRPLUS);
            case READLINK -> body.put(utf8("../" + NAMES[rnd.nextInt(NAMES.length)]));
            case GETXATTR, LISTXATTR -> {
                byte[] value = op == Opcode.LISTXATTR ? utf8("user.a\0user.viofs.attrib\0") : new byte[rnd.nextInt(64)];
                int size = GetxattrIn.decode(req).size();
                if (size == 0) {
                    new GetxattrOut(value.length).encode(body);
                } else if (value.length > size) {
                    return error(h.unique(), Errno.ERANGE.number());
                } else {
                    body.put(value);
                }
            }
            default -> {
                // DESTROY, RELEASE, FLUSH, FSYNC, UNLINK, RMDIR, RENAME(2), SETXATTR, REMOVEXATTR, FALLOCATE: no body
            }
        }
        return ScriptedTransport.reply(h.unique(), 0, body.flip());
    }

    private static final int[] ERRNOS = {Errno.ENOENT.number(), Errno.EACCES.number(), Errno.EIO.number(),
        Errno.ENOSPC.number(), Errno.ENOSYS.number(), Errno.EINVAL.number()};

    private static ByteBuffer error(long unique, int errno) {
        return ScriptedTransport.reply(unique, -errno, null);
    }

    private Attr attr() {
        int mode = switch (rnd.nextInt(3)) {
            case 0 -> 0100644;
            case 1 -> 040755;
            default -> 0120777;
        };
        return new Attr(rnd.nextInt(1 << 20), rnd.nextInt(1 << 20), 8, 1_700_000_000L, 1_700_000_001L, 1_700_000_002L,
                rnd.nextInt(1_000_000_000), 0, 0, mode, 1, 0, 0, 0, 4096, 0);
    }

    private EntryOut entry() {
        return new EntryOut(2 + rnd.nextInt(1000), 0, 1, 1, 0, 0, attr());
    }

    private void listing(ByteBuffer body, ReadIn in, boolean plus) {
        long off = in.offset();
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            String name = off == 0 && i < 2 ? (i == 0 ? "." : "..") : NAMES[rnd.nextInt(NAMES.length)] + i;
            int len = plus ? DirentPlus.recordLength(name) : DirentPlus.recordLength(name) - EntryOut.SIZE;
            if (body.remaining() < len || body.position() + len > in.size()) {
                return;
            }
            off++;
            Dirent d = new Dirent(100 + off, off, FileMode.DT_REG, name);
            if (plus) {
                new DirentPlus(name.startsWith(".") && name.length() <= 2 ? new EntryOut(0, 0, 0, 0, 0, 0, attr())
                        : entry(), d).encode(body);
            } else {
                d.encode(body);
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
