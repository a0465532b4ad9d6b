package org.viofs.conformance;

import java.util.List;

/**
 * The Win32 structures the facade's calls return ({@code BY_HANDLE_FILE_INFORMATION},
 * {@code WIN32_FIND_DATAW}, {@code IO_STATUS_BLOCK}, …), as Java records with the SDK's field
 * names, and the search handle of FindFirstFile. Times are FILETIME (100 ns since 1601).
 */
public final class Win32Structs {

    private Win32Structs() {
    }

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

    /** IO_STATUS_BLOCK as the Nt* EA calls leave it: the status and Information. */
    public record IoStatusBlock(int status, int information) {
    }
}
