package org.viofs.volume;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The one table from Linux errno (the numbers on the FUSE wire, whatever the guest OS) to NTSTATUS.
 *
 * <p>The numbers are Linux's ({@code asm-generic/errno-base.h}, {@code asm-generic/errno.h}); the
 * anchor used MSVC's, which turned ENOSYS into NAME_TOO_LONG and ELOOP into NOT_IMPLEMENTED
 * (docs/viofs-anchor.md §3.4). Where the answer depends on context (a missing <i>parent</i> is
 * OBJECT_PATH_NOT_FOUND, not OBJECT_NAME_NOT_FOUND), {@link FuseVolume} decides, not this table.
 *
 * <p>Stateless and thread-safe.
 */
public final class ErrnoToNtStatus {
    private ErrnoToNtStatus() {
    }

    /** What an errno the table does not know becomes; never SUCCESS, never the anchor's vague UNSUCCESSFUL. */
    public static final int UNMAPPED = NtStatus.UNEXPECTED_IO_ERROR;

    // Linux errno numbers, asm-generic/errno-base.h and asm-generic/errno.h.
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int E2BIG = 7;
    static final int ENOEXEC = 8;
    static final int EBADF = 9;
    static final int ECHILD = 10;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EFAULT = 14;
    static final int ENOTBLK = 15;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EXDEV = 18;
    static final int ENODEV = 19;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int ENOTTY = 25;
    static final int ETXTBSY = 26;
    static final int EFBIG = 27;
    static final int ENOSPC = 28;
    static final int ESPIPE = 29;
    static final int EROFS = 30;
    static final int EMLINK = 31;
    static final int EPIPE = 32;
    static final int EDOM = 33;
    static final int ERANGE = 34;
    static final int EDEADLK = 35;
    static final int ENAMETOOLONG = 36;
    static final int ENOLCK = 37;
    static final int ENOSYS = 38;
    static final int ENOTEMPTY = 39;
    static final int ELOOP = 40;
    static final int ENOMSG = 42;
    static final int EIDRM = 43;
    static final int ENODATA = 61;
    static final int ETIME = 62;
    static final int ENOLINK = 67;
    static final int EPROTO = 71;
    static final int EBADMSG = 74;
    static final int EOVERFLOW = 75;
    static final int EILSEQ = 84;
    static final int EUSERS = 87;
    static final int ENOTSOCK = 88;
    static final int EMSGSIZE = 90;
    static final int EOPNOTSUPP = 95;
    static final int ECONNRESET = 104;
    static final int ENOBUFS = 105;
    static final int ENOTCONN = 107;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int ESTALE = 116;
    static final int EREMOTEIO = 121;
    static final int EDQUOT = 122;
    static final int ECANCELED = 125;
    static final int ENOKEY = 126;

    private static final Map<Integer, Integer> TABLE;

    static {
        Map<Integer, Integer> t = new HashMap<>();
        t.put(EPERM, NtStatus.ACCESS_DENIED);
        t.put(ENOENT, NtStatus.OBJECT_NAME_NOT_FOUND);
        t.put(ESRCH, NtStatus.OBJECT_NAME_NOT_FOUND);
        t.put(EINTR, NtStatus.CANT_WAIT);
        t.put(EIO, NtStatus.IO_DEVICE_ERROR);
        t.put(ENXIO, NtStatus.NO_SUCH_DEVICE);
        t.put(E2BIG, NtStatus.INVALID_PARAMETER);
        t.put(ENOEXEC, NtStatus.INVALID_PARAMETER);
        // virtiofsd answers EBADF for a nodeid whose references were all forgotten (docs/vhost-user-frontend.md §7.5)
        t.put(EBADF, NtStatus.INVALID_HANDLE);
        t.put(ECHILD, NtStatus.INVALID_PARAMETER);
        t.put(EAGAIN, NtStatus.CANT_WAIT);
        t.put(ENOMEM, NtStatus.INSUFFICIENT_RESOURCES);
        t.put(EACCES, NtStatus.ACCESS_DENIED);
        t.put(EFAULT, NtStatus.INVALID_PARAMETER);
        t.put(ENOTBLK, NtStatus.INVALID_DEVICE_REQUEST);
        t.put(EBUSY, NtStatus.SHARING_VIOLATION);
        t.put(EEXIST, NtStatus.OBJECT_NAME_COLLISION);
        t.put(EXDEV, NtStatus.NOT_SAME_DEVICE);
        t.put(ENODEV, NtStatus.NO_SUCH_DEVICE);
        t.put(ENOTDIR, NtStatus.NOT_A_DIRECTORY);
        t.put(EISDIR, NtStatus.FILE_IS_A_DIRECTORY);
        t.put(EINVAL, NtStatus.INVALID_PARAMETER);
        t.put(ENFILE, NtStatus.TOO_MANY_OPENED_FILES);
        t.put(EMFILE, NtStatus.TOO_MANY_OPENED_FILES);
        t.put(ENOTTY, NtStatus.INVALID_DEVICE_REQUEST);
        t.put(ETXTBSY, NtStatus.SHARING_VIOLATION);
        t.put(EFBIG, NtStatus.FILE_TOO_LARGE);
        t.put(ENOSPC, NtStatus.DISK_FULL);
        t.put(ESPIPE, NtStatus.INVALID_PARAMETER);
        t.put(EROFS, NtStatus.MEDIA_WRITE_PROTECTED);
        t.put(EMLINK, NtStatus.TOO_MANY_LINKS);
        t.put(EPIPE, NtStatus.CONNECTION_DISCONNECTED);
        t.put(EDOM, NtStatus.INVALID_PARAMETER);
        t.put(ERANGE, NtStatus.BUFFER_TOO_SMALL);
        t.put(EDEADLK, NtStatus.POSSIBLE_DEADLOCK);
        t.put(ENAMETOOLONG, NtStatus.NAME_TOO_LONG);
        t.put(ENOLCK, NtStatus.INSUFFICIENT_RESOURCES);
        t.put(ENOSYS, NtStatus.NOT_IMPLEMENTED);
        t.put(ENOTEMPTY, NtStatus.DIRECTORY_NOT_EMPTY);
        // Windows' own answer to "too many levels of symbolic links" (WinFsp gives it after 32 reparses)
        t.put(ELOOP, NtStatus.REPARSE_POINT_NOT_RESOLVED);
        // getxattr/removexattr: the attribute does not exist
        t.put(ENODATA, NtStatus.NONEXISTENT_EA_ENTRY);
        t.put(ETIME, NtStatus.IO_TIMEOUT);
        t.put(ENOLINK, NtStatus.CONNECTION_DISCONNECTED);
        t.put(EPROTO, NtStatus.IO_DEVICE_ERROR);
        t.put(EBADMSG, NtStatus.FILE_CORRUPT_ERROR);
        t.put(EOVERFLOW, NtStatus.INVALID_PARAMETER);
        t.put(EILSEQ, NtStatus.OBJECT_NAME_INVALID);
        t.put(EOPNOTSUPP, NtStatus.NOT_SUPPORTED);
        t.put(ENOTCONN, NtStatus.CONNECTION_DISCONNECTED);
        t.put(ETIMEDOUT, NtStatus.IO_TIMEOUT);
        // the host file went away under an open handle (NFS-backed share, or FORGET raced)
        t.put(ESTALE, NtStatus.FILE_INVALID);
        t.put(EREMOTEIO, NtStatus.IO_DEVICE_ERROR);
        t.put(EDQUOT, NtStatus.DISK_QUOTA_EXCEEDED);
        t.put(ECANCELED, NtStatus.CANCELLED);
        t.put(ENOMSG, NtStatus.INVALID_PARAMETER);
        t.put(EIDRM, NtStatus.FILE_DELETED);
        t.put(EUSERS, NtStatus.INSUFFICIENT_RESOURCES);
        t.put(ENOTSOCK, NtStatus.INVALID_DEVICE_REQUEST);
        t.put(EMSGSIZE, NtStatus.INVALID_PARAMETER);
        t.put(ECONNRESET, NtStatus.CONNECTION_RESET);
        t.put(ENOBUFS, NtStatus.INSUFFICIENT_RESOURCES);
        t.put(ECONNREFUSED, NtStatus.CONNECTION_REFUSED);
        // fscrypt: the directory's key is not loaded on the host
        t.put(ENOKEY, NtStatus.ACCESS_DENIED);
        TABLE = Collections.unmodifiableMap(t);
    }

    /**
     * @param linuxErrno a positive Linux errno (a FUSE reply's {@code -error})
     * @return its NTSTATUS, or {@link #UNMAPPED} for a number the table does not hold
     */
    public static int toNtStatus(int linuxErrno) {
        Integer s = TABLE.get(Math.abs(linuxErrno));
        return s == null ? UNMAPPED : s;
    }

    /** True if the table holds an entry of its own for this errno. */
    public static boolean isMapped(int linuxErrno) {
        return TABLE.containsKey(Math.abs(linuxErrno));
    }

    /** The whole table, errno → NTSTATUS (read-only), for documentation and tests. */
    public static Map<Integer, Integer> table() {
        return TABLE;
    }
}
