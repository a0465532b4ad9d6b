package org.viofs.bridge.windows;

/**
 * Counts the scatter-gather fragments viofs.sys makes of a buffer. The driver splits every element
 * at 4 KiB page boundaries ({@code SplitToPages}), and input plus output together may have at most
 * {@link #DRIVER_MAX_FRAGMENTS} (docs/viofs-anchor.md §1.6). Pure arithmetic.
 */
public final class Fragments {
    private Fragments() {
    }

    /** x64 page size; the driver's fragment unit. */
    public static final int PAGE_SIZE = 4096;
    /** {@code VIRT_FS_MAX_QUEUE_SIZE}: most fragments one request (input + output) may have. */
    public static final int DRIVER_MAX_FRAGMENTS = 1024;

    /** Pages touched by {@code length} bytes starting at {@code address}. */
    public static int span(long address, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (length == 0) {
            return 0;
        }
        long first = Long.divideUnsigned(address, PAGE_SIZE);
        long last = Long.divideUnsigned(address + length - 1, PAGE_SIZE);
        return Math.toIntExact(last - first + 1);
    }

    /**
     * Pages touched by {@code length} bytes at the worst start address (one byte before a page
     * boundary). Used where the kernel, not viofs, places the buffer (the METHOD_OUT_DIRECT input and
     * both METHOD_BUFFERED buffers are copied into a system buffer of unknown alignment).
     */
    public static int worstCase(long length) {
        return span(PAGE_SIZE - 1, length);
    }

    /** The largest length whose {@link #worstCase} is at most {@code fragments}. */
    public static int maxBytesWithin(int fragments) {
        if (fragments < 1) {
            throw new IllegalArgumentException("need at least one fragment, got " + fragments);
        }
        return Math.toIntExact((long) (fragments - 1) * PAGE_SIZE + 1);
    }
}
