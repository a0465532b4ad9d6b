package org.viofs.conformance;

import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.viofs.volume.CleanupFlags;
import org.viofs.volume.CreateOptions;
import org.viofs.volume.DirInfo;
import org.viofs.volume.Ea;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.VolumeOperations;

import org.viofs.conformance.OpenFileTable.FileNode;
import org.viofs.conformance.Win32Structs.ByHandleFileInformation;
import org.viofs.conformance.Win32Structs.BasicInfo;
import org.viofs.conformance.Win32Structs.StandardInfo;
import org.viofs.conformance.Win32Structs.AttributeTagInfo;
import org.viofs.conformance.Win32Structs.FileNameInfo;
import org.viofs.conformance.Win32Structs.FindData;
import org.viofs.conformance.Win32Structs.VolumeInformation;
import org.viofs.conformance.Win32Structs.DiskFreeSpace;
import org.viofs.conformance.Win32Structs.DiskFreeSpaceEx;
import org.viofs.conformance.Win32Structs.IoStatusBlock;
import org.viofs.conformance.Win32Structs.DirectoryPage;
import org.viofs.conformance.Win32Structs.FindHandle;

/**
 * A Win32-like API over {@link VolumeOperations} that issues the callback sequences WinFsp's FSD
 * (kernel) and DLL ({@code src/dll/fsop.c}) issue for each Win32 call, and enforces the rules the
 * FSD enforces itself (share modes, delete-pending, open files below a renamed directory), so the
 * winfsp-tests cases can be restated over a volume without Windows. Each method's Javadoc lists
 * the sequence it issues, citing docs/winfsp-native.md.
 *
 * <p>Calls return like Win32: a handle or null, true or false, and set {@link #getLastError()}
 * (and {@link #getLastStatus()}, the NTSTATUS behind it). Paths are volume paths
 * ({@code \dir\file}); the caller's test directory is just a prefix.
 *
 * <p>Not modelled: the cache manager (cached and non-cached I/O both go straight to Read/Write),
 * memory mapping, oplocks, byte-range locks, change notifications, privileges. The cases that
 * need them are NOT_PORTABLE in {@link ConformanceCatalog}.
 *
 * <p>Layout: this class is the API, in the order of a Win32 program's calls; it keeps the
 * last error and the locks and implements CreateFile and CloseHandle (with the Cleanup flags of
 * {@link CleanupRule}). The rest, one class per reason to change: {@link CreatePath} (the create
 * path, with {@link AccessCheck} and {@link NameResolver}), {@link OpenFileTable} (what the FSD
 * keeps per open file: share access, delete-pending, TruncateOnClose), {@link RenameAndDelete},
 * {@link FileIo}, {@link FileInformation}, {@link DirectoryListing} (with {@link Wildcard}),
 * {@link VolumeQueries}, {@link SecurityCalls}, {@link ReparseCalls}, {@link EaCalls}. Results
 * are the records in {@link Win32Structs}.
 *
 * <p>Thread safety: safe for several threads, each with its own handles, as a Win32 program's
 * threads: the last error is per thread; the FSD's open-file table is guarded by its monitor;
 * creates hold the FSD's rename lock shared and renames exclusively; each volume callback runs
 * under the DLL's operation guard ({@link OperationGuard}), so one page of a listing never
 * overlaps a rename or a delete but renames and deletes may run between pages
 * ({@link #readDirectoryPage}, {@link #findNextFile}). A {@link Handle} or {@link FindHandle} is
 * used by one thread at a time.
 */
public final class Win32Facade {

    /** The drive letter the facade's volume is taken to be mounted at, for absolute symlink targets. */
    public static final String DRIVE = "V:";
    /** STATUS_IO_REPARSE_TAG_NOT_HANDLED (ntstatus.h): no filter understands the reparse tag. */
    public static final int STATUS_IO_REPARSE_TAG_NOT_HANDLED = 0xC0000279;
    /** FILE_WRITE_TO_END_OF_FILE as an offset: the I/O manager's marker for appending writes. */
    public static final long WRITE_TO_END_OF_FILE = -1L;

    private final VolumeOperations volume;
    private final FacadeOptions options;
    /** VOLUME_PARAMS ExtendedAttributes, which the WinFsp binding sets from {@link VolumeOperations#supportsEas()}. */
    private final boolean extendedAttributes;
    private final OpenFileTable table;
    private final AccessCheck access;
    private final CreatePath createPath;
    private final FileIo io;
    private final FileInformation information;
    private final DirectoryListing listing;
    private final VolumeQueries volumeQueries;
    private final SecurityCalls security;
    private final ReparseCalls reparse;
    private final EaCalls eas;
    private final RenameAndDelete renameAndDelete;
    /** The FSD's volume rename lock: every create holds it shared, a rename exclusively (create.c, fileinfo.c). */
    private final ReentrantReadWriteLock renameLock = new ReentrantReadWriteLock();
    /** The DLL's operation guard around each request. */
    private final OperationGuard guard = new OperationGuard();
    /** GetLastError and the NTSTATUS behind it, per thread as in Win32: {error, status}. */
    private final ThreadLocal<int[]> last = ThreadLocal.withInitial(() -> new int[2]);

    public Win32Facade(VolumeOperations volume, FacadeOptions options) {
        this.volume = volume;
        this.options = options;
        this.extendedAttributes = volume.supportsEas();
        this.table = new OpenFileTable(options.caseSensitive());
        this.access = new AccessCheck(volume, options.callerSids());
        this.createPath = new CreatePath(this, table, access, new NameResolver(volume, options.reparsePoints()),
                guard);
        this.io = new FileIo(this);
        this.information = new FileInformation(this);
        this.listing = new DirectoryListing(this);
        this.volumeQueries = new VolumeQueries(this);
        this.security = new SecurityCalls(this);
        this.reparse = new ReparseCalls(this);
        this.eas = new EaCalls(this);
        this.renameAndDelete = new RenameAndDelete(this);
    }

    /** The FSD's open-file table (its monitor guards the nodes' fields). */
    OpenFileTable table() {
        return table;
    }

    /** The DLL's operation guard. */
    OperationGuard guard() {
        return guard;
    }

    /** The FSD's volume rename lock. */
    ReentrantReadWriteLock renameLock() {
        return renameLock;
    }

    /** The DLL's access checks for the emulated caller. */
    AccessCheck access() {
        return access;
    }

    public VolumeOperations volume() {
        return volume;
    }

    public FacadeOptions options() {
        return options;
    }

    /** GetLastError(): the Win32 error of the last failed call (or ERROR_ALREADY_EXISTS after an open of an existing file with CREATE_ALWAYS/OPEN_ALWAYS). */
    public int getLastError() {
        return last.get()[0];
    }

    /** The NTSTATUS behind {@link #getLastError()}, as winfsp-tests prints it in {@code err=}. */
    public int getLastStatus() {
        return last.get()[1];
    }

    /**
     * Token privileges the emulated caller has enabled (AdjustTokenPrivileges). An elevated
     * winfsp-tests run holds all three; only SeChangeNotifyPrivilege (bypass traverse checking) is
     * enabled by default.
     */
    public enum Privilege {
        /** SeChangeNotifyPrivilege: without it the DLL checks FILE_TRAVERSE on every directory of the path (§2.2). */
        CHANGE_NOTIFY,
        /** SeBackupPrivilege: with FILE_OPEN_FOR_BACKUP_INTENT, read access regardless of the DACL. */
        BACKUP,
        /** SeRestorePrivilege: with FILE_OPEN_FOR_BACKUP_INTENT, write, add and delete access regardless of the DACL. */
        RESTORE
    }

    /** AdjustTokenPrivileges for the emulated caller. */
    public void setPrivilege(Privilege privilege, boolean enabled) {
        access.setPrivilege(privilege, enabled);
    }

    /** How many handles (file objects) are open, for leak checks. */
    public int openHandleCount() {
        return table.handleCount();
    }

    // ---------------------------------------------------------------------------------------------
    // error plumbing

    /** Records a failure as this thread's last error (the NTSTATUS and its Win32 mapping); returns false. */
    boolean fail(int status) {
        return fail(status, NtStatusToWin32.map(status));
    }

    /** Records a failure whose Win32 error is not the usual mapping of its NTSTATUS; returns false. */
    boolean fail(int status, int win32Error) {
        int[] l = last.get();
        l[0] = win32Error;
        l[1] = status;
        return false;
    }

    /** Records success as this thread's last error. */
    void succeed() {
        fail(NtStatus.SUCCESS, Win32.ERROR_SUCCESS);
    }

    /** Sets this thread's last Win32 error alone (a success that reports ERROR_ALREADY_EXISTS, …). */
    private void setLastError(int win32Error) {
        last.get()[0] = win32Error;
    }

    static int statusOf(RuntimeException e) {
        if (e instanceof NtStatusException nt) {
            return nt.status();
        }
        // any other exception from the volume is a bug; the WinFsp binding reports it this way
        return NtStatus.UNEXPECTED_IO_ERROR;
    }

    private static NtStatusException nt(int status, String detail) {
        return new NtStatusException(status, detail);
    }

    // ---------------------------------------------------------------------------------------------
    // CreateFile

    /** CreateFileW with no security attributes. */
    public Handle createFile(String path, int desiredAccess, int shareMode, int disposition, int flagsAndAttributes) {
        return createFile(path, desiredAccess, shareMode, null, disposition, flagsAndAttributes);
    }

    /**
     * CreateFileW. kernelbase turns it into NtCreateFile: the Win32 disposition becomes the NT one
     * (CREATE_NEW→FILE_CREATE, CREATE_ALWAYS→FILE_OVERWRITE_IF, OPEN_EXISTING→FILE_OPEN,
     * OPEN_ALWAYS→FILE_OPEN_IF, TRUNCATE_EXISTING→FILE_OVERWRITE), SYNCHRONIZE|FILE_READ_ATTRIBUTES
     * are added to the access, FILE_NON_DIRECTORY_FILE is set unless FILE_FLAG_BACKUP_SEMANTICS,
     * and FILE_FLAG_DELETE_ON_CLOSE adds DELETE. A CREATE_NEW collision reports ERROR_FILE_EXISTS;
     * CREATE_ALWAYS/OPEN_ALWAYS on an existing file succeed with last error ERROR_ALREADY_EXISTS.
     *
     * @param securityDescriptor the lpSecurityAttributes' descriptor (self-relative), or null
     */
    public Handle createFile(String path, int desiredAccess, int shareMode, byte[] securityDescriptor,
                             int disposition, int flagsAndAttributes) {
        int ntDisposition = switch (disposition) {
            case Win32.CREATE_NEW -> CreateOptions.FILE_CREATE;
            case Win32.CREATE_ALWAYS -> CreateOptions.FILE_OVERWRITE_IF;
            case Win32.OPEN_EXISTING -> CreateOptions.FILE_OPEN;
            case Win32.OPEN_ALWAYS -> CreateOptions.FILE_OPEN_IF;
            case Win32.TRUNCATE_EXISTING -> CreateOptions.FILE_OVERWRITE;
            default -> -1;
        };
        if (ntDisposition < 0) {
            fail(NtStatus.INVALID_PARAMETER);
            return null;
        }
        int access = desiredAccess | Win32.SYNCHRONIZE | Win32.FILE_READ_ATTRIBUTES;
        int options = 0;
        if ((flagsAndAttributes & Win32.FILE_FLAG_BACKUP_SEMANTICS) != 0) {
            options |= CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT;
        } else {
            options |= CreateOptions.FILE_NON_DIRECTORY_FILE;
        }
        if ((flagsAndAttributes & Win32.FILE_FLAG_DELETE_ON_CLOSE) != 0) {
            options |= CreateOptions.FILE_DELETE_ON_CLOSE;
            access |= Win32.DELETE;
        }
        if ((flagsAndAttributes & Win32.FILE_FLAG_WRITE_THROUGH) != 0) {
            options |= CreateOptions.FILE_WRITE_THROUGH;
        }
        if ((flagsAndAttributes & Win32.FILE_FLAG_NO_BUFFERING) != 0) {
            options |= CreateOptions.FILE_NO_INTERMEDIATE_BUFFERING;
        }
        if ((flagsAndAttributes & Win32.FILE_FLAG_OPEN_REPARSE_POINT) != 0) {
            options |= CreateOptions.FILE_OPEN_REPARSE_POINT;
        }
        if ((flagsAndAttributes & Win32.FILE_FLAG_SEQUENTIAL_SCAN) != 0) {
            options |= CreateOptions.FILE_SEQUENTIAL_ONLY;
        }
        int attributes = flagsAndAttributes & 0x0000FFFF & ~Win32.FILE_ATTRIBUTE_DIRECTORY;
        Handle h = ntCreateFile(path, access, shareMode, securityDescriptor, ntDisposition, options, attributes, 0);
        if (h == null && getLastStatus() == NtStatus.OBJECT_NAME_COLLISION && disposition == Win32.CREATE_NEW) {
            setLastError(Win32.ERROR_FILE_EXISTS);
        }
        if (h != null) {
            h.overlapped = (flagsAndAttributes & Win32.FILE_FLAG_OVERLAPPED) != 0;
        }
        return h;
    }

    /** CreateDirectoryW: NtCreateFile(FILE_LIST_DIRECTORY|SYNCHRONIZE, FILE_CREATE, FILE_DIRECTORY_FILE), then close. */
    public boolean createDirectory(String path, byte[] securityDescriptor) {
        Handle h = ntCreateFile(path, Win32.FILE_LIST_DIRECTORY | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE, securityDescriptor, CreateOptions.FILE_CREATE,
                CreateOptions.FILE_DIRECTORY_FILE | CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            return false;
        }
        closeHandle(h);
        succeed();
        return true;
    }

    /**
     * NtCreateFile as WinFsp serves it (docs/winfsp-native.md §2.1 "Create/Open flow", §2.2):
     * <ol>
     * <li>FSD: name checks ({@link WinName}); a trailing backslash with FILE_NON_DIRECTORY_FILE is
     *     OBJECT_NAME_INVALID; FILE_DELETE_ON_CLOSE needs DELETE access.</li>
     * <li>FSD: a file that is open and delete-pending refuses new opens with DELETE_PENDING.</li>
     * <li>DLL: GetSecurityByName on the target (reparse points resolved via
     *     ResolveReparsePoints); its attributes decide FILE_IS_A_DIRECTORY / NOT_A_DIRECTORY /
     *     OBJECT_NAME_INVALID (trailing backslash on a file); its descriptor the access check.</li>
     * <li>DLL: FILE_OPEN → Open. FILE_CREATE → GetSecurityByName(parent) then Create.
     *     FILE_OPEN_IF → Open, or Create when the target is missing. FILE_OVERWRITE(_IF)/
     *     FILE_SUPERSEDE → Open, then (after the FSD's share check, with FILE_WRITE_DATA added as
     *     WinFsp issue #364 requires) a separate Overwrite; the DLL calls Close if Overwrite fails.</li>
     * <li>FSD: READONLY file with FILE_DELETE_ON_CLOSE → CANNOT_DELETE; share-mode check
     *     (IoCheckShareAccess); on failure the FSD sends Close (no Cleanup) for the opened context.</li>
     * </ol>
     * A named stream ({@code file:stream}) first opens its main file (FILE_OPEN_IF when the stream
     * may be created, else FILE_OPEN; access 0, share all), which stays open while the stream is.
     */
    public Handle ntCreateFile(String path, int desiredAccess, int shareAccess, byte[] securityDescriptor,
                               int ntDisposition, int createOptions, int fileAttributes, long allocationSize) {
        return ntCreateFile(path, desiredAccess, shareAccess, securityDescriptor, ntDisposition, createOptions,
                fileAttributes, allocationSize, null, 0);
    }

    /**
     * NtCreateFile with an EaBuffer (FILE_FULL_EA_INFORMATION, {@link EaBuffers}). Before anything
     * else the FSD (src/sys/create.c, FspFsvolCreateNoLock) checks the buffer: ExtendedAttributes
     * clear → STATUS_EAS_NOT_SUPPORTED; FILE_NO_EA_KNOWLEDGE → STATUS_ACCESS_DENIED; then
     * FspEaBufferFromOriginatingProcessValidate → STATUS_EA_LIST_INCONSISTENT or
     * STATUS_INVALID_EA_NAME ({@link EaBuffers#validateFromCaller}). None of these reaches the
     * volume. The buffer then rides along in the Create request: the DLL hands it to CreateEx
     * ({@link VolumeOperations#createWithEas}) when the file is created and to OverwriteEx
     * ({@link VolumeOperations#overwriteWithEas}) on FILE_OVERWRITE(_IF)/FILE_SUPERSEDE; a plain
     * open ignores it, and a named stream never gets it. With ExtendedAttributes set the binding
     * installs CreateEx/OverwriteEx, so those two are called (with an empty list) even without
     * an EaBuffer — an overwrite then drops every EA, as on NTFS (docs/winfsp-native.md §2, slots 27–28).
     * Opening a file that has a FILE_NEED_EA entry with FILE_NO_EA_KNOWLEDGE is refused by the
     * volume's Open (memfs does it there; the FSD does not look).
     *
     * @param eaBuffer the EA list, or null for none
     * @param eaLength its length in bytes (NtCreateFile's EaLength)
     */
    public Handle ntCreateFile(String path, int desiredAccess, int shareAccess, byte[] securityDescriptor,
                               int ntDisposition, int createOptions, int fileAttributes, long allocationSize,
                               byte[] eaBuffer, int eaLength) {
        try {
            List<Ea> eas = List.of();
            if (eaBuffer != null) {
                if (!extendedAttributes) {
                    throw nt(NtStatus.EAS_NOT_SUPPORTED, "no ExtendedAttributes volume flag");
                }
                if ((createOptions & Win32.FILE_NO_EA_KNOWLEDGE) != 0) {
                    throw nt(NtStatus.ACCESS_DENIED, "an EaBuffer with FILE_NO_EA_KNOWLEDGE");
                }
                EaBuffers.Check check = EaBuffers.validateFromCaller(eaBuffer, eaLength);
                if (!check.ok()) {
                    throw nt(check.status(), "EaBuffer entry at offset " + check.errorOffset());
                }
                eas = EaBuffers.toEas(eaBuffer, eaLength);
            }
            CreatePath.Request request = new CreatePath.Request(path, desiredAccess, shareAccess,
                    securityDescriptor, ntDisposition, createOptions, fileAttributes, allocationSize, eas);
            CreatePath.Opened opened;
            renameLock.readLock().lock();
            try {
                opened = createPath.run(request);
            } finally {
                renameLock.readLock().unlock();
            }
            succeed();
            if (opened.existed() && (ntDisposition == CreateOptions.FILE_OVERWRITE_IF
                    || ntDisposition == CreateOptions.FILE_OPEN_IF || ntDisposition == CreateOptions.FILE_SUPERSEDE)) {
                setLastError(Win32.ERROR_ALREADY_EXISTS);
            }
            return opened.handle();
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // CloseHandle

    /**
     * CloseHandle: the last handle of a file object closes, so the FSD sends Cleanup then Close
     * (docs/winfsp-native.md §2.1 "Cleanup"), with the flags {@link CleanupRule} states: Delete on the
     * last handle of a delete-pending file (a FILE_DELETE_ON_CLOSE handle makes it so at its own
     * Cleanup), SetAllocationSize on the last handle after a size change, SetArchiveBit /
     * SetLastWriteTime / SetChangeTime after a write or SetFileSize through this handle unless it
     * set them itself with SetBasicInfo, SetChangeTime after any SetBasicInfo, SetSecurity or
     * reparse-point change, SetLastAccessTime unless the handle set that time. Under
     * PostCleanupWhenModifiedOnly a Cleanup that would carry only SetLastAccessTime is not sent.
     */
    public boolean closeHandle(Handle h) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        release(h);
        succeed();
        return true;
    }

    /**
     * The Cleanup and Close of one file object (and then of the main file a named stream held
     * open), with the Cleanup flags the FSD computes ({@link CleanupRule}); a Cleanup with Delete
     * runs under the exclusive guard.
     */
    void release(Handle h) {
        FileNode node = h.node;
        int flags;
        boolean lastHandle;
        synchronized (table) {
            if (h.closed) {
                return;
            }
            h.closed = true;
            table.unregister(h);
            node.closing++; // the node stays in the table until this Cleanup and Close are done
            if (h.deleteOnClose) {
                node.deletePending = true;
            }
            lastHandle = node.handles.isEmpty();
            flags = CleanupRule.flags(h, lastHandle, node.deletePending, node.truncateOnClose);
        }
        boolean delete = (flags & CleanupFlags.DELETE) != 0;
        try {
            if (CleanupRule.posted(flags, options.postCleanupWhenModifiedOnly())) {
                // the FSD takes the node's Main resource, then the DLL its guard
                OpenFileTable.underMain(node, () -> guard.run(delete ? OperationGuard.Kind.EXCLUSIVE
                        : OperationGuard.Kind.NONE, () -> {
                            volume.cleanup(h.context, delete ? node.volumeName : null, flags);
                            return null;
                        }));
            }
        } finally {
            volume.close(h.context);
            synchronized (table) {
                if (lastHandle) {
                    node.truncateOnClose = false; // FspFileNodeCleanupComplete of the last handle
                }
                node.closing--;
                table.removeIfClosed(node);
            }
        }
        if (h.mainHandle != null) {
            release(h.mainHandle);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // delete and rename: RenameAndDelete

    /**
     * The end of a by-name API that opened {@code h} for one operation (DeleteFile, MoveFileEx,
     * SetFileSecurity): closes the handle and reports the operation's result, keeping the failure
     * status the operation left.
     */
    boolean closeAndReport(Handle h, boolean ok) {
        int status = getLastStatus();
        release(h);
        if (!ok) {
            return fail(status);
        }
        succeed();
        return true;
    }

    /** SetFileInformationByHandle(FileDispositionInfo). */
    public boolean setDisposition(Handle h, boolean deleteFile) {
        return renameAndDelete.setDisposition(h, deleteFile);
    }

    /** DeleteFileW: open for DELETE, disposition, close. */
    public boolean deleteFile(String path) {
        return renameAndDelete.deleteFile(path);
    }

    /** RemoveDirectoryW: as {@link #deleteFile} for a directory. */
    public boolean removeDirectory(String path) {
        return renameAndDelete.removeDirectory(path);
    }

    /** MoveFileExW within the volume: open the source for DELETE, FileRenameInformation, close. */
    public boolean moveFileEx(String from, String to, int flags) {
        return renameAndDelete.moveFileEx(from, to, flags);
    }

    /** NtSetInformationFile(FileRenameInformation). */
    public boolean setRenameInformation(Handle h, String newName, boolean replaceIfExists) {
        return renameAndDelete.setRenameInformation(h, newName, replaceIfExists);
    }

    // ---------------------------------------------------------------------------------------------
    // read, write, flush: FileIo

    /** SetFilePointerEx. */
    public long setFilePointer(Handle h, long distance, int moveMethod) {
        return io.setFilePointer(h, distance, moveMethod);
    }

    /** ReadFile at the file pointer. */
    public int readFile(Handle h, byte[] buffer, int length) {
        return io.readFile(h, buffer, length);
    }

    /** ReadFile. */
    public int readFile(Handle h, byte[] buffer, int length, Long offset) {
        return io.readFile(h, buffer, length, offset);
    }

    /** WriteFile at the file pointer. */
    public int writeFile(Handle h, byte[] buffer, int length) {
        return io.writeFile(h, buffer, length);
    }

    /** WriteFile. */
    public int writeFile(Handle h, byte[] buffer, int length, Long offset) {
        return io.writeFile(h, buffer, length, offset);
    }

    /** FlushFileBuffers. */
    public boolean flushFileBuffers(Handle h) {
        return io.flushFileBuffers(h);
    }

    /** FlushFileBuffers on a volume handle. */
    public boolean flushVolume() {
        return io.flushVolume();
    }

    // ---------------------------------------------------------------------------------------------
    // information: FileInformation

    /** GetFileInformationByHandle. */
    public ByHandleFileInformation getFileInformationByHandle(Handle h) {
        return information.getFileInformationByHandle(h);
    }

    /** GetFileInformationByHandleEx(FileBasicInfo). */
    public BasicInfo getBasicInfo(Handle h) {
        return information.getBasicInfo(h);
    }

    /** GetFileInformationByHandleEx(FileStandardInfo). */
    public StandardInfo getStandardInfo(Handle h) {
        return information.getStandardInfo(h);
    }

    /** GetFileInformationByHandleEx(FileAttributeTagInfo). */
    public AttributeTagInfo getAttributeTagInfo(Handle h) {
        return information.getAttributeTagInfo(h);
    }

    /** GetFileInformationByHandleEx(FileNameInfo) into a buffer of {@code bufferSize} bytes. */
    public FileNameInfo getFileNameInfo(Handle h, int bufferSize) {
        return information.getFileNameInfo(h, bufferSize);
    }

    /** GetFinalPathNameByHandleW(VOLUME_NAME_NONE). */
    public String getFinalPathNameByHandle(Handle h) {
        return information.getFinalPathNameByHandle(h);
    }

    /** GetFileAttributesW. */
    public int getFileAttributes(String path) {
        return information.getFileAttributes(path);
    }

    /** SetFileAttributesW. */
    public boolean setFileAttributes(String path, int attributes) {
        return information.setFileAttributes(path, attributes);
    }

    /** SetFileTime. */
    public boolean setFileTime(Handle h, Long creationTime, Long lastAccessTime, Long lastWriteTime) {
        return information.setFileTime(h, creationTime, lastAccessTime, lastWriteTime);
    }

    /** SetFileInformationByHandle(FileBasicInfo). */
    public boolean setBasicInfo(Handle h, int attributes, long creation, long access, long write, long change) {
        return information.setBasicInfo(h, attributes, creation, access, write, change);
    }

    /** SetEndOfFile. */
    public boolean setEndOfFile(Handle h) {
        return information.setEndOfFile(h);
    }

    /** SetFileInformationByHandle(FileEndOfFileInfo / FileAllocationInfo). */
    public boolean setFileSize(Handle h, long size, boolean allocation) {
        return information.setFileSize(h, size, allocation);
    }

    // ---------------------------------------------------------------------------------------------
    // directories and stream listings: DirectoryListing

    /** FindFirstFileW(dir\pattern). */
    public FindHandle findFirstFile(String path) {
        return listing.findFirstFile(path);
    }

    /** The whole listing of an open directory through ReadDirectory, page by page with the Marker. */
    public List<DirInfo> listDirectory(Handle dir, String pattern) {
        return listing.listDirectory(dir, pattern);
    }

    /**
     * One QueryDirectory on an open directory: one ReadDirectory page after {@code marker} (null:
     * from the start). Calls on other threads may run between two pages, as on Windows.
     */
    public DirectoryPage readDirectoryPage(Handle dir, String pattern, String marker) {
        return listing.readDirectoryPage(dir, pattern, marker);
    }

    /** As {@link #readDirectoryPage(Handle, String, String)} with a caller's buffer for at most {@code maxEntries}. */
    public DirectoryPage readDirectoryPage(Handle dir, String pattern, String marker, int maxEntries) {
        return listing.readDirectoryPage(dir, pattern, marker, maxEntries);
    }

    /** FindNextFileW. */
    public FindData findNextFile(FindHandle f) {
        return listing.findNextFile(f);
    }

    /** The entry FindFirstFileW returned (the first). */
    public FindData findFirstData(FindHandle f) {
        return listing.findFirstData(f);
    }

    /** FindClose. */
    public boolean findClose(FindHandle f) {
        return listing.findClose(f);
    }

    /** SetCurrentDirectoryW. */
    public boolean setCurrentDirectory(String path) {
        return listing.setCurrentDirectory(path);
    }

    /** FindFirstStreamW/FindNextStreamW's whole listing. */
    public List<String> findStreams(String path) {
        return listing.findStreams(path);
    }

    // ---------------------------------------------------------------------------------------------
    // volume: VolumeQueries

    /** GetVolumeInformationW. */
    public VolumeInformation getVolumeInformation() {
        return volumeQueries.getVolumeInformation();
    }

    /** GetDiskFreeSpaceW. */
    public DiskFreeSpace getDiskFreeSpace() {
        return volumeQueries.getDiskFreeSpace();
    }

    /** GetDiskFreeSpaceExW. */
    public DiskFreeSpaceEx getDiskFreeSpaceEx() {
        return volumeQueries.getDiskFreeSpaceEx();
    }

    /** SetVolumeLabelW. */
    public boolean setVolumeLabel(String label) {
        return volumeQueries.setVolumeLabel(label);
    }

    // ---------------------------------------------------------------------------------------------
    // security: SecurityCalls

    /** GetKernelObjectSecurity. */
    public SecurityDescriptor getSecurity(Handle h, int securityInformation) {
        return security.getSecurity(h, securityInformation);
    }

    /** GetFileSecurityW. */
    public SecurityDescriptor getFileSecurity(String path, int securityInformation) {
        return security.getFileSecurity(path, securityInformation);
    }

    /** SetFileSecurityW. */
    public boolean setFileSecurity(String path, int securityInformation, SecurityDescriptor modification) {
        return security.setFileSecurity(path, securityInformation, modification);
    }

    /** SetKernelObjectSecurity. */
    public boolean setSecurity(Handle h, int securityInformation, SecurityDescriptor modification) {
        return security.setSecurity(h, securityInformation, modification);
    }

    /** GetKernelObjectSecurity with a zero-length buffer. */
    public int getSecurityLength(Handle h, int securityInformation) {
        return security.getSecurityLength(h, securityInformation);
    }

    // ---------------------------------------------------------------------------------------------
    // reparse points: ReparseCalls

    /** FSCTL_GET_REPARSE_POINT on the handle. */
    public byte[] getReparsePoint(Handle h) {
        return reparse.getReparsePoint(h);
    }

    /** FSCTL_SET_REPARSE_POINT. */
    public boolean setReparsePoint(Handle h, byte[] data) {
        return reparse.setReparsePoint(h, data);
    }

    /** FSCTL_DELETE_REPARSE_POINT. */
    public boolean deleteReparsePoint(Handle h, byte[] data) {
        return reparse.deleteReparsePoint(h, data);
    }

    /** CreateSymbolicLinkW. */
    public boolean createSymbolicLink(String link, String target, int flags) {
        return reparse.createSymbolicLink(link, target, flags);
    }

    // ---------------------------------------------------------------------------------------------
    // extended attributes: EaCalls

    /** NtSetEaFile. */
    public IoStatusBlock ntSetEaFile(Handle h, byte[] eaBuffer, int eaLength) {
        return eas.ntSetEaFile(h, eaBuffer, eaLength);
    }

    /** NtQueryEaFile. */
    public IoStatusBlock ntQueryEaFile(Handle h, byte[] buffer, int length, boolean returnSingleEntry, byte[] eaList,
                                       int eaListLength, Integer eaIndex, boolean restartScan) {
        return eas.ntQueryEaFile(h, buffer, length, returnSingleEntry, eaList, eaListLength, eaIndex, restartScan);
    }

    // ---------------------------------------------------------------------------------------------

    /** Closes every handle still open (a failed case leaves some), streams before their main files, ignoring failures. */
    public void closeAll() {
        for (Handle h : table.handlesStreamsFirst()) {
            try {
                release(h);
            } catch (RuntimeException e) {
                // best effort at the end of a case
            }
        }
    }
}
