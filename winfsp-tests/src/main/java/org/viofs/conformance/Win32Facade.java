package org.viofs.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.viofs.volume.CleanupFlags;
import org.viofs.volume.CreateOptions;
import org.viofs.volume.DirInfo;
import org.viofs.volume.Ea;
import org.viofs.volume.FileContext;
import org.viofs.volume.FileInfo;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.OpenResult;
import org.viofs.volume.ReparseResolution;
import org.viofs.volume.SecurityByName;
import org.viofs.volume.StreamInfo;
import org.viofs.volume.VolumeInfo;
import org.viofs.volume.VolumeOperations;
import org.viofs.volume.WriteResult;

/**
 * A Win32-like API over {@link VolumeOperations} that issues the callback sequences WinFsp's FSD
 * (kernel) and DLL ({@code src/dll/fsop.c}) issue for each Win32 call, and enforces the rules the
 * FSD enforces itself (share modes, delete-pending, open files below a renamed directory), so the
 * winfsp-tests cases can be restated over a volume without Windows. Each method's Javadoc lists
 * the sequence it issues, citing winfsp-native.md.
 *
 * <p>Calls return like Win32: a handle or null, true or false, and set {@link #getLastError()}
 * (and {@link #getLastStatus()}, the NTSTATUS behind it). Paths are volume paths
 * ({@code \dir\file}); the caller's test directory is just a prefix.
 *
 * <p>Not modelled: the cache manager (cached and non-cached I/O both go straight to Read/Write),
 * memory mapping, oplocks, byte-range locks, change notifications, privileges. The cases that
 * need them are NOT_PORTABLE in {@link ConformanceCatalog}.
 *
 * <p>Thread safety: not thread-safe; one case drives one facade.
 */
public final class Win32Facade {

    /** The drive letter the facade's volume is taken to be mounted at, for absolute symlink targets. */
    public static final String DRIVE = "V:";
    /** STATUS_IO_REPARSE_TAG_NOT_HANDLED (ntstatus.h): no filter understands the reparse tag. */
    public static final int STATUS_IO_REPARSE_TAG_NOT_HANDLED = 0xC0000279;
    /** The IO manager follows at most this many reparse points before giving up (ntos: 63). */
    static final int MAX_REPARSE_HOPS = 63;
    /** Directory listings are fetched in pages of this many entries, so Marker continuation is exercised. */
    static final int LIST_PAGE_ENTRIES = 64;
    /** FILE_WRITE_TO_END_OF_FILE as an offset: the I/O manager's marker for appending writes. */
    public static final long WRITE_TO_END_OF_FILE = -1L;

    private static final int READ_ACCESS = Win32.FILE_READ_DATA | Win32.FILE_EXECUTE;
    private static final int WRITE_ACCESS = Win32.FILE_WRITE_DATA | Win32.FILE_APPEND_DATA;

    private final VolumeOperations volume;
    private final FacadeOptions options;
    private final Map<String, FileNode> nodes = new HashMap<>();
    /** VOLUME_PARAMS ExtendedAttributes, which the WinFsp binding sets from {@link VolumeOperations#supportsEas()}. */
    private final boolean extendedAttributes;
    private Set<String> callerSids;
    private final java.util.EnumSet<Privilege> privileges = java.util.EnumSet.of(Privilege.CHANGE_NOTIFY);
    private int lastError;
    private int lastStatus;

    public Win32Facade(VolumeOperations volume, FacadeOptions options) {
        this.volume = volume;
        this.options = options;
        this.callerSids = options.callerSids();
        this.extendedAttributes = volume.supportsEas();
    }

    public VolumeOperations volume() {
        return volume;
    }

    public FacadeOptions options() {
        return options;
    }

    /** GetLastError(): the Win32 error of the last failed call (or ERROR_ALREADY_EXISTS after an open of an existing file with CREATE_ALWAYS/OPEN_ALWAYS). */
    public int getLastError() {
        return lastError;
    }

    /** The NTSTATUS behind {@link #getLastError()}, as winfsp-tests prints it in {@code err=}. */
    public int getLastStatus() {
        return lastStatus;
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

    /** Rights SeBackupPrivilege grants with backup intent (ntifs SeAccessCheck rule). */
    private static final int BACKUP_RIGHTS = Win32.READ_CONTROL | Win32.ACCESS_SYSTEM_SECURITY | Win32.FILE_GENERIC_READ
            | Win32.FILE_TRAVERSE;
    /** Rights SeRestorePrivilege grants with backup intent. */
    private static final int RESTORE_RIGHTS = Win32.WRITE_DAC | Win32.WRITE_OWNER | Win32.ACCESS_SYSTEM_SECURITY
            | Win32.FILE_GENERIC_WRITE | Win32.FILE_ADD_FILE | Win32.FILE_ADD_SUBDIRECTORY | Win32.DELETE;

    /** AdjustTokenPrivileges for the emulated caller. */
    public void setPrivilege(Privilege privilege, boolean enabled) {
        if (enabled) {
            privileges.add(privilege);
        } else {
            privileges.remove(privilege);
        }
    }

    private int privilegeRights(int createOptions) {
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
     * way to {@code volumeName} and needs FILE_TRAVERSE on each (winfsp-native.md §2.2).
     */
    private void checkTraverse(String volumeName, int createOptions) {
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
                throw nt(NtStatus.ACCESS_DENIED, "no FILE_TRAVERSE on " + prefix);
            }
        }
    }

    /** How many handles (file objects) are open, for leak checks. */
    public int openHandleCount() {
        int n = 0;
        for (FileNode node : nodes.values()) {
            n += node.handles.size();
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------
    // state the FSD keeps

    /** What the FSD keeps per open file or stream (its FSP_FILE_NODE): share access and delete-pending. */
    static final class FileNode {
        String key;
        String volumeName;
        final List<Handle> handles = new ArrayList<>();
        // IoCheckShareAccess counters (ntifs.h SHARE_ACCESS)
        int openCount;
        int readers;
        int writers;
        int deleters;
        int sharedRead;
        int sharedWrite;
        int sharedDelete;
        boolean deletePending;
        boolean directory;
        /** Open named streams of this (main) file, and how many of them share delete. */
        int streamOpens;
        int streamSharedDelete;
        /** An allocation size was set: the last Cleanup asks the volume to trim it (SET_ALLOCATION_SIZE). */
        boolean truncateOnClose;
        FileNode main;
        /** FSP_FILE_NODE.EaChangeCount: bumped by every SetEa and by an overwrite of the main file. */
        int eaChangeCount;
    }

    /** An open handle: one file object, one volume context, from Create/Open to Cleanup+Close. */
    public static final class Handle {
        final FileNode node;
        final FileContext context;
        final int grantedAccess;
        final int shareAccess;
        final boolean shareAccounted;
        final int createOptions;
        final boolean directory;
        final Handle mainHandle;
        String name;
        boolean deleteOnClose;
        long pointer;
        boolean modified;
        boolean explicitWriteTime;
        boolean closed;
        boolean accountedRead;
        boolean accountedWrite;
        boolean accountedDelete;
        /** Opened with FILE_FLAG_OVERLAPPED: reads at end of file fail with ERROR_HANDLE_EOF. */
        boolean overlapped;
        /** FSP_FILE_DESC.EaIndex: the 1-based EA NtQueryEaFile continues from (0 = not started). */
        int eaIndex;
        /** FSP_FILE_DESC.EaChangeCount: the file's count when {@link #eaIndex} was last set. */
        int eaChangeCount;

        Handle(FileNode node, FileContext context, int grantedAccess, int shareAccess, boolean shareAccounted,
               int createOptions, boolean directory, String name, Handle mainHandle) {
            this.node = node;
            this.context = context;
            this.grantedAccess = grantedAccess;
            this.shareAccess = shareAccess;
            this.shareAccounted = shareAccounted;
            this.createOptions = createOptions;
            this.directory = directory;
            this.name = name;
            this.mainHandle = mainHandle;
        }

        /** The name the FSD keeps for this file object (FileNameInformation, final path name). */
        public String name() {
            return name;
        }

        public boolean isDirectory() {
            return directory;
        }

        public int grantedAccess() {
            return grantedAccess;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // result records

    /** BY_HANDLE_FILE_INFORMATION. Times are FILETIME. */
    public record ByHandleFileInformation(int fileAttributes, long creationTime, long lastAccessTime,
                                          long lastWriteTime, int volumeSerialNumber, long fileSize,
                                          int numberOfLinks, long fileIndex) {
    }

    /** FILE_BASIC_INFO. */
    public record BasicInfo(long creationTime, long lastAccessTime, long lastWriteTime, long changeTime,
                            int fileAttributes) {
    }

    /** FILE_STANDARD_INFO. */
    public record StandardInfo(long allocationSize, long endOfFile, int numberOfLinks, boolean deletePending,
                               boolean directory) {
    }

    /** FILE_ATTRIBUTE_TAG_INFO. */
    public record AttributeTagInfo(int fileAttributes, int reparseTag) {
    }

    /**
     * FILE_NAME_INFO as GetFileInformationByHandleEx fills it into a buffer of a given size.
     *
     * @param fileNameLength the full name's length in bytes (set even when the buffer is too small)
     * @param fileName       the part of the name that fit
     */
    public record FileNameInfo(int fileNameLength, String fileName) {
    }

    /** WIN32_FIND_DATAW. */
    public record FindData(int fileAttributes, long creationTime, long lastAccessTime, long lastWriteTime,
                           long fileSize, int reparseTag, String fileName) {
    }

    /** GetVolumeInformationW's out-parameters. */
    public record VolumeInformation(String volumeName, int volumeSerialNumber, int maximumComponentLength,
                                    int fileSystemFlags, String fileSystemName) {
    }

    /** GetDiskFreeSpaceW's out-parameters. */
    public record DiskFreeSpace(int sectorsPerCluster, int bytesPerSector, long numberOfFreeClusters,
                                long totalNumberOfClusters) {
    }

    /** GetDiskFreeSpaceExW's out-parameters. */
    public record DiskFreeSpaceEx(long freeBytesAvailableToCaller, long totalNumberOfBytes,
                                  long totalNumberOfFreeBytes) {
    }

    /** A FindFirstFile search: the entries fetched, the next one to return, the directory handle. */
    public static final class FindHandle {
        final List<FindData> entries;
        int next;

        FindHandle(List<FindData> entries) {
            this.entries = entries;
            this.next = 1; // FindFirstFileW already returned the first entry
        }
    }

    // ---------------------------------------------------------------------------------------------
    // error plumbing

    private boolean fail(int status) {
        lastStatus = status;
        lastError = NtStatusToWin32.map(status);
        return false;
    }

    private void succeed() {
        lastStatus = NtStatus.SUCCESS;
        lastError = Win32.ERROR_SUCCESS;
    }

    private static int statusOf(RuntimeException e) {
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
    // access checks (winfsp-native.md §2.2: GetSecurityByName; the DLL's FspAccessCheckEx)

    private Set<String> caller() {
        if (callerSids == null) {
            Set<String> sids = new HashSet<>(FacadeOptions.DEFAULT_GROUP_SIDS);
            try {
                SecurityByName root = volume.getSecurityByName("\\");
                if (root.securityDescriptor() != null && root.securityDescriptor().length > 0) {
                    String owner = SecurityDescriptor.parse(root.securityDescriptor()).owner();
                    if (owner != null) {
                        sids.add(owner);
                    }
                }
            } catch (RuntimeException e) {
                // no root descriptor: the group SIDs alone
            }
            callerSids = Set.copyOf(sids);
        }
        return callerSids;
    }

    /** The caller's user SID as the FSD would put it in a new file's descriptor (the root's owner). */
    private String callerOwner() {
        try {
            SecurityByName root = volume.getSecurityByName("\\");
            if (root.securityDescriptor() != null && root.securityDescriptor().length > 0) {
                return SecurityDescriptor.parse(root.securityDescriptor()).owner();
            }
        } catch (RuntimeException e) {
            // fall through
        }
        return null;
    }

    private int grantedBy(SecurityByName sbn) {
        byte[] sd = sbn.securityDescriptor();
        if (sd == null || sd.length == 0) {
            // size 0 turns access checking off: everything is granted (§2.2)
            return Win32.FILE_ALL_ACCESS;
        }
        try {
            return SecurityDescriptor.parse(sd).grantedTo(caller());
        } catch (IllegalArgumentException e) {
            throw nt(NtStatus.INVALID_PARAMETER, "volume returned a malformed security descriptor: " + e.getMessage());
        }
    }

    /**
     * The DLL's access check for an existing file: GetSecurityByName on it, the READONLY rule, then
     * the DACL; FILE_READ_ATTRIBUTES is also granted by the parent's FILE_LIST_DIRECTORY and DELETE
     * by the parent's FILE_DELETE_CHILD (the NTFS rules WinFsp's FspAccessCheckEx restates).
     *
     * @return the granted access (MAXIMUM_ALLOWED resolved)
     */
    private int checkAccess(String volumeName, String parent, SecurityByName sbn, int desired, int createOptions) {
        int attributes = sbn.fileAttributes();
        int mapped = SecurityDescriptor.mapGeneric(desired);
        boolean maximum = (mapped & Win32.MAXIMUM_ALLOWED) != 0;
        mapped &= ~Win32.MAXIMUM_ALLOWED;
        if ((attributes & Win32.FILE_ATTRIBUTE_READONLY) != 0 && (attributes & Win32.FILE_ATTRIBUTE_DIRECTORY) == 0
                && (mapped & (Win32.FILE_WRITE_DATA | Win32.FILE_APPEND_DATA)) != 0) {
            throw nt(NtStatus.ACCESS_DENIED, "READONLY file opened for writing: " + volumeName);
        }
        int granted = grantedBy(sbn) | privilegeRights(createOptions);
        int missing = mapped & ~granted;
        if (missing != 0 && parent != null
                && (missing & (Win32.FILE_READ_ATTRIBUTES | Win32.DELETE)) != 0) {
            SecurityByName p = volume.getSecurityByName(parent);
            int parentGranted = grantedBy(p);
            if ((parentGranted & Win32.FILE_LIST_DIRECTORY) != 0) {
                granted |= Win32.FILE_READ_ATTRIBUTES;
            }
            if ((parentGranted & Win32.FILE_DELETE_CHILD) != 0) {
                granted |= Win32.DELETE;
            }
            missing = mapped & ~granted;
        }
        if (missing != 0) {
            throw nt(NtStatus.ACCESS_DENIED, String.format("access 0x%08X not granted on %s", missing, volumeName));
        }
        if (maximum) {
            int all = granted;
            if ((attributes & Win32.FILE_ATTRIBUTE_READONLY) != 0 && (attributes & Win32.FILE_ATTRIBUTE_DIRECTORY) == 0) {
                all &= ~(Win32.FILE_WRITE_DATA | Win32.FILE_APPEND_DATA);
            }
            return all | mapped;
        }
        return mapped;
    }

    // ---------------------------------------------------------------------------------------------
    // name resolution through reparse points (§2, slot 19)

    /**
     * GetSecurityByName on a name, following reparse points in non-final components (and in the
     * final one unless openReparsePoint) through ResolveReparsePoints, as the DLL and the I/O
     * manager do. Returns the resolved name and its SecurityByName, or throws.
     */
    private record Resolved(String volumeName, SecurityByName security) {
    }

    private Resolved resolve(String volumeName, boolean openReparsePoint) {
        String name = volumeName;
        for (int hop = 0; hop <= MAX_REPARSE_HOPS; hop++) {
            SecurityByName sbn = volume.getSecurityByName(name);
            boolean reparseHere = sbn.status() == NtStatus.REPARSE
                    || (!openReparsePoint && (sbn.fileAttributes() & Win32.FILE_ATTRIBUTE_REPARSE_POINT) != 0
                    && sbn.status() == NtStatus.SUCCESS);
            if (!reparseHere || !options.reparsePoints()) {
                return new Resolved(name, sbn);
            }
            int index = sbn.status() == NtStatus.REPARSE ? sbn.fileAttributes() : 0;
            name = reparse(name, volume.resolveReparsePoints(name, index, true));
        }
        throw nt(NtStatus.REPARSE_POINT_NOT_RESOLVED, "too many reparse points: " + volumeName);
    }

    /**
     * What the I/O manager does with STATUS_REPARSE: IO_REPARSE carries the new name; a symlink tag
     * carries reparse data whose substitute name replaces the part of the path already parsed
     * (REPARSE_DATA_BUFFER.Reserved = bytes of the path left unparsed). Absolute substitutes
     * ({@code \??\X:\...}) stay on the volume only for its own drive {@value #DRIVE}; any other tag
     * finds no filter to handle it (STATUS_IO_REPARSE_TAG_NOT_HANDLED).
     */
    private String reparse(String name, ReparseResolution r) {
        if (r.information() == ReparseResolution.IO_REPARSE) {
            String target = new String(r.buffer(), StandardCharsets.UTF_16LE);
            int nul = target.indexOf('\0');
            if (nul >= 0) {
                target = target.substring(0, nul);
            }
            if (!target.startsWith("\\")) {
                throw nt(NtStatus.OBJECT_PATH_NOT_FOUND, "reparse target not on the volume: " + target);
            }
            return target;
        }
        if (r.information() != Win32.IO_REPARSE_TAG_SYMLINK) {
            throw nt(STATUS_IO_REPARSE_TAG_NOT_HANDLED, String.format("reparse tag 0x%08X on %s", r.information(), name));
        }
        byte[] data = r.buffer();
        String substitute = ReparseData.symlinkSubstituteName(data);
        int remainingChars = (ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getShort(6) & 0xFFFF) / 2;
        remainingChars = Math.min(remainingChars, name.length());
        String remaining = name.substring(name.length() - remainingChars);
        String parsed = name.substring(0, name.length() - remainingChars);
        String base;
        if (substitute.startsWith("\\??\\")) {
            String drivePath = substitute.substring(4);
            if (drivePath.length() < 2 || !drivePath.substring(0, 2).equalsIgnoreCase(DRIVE)) {
                throw nt(NtStatus.OBJECT_PATH_NOT_FOUND, "symlink leaves the volume: " + substitute);
            }
            base = drivePath.length() == 2 ? "\\" : drivePath.substring(2);
        } else if (substitute.startsWith("\\")) {
            base = substitute;
        } else {
            base = parentOf(parsed) + "\\" + substitute;
        }
        return normalize(base + remaining);
    }

    /** Removes "." and ".." components, as the I/O manager does when it reparses. */
    static String normalize(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("\\\\")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(c);
        }
        return "\\" + String.join("\\", out);
    }

    private static String parentOf(String volumeName) {
        String main = volumeName;
        int colon = main.lastIndexOf(':');
        if (colon > main.lastIndexOf('\\')) {
            main = main.substring(0, colon);
        }
        int i = main.lastIndexOf('\\');
        return i <= 0 ? "\\" : main.substring(0, i);
    }

    /**
     * NOT_FOUND for a name becomes OBJECT_PATH_NOT_FOUND when its parent is missing too
     * (winfsp-native.md §2.1, Create/Open flow). Returns the status to report.
     */
    private int notFoundStatus(String volumeName) {
        String parent = parentOf(volumeName);
        if (parent.equals(volumeName)) {
            return NtStatus.OBJECT_NAME_NOT_FOUND;
        }
        try {
            SecurityByName p = volume.getSecurityByName(parent);
            if ((p.fileAttributes() & Win32.FILE_ATTRIBUTE_DIRECTORY) == 0 && p.status() == NtStatus.SUCCESS) {
                return NtStatus.OBJECT_PATH_NOT_FOUND;
            }
            return NtStatus.OBJECT_NAME_NOT_FOUND;
        } catch (NtStatusException e) {
            return e.status() == NtStatus.OBJECT_NAME_NOT_FOUND || e.status() == NtStatus.OBJECT_PATH_NOT_FOUND
                    ? NtStatus.OBJECT_PATH_NOT_FOUND : e.status();
        }
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
        if (h == null && lastStatus == NtStatus.OBJECT_NAME_COLLISION && disposition == Win32.CREATE_NEW) {
            lastError = Win32.ERROR_FILE_EXISTS;
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
     * NtCreateFile as WinFsp serves it (winfsp-native.md §2.1 "Create/Open flow", §2.2):
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
     *     (IoCheckShareAccess); on failure the FSD sends Cleanup then Close for the opened context.</li>
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
     * an EaBuffer — an overwrite then drops every EA, as on NTFS (winfsp-native.md §2, slots 27–28).
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
                eas = toEas(eaBuffer, eaLength);
            }
            return doCreate(path, desiredAccess, shareAccess, securityDescriptor, ntDisposition, createOptions,
                    fileAttributes, allocationSize, eas);
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /** The DLL's decoding of a checked FILE_FULL_EA_INFORMATION list into the volume's records. */
    private static List<Ea> toEas(byte[] buffer, int length) {
        List<Ea> eas = new ArrayList<>();
        for (EaBuffers.FullEa e : EaBuffers.parseFull(buffer, length)) {
            eas.add(e.toEa());
        }
        return eas;
    }

    private Handle doCreate(String path, int desiredAccess, int shareAccess, byte[] securityDescriptor,
                            int ntDisposition, int createOptions, int fileAttributes, long allocationSize,
                            List<Ea> eas) {
        WinName name = WinName.parse(path, options.maxComponentLength());
        boolean wantDirectory = (createOptions & CreateOptions.FILE_DIRECTORY_FILE) != 0;
        boolean wantFile = (createOptions & CreateOptions.FILE_NON_DIRECTORY_FILE) != 0;
        boolean deleteOnClose = (createOptions & CreateOptions.FILE_DELETE_ON_CLOSE) != 0;
        if (name.hasTrailingBackslash() && wantFile) {
            throw nt(NtStatus.OBJECT_NAME_INVALID, "trailing backslash on a file: " + path);
        }
        if (wantDirectory && wantFile) {
            throw nt(NtStatus.INVALID_PARAMETER, "both FILE_DIRECTORY_FILE and FILE_NON_DIRECTORY_FILE");
        }
        if (deleteOnClose && (SecurityDescriptor.mapGeneric(desiredAccess) & Win32.DELETE) == 0) {
            throw nt(NtStatus.INVALID_PARAMETER, "FILE_DELETE_ON_CLOSE without DELETE access");
        }
        if (name.stream() != null && !options.namedStreams()) {
            throw nt(NtStatus.OBJECT_NAME_INVALID, "named streams are off: " + path);
        }
        if ((name.stream() != null || name.dataType()) && wantDirectory) {
            throw nt(NtStatus.NOT_A_DIRECTORY, "a stream is not a directory: " + path);
        }
        Handle mainHandle = null;
        if (name.stream() != null) {
            boolean mayCreate = ntDisposition != CreateOptions.FILE_OPEN && ntDisposition != CreateOptions.FILE_OVERWRITE;
            mainHandle = doCreate(name.main(), 0, Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE,
                    securityDescriptor, mayCreate ? CreateOptions.FILE_OPEN_IF : CreateOptions.FILE_OPEN,
                    createOptions & ~(CreateOptions.FILE_DELETE_ON_CLOSE | CreateOptions.FILE_NON_DIRECTORY_FILE),
                    fileAttributes, 0, List.of());
        }
        try {
            return openOrCreate(name, desiredAccess, shareAccess, securityDescriptor, ntDisposition, createOptions,
                    fileAttributes, allocationSize, mainHandle, mainHandle == null ? eas : List.of());
        } catch (RuntimeException e) {
            if (mainHandle != null) {
                release(mainHandle);
            }
            throw e;
        }
    }

    private Handle openOrCreate(WinName name, int desiredAccess, int shareAccess, byte[] securityDescriptor,
                                int ntDisposition, int createOptions, int fileAttributes, long allocationSize,
                                Handle mainHandle, List<Ea> eas) {
        boolean wantDirectory = (createOptions & CreateOptions.FILE_DIRECTORY_FILE) != 0;
        boolean wantFile = (createOptions & CreateOptions.FILE_NON_DIRECTORY_FILE) != 0;
        boolean openReparse = (createOptions & CreateOptions.FILE_OPEN_REPARSE_POINT) != 0;
        String volumeName = name.volumeName();

        FileNode existingNode = nodes.get(WinName.keyOf(volumeName, options.caseSensitive()));
        if (existingNode != null && existingNode.deletePending) {
            throw nt(NtStatus.DELETE_PENDING, volumeName);
        }
        if (mainHandle != null && mainHandle.node.deletePending) {
            throw nt(NtStatus.DELETE_PENDING, name.main());
        }

        checkTraverse(volumeName, createOptions);

        // DLL: GetSecurityByName on the target (streams: the main file's descriptor governs)
        Resolved resolved;
        boolean exists;
        try {
            resolved = resolve(volumeName, openReparse);
            exists = true;
        } catch (NtStatusException e) {
            if (e.status() != NtStatus.OBJECT_NAME_NOT_FOUND) {
                throw e;
            }
            resolved = new Resolved(volumeName, null);
            exists = false;
        }
        if (!resolved.volumeName().equals(volumeName)) {
            // reparsed: the I/O manager reissues the create with the new name
            WinName target = WinName.parse(resolved.volumeName(), options.maxComponentLength());
            existingNode = nodes.get(target.key(options.caseSensitive()));
            if (existingNode != null && existingNode.deletePending) {
                throw nt(NtStatus.DELETE_PENDING, resolved.volumeName());
            }
            name = target;
            volumeName = target.volumeName();
        }
        String parent = parentOf(volumeName);

        int disposition = ntDisposition;
        if (!exists) {
            if (disposition == CreateOptions.FILE_OPEN || disposition == CreateOptions.FILE_OVERWRITE) {
                throw nt(notFoundStatus(volumeName), volumeName);
            }
            return create(name, desiredAccess, shareAccess, securityDescriptor, createOptions, fileAttributes,
                    allocationSize, mainHandle, eas);
        }
        if (disposition == CreateOptions.FILE_CREATE) {
            // the DLL's create check on the parent, then Create reports the collision
            return create(name, desiredAccess, shareAccess, securityDescriptor, createOptions, fileAttributes,
                    allocationSize, mainHandle, eas);
        }

        SecurityByName sbn = resolved.security();
        int attributes = sbn.fileAttributes();
        boolean isDirectory = (attributes & Win32.FILE_ATTRIBUTE_DIRECTORY) != 0 && name.stream() == null;
        if (wantFile && isDirectory) {
            throw nt(NtStatus.FILE_IS_A_DIRECTORY, volumeName);
        }
        if (wantDirectory && !isDirectory) {
            throw nt(NtStatus.NOT_A_DIRECTORY, volumeName);
        }
        if (name.hasTrailingBackslash() && !isDirectory) {
            throw nt(NtStatus.OBJECT_NAME_INVALID, "trailing backslash on a file: " + volumeName);
        }
        boolean overwrite = disposition == CreateOptions.FILE_OVERWRITE || disposition == CreateOptions.FILE_OVERWRITE_IF
                || disposition == CreateOptions.FILE_SUPERSEDE;
        if (overwrite && isDirectory) {
            throw nt(NtStatus.INVALID_PARAMETER, "overwrite of a directory: " + volumeName);
        }
        int checkAccess = desiredAccess;
        if (overwrite) {
            checkAccess |= disposition == CreateOptions.FILE_SUPERSEDE ? Win32.DELETE : Win32.FILE_WRITE_DATA;
        }
        int granted = checkAccess(volumeName, name.stream() == null ? parent : null, sbn, checkAccess, createOptions);
        if (overwrite) {
            // the extra right was needed for the check only
            granted = (granted & ~(Win32.DELETE | Win32.FILE_WRITE_DATA))
                    | (SecurityDescriptor.mapGeneric(desiredAccess) & (Win32.DELETE | Win32.FILE_WRITE_DATA));
        }
        boolean deleteOnClose = (createOptions & CreateOptions.FILE_DELETE_ON_CLOSE) != 0;
        if (deleteOnClose && (attributes & Win32.FILE_ATTRIBUTE_READONLY) != 0) {
            throw nt(NtStatus.CANNOT_DELETE, "READONLY with FILE_DELETE_ON_CLOSE: " + volumeName);
        }

        // DLL: Open
        OpenResult opened;
        try {
            opened = volume.open(volumeName, createOptions | (disposition << 24), granted);
        } catch (NtStatusException e) {
            if (e.status() == NtStatus.OBJECT_NAME_NOT_FOUND && disposition != CreateOptions.FILE_OPEN
                    && disposition != CreateOptions.FILE_OVERWRITE) {
                return create(name, desiredAccess, shareAccess, securityDescriptor, createOptions, fileAttributes,
                        allocationSize, mainHandle, eas);
            }
            if (e.status() == NtStatus.OBJECT_NAME_NOT_FOUND) {
                throw nt(notFoundStatus(volumeName), volumeName);
            }
            throw e;
        }
        String handleName = opened.openFileInfo().normalizedName() != null
                ? opened.openFileInfo().normalizedName() : volumeName;

        // FSD: share access (FILE_WRITE_DATA counts for overwrite dispositions, WinFsp #364)
        FileNode node = nodeFor(WinName.keyOf(volumeName, options.caseSensitive()), volumeName, isDirectory, mainHandle);
        int shareCheckAccess = overwrite ? granted | Win32.FILE_WRITE_DATA : granted;
        int shareStatus = checkShareAccess(node, shareCheckAccess, shareAccess);
        if (shareStatus == NtStatus.SUCCESS) {
            shareStatus = checkStreamShare(node, mainHandle, shareCheckAccess, shareAccess);
        }
        if (shareStatus != NtStatus.SUCCESS) {
            volume.cleanup(opened.context(), null, 0);
            volume.close(opened.context());
            dropIfUnused(node);
            throw nt(shareStatus, volumeName);
        }

        if (overwrite) {
            try {
                if (extendedAttributes) {
                    volume.overwriteWithEas(opened.context(), fileAttributes & ~Win32.FILE_ATTRIBUTE_NORMAL,
                            disposition == CreateOptions.FILE_SUPERSEDE, allocationSize, eas);
                } else {
                    volume.overwrite(opened.context(), fileAttributes & ~Win32.FILE_ATTRIBUTE_NORMAL,
                            disposition == CreateOptions.FILE_SUPERSEDE, allocationSize);
                }
            } catch (RuntimeException e) {
                volume.close(opened.context());
                dropIfUnused(node);
                throw e;
            }
            if (name.stream() == null && extendedAttributes) {
                // the FSD drops its cached EAs and counts a change (create.c, Overwrite completion)
                node.eaChangeCount++;
            }
            if (name.stream() == null) {
                // overwriting the main file drops its named streams; the FSD makes the open ones delete-pending
                for (FileNode n : nodes.values()) {
                    if (n.main == node) {
                        n.deletePending = true;
                    }
                }
            }
        }
        Handle h = register(node, opened.context(), granted, shareAccess, shareCheckAccess, createOptions, isDirectory,
                handleName, mainHandle);
        h.deleteOnClose = deleteOnClose;
        h.modified = overwrite;
        succeed();
        if (disposition == CreateOptions.FILE_OVERWRITE_IF || disposition == CreateOptions.FILE_OPEN_IF
                || disposition == CreateOptions.FILE_SUPERSEDE) {
            lastError = Win32.ERROR_ALREADY_EXISTS;
        }
        return h;
    }

    private Handle create(WinName name, int desiredAccess, int shareAccess, byte[] securityDescriptor,
                          int createOptions, int fileAttributes, long allocationSize, Handle mainHandle,
                          List<Ea> eas) {
        String volumeName = name.volumeName();
        boolean directory = (createOptions & CreateOptions.FILE_DIRECTORY_FILE) != 0;
        if (name.isRoot()) {
            throw nt(NtStatus.ACCESS_DENIED, "cannot create the root");
        }
        // DLL: GetSecurityByName on the parent (streams: on the main file, already opened), with
        // FILE_ADD_FILE or FILE_ADD_SUBDIRECTORY
        String parent = name.parent();
        if (name.stream() == null) {
            SecurityByName p;
            try {
                p = resolve(parent, false).security();
            } catch (NtStatusException e) {
                throw e.status() == NtStatus.OBJECT_NAME_NOT_FOUND ? nt(NtStatus.OBJECT_PATH_NOT_FOUND, parent) : e;
            }
            if ((p.fileAttributes() & Win32.FILE_ATTRIBUTE_DIRECTORY) == 0) {
                throw nt(NtStatus.OBJECT_PATH_NOT_FOUND, "parent is not a directory: " + parent);
            }
            int need = directory ? Win32.FILE_ADD_SUBDIRECTORY : Win32.FILE_ADD_FILE;
            int granted = grantedBy(p) | privilegeRights(createOptions);
            if ((granted & need) != need) {
                throw nt(NtStatus.ACCESS_DENIED, "parent refuses " + (directory ? "FILE_ADD_SUBDIRECTORY" : "FILE_ADD_FILE"));
            }
        }
        int mapped = SecurityDescriptor.mapGeneric(desiredAccess) & ~Win32.MAXIMUM_ALLOWED;
        if ((SecurityDescriptor.mapGeneric(desiredAccess) & Win32.MAXIMUM_ALLOWED) != 0) {
            mapped |= Win32.FILE_ALL_ACCESS;
        }
        if (name.stream() != null) {
            // the DLL's CreateCheck for a new stream: the main file must grant the desired access
            // plus FILE_WRITE_DATA (and DELETE for delete-on-close) — fsop.c FspFileSystemCreateCheck
            int need = mapped | Win32.FILE_WRITE_DATA
                    | ((createOptions & CreateOptions.FILE_DELETE_ON_CLOSE) != 0 ? Win32.DELETE : 0);
            checkAccess(name.main(), name.parent(), volume.getSecurityByName(name.main()), need, createOptions);
        }
        if ((fileAttributes & Win32.FILE_ATTRIBUTE_READONLY) != 0 && (createOptions & CreateOptions.FILE_DELETE_ON_CLOSE) != 0) {
            // fsop.c FspFileSystemCreateCheck: a new READONLY file cannot be delete-on-close
            throw nt(NtStatus.CANNOT_DELETE, "READONLY with FILE_DELETE_ON_CLOSE: " + volumeName);
        }
        // the FSD assigns the new file's descriptor: the caller's, owner defaulted to the caller
        byte[] sd = null;
        if (securityDescriptor != null && name.stream() == null) {
            SecurityDescriptor given = SecurityDescriptor.parse(securityDescriptor);
            String owner = given.owner() != null ? given.owner() : callerOwner();
            sd = new SecurityDescriptor(owner, given.group() != null ? given.group() : owner,
                    given.daclPresent(), mapAces(given.dacl()), given.control()).toBytes();
        }
        int attributes = fileAttributes & ~Win32.FILE_ATTRIBUTE_NORMAL;
        attributes = directory ? attributes | Win32.FILE_ATTRIBUTE_DIRECTORY : attributes & ~Win32.FILE_ATTRIBUTE_DIRECTORY;
        OpenResult created = extendedAttributes
                ? volume.createWithEas(volumeName, createOptions | (CreateOptions.FILE_CREATE << 24), mapped,
                        attributes, sd, allocationSize, eas)
                : volume.create(volumeName, createOptions | (CreateOptions.FILE_CREATE << 24), mapped,
                        attributes, sd, allocationSize);
        String handleName = created.openFileInfo().normalizedName() != null
                ? created.openFileInfo().normalizedName() : volumeName;
        FileNode node = nodeFor(WinName.keyOf(volumeName, options.caseSensitive()), volumeName, directory, mainHandle);
        int shareStatus = checkShareAccess(node, mapped, shareAccess);
        if (shareStatus == NtStatus.SUCCESS) {
            shareStatus = checkStreamShare(node, mainHandle, mapped, shareAccess);
        }
        if (shareStatus != NtStatus.SUCCESS) {
            volume.cleanup(created.context(), null, 0);
            volume.close(created.context());
            dropIfUnused(node);
            throw nt(shareStatus, volumeName);
        }
        Handle h = register(node, created.context(), mapped, shareAccess, mapped, createOptions, directory, handleName,
                mainHandle);
        node.truncateOnClose |= allocationSize > 0;
        h.deleteOnClose = (createOptions & CreateOptions.FILE_DELETE_ON_CLOSE) != 0;
        succeed();
        return h;
    }

    private FileNode nodeFor(String key, String volumeName, boolean directory, Handle mainHandle) {
        FileNode node = nodes.get(key);
        if (node == null) {
            node = new FileNode();
            node.key = key;
            node.volumeName = volumeName;
            node.directory = directory;
            node.main = mainHandle == null ? null : mainHandle.node;
            nodes.put(key, node);
        }
        return node;
    }

    private void dropIfUnused(FileNode node) {
        if (node.handles.isEmpty()) {
            nodes.remove(node.key);
        }
    }

    /** IoCheckShareAccess: the FSD's share-mode rule; access without read/write/delete bits takes no part. */
    static int checkShareAccess(FileNode node, int access, int share) {
        boolean read = (access & READ_ACCESS) != 0;
        boolean write = (access & WRITE_ACCESS) != 0;
        boolean delete = (access & Win32.DELETE) != 0;
        if (!read && !write && !delete) {
            return NtStatus.SUCCESS;
        }
        boolean sharedRead = (share & Win32.FILE_SHARE_READ) != 0;
        boolean sharedWrite = (share & Win32.FILE_SHARE_WRITE) != 0;
        boolean sharedDelete = (share & Win32.FILE_SHARE_DELETE) != 0;
        if ((read && node.sharedRead < node.openCount)
                || (write && node.sharedWrite < node.openCount)
                || (delete && node.sharedDelete < node.openCount)
                || (node.readers != 0 && !sharedRead)
                || (node.writers != 0 && !sharedWrite)
                || (node.deleters != 0 && !sharedDelete)) {
            return NtStatus.SHARING_VIOLATION;
        }
        return NtStatus.SUCCESS;
    }

    /**
     * The FSD's rule between a main file and its named streams (stream-tests.c,
     * stream_create_share_test): a stream may not be opened without FILE_SHARE_DELETE while the main
     * file is open with DELETE access, and the main file may not be opened for DELETE while a stream
     * is open without FILE_SHARE_DELETE. Other share modes of the main file do not bind its streams.
     */
    static int checkStreamShare(FileNode node, Handle mainHandle, int access, int share) {
        if (mainHandle != null) {
            FileNode main = mainHandle.node;
            if (main.deleters > 0 && (share & Win32.FILE_SHARE_DELETE) == 0) {
                return NtStatus.SHARING_VIOLATION;
            }
        } else if ((access & Win32.DELETE) != 0 && node.streamOpens > node.streamSharedDelete) {
            return NtStatus.SHARING_VIOLATION;
        }
        return NtStatus.SUCCESS;
    }

    private Handle register(FileNode node, FileContext context, int granted, int share, int shareCheckAccess,
                            int createOptions, boolean directory, String name, Handle mainHandle) {
        boolean read = (shareCheckAccess & READ_ACCESS) != 0;
        boolean write = (shareCheckAccess & WRITE_ACCESS) != 0;
        boolean delete = (shareCheckAccess & Win32.DELETE) != 0;
        boolean accounted = read || write || delete;
        if (accounted) {
            node.openCount++;
            node.readers += read ? 1 : 0;
            node.writers += write ? 1 : 0;
            node.deleters += delete ? 1 : 0;
            node.sharedRead += (share & Win32.FILE_SHARE_READ) != 0 ? 1 : 0;
            node.sharedWrite += (share & Win32.FILE_SHARE_WRITE) != 0 ? 1 : 0;
            node.sharedDelete += (share & Win32.FILE_SHARE_DELETE) != 0 ? 1 : 0;
        }
        Handle h = new Handle(node, context, granted, share, accounted, createOptions, directory, name, mainHandle);
        if (mainHandle != null) {
            mainHandle.node.streamOpens++;
            mainHandle.node.streamSharedDelete += (share & Win32.FILE_SHARE_DELETE) != 0 ? 1 : 0;
        }
        // remember what was accounted so cleanup can undo it
        h.accountedRead = read;
        h.accountedWrite = write;
        h.accountedDelete = delete;
        node.handles.add(h);
        return h;
    }

    // ---------------------------------------------------------------------------------------------
    // CloseHandle

    /**
     * CloseHandle: the last handle of a file object closes, so the FSD sends Cleanup then Close
     * (winfsp-native.md §2.1 "Cleanup"). A FILE_DELETE_ON_CLOSE file object makes the file
     * delete-pending at its cleanup; the cleanup of the last open of a delete-pending file carries
     * CleanupFlags.DELETE and the file name. A file object that wrote data asks for the archive bit
     * and the write/change times (unless SetFileTime set the write time).
     */
    public boolean closeHandle(Handle h) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        release(h);
        succeed();
        return true;
    }

    private void release(Handle h) {
        if (h.closed) {
            return;
        }
        h.closed = true;
        FileNode node = h.node;
        node.handles.remove(h);
        if (h.shareAccounted) {
            node.openCount--;
            node.readers -= h.accountedRead ? 1 : 0;
            node.writers -= h.accountedWrite ? 1 : 0;
            node.deleters -= h.accountedDelete ? 1 : 0;
            node.sharedRead -= (h.shareAccess & Win32.FILE_SHARE_READ) != 0 ? 1 : 0;
            node.sharedWrite -= (h.shareAccess & Win32.FILE_SHARE_WRITE) != 0 ? 1 : 0;
            node.sharedDelete -= (h.shareAccess & Win32.FILE_SHARE_DELETE) != 0 ? 1 : 0;
        }
        if (h.mainHandle != null) {
            h.mainHandle.node.streamOpens--;
            h.mainHandle.node.streamSharedDelete -= (h.shareAccess & Win32.FILE_SHARE_DELETE) != 0 ? 1 : 0;
        }
        if (h.deleteOnClose) {
            node.deletePending = true;
        }
        boolean delete = node.deletePending && node.handles.isEmpty();
        int flags = 0;
        if (delete) {
            flags |= CleanupFlags.DELETE;
        } else if (node.handles.isEmpty() && node.truncateOnClose) {
            flags |= CleanupFlags.SET_ALLOCATION_SIZE;
        }
        if (!delete && h.modified) {
            flags |= CleanupFlags.SET_ARCHIVE_BIT | CleanupFlags.SET_CHANGE_TIME;
            if (!h.explicitWriteTime) {
                flags |= CleanupFlags.SET_LAST_WRITE_TIME;
            }
        }
        try {
            volume.cleanup(h.context, delete ? node.volumeName : null, flags);
        } finally {
            volume.close(h.context);
        }
        if (node.handles.isEmpty()) {
            nodes.remove(node.key);
        }
        if (h.mainHandle != null) {
            release(h.mainHandle);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // delete

    /**
     * SetFileInformationByHandle(FileDispositionInfo). Needs DELETE on the handle. The DLL first
     * calls GetFileInfo and refuses a READONLY file with CANNOT_DELETE, then SetDelete decides
     * (winfsp-native.md §2.1 "SetInformation mapping"); on success the FSD marks the file
     * delete-pending (or clears it).
     */
    public boolean setDisposition(Handle h, boolean deleteFile) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        if ((h.grantedAccess & Win32.DELETE) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        try {
            if (deleteFile) {
                FileInfo info = volume.getFileInfo(h.context);
                if ((info.fileAttributes() & Win32.FILE_ATTRIBUTE_READONLY) != 0) {
                    return fail(NtStatus.CANNOT_DELETE);
                }
            }
            volume.setDelete(h.context, h.node.volumeName, deleteFile);
            h.node.deletePending = deleteFile;
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    /**
     * DeleteFileW: NtOpenFile(DELETE|FILE_READ_ATTRIBUTES — no SYNCHRONIZE —, share all,
     * FILE_NON_DIRECTORY_FILE|FILE_OPEN_FOR_BACKUP_INTENT|FILE_OPEN_REPARSE_POINT), again with DELETE
     * alone if that is ACCESS_DENIED, then disposition,
     * close (the close's Cleanup carries DELETE when no other handle is open).
     */
    public boolean deleteFile(String path) {
        return deleteByName(path, CreateOptions.FILE_NON_DIRECTORY_FILE);
    }

    /** RemoveDirectoryW: as {@link #deleteFile} with FILE_DIRECTORY_FILE. */
    public boolean removeDirectory(String path) {
        return deleteByName(path, CreateOptions.FILE_DIRECTORY_FILE);
    }

    private boolean deleteByName(String path, int kind) {
        int share = Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE;
        int options = kind | CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT | CreateOptions.FILE_OPEN_REPARSE_POINT;
        Handle h = ntCreateFile(path, Win32.DELETE | Win32.FILE_READ_ATTRIBUTES, share, null, CreateOptions.FILE_OPEN,
                options, 0, 0);
        if (h == null && lastStatus == NtStatus.ACCESS_DENIED) {
            // kernelbase retries with DELETE alone when the attributes may not be read
            h = ntCreateFile(path, Win32.DELETE, share, null, CreateOptions.FILE_OPEN, options, 0, 0);
        }
        if (h == null) {
            return false;
        }
        return closeAndReport(h, setDisposition(h, true));
    }

    // ---------------------------------------------------------------------------------------------
    // rename

    /**
     * The end of a by-name API that opened {@code h} for one operation (DeleteFile, MoveFileEx,
     * SetFileSecurity): closes the handle and reports the operation's result, keeping the failure
     * status the operation left.
     */
    private boolean closeAndReport(Handle h, boolean ok) {
        int status = lastStatus;
        release(h);
        if (!ok) {
            return fail(status);
        }
        succeed();
        return true;
    }

    /**
     * MoveFileExW within the volume: NtOpenFile(source, DELETE|FILE_READ_ATTRIBUTES, share all,
     * FILE_OPEN_FOR_BACKUP_INTENT|FILE_OPEN_REPARSE_POINT), FileRenameInformation
     * ({@link #setRenameInformation}), close. OBJECT_NAME_COLLISION is ERROR_ALREADY_EXISTS here.
     */
    public boolean moveFileEx(String from, String to, int flags) {
        Handle h = ntCreateFile(from, Win32.DELETE | Win32.FILE_READ_ATTRIBUTES | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT | CreateOptions.FILE_OPEN_REPARSE_POINT, 0, 0);
        if (h == null) {
            return false;
        }
        return closeAndReport(h, setRenameInformation(h, to, (flags & Win32.MOVEFILE_REPLACE_EXISTING) != 0));
    }

    /**
     * NtSetInformationFile(FileRenameInformation). FSD: the handle needs DELETE; the new name is
     * checked like a create name (one trailing backslash tolerated); a directory with open files
     * below it, or a target (or anything below it) that is open, gives ACCESS_DENIED. DLL: with
     * ReplaceIfExists, GetSecurityByName on an existing target and a DELETE check on it
     * (winfsp-native.md §2.1). Then Rename; on success the FSD renames its open file nodes.
     *
     * @param newName an absolute volume path, or a bare name (no backslash) meaning "in the same directory"
     */
    public boolean setRenameInformation(Handle h, String newName, boolean replaceIfExists) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        try {
            if ((h.grantedAccess & Win32.DELETE) == 0) {
                throw nt(NtStatus.ACCESS_DENIED, "rename without DELETE access");
            }
            if (h.mainHandle != null) {
                throw nt(NtStatus.INVALID_PARAMETER, "stream rename is not supported");
            }
            String target = newName.startsWith("\\") ? newName : parentOf(h.node.volumeName).concat(
                    parentOf(h.node.volumeName).equals("\\") ? "" : "\\").concat(newName);
            if (target.length() >= 2 && target.endsWith("\\")) {
                target = target.substring(0, target.length() - 1);
            }
            WinName t = WinName.parse(target, options.maxComponentLength());
            if (t.stream() != null) {
                throw nt(NtStatus.INVALID_PARAMETER, "rename to a stream is not supported");
            }
            String source = h.node.volumeName;
            String sourceKey = WinName.keyOf(source, options.caseSensitive());
            String targetKey = t.key(options.caseSensitive());
            boolean sameNode = sourceKey.equals(targetKey);
            if (h.node.directory) {
                for (FileNode n : nodes.values()) {
                    if (n.key.startsWith(sourceKey + "\\") && !n.handles.isEmpty()) {
                        throw nt(NtStatus.ACCESS_DENIED, "open file below renamed directory: " + n.volumeName);
                    }
                }
            }
            if (!sameNode) {
                for (FileNode n : nodes.values()) {
                    if ((n.key.equals(targetKey) || n.key.startsWith(targetKey + "\\") || n.key.startsWith(targetKey + ":"))
                            && !n.handles.isEmpty()) {
                        throw nt(NtStatus.ACCESS_DENIED, "rename target is open: " + n.volumeName);
                    }
                }
            }
            if (replaceIfExists && !sameNode) {
                try {
                    // fsop.c FspFileSystemRenameCheck: DELETE on the target, with the READONLY check
                    // of FILE_DELETE_ON_CLOSE forced
                    SecurityByName existing = volume.getSecurityByName(t.main());
                    if ((existing.fileAttributes() & Win32.FILE_ATTRIBUTE_READONLY) != 0) {
                        throw nt(NtStatus.CANNOT_DELETE, "READONLY rename target: " + t.main());
                    }
                    checkAccess(t.main(), t.parent(), existing, Win32.DELETE, 0);
                } catch (NtStatusException e) {
                    if (e.status() != NtStatus.OBJECT_NAME_NOT_FOUND) {
                        throw e;
                    }
                }
            }
            volume.rename(h.context, source, t.main(), replaceIfExists);
            renameNodes(sourceKey, source, targetKey, t.main());
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    private void renameNodes(String oldKey, String oldName, String newKey, String newName) {
        List<FileNode> moved = new ArrayList<>();
        for (FileNode n : nodes.values()) {
            if (n.key.equals(oldKey) || n.key.startsWith(oldKey + "\\") || n.key.startsWith(oldKey + ":")) {
                moved.add(n);
            }
        }
        for (FileNode n : moved) {
            nodes.remove(n.key);
        }
        for (FileNode n : moved) {
            n.key = newKey + n.key.substring(oldKey.length());
            n.volumeName = newName + n.volumeName.substring(oldName.length());
            for (Handle h : n.handles) {
                if (h.name.length() >= oldName.length()) {
                    h.name = newName + h.name.substring(oldName.length());
                }
            }
            nodes.put(n.key, n);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // read, write, flush

    /** SetFilePointerEx; returns the new position, or -1 (ERROR_NEGATIVE_SEEK) before the start. */
    public long setFilePointer(Handle h, long distance, int moveMethod) {
        long base = switch (moveMethod) {
            case Win32.FILE_BEGIN -> 0;
            case Win32.FILE_CURRENT -> h.pointer;
            case Win32.FILE_END -> {
                try {
                    yield volume.getFileInfo(h.context).fileSize();
                } catch (RuntimeException e) {
                    fail(statusOf(e));
                    yield Long.MIN_VALUE;
                }
            }
            default -> Long.MIN_VALUE;
        };
        if (base == Long.MIN_VALUE) {
            if (lastError == Win32.ERROR_SUCCESS) {
                fail(NtStatus.INVALID_PARAMETER);
            }
            return -1;
        }
        long p = base + distance;
        if (p < 0) {
            lastError = Win32.ERROR_NEGATIVE_SEEK;
            lastStatus = NtStatus.INVALID_PARAMETER;
            return -1;
        }
        h.pointer = p;
        succeed();
        return p;
    }

    /**
     * The checks ReadFile and WriteFile share: an open handle, to a file, granted one of
     * {@code anyOfAccess}. Records the failure (as the I/O manager reports it) when not.
     */
    private boolean usableForIo(Handle h, int anyOfAccess) {
        if (h == null || h.closed) {
            fail(NtStatus.INVALID_HANDLE);
            return false;
        }
        if (h.directory) {
            fail(NtStatus.INVALID_DEVICE_REQUEST);
            return false;
        }
        if ((h.grantedAccess & anyOfAccess) == 0) {
            fail(NtStatus.ACCESS_DENIED);
            return false;
        }
        return true;
    }

    /** ReadFile at the file pointer. */
    public int readFile(Handle h, byte[] buffer, int length) {
        return readFile(h, buffer, length, null);
    }

    /**
     * ReadFile: Read at the given offset (an OVERLAPPED offset) or the file pointer, which advances.
     * Needs FILE_READ_DATA. With FILE_FLAG_NO_BUFFERING the I/O manager refuses an offset or length
     * that is not a multiple of the sector size (INVALID_PARAMETER). END_OF_FILE from the volume is
     * a successful read of 0 bytes for a synchronous ReadFile.
     *
     * @return bytes read, or -1 on failure
     */
    public int readFile(Handle h, byte[] buffer, int length, Long offset) {
        if (!usableForIo(h, Win32.FILE_READ_DATA)) {
            return -1;
        }
        long at = offset != null ? offset : h.pointer;
        if (noBuffering(h) && (at % options.sectorSize() != 0 || length % options.sectorSize() != 0)) {
            fail(NtStatus.INVALID_PARAMETER);
            return -1;
        }
        if (length == 0) {
            succeed();
            return 0;
        }
        ByteBuffer b = ByteBuffer.allocateDirect(length); // direct, as the binding passes WinFsp's buffer
        int n;
        try {
            n = volume.read(h.context, b, at, length);
        } catch (NtStatusException e) {
            if (e.status() != NtStatus.END_OF_FILE) {
                fail(e.status());
                return -1;
            }
            if (h.overlapped) {
                // an asynchronous handle reports end of file as an error (GetOverlappedResult)
                fail(NtStatus.END_OF_FILE);
                return -1;
            }
            n = 0;
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return -1;
        }
        if (n < 0 || n > length) {
            fail(NtStatus.UNEXPECTED_IO_ERROR);
            return -1;
        }
        if (n == 0 && h.overlapped) {
            fail(NtStatus.END_OF_FILE);
            return -1;
        }
        b.get(0, buffer, 0, n);
        h.pointer = at + n;
        succeed();
        return n;
    }

    /** WriteFile at the file pointer. */
    public int writeFile(Handle h, byte[] buffer, int length) {
        return writeFile(h, buffer, length, null);
    }

    /**
     * WriteFile: Write at the offset, or the file pointer, or at end of file for a handle with
     * FILE_APPEND_DATA but not FILE_WRITE_DATA (the I/O manager's FILE_WRITE_TO_END_OF_FILE) or an
     * offset of {@link #WRITE_TO_END_OF_FILE}. Sector alignment as for reads with NO_BUFFERING.
     * ConstrainedIo is never set: there is no paging I/O here.
     *
     * @return bytes written, or -1 on failure
     */
    public int writeFile(Handle h, byte[] buffer, int length, Long offset) {
        if (!usableForIo(h, WRITE_ACCESS)) {
            return -1;
        }
        boolean append = (offset != null && offset == WRITE_TO_END_OF_FILE)
                || ((h.grantedAccess & Win32.FILE_WRITE_DATA) == 0 && (h.grantedAccess & Win32.FILE_APPEND_DATA) != 0);
        long at = append ? -1L : offset != null ? offset : h.pointer;
        if (noBuffering(h) && !append && (at % options.sectorSize() != 0 || length % options.sectorSize() != 0)) {
            fail(NtStatus.INVALID_PARAMETER);
            return -1;
        }
        ByteBuffer b = ByteBuffer.allocateDirect(length); // read-only and direct, as from the binding
        b.put(0, buffer, 0, length);
        try {
            WriteResult r = volume.write(h.context, b.asReadOnlyBuffer(), at, length, append, false);
            int n = r.bytesTransferred();
            h.pointer = append ? r.fileInfo().fileSize() : at + n;
            h.modified = true;
            succeed();
            return n;
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return -1;
        }
    }

    private static boolean noBuffering(Handle h) {
        return (h.createOptions & CreateOptions.FILE_NO_INTERMEDIATE_BUFFERING) != 0;
    }

    /** FlushFileBuffers: Flush on the handle's context; needs write access (kernelbase). */
    public boolean flushFileBuffers(Handle h) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        if ((h.grantedAccess & WRITE_ACCESS) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        try {
            volume.flush(h.context);
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    /**
     * FlushFileBuffers on a volume handle: Flush with a null context (winfsp-native.md §2, slot 10).
     */
    public boolean flushVolume() {
        try {
            volume.flush(null);
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // information

    private FileInfo info(Handle h) {
        return volume.getFileInfo(h.context);
    }

    /** What the FSD reports for a zero attribute word (fastfat's rule): FILE_ATTRIBUTE_NORMAL. */
    private static int reported(int attributes) {
        return attributes == 0 ? Win32.FILE_ATTRIBUTE_NORMAL : attributes;
    }

    /**
     * A query the FSD answers from one GetFileInfo: the result, with success as the last error, or null
     * with the failure's Win32 code.
     */
    private <T> T fromInfo(Handle h, Function<FileInfo, T> result) {
        try {
            T r = result.apply(info(h));
            succeed();
            return r;
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /** GetFileInformationByHandle: one GetFileInfo. Null on failure. */
    public ByHandleFileInformation getFileInformationByHandle(Handle h) {
        return fromInfo(h, i -> new ByHandleFileInformation(reported(i.fileAttributes()), i.creationTime(),
                i.lastAccessTime(), i.lastWriteTime(), options.volumeSerialNumber(), i.fileSize(),
                Math.max(1, i.hardLinks()), i.indexNumber()));
    }

    /** GetFileInformationByHandleEx(FileBasicInfo). */
    public BasicInfo getBasicInfo(Handle h) {
        return fromInfo(h, i -> new BasicInfo(i.creationTime(), i.lastAccessTime(), i.lastWriteTime(), i.changeTime(),
                reported(i.fileAttributes())));
    }

    /** GetFileInformationByHandleEx(FileStandardInfo); links are 1 (WinFsp leaves HardLinks unimplemented). */
    public StandardInfo getStandardInfo(Handle h) {
        return fromInfo(h, i -> new StandardInfo(i.allocationSize(), i.fileSize(), 1, h.node.deletePending, h.directory));
    }

    /** GetFileInformationByHandleEx(FileAttributeTagInfo). */
    public AttributeTagInfo getAttributeTagInfo(Handle h) {
        return fromInfo(h, i -> new AttributeTagInfo(reported(i.fileAttributes()), i.reparseTag()));
    }

    /**
     * GetFileInformationByHandleEx(FileNameInfo) into a buffer of {@code bufferSize} bytes: the FSD
     * answers from its own file name (no callback). FILE_NAME_INFO is a 4-byte length then the name;
     * a short buffer fails with ERROR_MORE_DATA but still carries the full length.
     */
    public FileNameInfo getFileNameInfo(Handle h, int bufferSize) {
        String name = h.name;
        int needed = 4 + 2 * name.length();
        int fit = Math.max(0, (bufferSize - 4) / 2);
        FileNameInfo r = new FileNameInfo(2 * name.length(), name.substring(0, Math.min(fit, name.length())));
        if (bufferSize < needed) {
            fail(NtStatus.BUFFER_OVERFLOW);
        } else {
            succeed();
        }
        return r;
    }

    /** GetFinalPathNameByHandleW(VOLUME_NAME_NONE): the FSD's name for the file object. */
    public String getFinalPathNameByHandle(Handle h) {
        succeed();
        return h.name;
    }

    /**
     * GetFileAttributesW: opens with FILE_READ_ATTRIBUTES (share all, backup intent, reparse point
     * itself), GetFileInfo, closes. INVALID_FILE_ATTRIBUTES on failure.
     */
    public int getFileAttributes(String path) {
        Handle h = ntCreateFile(path, Win32.FILE_READ_ATTRIBUTES,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT | CreateOptions.FILE_OPEN_REPARSE_POINT, 0, 0);
        if (h == null) {
            return Win32.INVALID_FILE_ATTRIBUTES;
        }
        try {
            int a = reported(info(h).fileAttributes());
            release(h);
            succeed();
            return a;
        } catch (RuntimeException e) {
            int status = statusOf(e);
            release(h);
            fail(status);
            return Win32.INVALID_FILE_ATTRIBUTES;
        }
    }

    /**
     * SetFileAttributesW: opens with FILE_WRITE_ATTRIBUTES, SetBasicInfo with the attributes and
     * no times, closes. The FSD's mapping: FILE_ATTRIBUTE_NORMAL alone means "no attributes", the
     * DIRECTORY bit follows the file's kind.
     */
    public boolean setFileAttributes(String path, int attributes) {
        Handle h = ntCreateFile(path, Win32.FILE_WRITE_ATTRIBUTES | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT | CreateOptions.FILE_OPEN_REPARSE_POINT, 0, 0);
        if (h == null) {
            return false;
        }
        int a = attributes & ~Win32.FILE_ATTRIBUTE_NORMAL;
        a = h.directory ? a | Win32.FILE_ATTRIBUTE_DIRECTORY : a & ~Win32.FILE_ATTRIBUTE_DIRECTORY;
        try {
            volume.setBasicInfo(h.context, a, 0, 0, 0, 0);
        } catch (RuntimeException e) {
            int status = statusOf(e);
            release(h);
            return fail(status);
        }
        release(h);
        succeed();
        return true;
    }

    /**
     * SetFileTime: SetBasicInfo with INVALID_FILE_ATTRIBUTES and the given times (0 = unchanged;
     * a null argument is 0). Needs FILE_WRITE_ATTRIBUTES. An explicit write time keeps the FSD from
     * setting it again at Cleanup.
     */
    public boolean setFileTime(Handle h, Long creationTime, Long lastAccessTime, Long lastWriteTime) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        if ((h.grantedAccess & Win32.FILE_WRITE_ATTRIBUTES) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        try {
            volume.setBasicInfo(h.context, Win32.INVALID_FILE_ATTRIBUTES,
                    creationTime == null ? 0 : creationTime, lastAccessTime == null ? 0 : lastAccessTime,
                    lastWriteTime == null ? 0 : lastWriteTime, 0);
            if (lastWriteTime != null && lastWriteTime != 0) {
                h.explicitWriteTime = true;
            }
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    /** SetFileInformationByHandle(FileBasicInfo): SetBasicInfo as given (attributes 0 = unchanged). */
    public boolean setBasicInfo(Handle h, int attributes, long creation, long access, long write, long change) {
        if ((h.grantedAccess & Win32.FILE_WRITE_ATTRIBUTES) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        int a = attributes == 0 ? Win32.INVALID_FILE_ATTRIBUTES : attributes & ~Win32.FILE_ATTRIBUTE_NORMAL;
        if (a != Win32.INVALID_FILE_ATTRIBUTES) {
            a = h.directory ? a | Win32.FILE_ATTRIBUTE_DIRECTORY : a & ~Win32.FILE_ATTRIBUTE_DIRECTORY;
        }
        try {
            volume.setBasicInfo(h.context, a, creation, access, write, change);
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    /** SetEndOfFile: SetFileSize(file pointer, setAllocationSize=false). Needs FILE_WRITE_DATA. */
    public boolean setEndOfFile(Handle h) {
        return setFileSize(h, h.pointer, false);
    }

    /** SetFileInformationByHandle(FileEndOfFileInfo / FileAllocationInfo): SetFileSize. */
    public boolean setFileSize(Handle h, long size, boolean allocation) {
        if (h == null || h.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        if ((h.grantedAccess & Win32.FILE_WRITE_DATA) == 0) {
            return fail(NtStatus.ACCESS_DENIED);
        }
        try {
            volume.setFileSize(h.context, size, allocation);
            h.modified = true;
            h.node.truncateOnClose |= allocation;
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // directories

    /**
     * FindFirstFileW(dir\pattern): opens the directory (FILE_LIST_DIRECTORY, share all,
     * FILE_DIRECTORY_FILE); a name without wildcards is one GetDirInfoByName; otherwise it lists
     * the directory with ReadDirectory page by page (each page continues after the
     * last name, the Marker of winfsp-native.md §2.3), filters by the pattern as the FSD does
     * (FsRtlIsNameInExpression, ignoring case on a case-insensitive volume), closes the directory.
     * No match: ERROR_FILE_NOT_FOUND; a missing directory: ERROR_PATH_NOT_FOUND.
     */
    public FindHandle findFirstFile(String path) {
        int slash = path.lastIndexOf('\\');
        String dir = slash <= 0 ? "\\" : path.substring(0, slash);
        String pattern = path.substring(slash + 1);
        if (pattern.isEmpty()) {
            fail(NtStatus.OBJECT_NAME_INVALID);
            return null;
        }
        if (pattern.equals("*.*")) {
            pattern = "*";
        }
        Handle h = ntCreateFile(dir, Win32.FILE_LIST_DIRECTORY | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_DIRECTORY_FILE | CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            if (lastStatus == NtStatus.OBJECT_NAME_NOT_FOUND) {
                fail(NtStatus.OBJECT_PATH_NOT_FOUND);
            }
            return null;
        }
        List<FindData> found = new ArrayList<>();
        try {
            if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
                // an exact name: the FSD asks GetDirInfoByName (slot 24), as it does for volumes
                // with PassQueryDirectoryFileName, instead of listing the directory
                try {
                    found.add(findData(volume.getDirInfoByName(h.context, pattern)));
                } catch (NtStatusException e) {
                    if (e.status() != NtStatus.OBJECT_NAME_NOT_FOUND) {
                        throw e;
                    }
                }
            } else {
                for (DirInfo d : listDirectory(h, pattern)) {
                    if (matches(pattern, d.fileName(), !options.caseSensitive())) {
                        found.add(findData(d));
                    }
                }
            }
        } catch (RuntimeException e) {
            int status = statusOf(e);
            release(h);
            fail(status);
            return null;
        }
        release(h);
        if (found.isEmpty()) {
            fail(NtStatus.NO_SUCH_FILE);
            return null;
        }
        succeed();
        return new FindHandle(found);
    }

    /** WIN32_FIND_DATA of one directory entry. */
    private FindData findData(DirInfo d) {
        FileInfo i = d.fileInfo();
        return new FindData(reported(i.fileAttributes()), i.creationTime(), i.lastAccessTime(), i.lastWriteTime(),
                i.fileSize(), i.reparseTag(), d.fileName());
    }

    /**
     * ReadDirectory until the volume reports the end, {@value #LIST_PAGE_ENTRIES} entries per call,
     * each call continuing strictly after the last name returned.
     */
    public List<DirInfo> listDirectory(Handle dir, String pattern) {
        List<DirInfo> all = new ArrayList<>();
        String marker = null;
        for (int pages = 0; ; pages++) {
            List<DirInfo> page = new ArrayList<>();
            boolean ended = volume.readDirectory(dir.context, pattern, marker, e -> {
                if (page.size() >= LIST_PAGE_ENTRIES) {
                    return false;
                }
                page.add(e);
                return true;
            });
            all.addAll(page);
            if (ended) {
                return all;
            }
            if (page.isEmpty()) {
                throw nt(NtStatus.UNEXPECTED_IO_ERROR, "ReadDirectory returned no entry and no end of listing");
            }
            if (pages > 1_000_000) {
                throw nt(NtStatus.UNEXPECTED_IO_ERROR, "ReadDirectory never ends");
            }
            marker = page.get(page.size() - 1).fileName();
        }
    }

    /** FindNextFileW: the next entry, or null with ERROR_NO_MORE_FILES. */
    public FindData findNextFile(FindHandle f) {
        if (f.next >= f.entries.size()) {
            fail(NtStatus.NO_MORE_FILES);
            return null;
        }
        succeed();
        return f.entries.get(f.next++);
    }

    /** The entry FindFirstFileW returned (the first). */
    public FindData findFirstData(FindHandle f) {
        return f.entries.get(0);
    }

    public boolean findClose(FindHandle f) {
        succeed();
        return f != null;
    }

    /**
     * FsRtlIsNameInExpression for {@code *} and {@code ?} (kernelbase has already turned
     * {@code *.*} into {@code *}).
     */
    static boolean matches(String pattern, String name, boolean ignoreCase) {
        if (pattern == null || pattern.equals("*")) {
            return true;
        }
        String p = ignoreCase ? pattern.toUpperCase(java.util.Locale.ROOT) : pattern;
        String n = ignoreCase ? name.toUpperCase(java.util.Locale.ROOT) : name;
        return match(p, 0, n, 0);
    }

    private static boolean match(String p, int i, String n, int j) {
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '*') {
                for (int k = j; k <= n.length(); k++) {
                    if (match(p, i + 1, n, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (j >= n.length() || (c != '?' && c != n.charAt(j))) {
                return false;
            }
            i++;
            j++;
        }
        return j == n.length();
    }

    /**
     * SetCurrentDirectoryW: the Win32 layer opens the directory (FILE_TRAVERSE|SYNCHRONIZE, share
     * read/write, FILE_DIRECTORY_FILE) and keeps the handle; here the handle is closed again.
     */
    public boolean setCurrentDirectory(String path) {
        Handle h = ntCreateFile(path, Win32.FILE_TRAVERSE | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_DIRECTORY_FILE | CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            return false;
        }
        release(h);
        succeed();
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // volume

    /** GetVolumeInformationW: GetVolumeInfo for the label; the rest is what the volume parameters say. */
    public VolumeInformation getVolumeInformation() {
        try {
            VolumeInfo v = volume.getVolumeInfo();
            succeed();
            return new VolumeInformation(v.volumeLabel(), options.volumeSerialNumber(), options.maxComponentLength(),
                    options.fileSystemFlags(), options.fileSystemName());
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /** GetDiskFreeSpaceW: sizes from GetVolumeInfo in clusters of SectorSize × SectorsPerAllocationUnit. */
    public DiskFreeSpace getDiskFreeSpace() {
        try {
            VolumeInfo v = volume.getVolumeInfo();
            long cluster = (long) options.sectorSize() * options.sectorsPerAllocationUnit();
            succeed();
            return new DiskFreeSpace(options.sectorsPerAllocationUnit(), options.sectorSize(), v.freeSize() / cluster,
                    v.totalSize() / cluster);
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /** GetDiskFreeSpaceExW: GetVolumeInfo's sizes (no quotas: the caller's free bytes are the free bytes). */
    public DiskFreeSpaceEx getDiskFreeSpaceEx() {
        try {
            VolumeInfo v = volume.getVolumeInfo();
            succeed();
            return new DiskFreeSpaceEx(v.freeSize(), v.totalSize(), v.freeSize());
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /** SetVolumeLabelW: SetVolumeLabel. */
    public boolean setVolumeLabel(String label) {
        try {
            volume.setVolumeLabel(label);
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // security

    /**
     * GetKernelObjectSecurity: needs READ_CONTROL; GetSecurity, then only the parts asked for.
     * Null on failure.
     */
    public SecurityDescriptor getSecurity(Handle h, int securityInformation) {
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
    public SecurityDescriptor getFileSecurity(String path, int securityInformation) {
        Handle h = ntCreateFile(path, Win32.READ_CONTROL, Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE
                | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN, CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            return null;
        }
        SecurityDescriptor sd = getSecurity(h, securityInformation);
        int status = lastStatus;
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
    public boolean setFileSecurity(String path, int securityInformation, SecurityDescriptor modification) {
        int access = 0;
        if ((securityInformation & (Win32.OWNER_SECURITY_INFORMATION | Win32.GROUP_SECURITY_INFORMATION)) != 0) {
            access |= Win32.WRITE_OWNER;
        }
        if ((securityInformation & Win32.DACL_SECURITY_INFORMATION) != 0) {
            access |= Win32.WRITE_DAC;
        }
        Handle h = ntCreateFile(path, access, Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE,
                null, CreateOptions.FILE_OPEN, CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            return false;
        }
        return closeAndReport(h, setSecurity(h, securityInformation, modification));
    }

    /**
     * SetKernelObjectSecurity: needs WRITE_OWNER for owner/group, WRITE_DAC for the DACL;
     * SetSecurity with the self-relative modification descriptor.
     */
    public boolean setSecurity(Handle h, int securityInformation, SecurityDescriptor modification) {
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
            SecurityDescriptor mapped = new SecurityDescriptor(modification.owner(), modification.group(),
                    modification.daclPresent(), mapAces(modification.dacl()), modification.control());
            volume.setSecurity(h.context, securityInformation, mapped.toBytes());
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
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

    /**
     * GetKernelObjectSecurity with a zero-length buffer: fails with ERROR_INSUFFICIENT_BUFFER and
     * reports the size needed for the parts asked for. Returns that size, or -1 on another failure.
     */
    public int getSecurityLength(Handle h, int securityInformation) {
        SecurityDescriptor sd = getSecurity(h, securityInformation);
        if (sd == null) {
            return -1;
        }
        fail(NtStatus.BUFFER_TOO_SMALL);
        return sd.toBytes().length;
    }

    // ---------------------------------------------------------------------------------------------
    // reparse points

    /** FSCTL_GET_REPARSE_POINT on the handle: GetReparsePoint. Null on failure. */
    public byte[] getReparsePoint(Handle h) {
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
    public boolean setReparsePoint(Handle h, byte[] data) {
        return reparseControl(h, data, false, () -> volume.setReparsePoint(h.context, h.node.volumeName, data));
    }

    /** FSCTL_DELETE_REPARSE_POINT: header-only buffer checked as for set, then DeleteReparsePoint. */
    public boolean deleteReparsePoint(Handle h, byte[] data) {
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
    public boolean createSymbolicLink(String link, String target, int flags) {
        boolean directory = (flags & Win32.SYMBOLIC_LINK_FLAG_DIRECTORY) != 0;
        Handle h = ntCreateFile(link, Win32.FILE_WRITE_ATTRIBUTES | Win32.DELETE | Win32.SYNCHRONIZE, 0, null,
                CreateOptions.FILE_CREATE, CreateOptions.FILE_OPEN_REPARSE_POINT
                        | (directory ? CreateOptions.FILE_DIRECTORY_FILE : CreateOptions.FILE_NON_DIRECTORY_FILE), 0, 0);
        if (h == null) {
            return false;
        }
        // kernelbase: a rooted target gets the current drive (the tests run from the volume), a
        // drive-absolute one the \\??\\ prefix; anything else is stored relative
        boolean relative = !(target.startsWith("\\") || (target.length() >= 2 && target.charAt(1) == ':'));
        String substitute = relative ? target : target.startsWith("\\") ? "\\??\\" + DRIVE + target : "\\??\\" + target;
        byte[] data = ReparseData.symlink(substitute, target, relative);
        if (!setReparsePoint(h, data)) {
            int status = lastStatus;
            setDisposition(h, true);
            release(h);
            return fail(status);
        }
        release(h);
        succeed();
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // extended attributes (winfsp-native.md §1.2 ExtendedAttributes, §2 slots 27–30 CreateEx,
    // OverwriteEx, GetEa, SetEa; the FSD side is src/sys/ea.c and src/sys/create.c)

    /** STATUS_EAS_NOT_SUPPORTED (ntstatus.h). */
    public static final int STATUS_EAS_NOT_SUPPORTED = NtStatus.EAS_NOT_SUPPORTED;

    /** IO_STATUS_BLOCK as the Nt* EA calls leave it: the status and Information. */
    public record IoStatusBlock(int status, int information) {
    }

    private IoStatusBlock io(int status, int information) {
        if (status == NtStatus.SUCCESS) {
            succeed();
        } else {
            fail(status);
        }
        return new IoStatusBlock(status, information);
    }

    /**
     * NtSetEaFile. The I/O manager wants FILE_WRITE_EA on the handle (ACCESS_DENIED). The FSD
     * (src/sys/ea.c, FspFsvolSetEa): ExtendedAttributes clear → STATUS_INVALID_DEVICE_REQUEST
     * (the volume has no SetEa slot); the buffer is checked as for NtCreateFile
     * ({@link EaBuffers#validateFromCaller}: EA_LIST_INCONSISTENT or INVALID_EA_NAME with
     * Information = the offending entry's offset). Then one SetEa ({@link VolumeOperations#setEa})
     * with the decoded entries; on success the file's EA change count goes up (which an open
     * enumeration notices, see {@link #ntQueryEaFile}) and Information is 0.
     */
    public IoStatusBlock ntSetEaFile(Handle h, byte[] eaBuffer, int eaLength) {
        if (h == null || h.closed) {
            return io(NtStatus.INVALID_HANDLE, 0);
        }
        if ((h.grantedAccess & Win32.FILE_WRITE_EA) == 0) {
            return io(NtStatus.ACCESS_DENIED, 0);
        }
        if (!extendedAttributes) {
            return io(NtStatus.INVALID_DEVICE_REQUEST, 0);
        }
        EaBuffers.Check check = EaBuffers.validateFromCaller(eaBuffer, eaLength);
        if (!check.ok()) {
            return io(check.status(), check.errorOffset());
        }
        try {
            volume.setEa(h.context, toEas(eaBuffer, eaLength));
        } catch (RuntimeException e) {
            return io(statusOf(e), 0);
        }
        h.node.eaChangeCount++;
        return io(NtStatus.SUCCESS, 0);
    }

    /**
     * NtQueryEaFile. The I/O manager wants FILE_READ_EA on the handle (ACCESS_DENIED) and checks
     * the EaList's shape ({@link EaBuffers#checkGet}); a non-null {@code eaIndex} is
     * SL_INDEX_SPECIFIED, {@code restartScan} SL_RESTART_SCAN, {@code returnSingleEntry}
     * SL_RETURN_SINGLE_ENTRY. The FSD (src/sys/ea.c): ExtendedAttributes clear →
     * STATUS_INVALID_DEVICE_REQUEST; otherwise one GetEa ({@link VolumeOperations#getEa}; the FSD
     * may serve it from its cache, which changes no answer), packed by the DLL with
     * FspFileSystemAddEa and checked (STATUS_EA_LIST_INCONSISTENT if the volume's list is not
     * a valid one), then FspFsvolQueryEaCopy:
     * <ul>
     * <li>with an EaList: {@link EaQuery#getCopy} (cursor untouched);</li>
     * <li>else, unless an index or a restart is given, a handle that has started an enumeration
     *     (cursor ≠ 0) on a file whose EAs changed since gets STATUS_EA_CORRUPT_ERROR; then
     *     {@link EaQuery#indexCopy} from the given index, 0 on restart, or the handle's cursor;
     *     a success or BUFFER_OVERFLOW moves the cursor past the entries returned.</li>
     * </ul>
     * The output is written into {@code buffer}'s first {@code length} bytes.
     *
     * @param eaList   a FILE_GET_EA_INFORMATION list ({@link EaBuffers#get}), or null
     * @param eaIndex  the 1-based index to start from, or null for none
     */
    public IoStatusBlock ntQueryEaFile(Handle h, byte[] buffer, int length, boolean returnSingleEntry,
                                       byte[] eaList, int eaListLength, Integer eaIndex, boolean restartScan) {
        if (h == null || h.closed) {
            return io(NtStatus.INVALID_HANDLE, 0);
        }
        if ((h.grantedAccess & Win32.FILE_READ_EA) == 0) {
            return io(NtStatus.ACCESS_DENIED, 0);
        }
        if (eaList != null) {
            EaBuffers.Check check = EaBuffers.checkGet(eaList, eaListLength);
            if (!check.ok()) {
                return io(check.status(), check.errorOffset());
            }
        }
        if (!extendedAttributes) {
            return io(NtStatus.INVALID_DEVICE_REQUEST, 0);
        }
        List<EaBuffers.FullEa> source = new ArrayList<>();
        try {
            for (Ea e : volume.getEa(h.context)) {
                source.add(EaBuffers.FullEa.of(e));
            }
        } catch (RuntimeException e) {
            return io(statusOf(e), 0);
        }
        byte[] packed = EaBuffers.full(source);
        if (!source.isEmpty() && !EaBuffers.checkFull(packed, packed.length).ok()) {
            return io(NtStatus.EA_LIST_INCONSISTENT, 0);
        }
        byte[] out = new byte[length];
        EaQuery.Result r;
        if (eaList != null) {
            r = EaQuery.getCopy(source, EaBuffers.parseGet(eaList, eaListLength), out, length, returnSingleEntry);
        } else {
            if (eaIndex == null && !restartScan && h.eaIndex != 0 && h.node.eaChangeCount != h.eaChangeCount) {
                return io(NtStatus.EA_CORRUPT_ERROR, 0);
            }
            int from = eaIndex != null ? eaIndex : restartScan ? 0 : h.eaIndex;
            r = EaQuery.indexCopy(source, eaIndex != null, from, out, length, returnSingleEntry);
            if (EaQuery.ntSuccess(r.status()) || r.status() == NtStatus.BUFFER_OVERFLOW) {
                h.eaIndex = r.nextIndex();
                h.eaChangeCount = h.node.eaChangeCount;
            }
        }
        if (EaQuery.ntSuccess(r.status()) || r.status() == NtStatus.BUFFER_OVERFLOW) {
            System.arraycopy(out, 0, buffer, 0, r.information());
        }
        return io(r.status(), r.information());
    }

    // ---------------------------------------------------------------------------------------------
    // streams

    /**
     * FindFirstStreamW/FindNextStreamW's whole listing: GetStreamInfo on a handle opened for
     * FILE_READ_ATTRIBUTES (a stream path lists its main file's streams), as the names the API
     * returns ({@code ::$DATA}, {@code :name:$DATA}). No stream at all (a directory without named
     * streams) fails with ERROR_HANDLE_EOF. Null on failure.
     */
    public List<String> findStreams(String path) {
        Handle h = ntCreateFile(path, Win32.FILE_READ_ATTRIBUTES | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            return null;
        }
        try {
            List<StreamInfo> s = volume.getStreamInfo(h.context);
            release(h);
            if (s.isEmpty()) {
                fail(NtStatus.END_OF_FILE);
                return null;
            }
            List<String> names = new ArrayList<>();
            for (StreamInfo i : s) {
                names.add(i.streamName().isEmpty() ? "::$DATA" : ":" + i.streamName() + ":$DATA");
            }
            succeed();
            return names;
        } catch (RuntimeException e) {
            int status = statusOf(e);
            release(h);
            fail(status);
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Closes every handle still open (a failed case leaves some), streams before their main files, ignoring failures. */
    public void closeAll() {
        for (int pass = 0; pass < 2; pass++) {
            for (FileNode n : List.copyOf(nodes.values())) {
                for (Handle h : List.copyOf(n.handles)) {
                    if (!h.closed && (pass == 1 || h.mainHandle != null)) {
                        try {
                            release(h);
                        } catch (RuntimeException e) {
                            // best effort at the end of a case
                        }
                    }
                }
            }
        }
    }
}
