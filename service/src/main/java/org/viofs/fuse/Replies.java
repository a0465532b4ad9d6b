package org.viofs.fuse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.abi.CreateOut;
import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.abi.GetxattrOut;
import org.viofs.fuse.abi.InitOut;
import org.viofs.fuse.abi.LseekOut;
import org.viofs.fuse.abi.OpenOut;
import org.viofs.fuse.abi.OutHeader;
import org.viofs.fuse.abi.StatfsOut;
import org.viofs.fuse.abi.Wire;
import org.viofs.fuse.abi.WriteOut;

/**
 * Every check the client makes on a reply, in one place: the out header against the request and the
 * bytes written, then each body through its wire record. Stateless; every method throws
 * {@link FuseErrnoException} (the daemon said no) or {@link FuseProtocolException} (the reply broke FUSE).
 */
final class Replies {
    private Replies() {
    }

    /** Linux {@code XATTR_NAME_MAX} (include/uapi/linux/limits.h): longest xattr name, bytes. */
    static final int XATTR_NAME_MAX = 255;

    /** Decodes a reply body (position at the body, {@code len} bytes) for one opcode. */
    @FunctionalInterface
    interface Body<T> {
        T decode(ByteBuffer reply, int len, Opcode op);
    }

    static final Body<Void> EMPTY = (r, len, op) -> {
        exact(len, 0, op, "no body");
        return null;
    };
    static final Body<AttrOut> ATTR_OUT = (r, len, op) -> {
        exact(len, AttrOut.SIZE, op, "fuse_attr_out");
        return AttrOut.decode(r);
    };
    static final Body<OpenOut> OPEN_OUT = (r, len, op) -> {
        exact(len, OpenOut.SIZE, op, "fuse_open_out");
        return OpenOut.decode(r);
    };
    static final Body<StatfsOut> STATFS_OUT = (r, len, op) -> {
        exact(len, StatfsOut.SIZE, op, "fuse_statfs_out");
        return StatfsOut.decode(r);
    };
    static final Body<Integer> WRITE_OUT = (r, len, op) -> {
        exact(len, WriteOut.SIZE, op, "fuse_write_out");
        return WriteOut.decode(r).size();
    };
    static final Body<Long> LSEEK_OUT = (r, len, op) -> {
        exact(len, LseekOut.SIZE, op, "fuse_lseek_out");
        return LseekOut.decode(r).offset();
    };
    static final Body<Integer> GETXATTR_OUT = (r, len, op) -> {
        exact(len, GetxattrOut.SIZE, op, "fuse_getxattr_out");
        return GetxattrOut.decode(r).size();
    };
    static final Body<InitOut> INIT_OUT = (r, len, op) -> {
        if (len >= 8) {
            int major = r.getInt(r.position());
            int minor = r.getInt(r.position() + 4);
            if (major != FuseClient.PROTOCOL_MAJOR || minor < FuseClient.MIN_MINOR) {
                throw new FuseProtocolException("daemon speaks FUSE " + major + "." + minor + "; viofs needs "
                        + FuseClient.PROTOCOL_MAJOR + "." + FuseClient.MIN_MINOR + " or later");
            }
        }
        exact(len, InitOut.SIZE, op, "fuse_init_out");
        return InitOut.decode(r);
    };

    /** A {@code fuse_entry_out} for a new or looked-up child: node 0 or the root's id would be a lie. */
    static Body<EntryOut> entryOut(String name) {
        return (r, len, op) -> {
            exact(len, EntryOut.SIZE, op, "fuse_entry_out");
            EntryOut e = EntryOut.decode(r);
            checkChild(e.nodeId(), name, op);
            return e;
        };
    }

    /** CREATE's {@code fuse_entry_out} + {@code fuse_open_out}, with the child check of {@link #entryOut}. */
    static Body<CreateOut> createOut(String name) {
        return (r, len, op) -> {
            exact(len, CreateOut.SIZE, op, "fuse_entry_out + fuse_open_out");
            CreateOut c = CreateOut.decode(r);
            checkChild(c.entry().nodeId(), name, op);
            return c;
        };
    }

    /**
     * A child named {@code name} (not "." or "..") never has node id 0 (no node) nor the root's id (the
     * root is nobody's child): either would make the caller cache a node under the wrong name.
     */
    static void checkChild(long nodeId, String name, Opcode op) {
        if (".".equals(name) || "..".equals(name)) {
            return;
        }
        if (nodeId == 0 || nodeId == FuseFlags.ROOT_ID) {
            throw new FuseProtocolException(op + " answered node id " + nodeId + " for the child \""
                    + printable(name) + "\"" + (nodeId == 0 ? " (no node)" : " (the root's id)"));
        }
    }

    /** READLINK's target: at most PATH_MAX bytes, not empty, no NUL (it would cut the path short). */
    static final Body<String> READLINK = (r, len, op) -> {
        if (len > Wire.MAX_PATH_BYTES) {
            throw new FuseProtocolException(op + " reply body is " + len + " bytes, over PATH_MAX " + Wire.MAX_PATH_BYTES);
        }
        if (len == 0) {
            throw new FuseProtocolException(op + " answered an empty target");
        }
        for (int i = r.position(); i < r.position() + len; i++) {
            if (r.get(i) == 0) {
                throw new FuseProtocolException(op + " target has a NUL byte at " + (i - r.position()) + " of " + len);
            }
        }
        return Wire.readString(r, len);
    };

    /** A body of at most {@code size} bytes (what the request asked for). */
    static void atMost(int len, int size, Opcode op) {
        if (len < 0 || len > size) {
            throw new FuseProtocolException(op + " reply carries " + len + " bytes, more than the " + size + " asked");
        }
    }

    /**
     * LISTXATTR's NUL-separated names. A name longer than {@link #XATTR_NAME_MAX}, empty, or not valid
     * UTF-8 is skipped: it could not be sent back in a GETXATTR.
     */
    static Body<List<String>> listxattr(int size) {
        return (r, len, op) -> {
            atMost(len, size, op);
            List<String> names = new ArrayList<>();
            int base = r.position();
            int start = base;
            int end = base + len;
            for (int i = start; i < end; i++) {
                if (r.get(i) == 0) {
                    int n = i - start;
                    r.position(start);
                    String name = n == 0 || n > XATTR_NAME_MAX ? null : Wire.readStrictUtf8(r, n);
                    if (name != null) {
                        names.add(name);
                    }
                    start = i + 1;
                }
            }
            if (start != end) {
                throw new FuseProtocolException(op + " name list does not end with NUL");
            }
            r.position(end);
            return names;
        };
    }

    /**
     * Checks {@code fuse_out_header} against the request and the bytes written; leaves the position at the
     * body and returns its length.
     *
     * @throws FuseErrnoException    for an error reply
     * @throws FuseProtocolException for everything FUSE does not allow
     */
    static int checkHeader(ByteBuffer reply, long unique, Opcode op, long nodeId) {
        int written = reply.remaining();
        if (written < OutHeader.SIZE) {
            throw new FuseProtocolException(op + " reply has " + written + " bytes, shorter than fuse_out_header ("
                    + OutHeader.SIZE + ")" + (written == 0 ? "; virtiofsd writes nothing when a reply does not fit" : ""));
        }
        return checkHeader(reply, unique, op, nodeId, written);
    }

    /**
     * {@link #checkHeader(ByteBuffer, long, Opcode, long)} for a reply of which the device wrote
     * {@code written} bytes in all, though {@code reply} may hold only the header (a zero-copy READ,
     * whose data went elsewhere).
     */
    static int checkHeader(ByteBuffer reply, long unique, Opcode op, long nodeId, int written) {
        int len = OutHeader.len(reply);
        int error = OutHeader.error(reply);
        long gotUnique = OutHeader.unique(reply);
        if (gotUnique != unique) {
            throw new FuseProtocolException(op + " reply has unique " + gotUnique + ", request had " + unique);
        }
        if (len != written) {
            throw new FuseProtocolException(op + " reply header says len " + Integer.toUnsignedString(len) + " but "
                    + written + " bytes were written" + (Integer.compareUnsigned(len, written) > 0 ? " (len past the end)" : ""));
        }
        if (error > 0) {
            throw new FuseProtocolException(op + " reply has positive error " + error + " (FUSE sends 0 or -errno)");
        }
        if (error != 0) {
            if (error < -Errno.MAX_ERRNO) {
                throw new FuseProtocolException(op + " reply has error " + error + ", beyond -MAX_ERRNO");
            }
            if (len != OutHeader.SIZE) {
                throw new FuseProtocolException(op + " error reply (" + Errno.describe(-error) + ") carries "
                        + (len - OutHeader.SIZE) + " body bytes; an error reply is the bare header");
            }
            throw new FuseErrnoException(-error, op, nodeId);
        }
        reply.position(reply.position() + OutHeader.SIZE);
        return len - OutHeader.SIZE;
    }

    static void exact(int len, int size, Opcode op, String what) {
        if (len != size) {
            throw new FuseProtocolException(op + " reply body is " + len + " bytes, " + what + " is " + size);
        }
    }

    /** A name from the host as it may be printed in a message: control characters shown as '?'. */
    static String printable(String name) {
        StringBuilder b = new StringBuilder(Math.min(name.length(), 80));
        for (int i = 0; i < name.length() && i < 80; i++) {
            char c = name.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    /** A FUSE failure found inside a reply handler, thrown by the client once the handler returned. */
    record Failure(RuntimeException exception) {
    }

    /** Checks the header and decodes the body; a FUSE failure comes back as a {@link Failure} value. */
    static Object handle(ByteBuffer reply, long unique, Opcode op, long nodeId, Body<?> body) {
        try {
            int len = checkHeader(reply, unique, op, nodeId);
            return body.decode(reply, len, op);
        } catch (FuseErrnoException | FuseProtocolException e) {
            return new Failure(e);
        }
    }

    /** A zero-copy READ: the device returned the out header alone, and its len counts the data it wrote. */
    static int directRead(ByteBuffer header, long unique, long nodeId, int size) {
        if (header.remaining() != OutHeader.SIZE) {
            throw new FuseProtocolException("zero-copy READ returned " + header.remaining()
                    + " bytes; the device returns the " + OutHeader.SIZE + "-byte fuse_out_header");
        }
        int len = OutHeader.len(header);
        if (Integer.compareUnsigned(len, OutHeader.SIZE) < 0 || Integer.compareUnsigned(len - OutHeader.SIZE, size) > 0) {
            throw new FuseProtocolException("zero-copy READ reply header says len " + Integer.toUnsignedString(len)
                    + " for a " + size + "-byte READ (" + OutHeader.SIZE + ".." + (OutHeader.SIZE + size) + " allowed)");
        }
        return checkHeader(header, unique, Opcode.READ, nodeId, len);
    }

    /** A copied READ: the whole reply is here; its data goes to {@code target}. */
    static int copiedRead(ByteBuffer reply, long unique, long nodeId, int size, ByteBuffer target) {
        int len = checkHeader(reply, unique, Opcode.READ, nodeId);
        atMost(len, size, Opcode.READ);
        target.duplicate().put(reply);
        return len;
    }
}
