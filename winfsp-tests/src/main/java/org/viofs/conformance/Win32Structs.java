package org.viofs.conformance;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.viofs.volume.DirInfo;

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

    /**
     * A FindFirstFile search: the directory handle it keeps open until FindClose, the pattern, the
     * entries of the last page not returned yet, and where the next page starts (the Marker). The
     * next page is read only when these run out, so other calls may run between two pages, as on
     * Windows. Used by one thread at a time.
     */
    public static final class FindHandle {
        final Handle directory;
        final String pattern;
        final Deque<FindData> buffered = new ArrayDeque<>();
        String marker;
        boolean ended;
        FindData first;
        boolean closed;

        FindHandle(Handle directory, String pattern) {
            this.directory = directory;
            this.pattern = pattern;
        }
    }

    /**
     * One ReadDirectory call's result: the entries in the volume's order and whether the volume
     * reported the end of the listing.
     */
    public record DirectoryPage(List<DirInfo> entries, boolean ended) {
        public DirectoryPage {
            entries = List.copyOf(entries);
        }
    }

    /** IO_STATUS_BLOCK as the Nt* EA calls leave it: the status and Information. */
    public record IoStatusBlock(int status, int information) {
    }
}
