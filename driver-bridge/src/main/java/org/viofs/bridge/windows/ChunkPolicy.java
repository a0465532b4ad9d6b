package org.viofs.bridge.windows;

import java.util.OptionalInt;

/**
 * Decides how large a request viofs.sys may carry, and how to shrink that after the device refuses
 * one. Pure Java; not thread-safe (the transport calls it under its per-device lock).
 *
 * <p>The budget is in 4 KiB fragments of input plus output. It starts at the driver's limit of
 * {@value Fragments#DRIVER_MAX_FRAGMENTS}. A host whose request virtqueue is smaller (QEMU's default
 * {@code queue-size} is {@value #QEMU_DEFAULT_QUEUE_SIZE}) refuses longer chains, and the driver then
 * fails the IOCTL with ERROR_GEN_FAILURE before anything reaches the daemon (docs/viofs-anchor.md §1.6,
 * issues #527/#737/#782). {@link #afterGenFailure} then lowers the budget: first to the QEMU default,
 * then by halves, never below {@value #MIN_FRAGMENTS}. A GEN_FAILURE on a request already within
 * that floor is not about size and is reported as it is.
 *
 * <p>The budget is split evenly: each side (request, reply) may use half of it, so that any request
 * within {@link #maxRequestBytes()} with a reply within {@link #maxReplyBytes()} fits. FUSE requests
 * are big on one side only (WRITE in, READ/READDIR out), so this costs nothing on a 1,024-entry
 * queue (2 MiB per side, twice virtiofsd's 1 MiB buffers).
 */
public final class ChunkPolicy {
    /** QEMU's default {@code queue-size} for vhost-user-fs-pci. */
    public static final int QEMU_DEFAULT_QUEUE_SIZE = 128;
    /** Below this many fragments (about 64 KiB per side) a GEN_FAILURE is not blamed on size. */
    public static final int MIN_FRAGMENTS = 32;

    private int budget;

    public ChunkPolicy() {
        this(Fragments.DRIVER_MAX_FRAGMENTS);
    }

    /** Starts with a known budget, e.g. one remembered from an earlier connection. */
    public ChunkPolicy(int budget) {
        if (budget < MIN_FRAGMENTS || budget > Fragments.DRIVER_MAX_FRAGMENTS) {
            throw new IllegalArgumentException("fragment budget " + budget + " outside " + MIN_FRAGMENTS + ".."
                    + Fragments.DRIVER_MAX_FRAGMENTS);
        }
        this.budget = budget;
    }

    /** Current budget in fragments (input + output). */
    public int budget() {
        return budget;
    }

    /** Largest request (device-readable part) in bytes under the current budget. */
    public int maxRequestBytes() {
        return Fragments.maxBytesWithin(budget / 2);
    }

    /** Largest reply capacity in bytes under the current budget. */
    public int maxReplyBytes() {
        return Fragments.maxBytesWithin(budget / 2);
    }

    /** Whether a request of this many fragments may be sent now. */
    public boolean fits(int fragments) {
        return fragments <= budget;
    }

    /**
     * The device failed a request of {@code fragments} fragments with ERROR_GEN_FAILURE.
     *
     * @return the new, lower budget if the failure is taken to be about size (the caller reports a
     *         retryable condition), or empty if it is not (the caller reports the error as it is)
     */
    public OptionalInt afterGenFailure(int fragments) {
        int next = fragments > QEMU_DEFAULT_QUEUE_SIZE ? QEMU_DEFAULT_QUEUE_SIZE : fragments / 2;
        if (next < MIN_FRAGMENTS || next >= budget) {
            return OptionalInt.empty();
        }
        budget = next;
        return OptionalInt.of(next);
    }
}
