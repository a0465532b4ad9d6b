package org.viofs.conformance;

import org.viofs.volume.CreateOptions;
import org.viofs.volume.NtStatus;

/**
 * Reparse points: the FSCTLs (get, set, delete) with the FSD's buffer and access checks, and
 * CreateSymbolicLink as kernelbase builds it.
 */
final class ReparseCalls extends FacadeSection {

    ReparseCalls(Win32Facade facade) {
        super(facade);
    }

    /** FSCTL_GET_REPARSE_POINT on the handle: GetReparsePoint. Null on failure. */
    byte[] getReparsePoint(Handle h) {
        try {
            byte[] data = volume.getReparsePoint(h.context, h.node.volumeName);
            succeed();
            return data;
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /**
     * FSCTL_SET_REPARSE_POINT: the FSD checks the buffer (8-byte header, ReparseDataLength matching
     * the size, a tag that is not 0/1, a GUID header for non-Microsoft tags) and needs
     * FILE_WRITE_DATA or FILE_WRITE_ATTRIBUTES, then SetReparsePoint.
     */
    boolean setReparsePoint(Handle h, byte[] data) {
        return reparseControl(h, data, false, () -> volume.setReparsePoint(h.context, h.node.volumeName, data));
    }

    /** FSCTL_DELETE_REPARSE_POINT: header-only buffer checked as for set, then DeleteReparsePoint. */
    boolean deleteReparsePoint(Handle h, byte[] data) {
        return reparseControl(h, data, true, () -> volume.deleteReparsePoint(h.context, h.node.volumeName, data));
    }

    /**
     * What the FSD does before either reparse FSCTL reaches the volume: FILE_WRITE_DATA or
     * FILE_WRITE_ATTRIBUTES on the handle, and a well-formed buffer (header only for delete).
     */
    private boolean reparseControl(Handle h, byte[] data, boolean headerOnly, Runnable callback) {
        if ((h.grantedAccess & (Win32.FILE_WRITE_DATA | Win32.FILE_WRITE_ATTRIBUTES)) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        int status = ReparseData.check(data, headerOnly);
        if (status != NtStatus.SUCCESS) {
            return fail(status);
        }
        try {
            callback.run();
            // src/sys/fsctl.c: a reparse point written or deleted is metadata set (change time at Cleanup)
            h.didSetMetadata = true;
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    /**
     * CreateSymbolicLinkW: creates the link (FILE_WRITE_ATTRIBUTES|DELETE, FILE_CREATE,
     * FILE_OPEN_REPARSE_POINT, a directory with SYMBOLIC_LINK_FLAG_DIRECTORY), sets an
     * IO_REPARSE_TAG_SYMLINK reparse point (absolute targets as {@code \??\X:\…}, relative ones
     * with SYMLINK_FLAG_RELATIVE), and on failure deletes the new file again. The caller is taken
     * to hold SeCreateSymbolicLinkPrivilege, as an elevated winfsp-tests run does.
     */
    boolean createSymbolicLink(String link, String target, int flags) {
        boolean directory = (flags & Win32.SYMBOLIC_LINK_FLAG_DIRECTORY) != 0;
        Handle h = facade.ntCreateFile(link, Win32.FILE_WRITE_ATTRIBUTES | Win32.DELETE | Win32.SYNCHRONIZE, 0, null,
                CreateOptions.FILE_CREATE, CreateOptions.FILE_OPEN_REPARSE_POINT
                        | (directory ? CreateOptions.FILE_DIRECTORY_FILE : CreateOptions.FILE_NON_DIRECTORY_FILE), 0, 0);
        if (h == null) {
            return false;
        }
        // kernelbase: a rooted target gets the current drive (the tests run from the volume), a
        // drive-absolute one the \\??\\ prefix; anything else is stored relative
        boolean relative = !(target.startsWith("\\") || (target.length() >= 2 && target.charAt(1) == ':'));
        String substitute = relative ? target
                : target.startsWith("\\") ? "\\??\\" + Win32Facade.DRIVE + target : "\\??\\" + target;
        byte[] data = ReparseData.symlink(substitute, target, relative);
        if (!setReparsePoint(h, data)) {
            int status = lastStatus();
            facade.setDisposition(h, true);
            release(h);
            return fail(status);
        }
        release(h);
        succeed();
        return true;
    }
}
