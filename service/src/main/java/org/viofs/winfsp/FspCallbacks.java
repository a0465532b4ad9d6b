package org.viofs.winfsp;

import static org.viofs.winfsp.FspInterface.*;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.viofs.volume.DirInfo;
import org.viofs.volume.Ea;
import org.viofs.volume.FileContext;
import org.viofs.volume.FileInfo;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.OpenFileInfo;
import org.viofs.volume.OpenResult;
import org.viofs.volume.ReparseResolution;
import org.viofs.volume.SecurityByName;
import org.viofs.volume.StreamInfo;
import org.viofs.volume.VolumeInfo;
import org.viofs.volume.VolumeOperations;
import org.viofs.volume.WriteResult;

/**
 * The trampolines of {@code FSP_FILE_SYSTEM_INTERFACE} (docs/winfsp-native.md §2) over a
 * {@link VolumeOperations}, and the 512-byte table that points at them. The callback types and slot
 * numbers are declared in {@link FspInterface}; decisions (such as CreateEx with reparse data) are the
 * volume's.
 *
 * <p>Each trampoline decodes the native arguments into the volume's Java types, calls the volume,
 * writes the results back exactly as wide as the C types (PULONG 4 bytes, SIZE_T and PVOID 8), and
 * returns an NTSTATUS. Nothing escapes: failures go through {@link StatusPolicy}. Slots the volume
 * contract has no method for (Control, Obsolete0, DispatcherStopped, Reserved) stay NULL, which WinFsp
 * treats as "not implemented".
 *
 * <p>Extended attributes: only when {@link VolumeOperations#supportsEas()} (asked once, here) are
 * CreateEx, OverwriteEx, GetEa and SetEa (slots 27–30) installed; {@link #extendedAttributes()} then
 * tells the host to set the ExtendedAttributes volume flag (§1.2 bit 8). CreateEx and OverwriteEx take
 * precedence over Create and Overwrite in the DLL, which stay in the table either way. EA buffers are
 * read and written by {@link FullEaInformation}.
 *
 * <p>The table and every callback object are strongly reachable from this object; the owner keeps it
 * until FspFileSystemDelete has returned. Thread-safe as far as the volume is.
 */
public final class FspCallbacks {

    /** winnt.h {@code IO_REPARSE_TAG_SYMLINK}. */
    static final int IO_REPARSE_TAG_SYMLINK = 0xA000000C;

    private final VolumeOperations volume;
    private final FileContextTable contexts;
    private final InfoBuffer infoBuffer;
    private final Memory table = new Memory(WinFspConstants.INTERFACE_SLOTS * 8L);
    private final Map<Integer, Callback> bySlot = new TreeMap<>();
    private final boolean extendedAttributes;
    private final boolean readOnlyVolume;

    public final GetVolumeInfo getVolumeInfo = this::getVolumeInfo;
    public final SetVolumeLabel setVolumeLabel = this::setVolumeLabel;
    public final GetSecurityByName getSecurityByName = this::getSecurityByName;
    public final Create create = this::create;
    public final Open open = this::open;
    public final Overwrite overwrite = this::overwrite;
    public final Cleanup cleanup = this::cleanup;
    public final Close close = this::close;
    public final Read read = this::read;
    public final Write write = this::write;
    public final FileInfoOnly flush = this::flush;
    public final FileInfoOnly getFileInfo = this::getFileInfo;
    public final SetBasicInfo setBasicInfo = this::setBasicInfo;
    public final SetFileSize setFileSize = this::setFileSize;
    public final CanDelete canDelete = this::canDelete;
    public final Rename rename = this::rename;
    public final GetSecurity getSecurity = this::getSecurity;
    public final SetSecurity setSecurity = this::setSecurity;
    public final ReadDirectory readDirectory = this::readDirectory;
    public final ResolveReparsePoints resolveReparsePoints = this::resolveReparsePoints;
    public final GetReparsePoint getReparsePoint = this::getReparsePoint;
    public final ReparsePointData setReparsePoint = this::setReparsePoint;
    public final ReparsePointData deleteReparsePoint = this::deleteReparsePoint;
    public final GetStreamInfo getStreamInfo = this::getStreamInfo;
    public final GetDirInfoByName getDirInfoByName = this::getDirInfoByName;
    public final SetDelete setDelete = this::setDelete;
    public final CreateEx createEx = this::createEx;
    public final OverwriteEx overwriteEx = this::overwriteEx;
    public final GetEa getEa = this::getEa;
    public final SetEa setEa = this::setEa;

    /**
     * @param volume     the volume to call
     * @param contexts   the FileContext ids of this volume
     * @param infoBuffer FspFileSystemAddDirInfo/AddStreamInfo (the DLL's, or {@link PortableInfoBuffer})
     */
    public FspCallbacks(VolumeOperations volume, FileContextTable contexts, InfoBuffer infoBuffer) {
        this(volume, contexts, infoBuffer, null);
    }

    /**
     * @param threads how JNA attaches the native threads that call the table (WinFsp's dispatcher
     *                threads), or null for JNA's default. JNA reads a callback's initializer when it creates
     *                the callback's function pointer, so it is registered here, before the table is built;
     *                one registered later is ignored.
     */
    public FspCallbacks(VolumeOperations volume, FileContextTable contexts, InfoBuffer infoBuffer,
                        CallbackThreadInitializer threads) {
        this.volume = volume;
        this.contexts = contexts;
        this.infoBuffer = infoBuffer;
        bySlot.put(SLOT_GET_VOLUME_INFO, getVolumeInfo);
        bySlot.put(SLOT_SET_VOLUME_LABEL, setVolumeLabel);
        bySlot.put(SLOT_GET_SECURITY_BY_NAME, getSecurityByName);
        bySlot.put(SLOT_CREATE, create);
        bySlot.put(SLOT_OPEN, open);
        bySlot.put(SLOT_OVERWRITE, overwrite);
        bySlot.put(SLOT_CLEANUP, cleanup);
        bySlot.put(SLOT_CLOSE, close);
        bySlot.put(SLOT_READ, read);
        bySlot.put(SLOT_WRITE, write);
        bySlot.put(SLOT_FLUSH, flush);
        bySlot.put(SLOT_GET_FILE_INFO, getFileInfo);
        bySlot.put(SLOT_SET_BASIC_INFO, setBasicInfo);
        bySlot.put(SLOT_SET_FILE_SIZE, setFileSize);
        bySlot.put(SLOT_CAN_DELETE, canDelete);
        bySlot.put(SLOT_RENAME, rename);
        bySlot.put(SLOT_GET_SECURITY, getSecurity);
        bySlot.put(SLOT_SET_SECURITY, setSecurity);
        bySlot.put(SLOT_READ_DIRECTORY, readDirectory);
        bySlot.put(SLOT_RESOLVE_REPARSE_POINTS, resolveReparsePoints);
        bySlot.put(SLOT_GET_REPARSE_POINT, getReparsePoint);
        bySlot.put(SLOT_SET_REPARSE_POINT, setReparsePoint);
        bySlot.put(SLOT_DELETE_REPARSE_POINT, deleteReparsePoint);
        bySlot.put(SLOT_GET_STREAM_INFO, getStreamInfo);
        bySlot.put(SLOT_GET_DIR_INFO_BY_NAME, getDirInfoByName);
        bySlot.put(SLOT_SET_DELETE, setDelete);
        readOnlyVolume = volume.isReadOnly();
        extendedAttributes = volume.supportsEas();
        if (extendedAttributes) {
            bySlot.put(SLOT_CREATE_EX, createEx);
            bySlot.put(SLOT_OVERWRITE_EX, overwriteEx);
            bySlot.put(SLOT_GET_EA, getEa);
            bySlot.put(SLOT_SET_EA, setEa);
        }
        table.clear();
        bySlot.forEach((slot, cb) -> {
            if (threads != null) {
                Native.setCallbackThreadInitializer(cb, threads);
            }
            table.setPointer(8L * slot, CallbackReference.getFunctionPointer(cb));
        });
    }

    /** The 512-byte {@code FSP_FILE_SYSTEM_INTERFACE}; valid while this object is reachable. */
    public Pointer table() {
        return table;
    }

    /**
     * Whether the EA slots 27–30 are installed, so VOLUME_PARAMS must carry ExtendedAttributes: the
     * volume's {@link VolumeOperations#supportsEas()} as it answered when this table was built.
     */
    public boolean extendedAttributes() {
        return extendedAttributes;
    }

    /**
     * Whether VOLUME_PARAMS must carry ReadOnlyVolume: the volume's {@link VolumeOperations#isReadOnly()}
     * as it answered when this table was built (a share the host exports read-only).
     */
    public boolean readOnlyVolume() {
        return readOnlyVolume;
    }

    /** The callbacks by slot. */
    public Map<Integer, Callback> callbacksBySlot() {
        return Collections.unmodifiableMap(bySlot);
    }

    // ---- helpers -------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Body {
        int run() throws Exception;
    }

    private static int guard(String operation, Body body) {
        try {
            return body.run();
        } catch (Throwable t) {
            return StatusPolicy.fromThrowable(operation, t);
        }
    }

    private FileContext context(Pointer fileContext) {
        return contexts.get(Pointer.nativeValue(fileContext));
    }

    private static void putFileInfo(Pointer fileInfo, FileInfo info) {
        if (fileInfo == null) {
            return;
        }
        if (info == null) {
            fileInfo.clear(FspFsctlFileInfo.SIZE);
        } else {
            FspFsctlFileInfo.write(fileInfo, info);
        }
    }

    private static void putVolumeInfo(Pointer volumeInfo, VolumeInfo info) {
        FspFsctlVolumeInfo v = new FspFsctlVolumeInfo(volumeInfo);
        v.TotalSize = info.totalSize();
        v.FreeSize = info.freeSize();
        String label = info.volumeLabel() == null ? "" : info.volumeLabel();
        if (label.length() > VolumeInfo.MAX_LABEL_CHARS) {
            label = label.substring(0, VolumeInfo.MAX_LABEL_CHARS);
        }
        byte[] bytes = Utf16.encode(label);
        v.VolumeLabel = new byte[FspFsctlVolumeInfo.LABEL_BYTES];
        System.arraycopy(bytes, 0, v.VolumeLabel, 0, bytes.length);
        v.VolumeLabelLength = (short) bytes.length;
        v.write();
    }

    /** Writes a new context id to {@code *PFileContext} (8 bytes) and the OPEN_FILE_INFO. */
    private int opened(OpenResult result, Pointer pFileContext, Pointer openFileInfo) {
        try {
            putOpenFileInfo(openFileInfo, result.openFileInfo());
        } catch (RuntimeException | Error e) {
            // WinFsp will not send Close for a failed open, so the volume's context is released here
            try {
                volume.close(result.context());
            } catch (Throwable t) {
                e.addSuppressed(t);
            }
            throw e;
        }
        long id = contexts.add(result.context());
        pFileContext.setLong(0, id);
        return NtStatus.SUCCESS;
    }

    private static void putOpenFileInfo(Pointer openFileInfo, OpenFileInfo info) {
        FspFsctlOpenFileInfo o = new FspFsctlOpenFileInfo(openFileInfo);
        o.read();
        o.FileInfo.set(info.fileInfo());
        String normalized = info.normalizedName();
        if (normalized != null && o.NormalizedName != null) {
            byte[] bytes = Utf16.encode(normalized);
            int capacity = o.NormalizedNameSize & 0xFFFF;
            if (bytes.length <= capacity && bytes.length <= FspFsctlOpenFileInfo.MAX_NORMALIZED_NAME_BYTES) {
                o.NormalizedName.write(0, bytes, 0, bytes.length);
                o.NormalizedNameSize = (short) bytes.length;
            }
        }
        o.write();
    }

    /** Builds a DIR_INFO record (fixed part + name, union zeroed) in {@code scratch}. */
    static Memory dirInfoRecord(DirInfo entry, Memory scratch) {
        byte[] name = Utf16.encode(entry.fileName());
        int size = FspFsctlDirInfo.NAME_OFFSET + name.length;
        if (size > 0xFFFF) {
            throw new NtStatusException(NtStatus.NAME_TOO_LONG, entry.fileName());
        }
        Memory m = scratch != null && scratch.size() >= size ? scratch : new Memory(Math.max(size, 1024));
        m.clear(FspFsctlDirInfo.NAME_OFFSET);
        FspFsctlDirInfo d = new FspFsctlDirInfo(m);
        d.Size = (short) size;
        d.FileInfo.set(entry.fileInfo());
        d.write();
        m.write(FspFsctlDirInfo.NAME_OFFSET, name, 0, name.length);
        return m;
    }

    private static byte[] bytes(Pointer p, long size) {
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "buffer size " + size);
        }
        return p == null ? new byte[0] : p.getByteArray(0, (int) size);
    }

    /** SIZE_T in/out protocol: capacity in, needed or copied size out. */
    private static int copyOut(byte[] data, Pointer buffer, Pointer pSize, int tooSmallStatus) {
        long capacity = pSize.getLong(0);
        if (data.length > capacity) {
            pSize.setLong(0, data.length);
            return tooSmallStatus;
        }
        if (buffer != null) {
            buffer.write(0, data, 0, data.length);
        }
        pSize.setLong(0, data.length);
        return NtStatus.SUCCESS;
    }

    // ---- trampolines, in slot order ------------------------------------------------------------

    private int getVolumeInfo(Pointer fs, Pointer volumeInfo) {
        return guard("GetVolumeInfo", () -> {
            putVolumeInfo(volumeInfo, volume.getVolumeInfo());
            return NtStatus.SUCCESS;
        });
    }

    private int setVolumeLabel(Pointer fs, Pointer label, Pointer volumeInfo) {
        return guard("SetVolumeLabel", () -> {
            putVolumeInfo(volumeInfo, volume.setVolumeLabel(Utf16.read(label)));
            return NtStatus.SUCCESS;
        });
    }

    /** §2.2: attributes if asked; the descriptor if it fits, else the size needed and BUFFER_OVERFLOW. */
    private int getSecurityByName(Pointer fs, Pointer fileName, Pointer pFileAttributes, Pointer sd, Pointer pSize) {
        return guard("GetSecurityByName", () -> {
            SecurityByName r = volume.getSecurityByName(Utf16.read(fileName));
            if (pFileAttributes != null) {
                pFileAttributes.setInt(0, r.fileAttributes());
            }
            if (r.status() == NtStatus.REPARSE) {
                return NtStatus.REPARSE;
            }
            if (r.status() != NtStatus.SUCCESS) {
                throw new NtStatusException(r.status(), "GetSecurityByName result");
            }
            if (pSize != null) {
                byte[] desc = r.securityDescriptor() == null ? new byte[0] : r.securityDescriptor();
                if (sd == null) {
                    pSize.setLong(0, desc.length);
                    return NtStatus.SUCCESS;
                }
                return copyOut(desc, sd, pSize, NtStatus.BUFFER_OVERFLOW);
            }
            return NtStatus.SUCCESS;
        });
    }

    private int create(Pointer fs, Pointer fileName, int createOptions, int grantedAccess, int fileAttributes,
                       Pointer sd, long allocationSize, Pointer pFileContext, Pointer openFileInfo) {
        return guard("Create", () -> {
            byte[] descriptor = sd == null ? null : bytes(sd, SelfRelativeSecurityDescriptor.length(sd));
            OpenResult r = volume.create(Utf16.read(fileName), createOptions, grantedAccess, fileAttributes, descriptor,
                    allocationSize);
            return opened(r, pFileContext, openFileInfo);
        });
    }

    private int open(Pointer fs, Pointer fileName, int createOptions, int grantedAccess, Pointer pFileContext,
                     Pointer openFileInfo) {
        return guard("Open", () -> opened(volume.open(Utf16.read(fileName), createOptions, grantedAccess),
                pFileContext, openFileInfo));
    }

    private int overwrite(Pointer fs, Pointer fc, int fileAttributes, byte replace, long allocationSize,
                          Pointer fileInfo) {
        return guard("Overwrite", () -> {
            putFileInfo(fileInfo, volume.overwrite(context(fc), fileAttributes, replace != 0, allocationSize));
            return NtStatus.SUCCESS;
        });
    }

    private void cleanup(Pointer fs, Pointer fc, Pointer fileName, int flags) {
        try {
            volume.cleanup(context(fc), Utf16.read(fileName), flags);
        } catch (Throwable t) {
            StatusPolicy.logVoid("Cleanup", t);
        }
    }

    private void close(Pointer fs, Pointer fc) {
        try {
            volume.close(contexts.remove(Pointer.nativeValue(fc)));
        } catch (Throwable t) {
            StatusPolicy.logVoid("Close", t);
        }
    }

    private int read(Pointer fs, Pointer fc, Pointer buffer, long offset, int length, Pointer pBytes) {
        return guard("Read", () -> {
            int n = volume.read(context(fc), buffer.getByteBuffer(0, length & 0xFFFFFFFFL), offset, length);
            pBytes.setInt(0, n);
            return NtStatus.SUCCESS;
        });
    }

    private int write(Pointer fs, Pointer fc, Pointer buffer, long offset, int length, byte writeToEndOfFile,
                      byte constrainedIo, Pointer pBytes, Pointer fileInfo) {
        return guard("Write", () -> {
            ByteBuffer data = buffer.getByteBuffer(0, length & 0xFFFFFFFFL).asReadOnlyBuffer();
            WriteResult r = volume.write(context(fc), data, offset, length, writeToEndOfFile != 0, constrainedIo != 0);
            pBytes.setInt(0, r.bytesTransferred());
            putFileInfo(fileInfo, r.fileInfo());
            return NtStatus.SUCCESS;
        });
    }

    private int flush(Pointer fs, Pointer fc, Pointer fileInfo) {
        return guard("Flush", () -> {
            putFileInfo(fileInfo, volume.flush(context(fc)));
            return NtStatus.SUCCESS;
        });
    }

    private int getFileInfo(Pointer fs, Pointer fc, Pointer fileInfo) {
        return guard("GetFileInfo", () -> {
            putFileInfo(fileInfo, volume.getFileInfo(context(fc)));
            return NtStatus.SUCCESS;
        });
    }

    private int setBasicInfo(Pointer fs, Pointer fc, int attributes, long creation, long lastAccess, long lastWrite,
                             long change, Pointer fileInfo) {
        return guard("SetBasicInfo", () -> {
            putFileInfo(fileInfo, volume.setBasicInfo(context(fc), attributes, creation, lastAccess, lastWrite, change));
            return NtStatus.SUCCESS;
        });
    }

    private int setFileSize(Pointer fs, Pointer fc, long newSize, byte setAllocationSize, Pointer fileInfo) {
        return guard("SetFileSize", () -> {
            putFileInfo(fileInfo, volume.setFileSize(context(fc), newSize, setAllocationSize != 0));
            return NtStatus.SUCCESS;
        });
    }

    private int canDelete(Pointer fs, Pointer fc, Pointer fileName) {
        return guard("CanDelete", () -> {
            volume.canDelete(context(fc), Utf16.read(fileName));
            return NtStatus.SUCCESS;
        });
    }

    private int rename(Pointer fs, Pointer fc, Pointer fileName, Pointer newFileName, byte replaceIfExists) {
        return guard("Rename", () -> {
            volume.rename(context(fc), Utf16.read(fileName), Utf16.read(newFileName), replaceIfExists != 0);
            return NtStatus.SUCCESS;
        });
    }

    private int getSecurity(Pointer fs, Pointer fc, Pointer sd, Pointer pSize) {
        return guard("GetSecurity", () -> copyOut(volume.getSecurity(context(fc)), sd, pSize,
                NtStatus.BUFFER_OVERFLOW));
    }

    private int setSecurity(Pointer fs, Pointer fc, int securityInformation, Pointer modification) {
        return guard("SetSecurity", () -> {
            byte[] descriptor = bytes(modification, SelfRelativeSecurityDescriptor.length(modification));
            volume.setSecurity(context(fc), securityInformation, descriptor);
            return NtStatus.SUCCESS;
        });
    }

    /** §2.3: entries through AddDirInfo (padded to 8 by it); the end-of-listing record when the volume says so. */
    private int readDirectory(Pointer fs, Pointer fc, Pointer pattern, Pointer marker, Pointer buffer, int length,
                              Pointer pBytes) {
        return guard("ReadDirectory", () -> {
            FileContext dir = context(fc);
            pBytes.setInt(0, 0);
            Memory[] scratch = {null};
            boolean ended = volume.readDirectory(dir, Utf16.read(pattern), Utf16.read(marker), entry -> {
                scratch[0] = dirInfoRecord(entry, scratch[0]);
                return infoBuffer.addDirInfo(scratch[0], buffer, length, pBytes);
            });
            if (ended) {
                infoBuffer.addDirInfo(null, buffer, length, pBytes);
            }
            return NtStatus.SUCCESS;
        });
    }

    private int resolveReparsePoints(Pointer fs, Pointer fileName, int index, byte resolveLast, Pointer pIoStatus,
                                     Pointer buffer, Pointer pSize) {
        return guard("ResolveReparsePoints", () -> {
            ReparseResolution r = volume.resolveReparsePoints(Utf16.read(fileName), index, resolveLast != 0);
            // as WinFsp's own resolver: a path or symlink that does not fit is "not resolved", other
            // reparse data that does not fit is invalid
            boolean path = r.information() == ReparseResolution.IO_REPARSE
                    || r.information() == IO_REPARSE_TAG_SYMLINK;
            int status = copyOut(r.buffer(), buffer, pSize,
                    path ? NtStatus.REPARSE_POINT_NOT_RESOLVED : NtStatus.IO_REPARSE_DATA_INVALID);
            if (status != NtStatus.SUCCESS) {
                return status;
            }
            // IO_STATUS_BLOCK: Status NTSTATUS @0 (8-byte union), Information ULONG_PTR @8
            pIoStatus.setLong(0, 0);
            pIoStatus.setInt(0, NtStatus.REPARSE);
            pIoStatus.setLong(8, r.information() & 0xFFFFFFFFL);
            return NtStatus.REPARSE;
        });
    }

    private int getReparsePoint(Pointer fs, Pointer fc, Pointer fileName, Pointer buffer, Pointer pSize) {
        return guard("GetReparsePoint", () -> copyOut(volume.getReparsePoint(context(fc), Utf16.read(fileName)),
                buffer, pSize, NtStatus.BUFFER_TOO_SMALL));
    }

    private int setReparsePoint(Pointer fs, Pointer fc, Pointer fileName, Pointer buffer, long size) {
        return guard("SetReparsePoint", () -> {
            volume.setReparsePoint(context(fc), Utf16.read(fileName), bytes(buffer, size));
            return NtStatus.SUCCESS;
        });
    }

    private int deleteReparsePoint(Pointer fs, Pointer fc, Pointer fileName, Pointer buffer, long size) {
        return guard("DeleteReparsePoint", () -> {
            volume.deleteReparsePoint(context(fc), Utf16.read(fileName), bytes(buffer, size));
            return NtStatus.SUCCESS;
        });
    }

    private int getStreamInfo(Pointer fs, Pointer fc, Pointer buffer, int length, Pointer pBytes) {
        return guard("GetStreamInfo", () -> {
            List<StreamInfo> streams = volume.getStreamInfo(context(fc));
            pBytes.setInt(0, 0);
            for (StreamInfo s : streams) {
                byte[] name = Utf16.encode(s.streamName());
                int size = FspFsctlStreamInfo.NAME_OFFSET + name.length;
                try (Memory m = new Memory(size)) {
                    FspFsctlStreamInfo rec = new FspFsctlStreamInfo(m);
                    rec.Size = (short) size;
                    rec.StreamSize = s.streamSize();
                    rec.StreamAllocationSize = s.streamAllocationSize();
                    rec.write();
                    m.write(FspFsctlStreamInfo.NAME_OFFSET, name, 0, name.length);
                    if (!infoBuffer.addStreamInfo(m, buffer, length, pBytes)) {
                        return NtStatus.SUCCESS; // no end record: the FSD reports BUFFER_OVERFLOW
                    }
                }
            }
            infoBuffer.addStreamInfo(null, buffer, length, pBytes);
            return NtStatus.SUCCESS;
        });
    }

    private int getDirInfoByName(Pointer fs, Pointer parent, Pointer fileName, Pointer dirInfo) {
        return guard("GetDirInfoByName", () -> {
            DirInfo entry = volume.getDirInfoByName(context(parent), Utf16.read(fileName));
            if (entry.fileName().length() > WinFspConstants.DIR_INFO_BY_NAME_MAX_CHARS) {
                throw new NtStatusException(NtStatus.NAME_TOO_LONG, entry.fileName());
            }
            Memory record = dirInfoRecord(entry, null);
            int size = record.getShort(0) & 0xFFFF;
            dirInfo.write(0, record.getByteArray(0, size), 0, size);
            return NtStatus.SUCCESS;
        });
    }

    private int setDelete(Pointer fs, Pointer fc, Pointer fileName, byte deleteFile) {
        return guard("SetDelete", () -> {
            volume.setDelete(context(fc), Utf16.read(fileName), deleteFile != 0);
            return NtStatus.SUCCESS;
        });
    }

    /**
     * Slot 27. With reparse data it is {@link VolumeOperations#createWithReparsePoint}; with EAs (or none)
     * {@link VolumeOperations#createWithEas}. A malformed EA list is refused before the volume is called.
     */
    private int createEx(Pointer fs, Pointer fileName, int createOptions, int grantedAccess, int fileAttributes,
                         Pointer sd, long allocationSize, Pointer extraBuffer, int extraLength, byte isReparsePoint,
                         Pointer pFileContext, Pointer openFileInfo) {
        return guard("CreateEx", () -> {
            byte[] descriptor = sd == null ? null : bytes(sd, SelfRelativeSecurityDescriptor.length(sd));
            String name = Utf16.read(fileName);
            long extra = extraLength & 0xFFFFFFFFL;
            if (isReparsePoint != 0) {
                return opened(volume.createWithReparsePoint(name, createOptions, grantedAccess, fileAttributes,
                        descriptor, allocationSize, bytes(extraBuffer, extra)), pFileContext, openFileInfo);
            }
            List<Ea> eas = FullEaInformation.decode(extraBuffer, extra);
            return opened(volume.createWithEas(name, createOptions, grantedAccess, fileAttributes, descriptor,
                    allocationSize, eas), pFileContext, openFileInfo);
        });
    }

    /** Slot 28. A NULL Ea or EaLength 0 is the empty list: the file's EAs are all removed. */
    private int overwriteEx(Pointer fs, Pointer fc, int fileAttributes, byte replace, long allocationSize, Pointer ea,
                            int eaLength, Pointer fileInfo) {
        return guard("OverwriteEx", () -> {
            List<Ea> eas = FullEaInformation.decode(ea, eaLength & 0xFFFFFFFFL);
            putFileInfo(fileInfo, volume.overwriteWithEas(context(fc), fileAttributes, replace != 0, allocationSize,
                    eas));
            return NtStatus.SUCCESS;
        });
    }

    /**
     * Slot 29. Packs the volume's EAs like FspFileSystemAddEa into Ea/EaLength and writes the byte count to
     * the 4-byte {@code *PBytesTransferred}. When they do not all fit, the ones that did are reported
     * with STATUS_SUCCESS and without an end marker, as memfs does; the FSD judges the list
     * (src/sys/ea.c). A STATUS_BUFFER_OVERFLOW here would become STATUS_EA_LIST_INCONSISTENT in the DLL
     * (FspFileSystemOpQueryEa), which always offers 16256 bytes.
     */
    private int getEa(Pointer fs, Pointer fc, Pointer ea, int eaLength, Pointer pBytes) {
        return guard("GetEa", () -> {
            List<Ea> eas = volume.getEa(context(fc));
            FullEaInformation.Packed packed = FullEaInformation.pack(eas, ea, eaLength);
            pBytes.setInt(0, packed.bytesTransferred());
            return NtStatus.SUCCESS;
        });
    }

    /** Slot 30. Applies the list and writes the file's FILE_INFO back. */
    private int setEa(Pointer fs, Pointer fc, Pointer ea, int eaLength, Pointer fileInfo) {
        return guard("SetEa", () -> {
            List<Ea> eas = FullEaInformation.decode(ea, eaLength & 0xFFFFFFFFL);
            putFileInfo(fileInfo, volume.setEa(context(fc), eas));
            return NtStatus.SUCCESS;
        });
    }

    /** Slots that are set, for diagnostics. */
    public List<Integer> implementedSlots() {
        return new ArrayList<>(bySlot.keySet());
    }
}
