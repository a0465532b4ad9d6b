package org.viofs.fuse;

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

    /** Whether the daemon granted this {@link InitFlags} bit. */
    public boolean granted(int initFlag) {
        return (flags & initFlag) == initFlag;
    }
}
