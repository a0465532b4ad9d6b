package org.viofs.fuse;

import org.viofs.fuse.abi.InHeader;
import org.viofs.fuse.abi.InitOut;
import org.viofs.fuse.abi.OutHeader;
import org.viofs.fuse.abi.WriteIn;

/**
 * What FUSE_INIT negotiated, and the I/O sizes that follow from it and from the transport.
 *
 * @param major         protocol major version (7)
 * @param minor         protocol minor version the daemon speaks (virtiofsd 7.2: 36)
 * @param flags         granted {@link InitFlags}
 * @param flags2        granted high capability bits ({@code fuse_init_out.flags2})
 * @param maxReadahead  the daemon's readahead limit, bytes
 * @param maxWrite      largest WRITE payload, bytes
 * @param maxPages      largest request in 4 KiB pages; 0 when MAX_PAGES was not granted
 * @param timeGran      timestamp granularity, nanoseconds (1 = full resolution)
 * @param maxBackground the daemon's advice for background requests (virtiofsd sends 0: none)
 * @param maxReadChunk  the largest READ / READDIR(PLUS) size one request carries, bytes
 * @param maxWriteChunk the largest WRITE payload one request carries, bytes
 */
public record FuseLimits(int major, int minor, int flags, int flags2, int maxReadahead, int maxWrite, int maxPages,
                         int timeGran, int maxBackground, int maxReadChunk, int maxWriteChunk) {

    /** Bytes per page in {@code max_pages} (FUSE counts 4 KiB pages on every architecture viofs runs on). */
    public static final int PAGE_SIZE = 4096;

    /** Linux's page count when MAX_PAGES is not granted ({@code FUSE_DEFAULT_MAX_PAGES_PER_REQ}, fs/fuse/fuse_i.h). */
    public static final int DEFAULT_MAX_PAGES = 32;

    /**
     * The limits that follow from the daemon's INIT answer and the transport's buffer sizes: READ and
     * READDIR chunks fit the reply buffer, WRITE chunks the request buffer, both within max_write and
     * max_pages (docs/vhost-user-frontend.md §7.1, §7.4).
     *
     * @throws IllegalStateException if the transport cannot carry one page of I/O
     */
    static FuseLimits negotiated(InitOut out, int transportRequestBytes, int transportReplyBytes) {
        int maxWrite = Math.max(PAGE_SIZE, out.maxWrite());
        boolean pagesGranted = (out.flags() & InitFlags.MAX_PAGES) != 0;
        int maxPages = pagesGranted ? Math.max(1, out.maxPages()) : DEFAULT_MAX_PAGES;
        long pageBytes = (long) maxPages * PAGE_SIZE;
        int readChunk = (int) Math.min(Math.min(maxWrite, pageBytes), transportReplyBytes - OutHeader.SIZE);
        int writeChunk = (int) Math.min(Math.min(maxWrite, pageBytes),
                (long) transportRequestBytes - InHeader.SIZE - WriteIn.SIZE);
        if (readChunk < PAGE_SIZE || writeChunk < PAGE_SIZE) {
            throw new IllegalStateException("transport buffers too small for FUSE I/O: reply " + transportReplyBytes
                    + " bytes, request " + transportRequestBytes + " bytes");
        }
        return new FuseLimits(out.major(), out.minor(), out.flags(), out.flags2(), out.maxReadahead(), maxWrite,
                pagesGranted ? out.maxPages() : 0, out.timeGran(), out.maxBackground(), readChunk, writeChunk);
    }

    /** These limits with the chunks cut (to whole pages) to fit smaller transport buffers. */
    FuseLimits shrunk(int transportRequestBytes, int transportReplyBytes) {
        int readChunk = pageFloor(Math.min(maxReadChunk, transportReplyBytes - OutHeader.SIZE));
        int writeChunk = pageFloor(Math.min(maxWriteChunk, transportRequestBytes - InHeader.SIZE - WriteIn.SIZE));
        return new FuseLimits(major, minor, flags, flags2, maxReadahead, maxWrite, maxPages, timeGran, maxBackground,
                readChunk, writeChunk);
    }

    private static int pageFloor(int bytes) {
        return bytes / PAGE_SIZE * PAGE_SIZE;
    }

    /** Whether the daemon granted this {@link InitFlags} bit. */
    public boolean granted(int initFlag) {
        return (flags & initFlag) == initFlag;
    }
}
