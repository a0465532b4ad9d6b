package org.viofs.conformance;

import java.util.ArrayList;
import java.util.List;

import org.viofs.volume.Ea;
import org.viofs.volume.NtStatus;

import org.viofs.conformance.Win32Structs.IoStatusBlock;

/**
 * Extended attributes (docs/winfsp-native.md §1.2 ExtendedAttributes, §2 slots 27–30 CreateEx,
 * OverwriteEx, GetEa, SetEa; the FSD side is src/sys/ea.c and src/sys/create.c): NtSetEaFile and
 * NtQueryEaFile with the FSD's checks and its enumeration cursor per handle.
 */
final class EaCalls extends FacadeSection {

    /** VOLUME_PARAMS ExtendedAttributes, which the WinFsp binding sets from {@link org.viofs.volume.VolumeOperations#supportsEas()}. */
    private final boolean extendedAttributes;

    EaCalls(Win32Facade facade) {
        super(facade);
        this.extendedAttributes = volume.supportsEas();
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
    IoStatusBlock ntSetEaFile(Handle h, byte[] eaBuffer, int eaLength) {
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
            volume.setEa(h.context, EaBuffers.toEas(eaBuffer, eaLength));
        } catch (RuntimeException e) {
            return io(statusOf(e), 0);
        }
        synchronized (facade.table()) {
            h.node.eaChangeCount++;
        }
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
    IoStatusBlock ntQueryEaFile(Handle h, byte[] buffer, int length, boolean returnSingleEntry,
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
}
