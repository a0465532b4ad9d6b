package org.viofs.benchmarks;

import java.nio.ByteBuffer;
import java.util.List;

import org.viofs.volume.DirInfo;
import org.viofs.volume.DirSink;
import org.viofs.volume.FileAttributes;
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
 * A volume that answers Read and GetFileInfo at once from fixed data and refuses everything else: with
 * it, a benchmark of the binding measures the binding alone. Thread-safe (immutable).
 */
final class FixedVolume implements VolumeOperations {
    /** The one context this volume hands out. */
    static final FileContext FILE = new FileContext() {
    };
    static final FileInfo INFO = new FileInfo(FileAttributes.NORMAL, 0, 4096, 4096, 133_000_000_000_000_000L,
            133_000_000_000_000_001L, 133_000_000_000_000_002L, 133_000_000_000_000_003L, 42, 1, 0);

    @Override
    public int read(FileContext context, ByteBuffer buffer, long offset, int length) {
        // touch the first and last byte, as any copy into the buffer would
        buffer.put(0, (byte) offset);
        buffer.put(length - 1, (byte) length);
        return length;
    }

    @Override
    public FileInfo getFileInfo(FileContext context) {
        return INFO;
    }

    private static NtStatusException unused() {
        return new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, "not part of the benchmark");
    }

    @Override
    public VolumeInfo getVolumeInfo() {
        throw unused();
    }

    @Override
    public VolumeInfo setVolumeLabel(String volumeLabel) {
        throw unused();
    }

    @Override
    public SecurityByName getSecurityByName(String fileName) {
        throw unused();
    }

    @Override
    public OpenResult create(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                             byte[] securityDescriptor, long allocationSize) {
        throw unused();
    }

    @Override
    public OpenResult open(String fileName, int createOptions, int grantedAccess) {
        throw unused();
    }

    @Override
    public FileInfo overwrite(FileContext context, int fileAttributes, boolean replaceFileAttributes,
                              long allocationSize) {
        throw unused();
    }

    @Override
    public void cleanup(FileContext context, String fileName, int flags) {
    }

    @Override
    public void close(FileContext context) {
    }

    @Override
    public WriteResult write(FileContext context, ByteBuffer buffer, long offset, int length,
                             boolean writeToEndOfFile, boolean constrainedIo) {
        throw unused();
    }

    @Override
    public FileInfo flush(FileContext context) {
        throw unused();
    }

    @Override
    public FileInfo setBasicInfo(FileContext context, int fileAttributes, long creationTime, long lastAccessTime,
                                 long lastWriteTime, long changeTime) {
        throw unused();
    }

    @Override
    public FileInfo setFileSize(FileContext context, long newSize, boolean setAllocationSize) {
        throw unused();
    }

    @Override
    public void canDelete(FileContext context, String fileName) {
        throw unused();
    }

    @Override
    public void rename(FileContext context, String fileName, String newFileName, boolean replaceIfExists) {
        throw unused();
    }

    @Override
    public byte[] getSecurity(FileContext context) {
        throw unused();
    }

    @Override
    public void setSecurity(FileContext context, int securityInformation, byte[] modificationDescriptor) {
        throw unused();
    }

    @Override
    public boolean readDirectory(FileContext context, String pattern, String marker, DirSink sink) {
        throw unused();
    }

    @Override
    public ReparseResolution resolveReparsePoints(String fileName, int reparsePointIndex,
                                                  boolean resolveLastPathComponent) {
        throw unused();
    }

    @Override
    public byte[] getReparsePoint(FileContext context, String fileName) {
        throw unused();
    }

    @Override
    public void setReparsePoint(FileContext context, String fileName, byte[] reparseData) {
        throw unused();
    }

    @Override
    public void deleteReparsePoint(FileContext context, String fileName, byte[] reparseData) {
        throw unused();
    }

    @Override
    public List<StreamInfo> getStreamInfo(FileContext context) {
        throw unused();
    }

    @Override
    public DirInfo getDirInfoByName(FileContext parentDirectory, String fileName) {
        throw unused();
    }

    @Override
    public void setDelete(FileContext context, String fileName, boolean deleteFile) {
        throw unused();
    }
}
