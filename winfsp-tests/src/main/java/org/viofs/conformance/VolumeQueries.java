package org.viofs.conformance;

import org.viofs.volume.VolumeInfo;

import org.viofs.conformance.Win32Structs.VolumeInformation;
import org.viofs.conformance.Win32Structs.DiskFreeSpace;
import org.viofs.conformance.Win32Structs.DiskFreeSpaceEx;

/**
 * The volume calls: GetVolumeInformation, GetDiskFreeSpace(Ex) over GetVolumeInfo and the
 * volume parameters ({@link FacadeOptions}), SetVolumeLabel.
 */
final class VolumeQueries extends FacadeSection {

    VolumeQueries(Win32Facade facade) {
        super(facade);
    }

    /** GetVolumeInformationW: GetVolumeInfo for the label; the rest is what the volume parameters say. */
    VolumeInformation getVolumeInformation() {
        try {
            VolumeInfo v = facade.guard().run(OperationGuard.Kind.SHARED, volume::getVolumeInfo);
            succeed();
            return new VolumeInformation(v.volumeLabel(), options.volumeSerialNumber(), options.maxComponentLength(),
                    options.fileSystemFlags(), options.fileSystemName());
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /** GetDiskFreeSpaceW: sizes from GetVolumeInfo in clusters of SectorSize × SectorsPerAllocationUnit. */
    DiskFreeSpace getDiskFreeSpace() {
        try {
            VolumeInfo v = facade.guard().run(OperationGuard.Kind.SHARED, volume::getVolumeInfo);
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
    DiskFreeSpaceEx getDiskFreeSpaceEx() {
        try {
            VolumeInfo v = facade.guard().run(OperationGuard.Kind.SHARED, volume::getVolumeInfo);
            succeed();
            return new DiskFreeSpaceEx(v.freeSize(), v.totalSize(), v.freeSize());
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /** SetVolumeLabelW: SetVolumeLabel. */
    boolean setVolumeLabel(String label) {
        try {
            facade.guard().run(OperationGuard.Kind.EXCLUSIVE, () -> volume.setVolumeLabel(label));
            succeed();
            return true;
        } catch (RuntimeException e) {
            return fail(statusOf(e));
        }
    }
}
