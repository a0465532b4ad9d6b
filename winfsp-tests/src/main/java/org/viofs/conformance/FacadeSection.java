package org.viofs.conformance;

import org.viofs.volume.CreateOptions;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.VolumeOperations;

/**
 * A group of the facade's Win32 calls that change for one reason (I/O, information, listings,
 * security, reparse points, EAs, the volume), sharing the facade's last-error plumbing and its
 * open path. {@link Win32Facade} is the API; each section implements some of its calls.
 *
 * <p>Thread safety: as the facade's.
 */
abstract class FacadeSection {

    /** FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, what the by-name APIs open with. */
    static final int SHARE_ALL = Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE;

    final Win32Facade facade;
    final VolumeOperations volume;
    final FacadeOptions options;

    FacadeSection(Win32Facade facade) {
        this.facade = facade;
        this.volume = facade.volume();
        this.options = facade.options();
    }

    /** Records a failure as the last error; returns false. */
    final boolean fail(int status) {
        return facade.fail(status);
    }

    /** Records success as the last error. */
    final void succeed() {
        facade.succeed();
    }

    /** The NTSTATUS the caller sees for an exception from the volume. */
    static int statusOf(RuntimeException e) {
        return Win32Facade.statusOf(e);
    }

    static NtStatusException nt(int status, String detail) {
        return new NtStatusException(status, detail);
    }

    /** Cleanup and Close of a handle the call opened itself. */
    final void release(Handle h) {
        facade.release(h);
    }

    /** The NTSTATUS of the last call. */
    final int lastStatus() {
        return facade.getLastStatus();
    }

    /** NtOpenFile (FILE_OPEN, no descriptor, no attributes) as the by-name APIs issue it. */
    final Handle open(String path, int access, int share, int createOptions) {
        return facade.ntCreateFile(path, access, share, null, CreateOptions.FILE_OPEN, createOptions, 0, 0);
    }

    /** What the FSD reports for a zero attribute word (fastfat's rule): FILE_ATTRIBUTE_NORMAL. */
    static int reported(int attributes) {
        return attributes == 0 ? Win32.FILE_ATTRIBUTE_NORMAL : attributes;
    }
}
