package org.viofs.fuse;

/**
 * Linux errno values, as carried (negated) in {@code fuse_out_header.error}. The numbers are the
 * Linux x86-64/generic ones from {@code include/uapi/asm-generic/errno-base.h} and
 * {@code errno.h}: the wire is always Linux, whatever the guest OS (the anchor's MSVC numbers are
 * the bug this avoids, docs/viofs-anchor.md §3.4).
 *
 * <p>A number not listed here is still a valid reply: {@link #of(int)} returns {@code null} for it
 * and {@link FuseErrnoException} keeps the raw number, so nothing is dropped.
 */
public enum Errno {
    EPERM(1),
    ENOENT(2),
    ESRCH(3),
    EINTR(4),
    EIO(5),
    ENXIO(6),
    E2BIG(7),
    ENOEXEC(8),
    EBADF(9),
    ECHILD(10),
    EAGAIN(11),
    ENOMEM(12),
    EACCES(13),
    EFAULT(14),
    ENOTBLK(15),
    EBUSY(16),
    EEXIST(17),
    EXDEV(18),
    ENODEV(19),
    ENOTDIR(20),
    EISDIR(21),
    EINVAL(22),
    ENFILE(23),
    EMFILE(24),
    ENOTTY(25),
    ETXTBSY(26),
    EFBIG(27),
    ENOSPC(28),
    ESPIPE(29),
    EROFS(30),
    EMLINK(31),
    EPIPE(32),
    EDOM(33),
    ERANGE(34),
    EDEADLK(35),
    ENAMETOOLONG(36),
    ENOLCK(37),
    ENOSYS(38),
    ENOTEMPTY(39),
    ELOOP(40),
    ENOMSG(42),
    EIDRM(43),
    ENODATA(61),
    ETIME(62),
    ENOLINK(67),
    EPROTO(71),
    EBADMSG(74),
    EOVERFLOW(75),
    EILSEQ(84),
    EUSERS(87),
    ENOTSOCK(88),
    EMSGSIZE(90),
    EOPNOTSUPP(95),
    ECONNRESET(104),
    ENOBUFS(105),
    ENOTCONN(107),
    ETIMEDOUT(110),
    ECONNREFUSED(111),
    ESTALE(116),
    EREMOTEIO(121),
    EDQUOT(122),
    ECANCELED(125),
    ENOKEY(126);

    /** Linux {@code MAX_ERRNO} (include/linux/err.h): no errno is larger. */
    public static final int MAX_ERRNO = 4095;

    private static final Errno[] BY_NUMBER = new Errno[128];

    static {
        for (Errno e : values()) {
            BY_NUMBER[e.number] = e;
        }
    }

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The positive Linux errno number. */
    public int number() {
        return number;
    }

    /** The errno with this positive number, or {@code null} when it is not in this table. */
    public static Errno of(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }

    /** "ENOENT (2)" for a known number, "errno 200" otherwise. */
    public static String describe(int number) {
        Errno e = of(number);
        return e == null ? "errno " + number : e.name() + " (" + number + ")";
    }
}
