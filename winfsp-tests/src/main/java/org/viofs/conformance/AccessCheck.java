package org.viofs.conformance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.viofs.volume.CreateOptions;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.SecurityByName;
import org.viofs.volume.VolumeOperations;

import org.viofs.conformance.Win32Facade.Privilege;

/**
 * The access checks the DLL makes on the volume's descriptors (docs/winfsp-native.md §2.2:
 * GetSecurityByName, then FspAccessCheckEx's rules) for the emulated caller: its SIDs, its enabled
 * privileges, the READONLY rule, the parent's FILE_LIST_DIRECTORY / FILE_DELETE_CHILD, traverse
 * checking without SeChangeNotifyPrivilege, and the generic mapping the kernel applies to a
 * caller's descriptor. Each check asks the volume for the descriptor it needs.
 *
 * <p>Thread safety: not thread-safe; the facade serialises access.
 */
final class AccessCheck {

    /** Rights SeBackupPrivilege grants with backup intent (ntifs SeAccessCheck rule). */
    private static final int BACKUP_RIGHTS = Win32.READ_CONTROL | Win32.ACCESS_SYSTEM_SECURITY | Win32.FILE_GENERIC_READ
            | Win32.FILE_TRAVERSE;
    /** Rights SeRestorePrivilege grants with backup intent. */
    private static final int RESTORE_RIGHTS = Win32.WRITE_DAC | Win32.WRITE_OWNER | Win32.ACCESS_SYSTEM_SECURITY
            | Win32.FILE_GENERIC_WRITE | Win32.FILE_ADD_FILE | Win32.FILE_ADD_SUBDIRECTORY | Win32.DELETE;

    private final VolumeOperations volume;
    private final EnumSet<Privilege> privileges = EnumSet.of(Privilege.CHANGE_NOTIFY);
    private Set<String> callerSids;

    /**
     * @param callerSids the caller's SIDs, or null for the volume root's owner plus
     *                   {@link FacadeOptions#DEFAULT_GROUP_SIDS} (looked up on first use)
     */
    AccessCheck(VolumeOperations volume, Set<String> callerSids) {
        this.volume = volume;
        this.callerSids = callerSids;
    }

    /** AdjustTokenPrivileges for the emulated caller. */
    void setPrivilege(Privilege privilege, boolean enabled) {
        if (enabled) {
            privileges.add(privilege);
        } else {
            privileges.remove(privilege);
        }
    }

    /** What the caller's enabled privileges grant for an open with these create options. */
    int privilegeRights(int createOptions) {
        if ((createOptions & CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT) == 0) {
            return 0;
        }
        int r = 0;
        if (privileges.contains(Privilege.BACKUP)) {
            r |= BACKUP_RIGHTS;
        }
        if (privileges.contains(Privilege.RESTORE)) {
            r |= RESTORE_RIGHTS;
        }
        return r;
    }

    /**
     * Without SeChangeNotifyPrivilege the DLL asks GetSecurityByName for every directory on the
     * way to {@code volumeName} and needs FILE_TRAVERSE on each (docs/winfsp-native.md §2.2).
     */
    void checkTraverse(String volumeName, int createOptions) {
        if (privileges.contains(Privilege.CHANGE_NOTIFY)) {
            return;
        }
        String main = volumeName;
        int colon = main.indexOf(':');
        if (colon >= 0) {
            main = main.substring(0, colon);
        }
        int i = 0;
        while ((i = main.indexOf('\\', i + 1)) > 0) {
            String prefix = main.substring(0, i);
            SecurityByName sbn = volume.getSecurityByName(prefix);
            int granted = grantedBy(sbn) | privilegeRights(createOptions);
            if ((granted & Win32.FILE_TRAVERSE) == 0) {
                throw new NtStatusException(NtStatus.ACCESS_DENIED, "no FILE_TRAVERSE on " + prefix);
            }
        }
    }

    private Set<String> caller() {
        if (callerSids == null) {
            Set<String> sids = new HashSet<>(FacadeOptions.DEFAULT_GROUP_SIDS);
            String owner = callerOwner();
            if (owner != null) {
                sids.add(owner);
            }
            callerSids = Set.copyOf(sids);
        }
        return callerSids;
    }

    /** The caller's user SID as the FSD would put it in a new file's descriptor (the root's owner), or null. */
    String callerOwner() {
        try {
            SecurityByName root = volume.getSecurityByName("\\");
            if (root.securityDescriptor() != null && root.securityDescriptor().length > 0) {
                return SecurityDescriptor.parse(root.securityDescriptor()).owner();
            }
        } catch (RuntimeException e) {
            // no root descriptor: no owner to default to
        }
        return null;
    }

    /** The access a descriptor grants the caller; an empty one turns checking off (§2.2). */
    int grantedBy(SecurityByName sbn) {
        byte[] sd = sbn.securityDescriptor();
        if (sd == null || sd.length == 0) {
            return Win32.FILE_ALL_ACCESS;
        }
        try {
            return SecurityDescriptor.parse(sd).grantedTo(caller());
        } catch (IllegalArgumentException e) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER,
                    "volume returned a malformed security descriptor: " + e.getMessage());
        }
    }

    /** The access the descriptor of {@code sbn} grants, plus what the privileges add for these options. */
    int grantedWith(SecurityByName sbn, int createOptions) {
        return grantedBy(sbn) | privilegeRights(createOptions);
    }

    /**
     * The DLL's access check for an existing file: GetSecurityByName on it, the READONLY rule, then
     * the DACL; FILE_READ_ATTRIBUTES is also granted by the parent's FILE_LIST_DIRECTORY and DELETE
     * by the parent's FILE_DELETE_CHILD (the NTFS rules WinFsp's FspAccessCheckEx restates).
     *
     * @param parent the parent to consult, or null (a stream: the main file's descriptor alone)
     * @return the granted access (MAXIMUM_ALLOWED resolved)
     */
    int checkAccess(String volumeName, String parent, SecurityByName sbn, int desired, int createOptions) {
        int attributes = sbn.fileAttributes();
        boolean readOnlyFile = (attributes & Win32.FILE_ATTRIBUTE_READONLY) != 0
                && (attributes & Win32.FILE_ATTRIBUTE_DIRECTORY) == 0;
        int mapped = SecurityDescriptor.mapGeneric(desired);
        boolean maximum = (mapped & Win32.MAXIMUM_ALLOWED) != 0;
        mapped &= ~Win32.MAXIMUM_ALLOWED;
        if (readOnlyFile && (mapped & (Win32.FILE_WRITE_DATA | Win32.FILE_APPEND_DATA)) != 0) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "READONLY file opened for writing: " + volumeName);
        }
        int granted = grantedWith(sbn, createOptions);
        int missing = mapped & ~granted;
        if (missing != 0 && parent != null
                && (missing & (Win32.FILE_READ_ATTRIBUTES | Win32.DELETE)) != 0) {
            int parentGranted = grantedBy(volume.getSecurityByName(parent));
            if ((parentGranted & Win32.FILE_LIST_DIRECTORY) != 0) {
                granted |= Win32.FILE_READ_ATTRIBUTES;
            }
            if ((parentGranted & Win32.FILE_DELETE_CHILD) != 0) {
                granted |= Win32.DELETE;
            }
            missing = mapped & ~granted;
        }
        if (missing != 0) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED,
                    String.format("access 0x%08X not granted on %s", missing, volumeName));
        }
        if (maximum) {
            int all = granted;
            if (readOnlyFile) {
                all &= ~(Win32.FILE_WRITE_DATA | Win32.FILE_APPEND_DATA);
            }
            return all | mapped;
        }
        return mapped;
    }

    /** A caller's descriptor as the kernel hands it on: generic rights in its ACEs mapped to file rights. */
    static SecurityDescriptor mapGenericAces(SecurityDescriptor sd, String owner, String group) {
        return new SecurityDescriptor(owner, group, sd.daclPresent(), mapAces(sd.dacl()), sd.control());
    }

    private static List<SecurityDescriptor.Ace> mapAces(List<SecurityDescriptor.Ace> aces) {
        if (aces == null) {
            return null;
        }
        List<SecurityDescriptor.Ace> out = new ArrayList<>();
        for (SecurityDescriptor.Ace a : aces) {
            out.add(new SecurityDescriptor.Ace(a.type(), a.flags(), SecurityDescriptor.mapGeneric(a.mask()), a.sid()));
        }
        return out;
    }
}
