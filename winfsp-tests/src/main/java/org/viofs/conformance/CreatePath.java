package org.viofs.conformance;

import java.util.List;

import org.viofs.volume.CreateOptions;
import org.viofs.volume.Ea;
import org.viofs.volume.FileInfo;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.OpenResult;
import org.viofs.volume.SecurityByName;
import org.viofs.volume.VolumeOperations;

import org.viofs.conformance.NameResolver.Resolved;
import org.viofs.conformance.OpenFileTable.FileNode;

/**
 * The create path of NtCreateFile as WinFsp serves it (docs/winfsp-native.md §2.1 "Create/Open flow",
 * §2.2), after the FSD has checked the EaBuffer: name checks, delete-pending, traverse and reparse
 * resolution, the DLL's access checks, Open or Create (CreateEx), the FSD's share check, Overwrite
 * (OverwriteEx), and the handle registered in the {@link OpenFileTable}. A failure throws
 * {@link NtStatusException}; whatever the volume had opened by then is closed again as the FSD and
 * DLL close it. {@link Win32Facade#ntCreateFile} documents the sequence.
 *
 * <p>Thread safety: not thread-safe; the facade serialises access.
 */
final class CreatePath {

    /**
     * NtCreateFile's arguments after the FSD's EaBuffer checks.
     *
     * @param eas the decoded EaBuffer (empty for none)
     */
    record Request(String path, int desiredAccess, int shareAccess, byte[] securityDescriptor, int disposition,
                   int createOptions, int fileAttributes, long allocationSize, List<Ea> eas) {

        boolean has(int createOption) {
            return (createOptions & createOption) != 0;
        }

        /** Overwrite, OverwriteIf or Supersede: an existing file is opened, then overwritten. */
        boolean overwrites() {
            return disposition == CreateOptions.FILE_OVERWRITE || disposition == CreateOptions.FILE_OVERWRITE_IF
                    || disposition == CreateOptions.FILE_SUPERSEDE;
        }

        /** Open or Overwrite: a missing file is not created. */
        boolean mustExist() {
            return disposition == CreateOptions.FILE_OPEN || disposition == CreateOptions.FILE_OVERWRITE;
        }

        /** The same request for another name (a named stream's main file, the target of a reparse). */
        Request forMain(String mainPath) {
            return new Request(mainPath, 0, Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE,
                    securityDescriptor, mustExist() ? CreateOptions.FILE_OPEN : CreateOptions.FILE_OPEN_IF,
                    createOptions & ~(CreateOptions.FILE_DELETE_ON_CLOSE | CreateOptions.FILE_NON_DIRECTORY_FILE),
                    fileAttributes, 0, List.of());
        }
    }

    /**
     * An open handle and whether the file existed before (OpenIf, OverwriteIf and Supersede then
     * leave ERROR_ALREADY_EXISTS as the last error).
     */
    record Opened(Handle handle, boolean existed) {
    }

    private final Win32Facade facade;
    private final VolumeOperations volume;
    private final FacadeOptions options;
    private final OpenFileTable table;
    private final AccessCheck access;
    private final NameResolver names;
    private final boolean extendedAttributes;
    private final OperationGuard guard;

    CreatePath(Win32Facade facade, OpenFileTable table, AccessCheck access, NameResolver names,
               OperationGuard guard) {
        this.guard = guard;
        this.facade = facade;
        this.volume = facade.volume();
        this.options = facade.options();
        this.table = table;
        this.access = access;
        this.names = names;
        this.extendedAttributes = volume.supportsEas();
    }

    private static NtStatusException nt(int status, String detail) {
        return new NtStatusException(status, detail);
    }

    /**
     * The FSD's name checks, then the open. A named stream ({@code file:stream}) first opens its
     * main file (FILE_OPEN_IF when the stream may be created, else FILE_OPEN; access 0, share all),
     * which stays open while the stream is; the stream never gets the EaBuffer.
     */
    Opened run(Request r) {
        // the Create request (GetSecurityByName, Open/Create) runs under the DLL's guard; the FSD's
        // share check and an Overwrite (its own, exclusive, request) follow inside it here, which
        // only narrows what may interleave with them
        WinName name = WinName.parse(r.path(), options.maxComponentLength());
        boolean wantDirectory = r.has(CreateOptions.FILE_DIRECTORY_FILE);
        boolean wantFile = r.has(CreateOptions.FILE_NON_DIRECTORY_FILE);
        if (name.hasTrailingBackslash() && wantFile) {
            throw nt(NtStatus.OBJECT_NAME_INVALID, "trailing backslash on a file: " + r.path());
        }
        if (wantDirectory && wantFile) {
            throw nt(NtStatus.INVALID_PARAMETER, "both FILE_DIRECTORY_FILE and FILE_NON_DIRECTORY_FILE");
        }
        if (r.has(CreateOptions.FILE_DELETE_ON_CLOSE)
                && (SecurityDescriptor.mapGeneric(r.desiredAccess()) & Win32.DELETE) == 0) {
            throw nt(NtStatus.INVALID_PARAMETER, "FILE_DELETE_ON_CLOSE without DELETE access");
        }
        if (name.stream() != null && !options.namedStreams()) {
            throw nt(NtStatus.OBJECT_NAME_INVALID, "named streams are off: " + r.path());
        }
        if ((name.stream() != null || name.dataType()) && wantDirectory) {
            throw nt(NtStatus.NOT_A_DIRECTORY, "a stream is not a directory: " + r.path());
        }
        OperationGuard.Kind kind = OperationGuard.forCreate(r.disposition());
        if (name.stream() == null) {
            return guard.run(kind, () -> openOrCreate(name, r, null));
        }
        Handle mainHandle = run(r.forMain(name.main())).handle();
        try {
            return guard.run(kind, () -> openOrCreate(name, r, mainHandle));
        } catch (RuntimeException e) {
            facade.release(mainHandle);
            throw e;
        }
    }

    private Opened openOrCreate(WinName name, Request r, Handle mainHandle) {
        String volumeName = name.volumeName();
        if (table.deletePending(volumeName)) {
            throw nt(NtStatus.DELETE_PENDING, volumeName);
        }
        if (mainHandle != null && table.deletePending(mainHandle.node)) {
            throw nt(NtStatus.DELETE_PENDING, name.main());
        }

        access.checkTraverse(volumeName, r.createOptions());

        // DLL: GetSecurityByName on the target (streams: the main file's descriptor governs)
        Resolved resolved;
        try {
            resolved = names.resolve(volumeName, r.has(CreateOptions.FILE_OPEN_REPARSE_POINT));
        } catch (NtStatusException e) {
            if (e.status() != NtStatus.OBJECT_NAME_NOT_FOUND) {
                throw e;
            }
            resolved = new Resolved(volumeName, null);
        }
        if (!resolved.volumeName().equals(volumeName)) {
            // reparsed: the I/O manager reissues the create with the new name
            if (table.deletePending(resolved.volumeName())) {
                throw nt(NtStatus.DELETE_PENDING, resolved.volumeName());
            }
            name = WinName.parse(resolved.volumeName(), options.maxComponentLength());
            volumeName = name.volumeName();
        }

        if (resolved.security() == null) {
            if (r.mustExist()) {
                throw nt(names.notFoundStatus(volumeName), volumeName);
            }
            return create(name, r, mainHandle);
        }
        if (r.disposition() == CreateOptions.FILE_CREATE) {
            // the DLL's create check on the parent, then Create reports the collision
            return create(name, r, mainHandle);
        }
        return open(name, r, mainHandle, resolved.security());
    }

    /** An existing file: the DLL's checks, Open, the FSD's share check, then Overwrite if asked. */
    private Opened open(WinName name, Request r, Handle mainHandle, SecurityByName sbn) {
        String volumeName = name.volumeName();
        int attributes = sbn.fileAttributes();
        boolean isDirectory = (attributes & Win32.FILE_ATTRIBUTE_DIRECTORY) != 0 && name.stream() == null;
        if (r.has(CreateOptions.FILE_NON_DIRECTORY_FILE) && isDirectory) {
            throw nt(NtStatus.FILE_IS_A_DIRECTORY, volumeName);
        }
        if (r.has(CreateOptions.FILE_DIRECTORY_FILE) && !isDirectory) {
            throw nt(NtStatus.NOT_A_DIRECTORY, volumeName);
        }
        if (name.hasTrailingBackslash() && !isDirectory) {
            throw nt(NtStatus.OBJECT_NAME_INVALID, "trailing backslash on a file: " + volumeName);
        }
        int disposition = r.disposition();
        boolean overwrite = r.overwrites();
        if (overwrite && isDirectory) {
            throw nt(NtStatus.INVALID_PARAMETER, "overwrite of a directory: " + volumeName);
        }
        int checkAccess = r.desiredAccess();
        if (overwrite) {
            checkAccess |= disposition == CreateOptions.FILE_SUPERSEDE ? Win32.DELETE : Win32.FILE_WRITE_DATA;
        }
        String parent = NameResolver.parentOf(volumeName);
        int granted = access.checkAccess(volumeName, name.stream() == null ? parent : null, sbn, checkAccess,
                r.createOptions());
        if (overwrite) {
            // the extra right was needed for the check only
            granted = (granted & ~(Win32.DELETE | Win32.FILE_WRITE_DATA))
                    | (SecurityDescriptor.mapGeneric(r.desiredAccess()) & (Win32.DELETE | Win32.FILE_WRITE_DATA));
        }
        boolean deleteOnClose = r.has(CreateOptions.FILE_DELETE_ON_CLOSE);
        if (deleteOnClose && (attributes & Win32.FILE_ATTRIBUTE_READONLY) != 0) {
            throw nt(NtStatus.CANNOT_DELETE, "READONLY with FILE_DELETE_ON_CLOSE: " + volumeName);
        }

        // DLL: Open
        OpenResult opened;
        try {
            opened = volume.open(volumeName, r.createOptions() | (disposition << 24), granted);
        } catch (NtStatusException e) {
            if (e.status() != NtStatus.OBJECT_NAME_NOT_FOUND) {
                throw e;
            }
            if (r.mustExist()) {
                throw nt(names.notFoundStatus(volumeName), volumeName);
            }
            return create(name, r, mainHandle);
        }
        String handleName = opened.openFileInfo().normalizedName() != null
                ? opened.openFileInfo().normalizedName() : volumeName;

        // FSD: share access (FILE_WRITE_DATA counts for overwrite dispositions, WinFsp #364)
        int shareCheckAccess = overwrite ? granted | Win32.FILE_WRITE_DATA : granted;
        FileNode node;
        synchronized (table) {
            node = table.nodeFor(volumeName, isDirectory, mainHandle);
            int shareStatus = OpenFileTable.checkShares(node, mainHandle, shareCheckAccess, r.shareAccess());
            if (shareStatus != NtStatus.SUCCESS) {
                // the FSD posts Close alone for a create it fails after the file system opened the file
                table.dropIfUnused(node);
                volume.close(opened.context());
                throw nt(shareStatus, volumeName);
            }
            if (node.handles.isEmpty()) {
                // FspFileNodeTrySetFileInfoAndSecurityOnOpen: only a first open updates what the FSD knows
                OpenFileTable.takeFileInfo(node, opened.openFileInfo().fileInfo(), false, options.allocationUnit());
            }
            if (!overwrite) {
                Handle h = table.register(node, opened.context(), granted, r.shareAccess(), shareCheckAccess,
                        r.createOptions(), isDirectory, handleName, mainHandle);
                h.deleteOnClose = deleteOnClose;
                return new Opened(h, true);
            }
        }
        // the share check passed; an Overwrite is its own request (exclusive, nested in this create's)
        overwrite(opened, node, name, r, mainHandle == null ? r.eas() : List.of());
        synchronized (table) {
            Handle h = table.register(node, opened.context(), granted, r.shareAccess(), shareCheckAccess,
                    r.createOptions(), isDirectory, handleName, mainHandle);
            h.deleteOnClose = deleteOnClose;
            return new Opened(h, true);
        }
    }

    /**
     * The DLL's Overwrite (OverwriteEx with the EaBuffer when the volume has EAs); the DLL calls
     * Close if it fails. Overwriting a main file counts an EA change and makes its open named
     * streams delete-pending (the FSD's Overwrite completion, create.c).
     */
    private void overwrite(OpenResult opened, FileNode node, WinName name, Request r, List<Ea> eas) {
        int attributes = r.fileAttributes() & ~Win32.FILE_ATTRIBUTE_NORMAL;
        boolean supersede = r.disposition() == CreateOptions.FILE_SUPERSEDE;
        FileInfo info;
        try {
            info = guard.run(OperationGuard.Kind.EXCLUSIVE, () -> extendedAttributes
                    ? volume.overwriteWithEas(opened.context(), attributes, supersede, r.allocationSize(), eas)
                    : volume.overwrite(opened.context(), attributes, supersede, r.allocationSize()));
        } catch (RuntimeException e) {
            volume.close(opened.context());
            synchronized (table) {
                table.dropIfUnused(node);
            }
            throw e;
        }
        synchronized (table) {
            overwritten(node, name, info);
        }
    }

    /** The FSD's Overwrite completion: the new FileInfo, the EA change count, the open streams. */
    private void overwritten(FileNode node, WinName name, FileInfo info) {
        OpenFileTable.takeFileInfo(node, info, true, options.allocationUnit());
        if (name.stream() == null) {
            if (extendedAttributes) {
                node.eaChangeCount++;
            }
            for (FileNode stream : table.streamsOf(node)) {
                stream.deletePending = true;
            }
        }
    }

    /** A new file: the DLL's CreateCheck on the parent (or main file), Create, the FSD's share check. */
    private Opened create(WinName name, Request r, Handle mainHandle) {
        String volumeName = name.volumeName();
        boolean directory = r.has(CreateOptions.FILE_DIRECTORY_FILE);
        if (name.isRoot()) {
            throw nt(NtStatus.ACCESS_DENIED, "cannot create the root");
        }
        if (name.stream() == null) {
            checkParentAllowsCreate(name.parent(), directory, r.createOptions());
        }
        int desired = SecurityDescriptor.mapGeneric(r.desiredAccess());
        int mapped = desired & ~Win32.MAXIMUM_ALLOWED;
        if ((desired & Win32.MAXIMUM_ALLOWED) != 0) {
            mapped |= Win32.FILE_ALL_ACCESS;
        }
        if (name.stream() != null) {
            // the DLL's CreateCheck for a new stream: the main file must grant the desired access
            // plus FILE_WRITE_DATA (and DELETE for delete-on-close) — fsop.c FspFileSystemCreateCheck
            int need = mapped | Win32.FILE_WRITE_DATA | (r.has(CreateOptions.FILE_DELETE_ON_CLOSE) ? Win32.DELETE : 0);
            access.checkAccess(name.main(), name.parent(), volume.getSecurityByName(name.main()), need,
                    r.createOptions());
        }
        if ((r.fileAttributes() & Win32.FILE_ATTRIBUTE_READONLY) != 0 && r.has(CreateOptions.FILE_DELETE_ON_CLOSE)) {
            // fsop.c FspFileSystemCreateCheck: a new READONLY file cannot be delete-on-close
            throw nt(NtStatus.CANNOT_DELETE, "READONLY with FILE_DELETE_ON_CLOSE: " + volumeName);
        }
        byte[] sd = name.stream() == null ? assignedDescriptor(r.securityDescriptor()) : null;
        int attributes = r.fileAttributes() & ~Win32.FILE_ATTRIBUTE_NORMAL;
        attributes = directory ? attributes | Win32.FILE_ATTRIBUTE_DIRECTORY : attributes & ~Win32.FILE_ATTRIBUTE_DIRECTORY;
        int createOptions = r.createOptions() | (CreateOptions.FILE_CREATE << 24);
        OpenResult created = extendedAttributes
                ? volume.createWithEas(volumeName, createOptions, mapped, attributes, sd, r.allocationSize(),
                        mainHandle == null ? r.eas() : List.of())
                : volume.create(volumeName, createOptions, mapped, attributes, sd, r.allocationSize());
        String handleName = created.openFileInfo().normalizedName() != null
                ? created.openFileInfo().normalizedName() : volumeName;
        synchronized (table) {
            FileNode node = table.nodeFor(volumeName, directory, mainHandle);
            int shareStatus = OpenFileTable.checkShares(node, mainHandle, mapped, r.shareAccess());
            if (shareStatus != NtStatus.SUCCESS) {
                table.dropIfUnused(node);
                volume.close(created.context());
                throw nt(shareStatus, volumeName);
            }
            // FILE_CREATED: the FSD takes the new file's FileInfo with truncate on close
            OpenFileTable.takeFileInfo(node, created.openFileInfo().fileInfo(), true, options.allocationUnit());
            Handle h = table.register(node, created.context(), mapped, r.shareAccess(), mapped, r.createOptions(),
                    directory, handleName, mainHandle);
            h.deleteOnClose = r.has(CreateOptions.FILE_DELETE_ON_CLOSE);
            return new Opened(h, false);
        }
    }

    /**
     * DLL: GetSecurityByName on the parent (reparse points followed), which must be a directory
     * granting FILE_ADD_FILE or FILE_ADD_SUBDIRECTORY.
     */
    private void checkParentAllowsCreate(String parent, boolean directory, int createOptions) {
        SecurityByName p;
        try {
            p = names.resolve(parent, false).security();
        } catch (NtStatusException e) {
            throw e.status() == NtStatus.OBJECT_NAME_NOT_FOUND ? nt(NtStatus.OBJECT_PATH_NOT_FOUND, parent) : e;
        }
        if ((p.fileAttributes() & Win32.FILE_ATTRIBUTE_DIRECTORY) == 0) {
            throw nt(NtStatus.OBJECT_PATH_NOT_FOUND, "parent is not a directory: " + parent);
        }
        int need = directory ? Win32.FILE_ADD_SUBDIRECTORY : Win32.FILE_ADD_FILE;
        if ((access.grantedWith(p, createOptions) & need) != need) {
            throw nt(NtStatus.ACCESS_DENIED, "parent refuses " + (directory ? "FILE_ADD_SUBDIRECTORY" : "FILE_ADD_FILE"));
        }
    }

    /** The FSD assigns the new file's descriptor: the caller's, owner (and group) defaulted to the caller. */
    private byte[] assignedDescriptor(byte[] securityDescriptor) {
        if (securityDescriptor == null) {
            return null;
        }
        SecurityDescriptor given = SecurityDescriptor.parse(securityDescriptor);
        String owner = given.owner() != null ? given.owner() : access.callerOwner();
        return AccessCheck.mapGenericAces(given, owner, given.group() != null ? given.group() : owner).toBytes();
    }
}
