package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.function.Executable;

/** Assertions that print NTSTATUS names ("expected STATUS_X (0x…), was STATUS_Y (0x…)"). */
final class NtAssert {
    private NtAssert() {
    }

    static void assertStatus(int expected, int actual, String what) {
        if (expected != actual) {
            fail(what + ": expected " + NtStatus.describe(expected) + ", was " + NtStatus.describe(actual));
        }
    }

    /** Runs the call and checks it throws NtStatusException with this status. */
    static NtStatusException assertThrowsStatus(int expected, Executable call, String what) {
        try {
            call.execute();
        } catch (NtStatusException e) {
            if (e.status() != expected) {
                fail(what + ": expected " + NtStatus.describe(expected) + ", was " + NtStatus.describe(e.status())
                        + " (" + e.getMessage() + ")", e);
            }
            return e;
        } catch (Throwable t) {
            fail(what + ": expected " + NtStatus.describe(expected) + ", was " + t, t);
        }
        fail(what + ": expected " + NtStatus.describe(expected) + ", was STATUS_SUCCESS");
        return null;
    }
}
