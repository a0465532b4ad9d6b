package org.viofs.conformance;

import org.viofs.volume.CreateOptions;
import org.viofs.volume.NtStatus;

/**
 * Security descriptors: Get/SetKernelObjectSecurity and Get/SetFileSecurity over GetSecurity and
 * SetSecurity, with the access each needs and the generic mapping the kernel applies.
 */
final class SecurityCalls extends FacadeSection {

    SecurityCalls(Win32Facade facade) {
        super(facade);
    }

    /**
     * GetKernelObjectSecurity: needs READ_CONTROL; GetSecurity, then only the parts asked for.
     * Null on failure.
     */
    SecurityDescriptor getSecurity(Handle h, int securityInformation) {
        if ((h.grantedAccess & Win32.READ_CONTROL) == 0) {
            fail(NtStatus.ACCESS_DENIED);
            return null;
        }
        try {
            SecurityDescriptor sd = SecurityDescriptor.parse(volume.getSecurity(h.context));
            succeed();
            return new SecurityDescriptor(
                    (securityInformation & Win32.OWNER_SECURITY_INFORMATION) != 0 ? sd.owner() : null,
                    (securityInformation & Win32.GROUP_SECURITY_INFORMATION) != 0 ? sd.group() : null,
                    (securityInformation & Win32.DACL_SECURITY_INFORMATION) != 0 && sd.daclPresent(),
                    (securityInformation & Win32.DACL_SECURITY_INFORMATION) != 0 ? sd.dacl() : null,
                    sd.control());
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /**
     * GetFileSecurityW: opens the file with READ_CONTROL (share all, backup intent), reads the parts
     * asked for ({@link #getSecurity}), closes. Null on failure.
     */
    SecurityDescriptor getFileSecurity(String path, int securityInformation) {
        Handle h = facade.ntCreateFile(path, Win32.READ_CONTROL, Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE
                | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN, CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            return null;
        }
        SecurityDescriptor sd = getSecurity(h, securityInformation);
        int status = lastStatus();
        release(h);
        if (sd == null) {
            fail(status);
            return null;
        }
        succeed();
        return sd;
    }

    /**
     * SetFileSecurityW: opens the file with WRITE_DAC and/or WRITE_OWNER as the parts need, sets them
     * ({@link #setSecurity}), closes.
     */
    boolean setFileSecurity(String path, int securityInformation, SecurityDescriptor modification) {
        int access = 0;
        if ((securityInformation & (Win32.OWNER_SECURITY_INFORMATION | Win32.GROUP_SECURITY_INFORMATION)) != 0) {
            access |= Win32.WRITE_OWNER;
        }
        if ((securityInformation & Win32.DACL_SECURITY_INFORMATION) != 0) {
            access |= Win32.WRITE_DAC;
        }
        Handle h = facade.ntCreateFile(path, access, Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE,
                null, CreateOptions.FILE_OPEN, CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            return false;
        }
        return facade.closeAndReport(h, setSecurity(h, securityInformation, modification));
    }

    /**
     * SetKernelObjectSecurity: needs WRITE_OWNER for owner/group, WRITE_DAC for the DACL;
     * SetSecurity with the self-relative modification descriptor.
     */
    boolean setSecurity(Handle h, int securityInformation, SecurityDescriptor modification) {
        int need = 0;
        if ((securityInformation & (Win32.OWNER_SECURITY_INFORMATION | Win32.GROUP_SECURITY_INFORMATION)) != 0) {
            need |= Win32.WRITE_OWNER;
        }
        if ((securityInformation & Win32.DACL_SECURITY_INFORMATION) != 0) {
            need |= Win32.WRITE_DAC;
        }
        if ((h.grantedAccess & need) != need) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        try {
            // the kernel maps generic rights with the file object's mapping before the FS sees them
            SecurityDescriptor mapped = AccessCheck.mapGenericAces(modification, modification.owner(),
                    modification.group());
            volume.setSecurity(h.context, securityInformation, mapped.toBytes());
            // src/sys/security.c: the handle's Cleanup then asks for the archive bit and the change time
            h.didSetSecurity = true;
            h.didSetMetadata = true;
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    /**
     * GetKernelObjectSecurity with a zero-length buffer: fails with ERROR_INSUFFICIENT_BUFFER and
     * reports the size needed for the parts asked for. Returns that size, or -1 on another failure.
     */
    int getSecurityLength(Handle h, int securityInformation) {
        SecurityDescriptor sd = getSecurity(h, securityInformation);
        if (sd == null) {
            return -1;
        }
        fail(NtStatus.BUFFER_TOO_SMALL);
        return sd.toBytes().length;
    }
}
