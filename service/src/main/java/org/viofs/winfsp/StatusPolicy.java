package org.viofs.winfsp;

import java.lang.System.Logger.Level;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;

/**
 * What a callback returns to WinFsp when the volume throws (the binding never lets an exception escape;
 * docs/winfsp-native.md §2.1). Pure Java.
 *
 * <ul>
 * <li>{@link NtStatusException}: its status, logged at DEBUG (a missing file is normal traffic).</li>
 * <li>STATUS_PENDING (0x103) from anywhere: the volume contract has no asynchronous completion, so a
 *     pending request would never be answered; outside Read, Write and ReadDirectory WinFsp would even
 *     take it for success. It becomes STATUS_UNEXPECTED_IO_ERROR and is logged as a bug.</li>
 * <li>Any other Throwable: STATUS_UNEXPECTED_IO_ERROR, logged with its stack. An exception must never
 *     reach JNA, which would report it as STATUS_SUCCESS (a zeroed return).</li>
 * </ul>
 */
public final class StatusPolicy {
    private static final System.Logger LOG = System.getLogger("org.viofs.winfsp.callbacks");

    private StatusPolicy() {
    }

    /** The status for a failure of callback {@code operation}. Never throws. */
    public static int fromThrowable(String operation, Throwable t) {
        try {
            if (t instanceof NtStatusException e) {
                if (e.status() == NtStatus.PENDING) {
                    LOG.log(Level.ERROR, operation + " answered STATUS_PENDING, which viofs cannot complete later", e);
                    return NtStatus.UNEXPECTED_IO_ERROR;
                }
                LOG.log(Level.DEBUG, "{0}: {1}", operation, e.getMessage());
                return e.status();
            }
            LOG.log(Level.ERROR, operation + " failed unexpectedly", t);
        } catch (Throwable ignored) {
            // logging itself failed; the status is still owed to WinFsp
        }
        return NtStatus.UNEXPECTED_IO_ERROR;
    }

    /** Logs a failure of a callback that returns nothing (Cleanup, Close). Never throws. */
    public static void logVoid(String operation, Throwable t) {
        try {
            LOG.log(Level.ERROR, operation + " failed", t);
        } catch (Throwable ignored) {
            // nothing more to do
        }
    }
}
